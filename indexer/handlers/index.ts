// Routes a decoded event to its contract's handler, and turns any failure into a fatal error that
// names the event.
import type { ContractName, FirmLog } from "../decode/logs.ts";
import { type ChangeAt, RowNotInMemory } from "../store/entities.ts";
import { HandlerError } from "../store/errors.ts";
import { booksHandlers } from "./books.ts";
import type { ContractHandlers, HandlerContext, HandlerEvent } from "./context.ts";
import { directoryHandlers } from "./directory.ts";
import { governorHandlers } from "./governor.ts";
import { partnershipHandlers } from "./partnership.ts";
import { practicesHandlers } from "./practices.ts";
import { revenueShareHandlers } from "./revenueShare.ts";
import { timelockHandlers } from "./timelock.ts";
import { withdrawalsHandlers } from "./withdrawals.ts";

export const HANDLERS: { [C in ContractName]: ContractHandlers<C> } = {
  partnership: partnershipHandlers,
  practices: practicesHandlers,
  revenueShare: revenueShareHandlers,
  governor: governorHandlers,
  timelock: timelockHandlers,
  withdrawals: withdrawalsHandlers,
  directory: directoryHandlers,
  books: booksHandlers,
};

type AnyHandler = (event: HandlerEvent<ContractName, never>, ctx: HandlerContext) => void;

/** Runs the handler of `event`; throws a {@link HandlerError} with the event's coordinates on failure. */
export function handleEvent(event: FirmLog, at: ChangeAt, ctx: HandlerContext): void {
  const handler = (HANDLERS[event.contract] as Record<string, AnyHandler>)[event.eventName];
  try {
    if (!handler) throw new Error("no handler is registered for it");
    handler({ args: event.args as never, at, log: event.log }, ctx);
  } catch (error) {
    // Not a failure: the store loads the row and runs the range again.
    if (error instanceof RowNotInMemory) throw error;
    throw new HandlerError(
      {
        contract: event.contract,
        eventName: event.eventName,
        blockNumber: event.log.blockNumber,
        transactionHash: event.log.transactionHash,
        logIndex: event.log.logIndex,
        address: event.log.address,
      },
      error,
    );
  }
}

// What a handler gets: one decoded event with its coordinates, and the mirror's tables in memory.
// Handlers are synchronous and pure with respect to the outside world: they read and write rows in
// memory only, so a range fails as a whole or not at all, and may be run again from the start (the
// store does, after reading back rows memory had dropped: see store/prefetch.ts).
import type { Manifest } from "../../contracts/manifest.ts";
import type { ContractName, EventArgs, EventName } from "../decode/logs.ts";
import type { ChangeAt } from "../store/entities.ts";
import type { MirrorTables, ProposalLinker } from "../store/mirror.ts";
import type { RawLog, TokenMetadata } from "../store/types.ts";

export interface HandlerContext extends MirrorTables {
  readonly manifest: Manifest;
  /** Links an effect to the proposal whose execution (later in the same transaction) caused it. */
  readonly linker: ProposalLinker;
  /** Token metadata the sync stage read for this range (BlockRange.tokens), by lowercase address. */
  readonly tokenMetadata: ReadonlyMap<string, TokenMetadata>;
}

/** One event as a handler sees it. */
export interface HandlerEvent<C extends ContractName, N extends EventName<C>> {
  args: EventArgs<C, N>;
  at: ChangeAt;
  log: RawLog;
}

/**
 * A handler for every event of contract `C`'s ABI: the type makes a newly added event a compile error
 * until someone decides what it does (even if that is {@link noEffect}).
 */
export type ContractHandlers<C extends ContractName> = {
  [N in EventName<C>]: (event: HandlerEvent<C, N>, ctx: HandlerContext) => void;
};

/** For events that change nothing the API reads: they are still kept in raw_events. */
export function noEffect(): void {}

/** The columns every write of a member, practice or seat sets: which block and time last changed it. */
export function touched(at: ChangeAt) {
  return { updatedBlock: at.blockNumber, updatedAt: at.blockTimestamp };
}

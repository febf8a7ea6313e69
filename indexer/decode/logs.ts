// The decode stage: raw logs of the firm's contracts → typed events, by contract address from the
// manifest. A firm log that does not decode is fatal: skipping it would leave the mirror silently wrong.
import type { AbiEvent, Address, ContractEventArgsFromTopics, ContractEventName, Hex } from "viem";
import { decodeEventLog, toEventSelector } from "viem";
import {
  firmGovernorAbi,
  firmTimelockAbi,
  partnershipAbi,
  practicesAbi,
  revenueShareAbi,
} from "../../contracts/abi.ts";
import type { Manifest } from "../../contracts/manifest.ts";
import { LogDecodeError } from "../store/errors.ts";
import type { RawLog } from "../store/types.ts";

/** Each firm contract's ABI, under its manifest name. */
export const FIRM_ABIS = {
  partnership: partnershipAbi,
  practices: practicesAbi,
  revenueShare: revenueShareAbi,
  governor: firmGovernorAbi,
  timelock: firmTimelockAbi,
} as const;

export type FirmAbis = typeof FIRM_ABIS;
export type ContractName = keyof FirmAbis;
export type EventName<C extends ContractName> = ContractEventName<FirmAbis[C]>;
export type EventArgs<C extends ContractName, N extends EventName<C>> = ContractEventArgsFromTopics<
  FirmAbis[C],
  N
>;

/** A decoded log of contract `C`, with where it happened. Addresses in `args` are lowercase. */
export type DecodedLog<C extends ContractName = ContractName> = {
  [N in EventName<C>]: { contract: C; eventName: N; args: EventArgs<C, N>; log: RawLog };
}[EventName<C>];

/** Any decoded firm log: a union over contracts and events, narrowed by `contract` and `eventName`. */
export type FirmLog = { [C in ContractName]: DecodedLog<C> }[ContractName];

export interface LogDecoder {
  /** Decodes one firm log; throws a fatal {@link LogDecodeError} naming the log if it cannot. */
  decode(log: RawLog): FirmLog;
}

interface EventEntry {
  contract: ContractName;
  abiItem: AbiEvent;
}

/**
 * Builds a decoder for the firm deployed at the manifest's addresses.
 *
 * @example
 * const decoder = createLogDecoder(manifest);
 * const event = decoder.decode(log); // { contract: "partnership", eventName: "MemberAdmitted", args, log }
 */
export function createLogDecoder(manifest: Manifest): LogDecoder {
  // Selectors are looked up once here: viem's decodeEventLog hashes every event signature of the ABI it
  // is given on every call, so each log is decoded against its single matching event instead.
  const byAddress = new Map<string, Map<Hex, EventEntry>>();
  for (const [contract, abi] of Object.entries(FIRM_ABIS) as [ContractName, readonly unknown[]][]) {
    const address = manifest.contracts[contract].toLowerCase();
    const events = new Map<Hex, EventEntry>();
    for (const item of abi as readonly AbiEvent[]) {
      if (item.type === "event") events.set(toEventSelector(item), { contract, abiItem: item });
    }
    byAddress.set(address, events);
  }
  return {
    decode(log) {
      const events = byAddress.get(log.address.toLowerCase());
      if (!events) throw new LogDecodeError(logAt(log), "the address is not one of the manifest's contracts");
      const topic0 = log.topics[0];
      const entry = topic0 ? events.get(topic0) : undefined;
      if (!entry) throw new LogDecodeError(logAt(log), "no event of this contract's ABI has this topic0");
      let decoded: { eventName: string; args: unknown };
      try {
        decoded = decodeEventLog({ abi: [entry.abiItem], topics: log.topics, data: log.data, strict: true });
      } catch (error) {
        throw new LogDecodeError(
          logAt(log),
          (error as Error).message.split("\n")[0] ?? "decoding failed",
          error,
        );
      }
      const args = normalizeAddresses(entry.abiItem, decoded.args as Record<string, unknown>);
      return { contract: entry.contract, eventName: decoded.eventName, args, log } as FirmLog;
    },
  };
}

function logAt(log: RawLog) {
  return {
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
    logIndex: log.logIndex,
    address: log.address,
    topic0: log.topics[0],
  };
}

/** The character PostgreSQL text and jsonb cannot hold; a partner may still type it in a reason. */
const NUL = "\u0000";

/**
 * Lowercases address-typed arguments (the mirror stores and compares addresses in one case) and
 * replaces NUL characters in string arguments with U+FFFD: PostgreSQL cannot store NUL in text or
 * jsonb, and one partner's odd ballot reason must not stop the mirror for the whole firm.
 */
function normalizeAddresses(item: AbiEvent, args: Record<string, unknown>): Record<string, unknown> {
  for (const input of item.inputs) {
    if (!input.name) continue;
    if (input.type === "string" && typeof args[input.name] === "string") {
      args[input.name] = (args[input.name] as string).replaceAll(NUL, "\uFFFD");
    } else if (input.type === "string[]") {
      args[input.name] = (args[input.name] as string[]).map((text) => text.replaceAll(NUL, "\uFFFD"));
    } else if (input.type === "address") args[input.name] = (args[input.name] as Address).toLowerCase();
    else if (input.type === "address[]") {
      args[input.name] = (args[input.name] as Address[]).map((a) => a.toLowerCase());
    }
  }
  return args;
}

// The decode stage: raw logs of the firm's contracts → typed events, by contract address from the
// manifest. A firm log that does not decode is fatal: skipping it would leave the mirror silently wrong.
import type { AbiEvent, Address, ContractEventArgsFromTopics, ContractEventName, Hex } from "viem";
import { toEventSelector } from "viem";
import {
  booksAbi,
  directoryAbi,
  firmGovernorAbi,
  firmTimelockAbi,
  partnershipAbi,
  practicesAbi,
  revenueShareAbi,
  withdrawalsAbi,
} from "../../contracts/abi.ts";
import type { Manifest } from "../../contracts/manifest.ts";
import { LogDecodeError } from "../store/errors.ts";
import type { RawLog } from "../store/types.ts";
import { compileEventDecoder, decodesWithoutViem, type EventDecoder } from "./abiDecoder.ts";

/** Each firm contract's ABI, under its manifest name. */
export const FIRM_ABIS = {
  partnership: partnershipAbi,
  practices: practicesAbi,
  revenueShare: revenueShareAbi,
  governor: firmGovernorAbi,
  timelock: firmTimelockAbi,
  withdrawals: withdrawalsAbi,
  directory: directoryAbi,
  books: booksAbi,
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
  decode: EventDecoder;
  /** Whether decoded values may need normalizing: strings (NUL characters), or addresses from viem. */
  normalize: boolean;
}

/**
 * Builds a decoder for the firm deployed at the manifest's addresses.
 *
 * @example
 * const decoder = createLogDecoder(manifest);
 * const event = decoder.decode(log); // { contract: "partnership", eventName: "MemberAdmitted", args, log }
 */
export function createLogDecoder(manifest: Manifest): LogDecoder {
  // Selectors are computed once here, and each event gets a decoder compiled for it (./abiDecoder.ts):
  // viem's decodeEventLog would hash the event's signature again for every log.
  const byAddress = new Map<string, Map<Hex, EventEntry>>();
  for (const [contract, abi] of Object.entries(FIRM_ABIS) as [ContractName, readonly unknown[]][]) {
    const address = manifest.contracts[contract].toLowerCase();
    // A real deployment has one contract per address; test manifests may reuse one, whose events
    // then decode by every ABI it stands for (the later contract's where two share a topic0).
    const events = byAddress.get(address) ?? new Map<Hex, EventEntry>();
    for (const item of abi as readonly AbiEvent[]) {
      if (item.type === "event")
        events.set(toEventSelector(item), {
          contract,
          abiItem: item,
          decode: compileEventDecoder(item),
          normalize:
            !decodesWithoutViem(item) || item.inputs.some((input) => input.type.startsWith("string")),
        });
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
      let args: Record<string, unknown>;
      try {
        args = entry.decode(log.topics, log.data) as Record<string, unknown>;
      } catch (error) {
        throw new LogDecodeError(
          logAt(log),
          (error as Error).message.split("\n")[0] ?? "decoding failed",
          error,
        );
      }
      if (entry.normalize) args = normalizeAddresses(entry.abiItem, args);
      return { contract: entry.contract, eventName: entry.abiItem.name, args, log } as FirmLog;
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

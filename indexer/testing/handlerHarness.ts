// The handlers' tests' setup: a synthetic firm's manifest, its log decoder and event encoder, and a
// function that runs a range's logs through the handlers into an in-memory mirror, as the store
// does, with no database. Not a test file.
import type { Address } from "viem";
import type { Manifest } from "../../contracts/manifest.ts";
import { createLogDecoder, type LogDecoder } from "../decode/logs.ts";
import { handleEvent } from "../handlers/index.ts";
import type { MirrorMemory } from "../store/mirror.ts";
import type { BlockRange } from "../store/types.ts";
import { encodeFirmEvent, syntheticManifest } from "./syntheticChain.ts";

export interface HandlerHarness {
  manifest: Manifest;
  decoder: LogDecoder;
  /** encodeFirmEvent bound to the harness's manifest: `e("books", "Deposited", {…})`. */
  e: BoundEncoder;
  /** Account `n` of the test, an address in its own range (`accountBase` + n) so files never collide. */
  account(n: number): Address;
  /** Runs every log of `range` through the handlers into `mirror`, then ends the range as the store does. */
  apply(mirror: MirrorMemory, range: BlockRange): void;
}

type BoundEncoder = typeof encodeFirmEvent extends (m: never, ...rest: infer R) => infer T
  ? (...rest: R) => T
  : never;

/**
 * The setup of a handlers test file, on a synthetic firm deployed at block 1.
 *
 * @example
 * const { e, account, apply } = handlerHarness({ accountBase: 0xb000 });
 */
export function handlerHarness({ accountBase }: { accountBase: number }): HandlerHarness {
  const manifest = syntheticManifest(1);
  const decoder = createLogDecoder(manifest);
  return {
    manifest,
    decoder,
    e: encodeFirmEvent.bind(null, manifest) as BoundEncoder,
    account: (n) => `0x${(accountBase + n).toString(16).padStart(40, "0")}` as Address,
    apply(mirror, range) {
      const headers = new Map(range.blocks.map((b) => [b.number, b]));
      const context = {
        ...mirror.tables,
        manifest,
        linker: mirror.linker,
        tokenMetadata: range.tokens ?? new Map(),
      };
      for (const log of range.logs) {
        handleEvent(
          decoder.decode(log),
          {
            blockNumber: Number(log.blockNumber),
            logIndex: log.logIndex,
            blockTimestamp: Number(headers.get(log.blockNumber)?.timestamp),
            txHash: log.transactionHash,
          },
          context,
        );
      }
      // Effects no ProposalExecuted claimed within the range had no proposal (the store's rule).
      mirror.linker.endRange();
    },
  };
}

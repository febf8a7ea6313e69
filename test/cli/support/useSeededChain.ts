// One CLI test file's seeded chain (./seededChain.ts) as vitest hooks: started before the file's
// tests, stopped after them, with the `firm` runner bound to it. The tests of such a file run in
// order and share the chain. Not a test file.
import type { Address } from "viem";
import { afterAll, beforeAll } from "vitest";
import type { Manifest } from "../../../contracts/manifest.ts";
import type { DemoFirm } from "../../../scripts/start/seedDemoFirm.ts";
import { type FirmResult, firmAt } from "./runFirm.ts";
import { type SeededChain, startSeededChain } from "./seededChain.ts";

/** Deploying and seeding the demo firm through governance takes about a minute; five on a loaded machine. */
const START_TIMEOUT_MS = 300_000;

export interface SeededChainSuite {
  readonly rpcUrl: string;
  readonly manifest: Manifest;
  readonly demo: DemoFirm;
  /** Runs `firm ...args` against the chain, as a child process. */
  firm(...args: string[]): Promise<FirmResult>;
  /** Founder #`n`'s address, as the seed made them partners. */
  partner(n: 1 | 2 | 3 | 4 | 5): Address;
}

/**
 * Starts the demo firm's chain (labelled `label` in its temporary folder) before the file's tests and
 * stops it after them. Its fields throw when read before the hook ran (at import, say), rather than
 * handing a test `undefined`.
 *
 * @example
 * const chain = useSeededChain("cover");
 * const { firm, partner } = chain;
 */
export function useSeededChain(label: string): SeededChainSuite {
  let started: SeededChain | undefined;

  beforeAll(async () => {
    started = await startSeededChain(label);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await started?.stop();
  });

  const chain = () => {
    if (!started) throw new Error(`The ${label} test's chain is read before its beforeAll hook started it.`);
    return started;
  };
  return {
    get rpcUrl() {
      return chain().rpcUrl;
    },
    get manifest() {
      return chain().manifest;
    },
    get demo() {
      return chain().demo;
    },
    firm: (...args) => firmAt(chain().env)(...args),
    partner: (n) => (chain().demo.accounts.partners[n - 1] as { address: Address }).address,
  };
}

// The chain's head for /ready and indexingStatus, polled in the background so that no request waits
// on (or adds load to) the RPC node: requests read the last value seen.
import type { Logger } from "pino";
import type { PublicClient } from "viem";
import { redactUrls } from "../kernel/errors.ts";
import type { ChainHead } from "./context.ts";

export interface HeadTracker {
  /** The head last seen; null until the first poll succeeds. */
  head(): Promise<ChainHead | null>;
  stop(): void;
}

/** 2 s: /ready's answer is at most this stale; Ethereum makes a block every 12 s, L2s every 0.25–2 s. */
const DEFAULT_INTERVAL_MS = 2_000;

/**
 * Polls `publicClient` for the latest block number every `intervalMs`.
 *
 * @example
 * const tracker = createHeadTracker({ publicClient });
 * buildApp({ …, head: tracker.head });
 */
export function createHeadTracker({
  publicClient,
  intervalMs = DEFAULT_INTERVAL_MS,
  logger,
}: {
  publicClient: PublicClient;
  intervalMs?: number;
  logger?: Logger;
}): HeadTracker {
  let head: ChainHead | null = null;
  let failing = false;
  const poll = async () => {
    try {
      head = { blockNumber: Number(await publicClient.getBlockNumber({ cacheTime: 0 })) };
      failing = false;
    } catch (error) {
      // Keep the last value (readiness then reports the growing lag) and warn once per outage.
      if (!failing)
        logger?.warn({
          msg: "Could not read the chain's head",
          error: redactUrls(String(error)).split("\n")[0],
        });
      failing = true;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return {
    head: async () => head,
    stop: () => clearInterval(timer),
  };
}

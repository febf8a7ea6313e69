// The core's loaders: the time of a block that holds firm events (raw_events), for transactions whose
// table stores no time.
import type { LoaderDeps } from "../defineModule.ts";
import { byKey, createLoader } from "./createLoader.ts";

export function createCoreLoaders({ statements, metrics, chainId }: LoaderDeps) {
  return {
    /** block number → its unix time, or null when it holds no firm event. */
    blockTime: createLoader<number, number | null>({ name: "raw_events", metrics }, async (keys) => {
      const rows = await statements.blockTimes.execute({ chainId, keys: [...keys] });
      return byKey(keys, rows, (row) => row.number).map((row) => row?.timestamp ?? null);
    }),
  };
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createCoreLoaders> {}
}

// How far the mirror has indexed the chain: what indexingStatus answers and what /ready decides on.
import type { AppServices, MirrorSnapshot } from "../../context.ts";

export interface IndexingStatus {
  chainId: number;
  headBlock: number | null;
  indexedBlock: number | null;
  indexedTimestamp: number | null;
  finalizedBlock: number | null;
  lagBlocks: number | null;
  synced: boolean;
  maxLagBlocks: number;
}

/**
 * Compares the mirror's checkpoint with the chain's head (the injected, cached `head`: no chain
 * call). Synced means both are known and the lag is within `readyMaxLagBlocks`.
 */
export async function readIndexingStatus(
  services: Pick<AppServices, "head" | "manifest" | "readyMaxLagBlocks">,
  mirror: MirrorSnapshot,
): Promise<IndexingStatus> {
  const head = await services.head();
  const indexed = mirror.checkpointBlock;
  const lag = head === null || indexed === null ? null : Math.max(0, head.blockNumber - indexed);
  return {
    chainId: services.manifest.chainId,
    headBlock: head?.blockNumber ?? null,
    indexedBlock: indexed,
    indexedTimestamp: mirror.checkpointTimestamp,
    finalizedBlock: mirror.prunedThrough,
    lagBlocks: lag,
    synced: lag !== null && lag <= services.readyMaxLagBlocks,
    maxLagBlocks: services.readyMaxLagBlocks,
  };
}

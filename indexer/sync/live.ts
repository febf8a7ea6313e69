// Live following: polls the chain's latest block and applies every new block, each checked against
// the mirror: a block's parent hash must be the hash of the block the mirror ends with. It starts at
// the checkpoint the backfill left, so the switch-over has neither a gap nor an overlap (the store
// rejects any range that does not start right after its checkpoint, which makes that a checked
// property rather than a hope).
//
// While behind (right after backfill, or after a pause), it catches up in ranges of up to
// `maxBlocksPerRange` blocks, fetching every header so that every unfinalized block's hash is
// remembered. Logs are matched to the headers by block hash, so a reorg between the two requests is
// noticed and the step is simply redone.
import type { Address } from "viem";
import { LogRangeTooLargeError } from "../../kernel/errors.ts";
import type { Logger } from "../../kernel/logger.ts";
import { sleep, throwIfStopping } from "../../kernel/shutdown.ts";
import type { Metrics } from "../metrics.ts";
import type { BlockRef, Checkpoint, RawLog, Store } from "../store/types.ts";
import type { ApplyRange } from "./applyRange.ts";
import type { EnrichRange } from "./enrichRange.ts";
import { reconcile } from "./reorg.ts";
import type { Rpc } from "./rpc.ts";

export interface FollowParameters {
  rpc: Rpc;
  store: Store;
  apply: ApplyRange;
  addresses: readonly Address[];
  /** Where an empty mirror starts (the deployment's start block). */
  startBlock: bigint;
  finalityDepth: number;
  pollIntervalMs: number;
  /** The largest range applied at once while catching up. */
  maxBlocksPerRange: number;
  /** Chain reads the range's handlers need, made before it is applied (enrichRange.ts). */
  enrich?: EnrichRange | undefined;
  logger: Logger;
  metrics?: Metrics | undefined;
  signal?: AbortSignal | undefined;
  /** Told the chain's latest block number at every poll. */
  onHead?: ((head: bigint) => void) | undefined;
}

/** What one step did, which decides how long to wait before the next. */
type StepOutcome = "caught-up" | "progressed" | "chain-moved";

/**
 * Follows the chain until `signal` aborts (then rejects with ShutdownSignal).
 *
 * @example
 * await follow({ rpc, store, apply, addresses, startBlock: 1n, finalityDepth: 5,
 *   pollIntervalMs: 1_000, maxBlocksPerRange: 100, logger, signal });
 */
export async function follow(parameters: FollowParameters): Promise<never> {
  const { store, logger, pollIntervalMs, signal } = parameters;
  const state: FollowState = {
    checkpoint: await store.checkpoint(),
    maxBlocks: parameters.maxBlocksPerRange,
  };
  logger.info({ msg: "Following new blocks", fromBlock: Number(nextBlock(parameters, state)) });
  let unsettled = 0;
  for (;;) {
    throwIfStopping(signal);
    const outcome = await step(parameters, state);
    unsettled = outcome === "chain-moved" ? unsettled + 1 : 0;
    // A chain that moves under every step for this long is more likely a node that contradicts
    // itself (e.g. load-balanced backends out of step): say so rather than spin silently.
    if (unsettled > 0 && unsettled % UNSETTLED_WARNING_STEPS === 0)
      logger.warn({ msg: "The node's answers keep contradicting each other; retrying", steps: unsettled });
    // Caught up: wait for the next block. The chain moved under a step: retry soon, but not in a
    // tight loop against a node that keeps answering inconsistently.
    if (outcome === "caught-up") await sleep(pollIntervalMs, signal);
    else if (outcome === "chain-moved") await sleep(Math.min(pollIntervalMs, 250), signal);
  }
}

/** 40 inconsistent steps in a row is 10 s or more of retrying. */
const UNSETTLED_WARNING_STEPS = 40;

/** Hardhat's `hardhat_mine` makes blocks whose parent hash reads as zero; no real chain has them. */
const ZERO_HASH = `0x${"0".repeat(64)}`;

/**
 * Whether `header` is the child of the block with hash `parentHash`. A zero parent hash (Hardhat's
 * `hardhat_mine`, as the network helpers' `mine()` and `time.increase()` use) cannot be checked and
 * is accepted: on such a dev chain a reorg across those blocks goes unnoticed, which only a developer
 * reverting snapshots can cause.
 */
export function isChildOf(header: BlockRef, parentHash: string): boolean {
  return header.parentHash === parentHash || header.parentHash === ZERO_HASH;
}

interface FollowState {
  checkpoint: Checkpoint | null;
  /** Shrinks when a provider refuses a catch-up range as too large. */
  maxBlocks: number;
  /** The highest block below which the store was told to forget undo data. */
  prunedBelow?: bigint;
}

function nextBlock({ startBlock }: FollowParameters, { checkpoint }: FollowState): bigint {
  return checkpoint ? checkpoint.blockNumber + 1n : startBlock;
}

async function step(parameters: FollowParameters, state: FollowState): Promise<StepOutcome> {
  const latest = await parameters.rpc.block("latest");
  if (!latest) return "chain-moved";
  parameters.onHead?.(latest.number);
  parameters.metrics?.headBlock.set(Number(latest.number));
  const { checkpoint } = state;
  if (checkpoint && latest.number <= checkpoint.blockNumber) {
    if (await isForkedBelowCheckpoint(parameters, checkpoint, latest)) {
      await rollBack(parameters, state);
      return "progressed";
    }
    return "caught-up";
  }
  const from = nextBlock(parameters, state);
  if (from > latest.number) return "caught-up";
  const to = min(latest.number, from + BigInt(state.maxBlocks) - 1n);
  const headers = await fetchHeaders(parameters, from, to, latest);
  if (!headers) return "chain-moved";
  if (checkpoint && !isChildOf(headers[0]!, checkpoint.blockHash)) {
    await rollBack(parameters, state);
    return "progressed";
  }
  const logs = await fetchLogs(parameters, state, from, to);
  if (!logs || !logsMatchHeaders(logs, headers, from)) return "chain-moved";
  await applyHeaders(parameters, state, headers, logs, latest);
  return state.checkpoint!.blockNumber < latest.number ? "progressed" : "caught-up";
}

/**
 * With no block above the checkpoint: whether the chain has forked below it. The same height with
 * another hash is a reorg. A lower head (a reverted snapshot on a dev chain, or a node that lags
 * behind, as load-balanced endpoints do) is judged by the highest block the mirror remembers at or
 * below it: if the chain now has another block there, it forked; if not, the node lags, and the
 * follower waits rather than roll back. A head below everything the mirror remembers is waited out
 * too: a reorg that deep shows (and stops the indexer) once the chain grows past the checkpoint.
 */
async function isForkedBelowCheckpoint(
  { rpc, store }: FollowParameters,
  checkpoint: Checkpoint,
  latest: BlockRef,
): Promise<boolean> {
  if (latest.number === checkpoint.blockNumber) return latest.hash !== checkpoint.blockHash;
  // recentBlocks() is highest first, so the first match is the highest at or below the head.
  const remembered = (await store.recentBlocks()).find((block) => block.number <= latest.number);
  if (!remembered) return false;
  if (remembered.number === latest.number) return remembered.hash !== latest.hash;
  const canonical = await rpc.block(remembered.number);
  return canonical !== undefined && canonical.hash !== remembered.hash;
}

async function applyHeaders(
  parameters: FollowParameters,
  state: FollowState,
  headers: BlockRef[],
  logs: RawLog[],
  latest: BlockRef,
): Promise<void> {
  throwIfStopping(parameters.signal);
  const fetched = { fromBlock: headers[0]!.number, toBlock: headers.at(-1)!, blocks: headers, logs };
  const range = parameters.enrich ? await parameters.enrich(fetched) : fetched;
  throwIfStopping(parameters.signal);
  const { checkpoint } = await parameters.apply(range, "live");
  state.checkpoint = checkpoint;
  parameters.metrics?.lagBlocks.set(Math.max(0, Number(latest.number - checkpoint.blockNumber)));
  await prune(parameters, state);
}

/** Every header of `from`..`to`, each the parent of the next; undefined if the chain moved meanwhile. */
async function fetchHeaders(
  { rpc }: FollowParameters,
  from: bigint,
  to: bigint,
  latest: BlockRef,
): Promise<BlockRef[] | undefined> {
  const numbers: bigint[] = [];
  for (let n = from; n <= to; n++) numbers.push(n);
  const fetched = to === latest.number && from === to ? [latest] : await rpc.blocks(numbers);
  if (fetched.some((header) => header === undefined)) return undefined;
  const headers = fetched as BlockRef[];
  const linked = headers.every((header, i) => i === 0 || isChildOf(header, headers[i - 1]!.hash));
  return linked ? headers : undefined;
}

async function fetchLogs(
  { rpc, addresses }: FollowParameters,
  state: FollowState,
  from: bigint,
  to: bigint,
): Promise<RawLog[] | undefined> {
  try {
    return await rpc.logs({ addresses, fromBlock: from, toBlock: to });
  } catch (error) {
    if (!(error instanceof LogRangeTooLargeError) || from === to) throw error;
    state.maxBlocks = Math.max(1, Math.floor(state.maxBlocks / 2));
    return undefined;
  }
}

/** Whether every log carries the hash of the fetched header of its block. */
function logsMatchHeaders(logs: readonly RawLog[], headers: readonly BlockRef[], from: bigint): boolean {
  return logs.every((log) => headers[Number(log.blockNumber - from)]?.hash === log.blockHash);
}

async function rollBack(parameters: FollowParameters, state: FollowState): Promise<void> {
  state.checkpoint = await reconcile(parameters);
  state.prunedBelow = undefined;
}

/** Lets the store forget what a reorg within the finality depth can no longer need. */
async function prune({ store, finalityDepth }: FollowParameters, state: FollowState): Promise<void> {
  if (!state.checkpoint) return;
  const finalBelow = state.checkpoint.blockNumber - BigInt(finalityDepth);
  if (finalBelow <= 0n || (state.prunedBelow !== undefined && finalBelow <= state.prunedBelow)) return;
  await store.pruneBelow(finalBelow);
  state.prunedBelow = finalBelow;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

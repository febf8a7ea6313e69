// A Store kept in memory, for the sync engine's tests until (and beside) the real mirror. It keeps the
// same promises as the real one: a range applies whole or not at all, must start right after the
// checkpoint, and a rollback removes every effect of the blocks above the ancestor. It also records
// what the engine asked of it (applied ranges, rollbacks, prunes) for the tests to inspect.
//
// With `path`, every change is written to a JSON file by write-then-rename, which is atomic on POSIX
// file systems: a process killed at any moment leaves either the old state or the new one, just as a
// database transaction would. That lets crash tests (SIGKILL) and standby tests share a store between
// processes. Only one process may write at a time (the leader lock's job).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { BlockRange, BlockRef, Checkpoint, CommitNotice, RawLog, Store } from "../store/types.ts";

export interface MemoryStore extends Store {
  /** Every range applied, in order, including ranges later rolled back. */
  readonly applied: readonly BlockRange[];
  /** The ancestor of every rollback, in order. */
  readonly rollbacks: readonly bigint[];
  /** The argument of every pruneBelow, in order. */
  readonly prunes: readonly bigint[];
  /** The mirror's logs now, in chain order. */
  logs(): RawLog[];
  /** The remembered block headers now, lowest first. */
  blocks(): BlockRef[];
}

export interface CreateMemoryStoreParameters {
  chainId?: number;
  /** A JSON file that holds the state across processes. */
  path?: string;
  /** Called before each applyRange commits; throw from it to simulate a failed transaction. */
  beforeApply?: (range: BlockRange) => void;
}

interface State {
  checkpoint: Checkpoint | null;
  logs: RawLog[];
  blocks: BlockRef[];
  applied: BlockRange[];
  rollbacks: bigint[];
  prunes: bigint[];
}

/**
 * Creates an in-memory (optionally file-backed) store.
 *
 * @example
 * const store = createMemoryStore();
 * await createIndexer({ config, store, manifest, logger }).run();
 * store.logs(); // what the mirror holds
 */
export function createMemoryStore({
  chainId = 31337,
  path,
  beforeApply,
}: CreateMemoryStoreParameters = {}): MemoryStore {
  let state: State = path && existsSync(path) ? load(path) : emptyState();
  // Each mutation builds the next state apart and swaps it in (and on disk) at the end, so a throw
  // midway changes nothing: the in-memory counterpart of a rolled-back transaction.
  const commit = (next: State) => {
    if (path) save(path, next);
    state = next;
  };
  // A standby process shares the file: it must see what the previous writer committed.
  const current = (): State => {
    if (path && existsSync(path)) state = load(path);
    return state;
  };

  return {
    get applied() {
      return current().applied;
    },
    get rollbacks() {
      return current().rollbacks;
    },
    get prunes() {
      return current().prunes;
    },
    logs: () => [...current().logs],
    blocks: () => [...current().blocks],

    async applyRange(range) {
      const state = current();
      checkRange(state.checkpoint, range);
      beforeApply?.(range);
      const newBlocks = [...range.blocks, range.toBlock].filter((b) => b.number >= range.fromBlock);
      commit({
        ...state,
        checkpoint: { blockNumber: range.toBlock.number, blockHash: range.toBlock.hash },
        logs: [...state.logs, ...range.logs],
        blocks: mergeBlocks(state.blocks, newBlocks),
        applied: [...state.applied, range],
      });
      return { events: range.logs.length, notice: noticeOf(chainId, range) };
    },
    async checkpoint() {
      return current().checkpoint;
    },
    async recentBlocks() {
      return [...current().blocks].reverse();
    },
    async rollbackTo(blockNumber) {
      const state = current();
      const ancestor = state.blocks.find((b) => b.number === blockNumber);
      if (!ancestor)
        throw new Error(`memoryStore: rollbackTo(${blockNumber}) names a block the store does not remember`);
      commit({
        ...state,
        checkpoint: { blockNumber, blockHash: ancestor.hash },
        logs: state.logs.filter((log) => log.blockNumber <= blockNumber),
        blocks: state.blocks.filter((b) => b.number <= blockNumber),
        rollbacks: [...state.rollbacks, blockNumber],
      });
    },
    async pruneBelow(blockNumber) {
      const state = current();
      commit({
        ...state,
        // The checkpoint's block stays: it is the ancestor of last resort.
        blocks: state.blocks.filter(
          (b) => b.number >= blockNumber || b.number === state.checkpoint?.blockNumber,
        ),
        prunes: [...state.prunes, blockNumber],
      });
    },
    async close() {},
  };
}

/** The real store's contract: contiguous, ordered, self-consistent ranges only. */
function checkRange(checkpoint: Checkpoint | null, range: BlockRange): void {
  const fail = (problem: string) => {
    throw new Error(`memoryStore: range ${range.fromBlock}..${range.toBlock.number} ${problem}`);
  };
  if (checkpoint && range.fromBlock !== checkpoint.blockNumber + 1n)
    fail(`does not start right after the checkpoint ${checkpoint.blockNumber}`);
  if (range.toBlock.number < range.fromBlock) fail("ends before it starts");
  for (let i = 0; i < range.logs.length; i++) {
    const log = range.logs[i]!;
    const previous = range.logs[i - 1];
    if (log.blockNumber < range.fromBlock || log.blockNumber > range.toBlock.number)
      fail(`holds a log of block ${log.blockNumber}`);
    if (
      previous &&
      (previous.blockNumber > log.blockNumber ||
        (previous.blockNumber === log.blockNumber && previous.logIndex >= log.logIndex))
    )
      fail(`has logs out of chain order at block ${log.blockNumber}`);
  }
}

function mergeBlocks(existing: BlockRef[], added: BlockRef[]): BlockRef[] {
  const byNumber = new Map(existing.map((b) => [b.number, b]));
  for (const block of added) byNumber.set(block.number, block);
  return [...byNumber.values()].sort((a, b) => (a.number < b.number ? -1 : 1));
}

function noticeOf(chainId: number, range: BlockRange): CommitNotice {
  return { chainId, toBlock: range.toBlock.number, proposalIds: [], members: [], votes: [] };
}

function emptyState(): State {
  return { checkpoint: null, logs: [], blocks: [], applied: [], rollbacks: [], prunes: [] };
}

// JSON has no bigint: they are written as {"$big": "123"} and revived on load.
function save(path: string, state: State): void {
  const text = JSON.stringify(state, (_key, value) =>
    typeof value === "bigint" ? { $big: value.toString() } : value,
  );
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function load(path: string): State {
  return JSON.parse(readFileSync(path, "utf8"), (_key, value) =>
    value && typeof value === "object" && typeof value.$big === "string" ? BigInt(value.$big) : value,
  ) as State;
}

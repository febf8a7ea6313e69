// The mirror as the sync engine sees it (the Store interface of ./types.ts): applies block ranges in
// one transaction each, rolls back reorged blocks, and keeps the checkpoint.
import { and, desc, eq, getTableColumns, gt, lt, lte, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Address, Hex } from "viem";
import type { Manifest } from "../../contracts/manifest.ts";
import { createLogDecoder, type FirmLog } from "../decode/logs.ts";
import type { HandlerContext } from "../handlers/context.ts";
import { handleEvent } from "../handlers/index.ts";
import { type Announcements, announceEvents } from "../notify/announceEvents.ts";
import { enqueueNotifications } from "../notify/enqueueNotification.ts";
import { fireDueNotifications } from "../notify/fireDueNotifications.ts";
import { retractNotificationsAbove } from "../notify/retractNotifications.ts";
import { readSubscribedKinds } from "../notify/subscribedKinds.ts";
import { type CopyClient, copyClient, primaryKeyColumns, writeRows } from "./bulk.ts";
import {
  assertMirrorsDeployment,
  lockMirrorState,
  type MirrorState,
  readMirrorState,
  saveCheckpoint,
} from "./checkpoint.ts";
import type { Database } from "./db.ts";
import { type ChangeAt, type EntityTable, RowCodec, RowNotInMemory } from "./entities.ts";
import { MirrorIdentityError, RollbackError, SchemaVersionError, StoreClosedError } from "./errors.ts";
import { isSchemaCurrent } from "./migrate.ts";
import { DEFAULT_ENTITY_ROWS_IN_MEMORY, MirrorMemory } from "./mirror.ts";
import { RowPrefetcher, type RowsByTable } from "./prefetch.ts";
import { checkRangeShape, checkRangeStart } from "./range.ts";
import { undoAbove } from "./rollback.ts";
import { blocks, mirrorState, notificationSchedule, rawEvents, undoLog } from "./schema.ts";
import type { Transaction } from "./sql.ts";
import type { BlockRange, BlockRef, Checkpoint, CommitNotice, Store, TokenMetadata } from "./types.ts";

export interface CreateStoreParameters {
  /** The mirror's database, migrated (see ./migrate.ts). The store does not close it: its owner does. */
  db: Database;
  chainId: number;
  manifest: Manifest;
  /**
   * Events older than this many seconds (by the wall clock) when indexed announce nothing: a
   * backfill of last year does not page the firm. Default NOTIFICATION_HORIZON_SECONDS.
   */
  notificationHorizonSeconds?: number;
  /**
   * Entity rows kept in memory per table between ranges (ENTITY_ROWS_IN_MEMORY). Rows beyond it are
   * read from the database when a range needs them. Default DEFAULT_ENTITY_ROWS_IN_MEMORY.
   */
  entityRowsInMemory?: number | undefined;
}

/** A day: what happened within it is still news to a partner; older events are history. */
export const NOTIFICATION_HORIZON_SECONDS = 86_400;

/** A decoded event with where it happened. */
interface PlacedEvent {
  event: FirmLog;
  at: ChangeAt;
}

/**
 * Opens the mirror of the manifest's deployment in `db`. Refuses a database that is not migrated or
 * that mirrors another deployment.
 *
 * @example
 * const db = await createDatabase({ dataDir: "data/mirror" });
 * await migrateDatabase(db);
 * const store = await createStore({ db, chainId: manifest.chainId, manifest });
 * const { events, notice } = await store.applyRange(range);
 */
export async function createStore({
  db,
  chainId,
  manifest,
  notificationHorizonSeconds = NOTIFICATION_HORIZON_SECONDS,
  entityRowsInMemory = DEFAULT_ENTITY_ROWS_IN_MEMORY,
}: CreateStoreParameters): Promise<Store> {
  if (chainId !== manifest.chainId) {
    throw new MirrorIdentityError(
      `the store was asked for chain ${chainId}, the manifest is for ${manifest.chainId}`,
    );
  }
  if (!(await isSchemaCurrent(db))) throw new SchemaVersionError();
  await assertMirrorsDeployment(db, chainId, manifest);

  const decoder = createLogDecoder(manifest);
  const prefetcher = new RowPrefetcher();
  const serialize = createSerialQueue();
  // The entity rows as of `revision`; dropped whenever a write fails or the rows were rewritten in SQL.
  let cache: { mirror: MirrorMemory; revision: number } | undefined;
  let closed = false;

  async function mirrorAt(tx: Transaction, revision: number): Promise<MirrorMemory> {
    if (cache?.revision === revision) return cache.mirror;
    const mirror = await loadMirror(tx, entityRowsInMemory);
    cache = { mirror, revision };
    return mirror;
  }

  function guard<T>(operation: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new StoreClosedError());
    return serialize(operation);
  }

  return {
    async applyRange(range) {
      // Checked and decoded before queueing: a malformed range fails at once, and touches nothing.
      const headers = checkRangeShape(range);
      const events = range.logs.map((log) => placeEvent(decoder.decode(log), headers));
      return guard(async () => {
        try {
          const result = await db.transaction(async (tx) => {
            const state = await lockMirrorState(tx, chainId, manifest);
            checkRangeStart(state, range);
            const mirror = await mirrorAt(tx, state.revision);
            const copy = copyClient(tx, db.driver);
            const notBefore = Math.floor(Date.now() / 1000) - notificationHorizonSeconds;
            const { notice, reads } = await commitRange(tx, {
              prefetcher,
              range,
              events,
              headers,
              state,
              mirror,
              manifest,
              copy,
              notBefore,
            });
            return { notice, reads, revision: state.revision + 1, mirror };
          });
          result.mirror.endRange();
          cache = { mirror: result.mirror, revision: result.revision };
          return { events: events.length, notice: result.notice, ...result.reads };
        } catch (error) {
          cache = undefined;
          throw error;
        }
      });
    },

    async checkpoint(): Promise<Checkpoint | null> {
      const state = await readMirrorState(db, chainId);
      if (!state || state.checkpointBlock === null || state.checkpointHash === null) return null;
      return { blockNumber: BigInt(state.checkpointBlock), blockHash: state.checkpointHash as Hex };
    },

    async recentBlocks(): Promise<BlockRef[]> {
      const rows = await db
        .select()
        .from(blocks)
        .where(eq(blocks.chainId, chainId))
        .orderBy(desc(blocks.number));
      return rows.map((row) => ({
        number: BigInt(row.number),
        hash: row.hash as Hex,
        parentHash: row.parentHash as Hex,
        timestamp: BigInt(row.timestamp),
      }));
    },

    rollbackTo(blockNumber) {
      return guard(async () => {
        try {
          await db.transaction((tx) => rollback(tx, chainId, manifest, Number(blockNumber)));
        } finally {
          // The rows were rewritten in SQL: reload them before the next range.
          cache = undefined;
        }
      });
    },

    pruneBelow(blockNumber) {
      return guard(() => db.transaction((tx) => prune(tx, chainId, manifest, Number(blockNumber))));
    },

    async close() {
      closed = true;
      await serialize(async () => undefined);
    },
  };
}

interface RangeCommit {
  /** The store's: what it learned of which rows each kind of event reads outlives any one mirror. */
  prefetcher: RowPrefetcher;
  range: BlockRange;
  events: PlacedEvent[];
  headers: Map<bigint, BlockRef>;
  state: MirrorState;
  mirror: MirrorMemory;
  manifest: Manifest;
  copy: CopyClient | undefined;
  /** Unix seconds: older events and schedules announce nothing (CreateStoreParameters). */
  notBefore: number;
}

const NO_TOKENS: ReadonlyMap<string, TokenMetadata> = new Map();

/** Entity rows a range read from the database, and how many passes of its handlers it took. */
export interface RangeReads {
  rowsRead: number;
  passes: number;
}

/** Runs the handlers over the range's events, writes everything and moves the checkpoint. */
async function commitRange(
  tx: Transaction,
  commit: RangeCommit,
): Promise<{ notice: CommitNotice; reads: RangeReads }> {
  const { prefetcher, range, events, headers, state, mirror, manifest, copy, notBefore } = commit;
  mirror.beginRange(state.prunedThrough);
  const context = {
    ...mirror.tables,
    manifest,
    linker: mirror.linker,
    tokenMetadata: range.tokens ?? NO_TOKENS,
  };
  const subscribed = await readSubscribedKinds(tx);
  const announce = () => announceEvents(events, context, { chainId: state.chainId, notBefore, subscribed });
  const reads: RangeReads = { rowsRead: 0, passes: 1 };
  const expected = prefetcher.expected(
    events.map((e) => e.event),
    mirror.entityTables(),
  );
  reads.rowsRead += await readRows(tx, expected);
  let announced = runPass(events, context, announce, mirror);
  while (!announced) {
    // Each round loads every row the pass missed, and a loaded row cannot be missed again within the
    // range, so the rounds end; the cap turns a bug that broke that into an error, not a hang.
    const missed = mirror.misses.byTable;
    if (missed.size === 0 || reads.passes >= MAX_PASSES)
      throw new Error(
        `a pass over the range still missed rows after ${reads.passes} passes: a bug in the store's row reads`,
      );
    prefetcher.learn(mirror.misses);
    reads.rowsRead += await readRows(tx, missed);
    mirror.misses.clear();
    mirror.discardRange();
    mirror.beginRange(state.prunedThrough);
    reads.passes++;
    announced = runPass(events, context, announce, mirror);
  }
  const notice = commitNotice(mirror, state.chainId, range.toBlock.number);
  const remembered = rememberedHeaders(headers, range.toBlock, state.prunedThrough);
  await writeRange(tx, { mirror, chainId: state.chainId, events, headers: remembered, copy });
  // After the rows are written: the scheduler reads proposals, votes and members in SQL.
  await enqueueNotifications(tx, announced.notifications);
  await writeRows(tx, notificationSchedule, NOTIFICATION_SCHEDULE, announced.schedule, { copy });
  await fireDueNotifications(tx, { chainId: state.chainId, block: range.toBlock, notBefore, subscribed });
  const checkpoint = { blockNumber: Number(range.toBlock.number), blockHash: range.toBlock.hash };
  await saveCheckpoint(tx, state.chainId, checkpoint, state.revision + 1);
  return { notice, reads };
}

/** The headers worth keeping: unfinalized ones (reorg detection) and the new checkpoint's. */
function rememberedHeaders(
  headers: Map<bigint, BlockRef>,
  toBlock: BlockRef,
  finalThrough: number | null,
): BlockRef[] {
  if (finalThrough === null) return [...headers.values()];
  return [...headers.values()].filter((h) => h.number >= BigInt(finalThrough) || h.number === toBlock.number);
}

/**
 * One pass of the handlers, then the announcers, over the range. Undefined if it read a row that
 * memory does not hold (a bounded table, once it has dropped rows): it then runs on in discovery to
 * note every other such row, for the caller to load them all and start again. A range whose rows are
 * all in memory, as in any firm within the row budget, takes one pass.
 */
function runPass(
  events: PlacedEvent[],
  context: HandlerContext,
  announce: () => Announcements,
  mirror: MirrorMemory,
): Announcements | undefined {
  const { misses } = mirror;
  let next = 0;
  try {
    for (const { event, at } of events) {
      misses.event = event;
      handleEvent(event, at, context);
      next++;
    }
    misses.event = undefined;
    return announce();
  } catch (error) {
    if (!(error instanceof RowNotInMemory)) throw error;
  }
  misses.discovering = true;
  try {
    // What these events do with rows read as absent is thrown away; only the misses are kept. Any
    // other error here is met again, and thrown, by the pass that follows. The event that stopped the
    // pass runs again too: it may read more rows after the one it missed (a proposal naming many
    // accounts), and each left unseen here would cost one more pass over the whole range.
    for (const { event, at } of events.slice(next)) {
      misses.event = event;
      ignoreErrors(() => handleEvent(event, at, context));
    }
    misses.event = undefined;
    ignoreErrors(announce);
  } finally {
    misses.discovering = false;
  }
  return undefined;
}

function ignoreErrors(run: () => unknown): void {
  try {
    run();
  } catch {}
}

/** Passes of the handlers over one range, at most: far above the chains of reads any handler makes. */
const MAX_PASSES = 50;

/** Keys per statement when reading rows: bounds one reply's size. */
const ROW_KEYS_PER_STATEMENT = 10_000;

/** Reads the rows of `keys` into memory, one statement per table (per 10,000 keys); how many keys. */
async function readRows(tx: Transaction, keys: RowsByTable): Promise<number> {
  let read = 0;
  for (const [table, tableKeys] of keys) {
    const all = [...tableKeys];
    for (let start = 0; start < all.length; start += ROW_KEYS_PER_STATEMENT) {
      const batch = all.slice(start, start + ROW_KEYS_PER_STATEMENT);
      const rows = await tx.select().from(table.table).where(keyIn(table, batch));
      table.remember(batch, rows as object[]);
    }
    read += all.length;
  }
  return read;
}

/**
 * The rows whose keys are `keys`, row keys as the mirror writes them (rowKey: values joined by ':').
 * Each key column's values go as one text[] parameter cast to the column's type, so the statement is
 * the same size for one key or thousands, and the primary key's index serves it: `= any(…)` for one
 * column, a join on unnest(…) for several.
 */
function keyIn(table: EntityTable<object>, keys: readonly string[]): SQL {
  const columns = getTableColumns(table.table);
  const keyColumns = table.keyFields.map((field) => columns[field] as PgColumn);
  const values = keyColumns.map((): string[] => []);
  for (const key of keys)
    table.keyParts(key).forEach((part, i) => {
      values[i]?.push(part);
    });
  const arrays = keyColumns.map(
    (column, i) => sql`cast(${sql.param(values[i])} as text[])::${sql.raw(column.getSQLType())}[]`,
  );
  const [first] = arrays;
  if (keyColumns.length === 1 && first) return sql`${keyColumns[0]} = any(${first})`;
  return sql`(${sql.join(keyColumns, sql`, `)}) in (select * from unnest(${sql.join(arrays, sql`, `)}))`;
}

/** Reads the entity rows into a fresh in-memory mirror: all of them, or each table's row budget. */
async function loadMirror(tx: Transaction, rowsPerTable: number): Promise<MirrorMemory> {
  const mirror = new MirrorMemory({ rowsPerTable });
  for (const table of mirror.entityTables()) {
    const limit = table.loadLimit();
    const query = tx.select().from(table.table);
    table.load(limit === undefined ? await query : await query.limit(limit));
  }
  return mirror;
}

function placeEvent(event: FirmLog, headers: Map<bigint, BlockRef>): PlacedEvent {
  const { log } = event;
  // checkRangeShape guarantees a header or the log's own timestamp.
  const timestamp = headers.get(log.blockNumber)?.timestamp ?? (log.blockTimestamp as bigint);
  const at = {
    blockNumber: Number(log.blockNumber),
    logIndex: log.logIndex,
    blockTimestamp: Number(timestamp),
    txHash: log.transactionHash.toLowerCase(),
  };
  return { event, at };
}

interface RangeWrite {
  mirror: MirrorMemory;
  chainId: number;
  events: PlacedEvent[];
  headers: BlockRef[];
  copy: CopyClient | undefined;
}

const RAW_EVENTS = new RowCodec(rawEvents);
const UNDO_LOG = new RowCodec(undoLog);
const BLOCKS = new RowCodec(blocks);
const NOTIFICATION_SCHEDULE = new RowCodec(notificationSchedule);
/** Upserts key on the primary key; computed once per table rather than per range. */
const upsertKeys = new Map<PgTable, string[]>();

/** Writes the range's raw events, derived rows, undo journal and headers (the caller moves the checkpoint). */
async function writeRange(
  tx: Transaction,
  { mirror, chainId, events, headers, copy }: RangeWrite,
): Promise<void> {
  await writeRows(
    tx,
    rawEvents,
    RAW_EVENTS,
    events.map((e) => rawEventRow(chainId, e)),
    { copy },
  );
  for (const table of mirror.entityTables()) {
    const { inserts, upserts, history } = table.pending();
    const keys = upsertKeys.get(table.table) ?? primaryKeyColumns(table.table);
    upsertKeys.set(table.table, keys);
    // A row is new only if memory knew it absent (every row held, or the key read back and not
    // found), so it is a plain insert, which fails loudly if that ever were wrong.
    await writeRows(tx, table.table, table.codec, inserts, { copy });
    await writeRows(tx, table.table, table.codec, upserts, { upsertOn: keys });
    if (table.historyTable && table.historyCodec)
      await writeRows(tx, table.historyTable, table.historyCodec, history, { copy });
  }
  for (const table of mirror.appendTables())
    await writeRows(tx, table.table, table.codec, table.pending(), { copy });
  await writeRows(tx, undoLog, UNDO_LOG, mirror.journal.rows(), { copy });
  await writeRows(
    tx,
    blocks,
    BLOCKS,
    headers.map((h) => ({
      chainId,
      number: Number(h.number),
      hash: h.hash.toLowerCase(),
      parentHash: h.parentHash.toLowerCase(),
      timestamp: Number(h.timestamp),
    })),
    { copy },
  );
}

function rawEventRow(chainId: number, { event, at }: PlacedEvent): typeof rawEvents.$inferInsert {
  return {
    chainId,
    blockNumber: at.blockNumber,
    logIndex: at.logIndex,
    blockHash: event.log.blockHash.toLowerCase(),
    blockTimestamp: at.blockTimestamp,
    txHash: at.txHash,
    txIndex: event.log.transactionIndex,
    address: event.log.address.toLowerCase(),
    contract: event.contract,
    eventName: event.eventName,
    args: event.args as Record<string, unknown>,
  };
}

/** What the range changed, for the API's subscribers. */
function commitNotice(mirror: MirrorMemory, chainId: number, toBlock: bigint): CommitNotice {
  const votes = mirror.tables.votes
    .all()
    .map((v) => ({ proposalId: v.proposalId.toString(), voter: v.voter as Address }));
  const proposalIds = new Set([...mirror.tables.proposals.changedKeys(), ...votes.map((v) => v.proposalId)]);
  return {
    chainId,
    toBlock,
    proposalIds: [...proposalIds],
    members: [...mirror.tables.members.changedKeys()] as Address[],
    votes,
  };
}

async function rollback(tx: Transaction, chainId: number, manifest: Manifest, target: number): Promise<void> {
  const state = await lockMirrorState(tx, chainId, manifest);
  const checkpoint = state.checkpointBlock;
  if (checkpoint === null || target === checkpoint) return;
  if (target > checkpoint) throw new RollbackError(`block ${target} is above the checkpoint ${checkpoint}`);
  if (state.prunedThrough !== null && target < state.prunedThrough) {
    throw new RollbackError(`the undo data at and below block ${state.prunedThrough} was pruned as final`, [
      `A reorg below block ${state.prunedThrough} is deeper than the finality depth allows:`,
      "re-index from an empty database.",
    ]);
  }
  const ancestor = target < state.startBlock ? null : await rememberedBlock(tx, chainId, target);
  await retractNotificationsAbove(tx, target);
  await undoAbove(tx, target, chainId);
  await tx.delete(blocks).where(and(eq(blocks.chainId, chainId), gt(blocks.number, target)));
  await saveCheckpoint(tx, chainId, ancestor, state.revision + 1);
}

async function rememberedBlock(tx: Transaction, chainId: number, number: number) {
  const [row] = await tx
    .select()
    .from(blocks)
    .where(and(eq(blocks.chainId, chainId), eq(blocks.number, number)));
  if (!row) {
    throw new RollbackError(`block ${number} is not among the remembered blocks, so its hash is unknown`, [
      "Roll back to one of recentBlocks(): the common ancestor is always one of them.",
    ]);
  }
  return { blockNumber: number, blockHash: row.hash as Hex };
}

/**
 * Declares blocks up to `through` final. A rollback to `through` needs only the undo records above it
 * and the header of `through` itself; blocks at or below it that arrive later (a backfill that starts
 * below the chain's finalized block) are applied without undo records.
 */
async function prune(tx: Transaction, chainId: number, manifest: Manifest, through: number): Promise<void> {
  const state = await lockMirrorState(tx, chainId, manifest);
  if (state.prunedThrough !== null && through <= state.prunedThrough) return;
  await tx.delete(undoLog).where(lte(undoLog.blockNumber, through));
  // Fired at or below a final block: no rollback can re-arm them any more.
  await tx.delete(notificationSchedule).where(lte(notificationSchedule.firedBlock, through));
  // The checkpoint's header stays: the next range and the engine's reorg check continue from it.
  const keepFrom = state.checkpointBlock === null ? through : Math.min(through, state.checkpointBlock);
  await tx.delete(blocks).where(and(eq(blocks.chainId, chainId), lt(blocks.number, keepFrom)));
  await tx
    .update(mirrorState)
    .set({ prunedThrough: through, updatedAt: sql`now()` })
    .where(eq(mirrorState.chainId, chainId));
}

/** Runs async operations one at a time, in call order, whatever each one's outcome. */
function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(operation: () => Promise<T>): Promise<T> => {
    const result = tail.then(operation);
    tail = result.catch(() => undefined);
    return result;
  };
}

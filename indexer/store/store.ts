// The mirror as the sync engine sees it (the Store interface of ./types.ts): applies block ranges in
// one transaction each, rolls back reorged blocks, and keeps the checkpoint.
import { and, desc, eq, gt, lt, lte, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Address, Hex } from "viem";
import type { Manifest } from "../../contracts/manifest.ts";
import { createLogDecoder, type FirmLog } from "../decode/logs.ts";
import { handleEvent } from "../handlers/index.ts";
import { announceEvents } from "../notify/announceEvents.ts";
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
import { type ChangeAt, RowCodec } from "./entities.ts";
import { MirrorIdentityError, RollbackError, SchemaVersionError, StoreClosedError } from "./errors.ts";
import { isSchemaCurrent } from "./migrate.ts";
import { MirrorMemory } from "./mirror.ts";
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
}: CreateStoreParameters): Promise<Store> {
  if (chainId !== manifest.chainId) {
    throw new MirrorIdentityError(
      `the store was asked for chain ${chainId}, the manifest is for ${manifest.chainId}`,
    );
  }
  if (!(await isSchemaCurrent(db))) throw new SchemaVersionError();
  await assertMirrorsDeployment(db, chainId, manifest);

  const decoder = createLogDecoder(manifest);
  const serialize = createSerialQueue();
  // The entity rows as of `revision`; dropped whenever a write fails or the rows were rewritten in SQL.
  let cache: { mirror: MirrorMemory; revision: number } | undefined;
  let closed = false;

  async function mirrorAt(tx: Transaction, revision: number): Promise<MirrorMemory> {
    if (cache?.revision === revision) return cache.mirror;
    const mirror = await loadMirror(tx);
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
            const notice = await commitRange(tx, {
              range,
              events,
              headers,
              state,
              mirror,
              manifest,
              copy,
              notBefore,
            });
            return { notice, revision: state.revision + 1, mirror };
          });
          result.mirror.endRange();
          cache = { mirror: result.mirror, revision: result.revision };
          return { events: events.length, notice: result.notice };
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

/** Runs the handlers over the range's events, writes everything and moves the checkpoint. */
async function commitRange(tx: Transaction, commit: RangeCommit): Promise<CommitNotice> {
  const { range, events, headers, state, mirror, manifest, copy, notBefore } = commit;
  mirror.beginRange(state.prunedThrough);
  const context = {
    ...mirror.tables,
    manifest,
    linker: mirror.linker,
    tokenMetadata: range.tokens ?? NO_TOKENS,
  };
  for (const { event, at } of events) handleEvent(event, at, context);
  const subscribed = await readSubscribedKinds(tx);
  const announced = announceEvents(events, context, { chainId: state.chainId, notBefore, subscribed });
  const notice = commitNotice(mirror, state.chainId, range.toBlock.number);
  const remembered = rememberedHeaders(headers, range.toBlock, state.prunedThrough);
  await writeRange(tx, { mirror, chainId: state.chainId, events, headers: remembered, copy });
  // After the rows are written: the scheduler reads proposals, votes and members in SQL.
  await enqueueNotifications(tx, announced.notifications);
  await writeRows(tx, notificationSchedule, NOTIFICATION_SCHEDULE, announced.schedule, { copy });
  await fireDueNotifications(tx, { chainId: state.chainId, block: range.toBlock, notBefore, subscribed });
  const checkpoint = { blockNumber: Number(range.toBlock.number), blockHash: range.toBlock.hash };
  await saveCheckpoint(tx, state.chainId, checkpoint, state.revision + 1);
  return notice;
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

/** Reads every entity row into a fresh in-memory mirror. */
async function loadMirror(tx: Transaction): Promise<MirrorMemory> {
  const mirror = new MirrorMemory();
  for (const table of mirror.entityTables()) table.load(await tx.select().from(table.table));
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
    // The memory mirror holds every row of the database (it is reloaded whenever they may differ),
    // so a row it did not have is new: a plain insert, which fails loudly if that ever were wrong.
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

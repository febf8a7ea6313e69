// The real mirror for the integration tests: PGlite (in memory or in a folder) or a PostgreSQL
// database of the test server created for one test file and dropped after it, migrated, with the
// Store the sync engine writes through. Plus the checks every suite makes against the chain.
import { sql } from "drizzle-orm";
import type { Address, PublicClient } from "viem";
import { expect } from "vitest";
import type { Manifest } from "../../../contracts/manifest.ts";
import { type AuditMirrorReturnType, auditMirror } from "../../audit/audit.ts";
import { createDatabase, type Database, migrateDatabase } from "../../store/db.ts";
import { queryRows } from "../../store/sql.ts";
import { createStore } from "../../store/store.ts";
import type { Store } from "../../store/types.ts";
import { createScratchDatabase } from "../../testing/postgres.ts";
import { dumpMirror, resetDatabase } from "../../testing/testDatabase.ts";

export type Backend = "pglite" | "postgres";

export interface Mirror {
  db: Database;
  store: Store;
  /** Closes the store, then its database. */
  close(): Promise<void>;
}

/**
 * Opens the mirror of `manifest`: on PostgreSQL at `databaseUrl` when given, else PGlite in
 * `dataDir` (memory:// by default). Migrates the schema first, as the indexer does at start.
 */
export async function openMirror(
  manifest: Manifest,
  where: { databaseUrl?: string | undefined; dataDir?: string | undefined } = {},
): Promise<Mirror> {
  const db = await createDatabase({ databaseUrl: where.databaseUrl, dataDir: where.dataDir ?? "memory://" });
  await migrateDatabase(db);
  const store = await createStore({ db, chainId: manifest.chainId, manifest });
  return {
    db,
    store,
    async close() {
      await store.close();
      await db.close();
    },
  };
}

/**
 * Opens an empty mirror of `manifest` on `backend`: PGlite in memory, or a scratch database of the
 * test server that is dropped when the mirror closes.
 */
export async function openMirrorOn(backend: Backend, manifest: Manifest): Promise<Mirror> {
  if (backend === "pglite") return openMirror(manifest);
  const scratch = await createScratchDatabase();
  try {
    const mirror = await openMirror(manifest, { databaseUrl: scratch.url });
    return {
      ...mirror,
      async close() {
        await mirror.close();
        await scratch.drop();
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

/**
 * Empties a migrated database (schema kept) and opens a fresh mirror of `manifest` in it: far quicker
 * than a new PGlite instance, for tests that need many empty mirrors. Closing it leaves `db` open.
 */
export async function resetMirror(db: Database, manifest: Manifest): Promise<Mirror> {
  await resetDatabase(db);
  const store = await createStore({ db, chainId: manifest.chainId, manifest });
  return { db, store, close: () => store.close() };
}

/**
 * Every derived table's rows (see dumpMirror), comparable across drivers: node-postgres reads int8
 * columns as strings where PGlite reads numbers, and the server's collation may order text keys
 * differently, so scalars are compared as text and rows in a canonical order.
 */
export async function comparableDump(db: Database): Promise<Record<string, string[]>> {
  const dump = await dumpMirror(db);
  const scalar = (value: unknown) =>
    typeof value === "number" || typeof value === "bigint" ? String(value) : value;
  return Object.fromEntries(
    Object.entries(dump).map(([table, rows]) => [
      table,
      rows
        .map((row) =>
          JSON.stringify(
            Object.fromEntries(
              Object.entries(row as Record<string, unknown>).map(([k, v]) => [k, scalar(v)]),
            ),
          ),
        )
        .sort(),
    ]),
  );
}

/** A log's place on the chain, as raw_events keys it. */
export interface LogKey {
  blockNumber: number;
  logIndex: number;
  blockHash: string;
  txHash: string;
}

/** Every log of the firm's contracts from the manifest's start block to `toBlock`, in chain order. */
export async function chainLogKeys(
  publicClient: PublicClient,
  manifest: Manifest,
  toBlock: bigint,
): Promise<LogKey[]> {
  const logs = await publicClient.getLogs({
    address: Object.values(manifest.contracts) as Address[],
    fromBlock: BigInt(manifest.startBlock),
    toBlock,
  });
  return logs
    .map((log) => ({
      blockNumber: Number(log.blockNumber),
      logIndex: Number(log.logIndex),
      blockHash: (log.blockHash as string).toLowerCase(),
      txHash: (log.transactionHash as string).toLowerCase(),
    }))
    .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** Every row of raw_events, in chain order. */
export async function mirrorLogKeys(db: Database): Promise<LogKey[]> {
  const rows = await queryRows<{
    block_number: string;
    log_index: number;
    block_hash: string;
    tx_hash: string;
  }>(
    db,
    sql`SELECT block_number, log_index, block_hash, tx_hash FROM raw_events ORDER BY block_number, log_index`,
  );
  return rows.map((row) => ({
    blockNumber: Number(row.block_number),
    logIndex: Number(row.log_index),
    blockHash: row.block_hash,
    txHash: row.tx_hash,
  }));
}

/** The number of rows of `table` (a name from the schema, not user input). */
export async function countRows(db: Database, table: string): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(db, sql.raw(`SELECT count(*) AS n FROM "${table}"`));
  return Number(row?.n ?? 0);
}

/** The mirror's checkpoint block, straight from mirror_state (null when empty). */
export async function checkpointBlock(db: Database): Promise<number | null> {
  const [row] = await queryRows<{ checkpoint_block: string | number | null }>(
    db,
    sql`SELECT checkpoint_block FROM mirror_state`,
  );
  return row?.checkpoint_block === null || row?.checkpoint_block === undefined
    ? null
    : Number(row.checkpoint_block);
}

/**
 * The mirror equals the chain at its checkpoint: the audit finds no drift, and raw_events holds every
 * firm log up to the checkpoint exactly once (same blocks, positions, block hashes and transactions).
 */
export async function expectMirrorOfChain(
  db: Database,
  publicClient: PublicClient,
  manifest: Manifest,
): Promise<AuditMirrorReturnType> {
  const audit = await auditMirror({ db, publicClient, manifest });
  expect(audit.drifts, "the audit found drifts").toEqual([]);
  const chain = await chainLogKeys(publicClient, manifest, audit.blockNumber);
  const mirror = await mirrorLogKeys(db);
  expect(mirror.length, "raw_events rows vs eth_getLogs").toBe(chain.length);
  expect(mirror).toEqual(chain);
  return audit;
}

/** Polls `condition` every 25 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits until the store's checkpoint is the chain's latest block (number and hash). Fails at once when
 * `failed()` says the indexer stopped, since it will never get there.
 */
export async function waitForChainHead(
  publicClient: PublicClient,
  checkpoint: () => Promise<{ blockHash: string } | null>,
  failed: () => boolean = () => false,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    async () => {
      if (failed()) throw new Error("The indexer stopped with a fatal error");
      const [head, current] = await Promise.all([publicClient.getBlock(), checkpoint()]);
      return current?.blockHash.toLowerCase() === head.hash.toLowerCase();
    },
    "the mirror reached the chain's head",
    timeoutMs,
  );
}

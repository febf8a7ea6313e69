// One SQL dialect, PostgreSQL's, over two drivers: PGlite (Postgres compiled to WebAssembly, embedded,
// the default) and a real PostgreSQL server when a URL is given. Everything above this file sees the
// same drizzle API and the same SQL.
//
// PGlite is one connection in one process: an indexer and an API in the same process share one
// Database (their queries take turns); two processes need a PostgreSQL server. A second process that
// opens a PGlite folder is refused (./folderLock.ts).
import { mkdirSync, readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { lockDataFolder } from "./folderLock.ts";
import { baseTemplate, seedPgliteDataDir, type TemplateKind } from "./pgliteTemplate.ts";
import * as schema from "./schema.ts";
import type { Database } from "./sql.ts";

// The migration runner and the Database type live beside it (the type in ./sql.ts, which the
// runner and the template builder import without importing this file); re-exported so opening a
// mirror needs one import.
export { migrateDatabase } from "./migrate.ts";
export type { Database, Schema } from "./sql.ts";

export interface CreateDatabaseParameters {
  /** A PostgreSQL connection string; when set, the server is used and `dataDir` is ignored. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder, created if missing; `memory://` (the default) keeps nothing on disk. */
  dataDir?: string | undefined;
  /**
   * What a new PGlite folder starts as (./pgliteTemplate.ts): a bare cluster ("base", the default),
   * or one already migrated to this code's schema ("mirror", for openMirrorDatabase).
   */
  template?: TemplateKind | undefined;
  /** Connections to a PostgreSQL server (POOL_SIZE by default); PGlite is one connection regardless. */
  poolSize?: number | undefined;
}

/**
 * The connection pool size for a PostgreSQL server unless the caller sets one (the API: DB_POOL_SIZE).
 * The store writes through one transaction at a time; the rest serve concurrent reads (audit, API)
 * without queueing behind it.
 */
export const POOL_SIZE = 8;

/**
 * Opens the mirror's database: a PostgreSQL server when `databaseUrl` is set, PGlite otherwise.
 * Apply the schema with `migrateDatabase` (./migrate.ts) before using it.
 *
 * @example
 * const db = await createDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: "data/mirror" });
 * await migrateDatabase(db);
 * const rows = await db.select().from(members);
 * await db.close();
 */
export async function createDatabase({
  databaseUrl,
  dataDir,
  template = "base",
  poolSize = POOL_SIZE,
}: CreateDatabaseParameters = {}): Promise<Database> {
  if (databaseUrl) return openPostgres(databaseUrl, poolSize);
  return openPglite(dataDir ?? "memory://", template);
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // node-postgres emits an idle client's backend error (a server restart, a terminated session) on
  // the pool, and an unhandled "error" event kills the process. The pool has already discarded that
  // client and the next query connects afresh, so there is nothing else to do; a query in flight
  // still fails with the server's message where it was made.
  pool.on("error", () => {});
  // Fail here, with the server's own message, rather than at the first query.
  const client = await pool.connect();
  client.release();
  const db = drizzlePostgres({ client: pool, schema });
  return Object.assign(db, { driver: "postgres" as const, close: () => pool.end() });
}

async function openPglite(dataDir: string, template: TemplateKind): Promise<Database> {
  // One process per folder (./folderLock.ts): taken before the folder is seeded or opened, released
  // once PGlite has closed it.
  const folder = dataDir.startsWith("file://") ? dataDir.slice("file://".length) : dataDir;
  const lock = folder.includes("://") ? undefined : lockDataFolder(folder);
  let client: PGlite;
  try {
    client = await createPglite(dataDir, template);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzlePglite({ client, schema });
  const close = async () => {
    try {
      await client.close();
    } finally {
      lock?.release();
    }
  };
  return Object.assign(db, { driver: "pglite" as const, close });
}

/**
 * - PostgreSQL's shared buffers live in PGlite's WebAssembly memory, which never shrinks: at the
 *   default 128 MB a backfill leaves them all resident. 16 MB hold the pages a range touches; colder
 *   pages stay in the operating system's file cache, which costs the process no memory (measured on
 *   the 100k-event bench: peak RSS 610 → 460 MB, no slower).
 * - PostgreSQL fills each new 16 MB WAL segment with zeros before using it, so that the disk space is
 *   reserved. In PGlite those writes go through the process's own thread: on the 100k-event bench
 *   they were half of the 267 MB of WAL written, and 0.2 to 0.3 s of a backfill's CPU. Off, a
 *   segment is created by writing its last byte. A disk that fills up then stops PostgreSQL at a WAL
 *   write rather than at a segment's creation; either way the range in progress was not committed,
 *   and reopening the mirror recovers it to its last committed range.
 */
const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...["-c", "shared_buffers=16MB"],
  ...["-c", "wal_init_zero=off"],
];

/**
 * A new database starts from a template (./pgliteTemplate.ts) rather than from initdb in this
 * process; an existing one is reopened as it is.
 */
async function createPglite(dataDir: string, template: TemplateKind): Promise<PGlite> {
  const options = { startParams: PGLITE_START_PARAMS };
  if (dataDir === "memory://") {
    const base = await baseTemplate();
    const loadDataDir = base ? new Blob([readFileSync(base.tarball)]) : undefined;
    return PGlite.create({ dataDir, loadDataDir, ...options });
  }
  if (!dataDir.includes("://")) {
    await seedPgliteDataDir(dataDir, template);
    mkdirSync(dataDir, { recursive: true });
  }
  return PGlite.create(dataDir, options);
}

// Multi-row writes, a handful of statements per range whatever its size: PGlite pays per statement,
// not per row, so a round trip per row would cap a backfill at a few thousand events per second.
// - Plain inserts use COPY FROM in Postgres's text format: from a blob on PGlite, from a COPY stream
//   (pg-copy-streams) on a PostgreSQL server. On PGlite it took about half the CPU of any INSERT form
//   (10,000-row batches of raw events); on a server, 20,000 raw events took 109–142 ms to COPY
//   against 340–444 ms through jsonb_populate_recordset (psql, PostgreSQL 15, this machine).
// - Upserts send the rows as ONE jsonb parameter expanded by jsonb_populate_recordset (no
//   65,535-parameter limit, one statement per table).
// Rows are written as text straight from drizzle's row objects by their table's RowCodec.
import { pipeline } from "node:stream/promises";
import { getTableColumns, getTableName, sql, type Table } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { RowCodec } from "./entities.ts";
import { run, type SqlExecutor, type Transaction } from "./sql.ts";

/**
 * Rows per statement. A wide row (a history row) is about 600 bytes, so 20,000 rows keep one message
 * near 12 MB: a 10,000-log range is one statement per table, far from the drivers' message limits.
 */
const ROWS_PER_STATEMENT = 20_000;

/** COPY FROM into the open transaction: `statement` is `COPY "table" (columns)`, `bytes` its rows. */
export interface CopyClient {
  copyIn(statement: string, bytes: Uint8Array): Promise<void>;
}

/** PGlite's side of an open transaction: the one call its COPY needs (a blob stands for the file). */
export interface PgliteQueryClient {
  query(query: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

export interface WriteRowsOptions {
  /** Column names of the primary key: rows that exist are updated in place (an upsert). */
  upsertOn?: string[] | undefined;
  /** The transaction's COPY (copyClient): plain inserts then go through it. */
  copy?: CopyClient | undefined;
}

/**
 * Inserts `rows` (drizzle rows of `table`, written by `codec`) into `table`.
 *
 * @example
 * await writeRows(tx, members, new RowCodec(members), [{ address: "0xab…", role: "Partner", … }], {
 *   upsertOn: ["address"],
 * });
 */
export async function writeRows(
  executor: SqlExecutor,
  table: PgTable,
  codec: RowCodec,
  rows: readonly object[],
  { upsertOn, copy }: WriteRowsOptions = {},
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const end = Math.min(rows.length, start + ROWS_PER_STATEMENT);
    if (copy && !upsertOn) await copyRows(copy, codec, rows, start, end);
    else await insertJson(executor, table, codec, rows, start, end, upsertOn);
  }
}

async function insertJson(
  executor: SqlExecutor,
  table: PgTable,
  codec: RowCodec,
  rows: readonly object[],
  start: number,
  end: number,
  upsertOn?: string[],
) {
  let json = "[";
  for (let i = start; i < end; i++) json += `${i > start ? "," : ""}${codec.jsonObject(rows[i] as object)}`;
  json += "]";
  const conflict = upsertOn ? upsertClause(table, upsertOn) : sql``;
  await run(
    executor,
    sql`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${json}::jsonb)${conflict}`,
  );
}

async function copyRows(
  client: CopyClient,
  codec: RowCodec,
  rows: readonly object[],
  start: number,
  end: number,
): Promise<void> {
  const text = new ByteWriter((end - start) * ESTIMATED_LINE_BYTES);
  for (let i = start; i < end; i++) text.write(codec.copyLine(rows[i] as object));
  await client.copyIn(`COPY "${codec.tableName}" (${quote(codec.columns)})`, text.bytes());
}

/** COPY through PGlite's transaction: it reads the rows from a blob standing for a file. */
export function pgliteCopy(client: PgliteQueryClient): CopyClient {
  return {
    async copyIn(statement, bytes) {
      await client.query(`${statement} FROM '/dev/blob'`, [], { blob: blobOf(bytes) });
    },
  };
}

/**
 * COPY through a PostgreSQL connection (the transaction's): the rows go as one COPY stream. A server
 * error (a bad row, a duplicate key) fails the stream, and with it the write and the transaction.
 */
export function postgresCopy(client: pg.ClientBase): CopyClient {
  return {
    async copyIn(statement, bytes) {
      const stream = client.query(copyFrom(`${statement} FROM STDIN`));
      await pipeline(oneChunk(bytes), stream);
    },
  };
}

/** A readable of exactly `bytes`, for pipeline (which also waits for the server's COPY result). */
function oneChunk(bytes: Uint8Array) {
  return (async function* () {
    yield bytes;
  })();
}

/**
 * PGlite reads a query's blob with one `arrayBuffer()` call (PGlite 0.5, pinned). A real Blob would
 * copy the bytes in, then hand them out through a stream whose chunks are concatenated again:
 * a third of the formatting cost on a 50 MB backfill. This hands out one exact copy instead.
 */
function blobOf(bytes: Uint8Array): Blob {
  const exact = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { size: exact.byteLength, arrayBuffer: () => Promise.resolve(exact) } as unknown as Blob;
}

/** A raw event's line is about 500 bytes; most other tables' are shorter. */
const ESTIMATED_LINE_BYTES = 256;

/**
 * UTF-8 text written line by line into one growing buffer. Concatenating the lines into one string
 * would build a rope of thousands of pieces that must be flattened and then encoded again, which
 * measured at half the cost of formatting the rows.
 */
class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(capacity, 4_096));
  }

  write(text: string): void {
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    const needed = this.length + 3 * text.length;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.buffer.length));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

function upsertClause(table: PgTable, keys: string[]) {
  const columns = Object.values(getTableColumns(table as Table)).map((c) => c.name);
  const updates = columns.filter((c) => !keys.includes(c)).map((c) => `"${c}" = EXCLUDED."${c}"`);
  if (updates.length === 0) return sql.raw(` ON CONFLICT (${quote(keys)}) DO NOTHING`);
  return sql.raw(` ON CONFLICT (${quote(keys)}) DO UPDATE SET ${updates.join(", ")}`);
}

function quote(columns: string[]): string {
  return columns.map((c) => `"${c}"`).join(", ");
}

/**
 * The COPY of a drizzle transaction, over the connection drizzle keeps as `session.client` (a PGlite
 * transaction, or node-postgres' pooled client; drizzle-orm 0.45, pinned). If that ever moves, this
 * returns undefined and inserts fall back to jsonb_populate_recordset: slower, the same rows.
 */
export function copyClient(tx: Transaction, driver: "pglite" | "postgres"): CopyClient | undefined {
  const client = (tx as unknown as { session?: { client?: { query?: unknown } } }).session?.client;
  if (typeof client?.query !== "function") return undefined;
  return driver === "pglite"
    ? pgliteCopy(client as PgliteQueryClient)
    : postgresCopy(client as unknown as pg.ClientBase);
}

/** The SQL name of a drizzle table, for messages and the undo journal. */
export function tableName(table: PgTable): string {
  return getTableName(table as Table);
}

/** The primary key's column names: a composite key's, or the one column marked primary. */
export function primaryKeyColumns(table: PgTable): string[] {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0];
  if (composite) return composite.columns.map((c) => c.name);
  return config.columns.filter((c) => c.primary).map((c) => c.name);
}

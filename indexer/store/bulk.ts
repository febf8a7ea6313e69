// Multi-row writes, a handful of statements per range whatever its size: PGlite pays per statement,
// not per row, so a round trip per row would cap a backfill at a few thousand events per second.
// - Plain inserts into PGlite use COPY FROM a blob in Postgres's text format: about half the CPU of
//   any INSERT form, measured on 10,000-row batches of raw events.
// - Upserts, and everything on a PostgreSQL server, send the rows as ONE jsonb parameter expanded by
//   jsonb_populate_recordset (no 65,535-parameter limit, one statement per table).
import { getTableColumns, getTableName, sql, type Table } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { run, type SqlExecutor, type Transaction } from "./sql.ts";

/**
 * Rows per statement. A wide row (a history row) is about 600 bytes, so 20,000 rows keep one message
 * near 12 MB: a 10,000-log range is one statement per table, far from the drivers' message limits.
 */
const ROWS_PER_STATEMENT = 20_000;

/** PGlite's side of an open transaction: the one call COPY needs (a blob stands for the file). */
export interface PgliteCopyClient {
  query(query: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

export interface InsertRowsOptions {
  /** Column names of the primary key: rows that exist are updated in place (an upsert). */
  upsertOn?: string[] | undefined;
  /** The PGlite transaction, when the database is PGlite: plain inserts then go through COPY. */
  copy?: PgliteCopyClient | undefined;
}

/**
 * Inserts `rows` (JSON-safe objects keyed by SQL column name, every column present) into `table`.
 *
 * @example
 * await insertRows(tx, members, [{ address: "0xab…", role: "Partner", … }], { upsertOn: ["address"] });
 */
export async function insertRows(
  executor: SqlExecutor,
  table: PgTable,
  rows: readonly object[],
  { upsertOn, copy }: InsertRowsOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    if (copy && !upsertOn) await copyRows(copy, table, chunk);
    else await insertJson(executor, table, chunk, upsertOn);
  }
}

async function insertJson(
  executor: SqlExecutor,
  table: PgTable,
  rows: readonly object[],
  upsertOn?: string[],
) {
  const json = JSON.stringify(rows);
  const conflict = upsertOn ? upsertClause(table, upsertOn) : sql``;
  await run(
    executor,
    sql`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${json}::jsonb)${conflict}`,
  );
}

async function copyRows(client: PgliteCopyClient, table: PgTable, rows: readonly object[]): Promise<void> {
  const columns = Object.values(getTableColumns(table as Table)).map((c) => c.name);
  let text = "";
  for (const row of rows) {
    const values = row as Record<string, unknown>;
    text += `${columns.map((column) => copyField(values[column])).join("\t")}\n`;
  }
  await client.query(`COPY "${tableName(table)}" (${quote(columns)}) FROM '/dev/blob'`, [], {
    blob: new Blob([text]),
  });
}

/** One field in COPY's text format: \N for null, and backslash escapes for the four special bytes. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, escapeCopyCharacter) : text;
}

function escapeCopyCharacter(character: string): string {
  if (character === "\t") return "\\t";
  if (character === "\n") return "\\n";
  if (character === "\r") return "\\r";
  return "\\\\";
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
 * The PGlite transaction under a drizzle transaction, for COPY. drizzle keeps it as `session.client`
 * (drizzle-orm 0.45, pinned); if that ever moves, this returns undefined and inserts fall back to
 * jsonb_populate_recordset, slower but the same rows.
 */
export function pgliteCopyClient(tx: Transaction): PgliteCopyClient | undefined {
  const client = (tx as unknown as { session?: { client?: Partial<PgliteCopyClient> } }).session?.client;
  return typeof client?.query === "function" ? (client as PgliteCopyClient) : undefined;
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

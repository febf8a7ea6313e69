// A hot query's rows in one round trip. Resolved field by field, `member { practices { practice } grants
// equity status }` asks its loaders for six small statements in three waves (the member, then its seats,
// grants, account and the mirror's checkpoint, then the seats' practices); under load each wave waits
// for a pooled connection and a core. A root field that knows what its selection will ask instead
// selects every part at once, each part's rows aggregated into one jsonb value, and primes the loaders
// the field resolvers call (DataLoader.prime): they then find every row in the request's cache and run
// no statement. Each part is the loader's own statement (prepareByKeys' `select`), so a primed row is
// the row the loader would have read; a field outside what was prefetched just misses the cache and
// its loader reads it as before.
//
// The statement is prepared (queryPreparedRows): with its several subqueries, PostgreSQL took about as
// long to plan it as to run it (about 1 ms each on a warm connection, EXPLAIN ANALYZE at 10,000
// members), at every request.
//
// JSON rather than one row per joined combination: the parts have different tables and cardinalities
// (one member, a few seats, many grants), which a join would multiply. numeric(78,0) columns travel
// as text (JSON numbers would lose uint256 digits) and map back through each column's own driver
// mapping (rowFrom), so the rows are those drizzle returns.
import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { queryPreparedRows } from "../../../indexer/store/sql.ts";
import type { ApiContext, MirrorReading } from "../../context.ts";
import { rowFrom } from "../../domain/rows.ts";
import type { KeyedStatement } from "./prepareByKeys.ts";

/** Something a loader would read: a select of `table`'s columns, and what to prime with its rows. */
export interface PrefetchPart {
  table: PgTable;
  select: SQL;
  /** The select's order over `table`'s columns: the aggregate keeps it. */
  orderBy: readonly SQL[];
  /** Called with the rows (typed as the table's), in order, after the parts listed before it. */
  prime(rows: never[]): void;
}

/** A loader this prefetch primes: DataLoader's prime, for its key and value types. */
interface Primeable<Value> {
  prime(key: string, value: Value): unknown;
}

/**
 * Runs `parts` (built with the request's mirror reading, for a part that compares with "now") in one
 * statement, which also reads the mirror's checkpoint when the request has not yet, then primes.
 *
 * @example
 * await prefetch(ctx, () => [rowPart(ctx.statements.membersByAddress, ctx.loaders.memberByAddress, [address])]);
 */
export async function prefetch(ctx: ApiContext, parts: (reading: MirrorReading) => PrefetchPart[]) {
  let built: PrefetchPart[] = [];
  const row = await ctx.withMirrorReading(async (reading) => {
    built = parts(reading);
    const columns = built.map((part, i) => sql`${rowsJson(part)} AS ${sql.identifier(`part${i}`)}`);
    const [answer] = await queryPreparedRows<{ mirror: unknown } & Record<string, unknown>>(
      ctx.db,
      sql`SELECT ${reading.mirror} AS mirror, ${sql.join(columns, sql`, `)}`,
    );
    return answer as { mirror: unknown } & Record<string, unknown>;
  });
  built.forEach((part, i) => {
    const rows = (row[`part${i}`] as Record<string, unknown>[]).map((raw) => rowFrom(part.table, raw));
    part.prime(rows as never[]);
  });
}

/** Each key's row of a row loader's statement; a key with none is primed null, as the loader answers. */
export function rowPart<Row>(
  statement: KeyedStatement<Row>,
  loader: Primeable<NoInfer<Row> | null>,
  keys: string[],
  also?: (rows: Row[]) => void,
): PrefetchPart {
  return keyedPart(statement, keys, (rows) => {
    const found = new Map(rows.map((row) => [statement.keyOf(row), row]));
    for (const key of keys) loader.prime(key, found.get(key) ?? null);
    also?.(rows);
  });
}

/** Every row of each key of a rows loader's statement, in its order ([] for a key with none). */
export function rowsPart<Row>(
  statement: KeyedStatement<Row>,
  loader: Primeable<NoInfer<Row>[]>,
  keys: string[],
  also?: (rows: Row[]) => void,
): PrefetchPart {
  return keyedPart(statement, keys, (rows) => {
    for (const key of keys)
      loader.prime(
        key,
        rows.filter((row) => statement.keyOf(row) === key),
      );
    also?.(rows);
  });
}

/**
 * The rows of a row loader's statement for keys another part of the same statement finds (`keys`, an
 * SQL array expression over that part's select). Listed after that part, so that by its turn to prime
 * `keysOf` can name the keys found: each is primed with its row, or null.
 */
export function rowPartFor<Row>(
  statement: KeyedStatement<Row>,
  loader: Primeable<NoInfer<Row> | null>,
  keys: SQL,
  keysOf: () => readonly string[],
  also?: (rows: Row[]) => void,
): PrefetchPart {
  return keyedPart(statement, keys, (rows) => {
    const found = new Map(rows.map((row) => [statement.keyOf(row), row]));
    for (const key of keysOf()) loader.prime(key, found.get(key) ?? null);
    also?.(rows);
  });
}

function keyedPart<Row>(
  statement: KeyedStatement<Row>,
  keys: string[] | SQL,
  prime: (rows: Row[]) => void,
): PrefetchPart {
  return {
    table: statement.source,
    select: statement.select(keys),
    orderBy: statement.orderBy,
    prime: prime as (rows: never[]) => void,
  };
}

/**
 * The part's rows as one jsonb array, in its order. The select is aliased as its table, so the order's
 * column references ("table"."column") name the select's columns.
 */
function rowsJson({ table, select, orderBy }: PrefetchPart): SQL {
  const alias = sql`${sql.identifier(getTableName(table))}`;
  const order = orderBy.length > 0 ? sql` ORDER BY ${sql.join([...orderBy], sql`, `)}` : sql``;
  return sql`(SELECT coalesce(jsonb_agg(${jsonRow(table, alias)}${order}), '[]'::jsonb) FROM (${select}) AS ${alias})`;
}

/** A row of `table` as jsonb, its numeric columns as text (exact past 2^53). */
function jsonRow(table: PgTable, alias: SQL): SQL {
  const numerics = Object.values(getTableColumns(table)).filter((column) =>
    column.getSQLType().startsWith("numeric"),
  );
  if (numerics.length === 0) return sql`to_jsonb(${alias})`;
  const asText = numerics.map(
    (column) => sql`${sql.raw(`'${column.name}'`)}, ${alias}.${sql.identifier(column.name)}::text`,
  );
  return sql`(to_jsonb(${alias}) || jsonb_build_object(${sql.join(asText, sql`, `)}))`;
}

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
import { getTableColumns, getTableName, is, Placeholder, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type BuiltQuery, buildQuery, queryPreparedRows } from "../../../indexer/store/sql.ts";
import type { ApiContext, MirrorReading } from "../../context.ts";
import { rowFrom } from "../../domain/rows.ts";
import type { KeyedStatement } from "./prepareByKeys.ts";

/** Something a loader would read: a select of `table`'s columns, and what to prime with its rows. */
export interface PrefetchPart {
  table: PgTable;
  /** Built when the statement is: at each request, or once for a prefetch with a shape. */
  select(): SQL;
  /** The select's order over `table`'s columns: the aggregate keeps it. */
  orderBy: readonly SQL[];
  /** Called with the rows (typed as the table's), in order, after the parts listed before it. */
  prime(rows: never[]): void;
}

/**
 * Names a value the statement reads, and gives the placeholder standing for it (sql.placeholder): the
 * value is bound when the statement runs. A prefetch with a shape must bind every value it reads.
 */
export type Bind = (name: string, value: unknown) => Placeholder;

/** A value a statement reads, or the placeholder bound to it (Bind). */
export type Bound<T> = T | Placeholder;

/** `T` (a page, a filter, a cursor) with each of its values Bound: the same names, read by one builder. */
export type Bindable<T> = T extends readonly unknown[]
  ? { [K in keyof T]: Bound<T[K]> }
  : T extends object
    ? { [K in keyof T]: Bindable<T[K]> }
    : Bound<T>;

/** Keys a keyed part reads: their values (what the loader is primed for) and the SQL naming them. */
export interface PartKeys {
  values: readonly string[];
  sql: SQL | Placeholder;
}

/** A loader this prefetch primes: DataLoader's prime, for its key and value types. */
interface Primeable<Value> {
  prime(key: string, value: Value): unknown;
}

/** Each shape's statement, built once (a shape's SQL is the same at every request, with its values bound). */
const builtShapes = new Map<string, { built: BuiltQuery; readsNow: boolean; names: string[] }>();
/** Under the tests, every prefetch with a shape also builds its statement, to check the shape holds. */
const CHECK_SHAPES = Boolean(process.env.VITEST);

/**
 * Runs `parts` (built with the request's mirror reading, for a part that compares with "now") in one
 * statement, which also reads the mirror's checkpoint when the request has not yet, then primes.
 *
 * With a `shape`, the statement is built once per shape and reading and run with each request's
 * values: drizzle's walk of a statement of several subqueries was the largest cost of a request left
 * to the API (a fifth of its CPU, profiled at 2,000 members). The shape must name everything the SQL
 * depends on apart from the values it binds (the selection, which filters are given); the statement
 * is refused when it holds a value not bound, and under the tests each request's statement is also
 * built and compared with its shape's.
 *
 * @example
 * await prefetch(ctx, (_, bind) => [rowPart(ctx.statements.membersByAddress, ctx.loaders.memberByAddress, keysOf(bind, [address]))], { shape: "member" });
 */
export async function prefetch(
  ctx: ApiContext,
  parts: (reading: MirrorReading, bind: Bind) => PrefetchPart[],
  {
    shape,
    checkShape = CHECK_SHAPES,
  }: {
    shape?: string;
    /** Build the statement of a known shape again and compare (on under the tests, off in production). */
    checkShape?: boolean;
  } = {},
) {
  let built: PrefetchPart[] = [];
  const row = await ctx.withMirrorReading(async (reading) => {
    const values: Record<string, unknown> = { ...reading.values };
    const bind: Bind = (name, value) => {
      if (name in values) throw new Error(`A prefetch binds "${name}" twice: give each value its own name.`);
      values[name] = value;
      return sql.placeholder(name);
    };
    let readsNow = false;
    // The request's reading, noting whether the parts read "now" (a shape reused later must say so).
    const tracked: MirrorReading = Object.create(reading, {
      now: {
        get: () => {
          readsNow = true;
          return reading.now;
        },
      },
    });
    built = parts(tracked, bind);
    const build = () => buildQuery(statementOf(built, tracked));
    let statement: BuiltQuery;
    if (shape === undefined) statement = build();
    else {
      const key = `${shape}|${reading.kind}`;
      const known = builtShapes.get(key);
      if (known) {
        statement = known.built;
        // A value bound only while a select is built would be missing whenever the statement is reused.
        const unbound = known.names.filter((name) => !(name in values));
        if (unbound.length > 0)
          throw new Error(
            `The prefetch shape "${key}" binds ${unbound.join(", ")} only while building its SQL: bind each in the parts builder, outside the selects.`,
          );
        if (checkShape) sameStatement(key, known.built, build());
        // The parts' selects were not built: say what building them would have said.
        if (known.readsNow) void reading.now;
      } else {
        statement = build();
        const loose = statement.params.filter((param) => !is(param, Placeholder));
        if (loose.length > 0)
          throw new Error(
            // Counted, not shown: a value may be a client's input, and this message is logged.
            `The prefetch shape "${key}" reads ${loose.length} value(s) not bound: bind each (prefetch's bind), so that one statement serves every request.`,
          );
        builtShapes.set(key, { built: statement, readsNow, names: placeholderNames(statement) });
      }
    }
    const [answer] = await queryPreparedRows<{ mirror: unknown } & Record<string, unknown>>(
      ctx.db,
      statement,
      values,
    );
    return answer as { mirror: unknown } & Record<string, unknown>;
  });
  built.forEach((part, i) => {
    const rows = (row[`part${i}`] as Record<string, unknown>[]).map((raw) => rowFrom(part.table, raw));
    part.prime(rows as never[]);
  });
}

/** The keys `values`, bound as `name` (one array parameter). */
export function keysOf(bind: Bind, values: readonly string[], name = "keys"): PartKeys {
  return { values, sql: bind(name, values) };
}

function statementOf(parts: PrefetchPart[], reading: MirrorReading): SQL {
  const columns = parts.map((part, i) => sql`${rowsJson(part)} AS ${sql.identifier(`part${i}`)}`);
  return sql`SELECT ${reading.mirror} AS mirror, ${sql.join(columns, sql`, `)}`;
}

/** The names of a statement's placeholders, in order (a value that is not one, as JSON). */
function placeholderNames(query: BuiltQuery): string[] {
  return query.params.map((param) => (is(param, Placeholder) ? param.name : JSON.stringify(param)));
}

/** Throws unless a request's statement is its shape's: same text, same placeholders. */
function sameStatement(key: string, known: BuiltQuery, again: BuiltQuery) {
  if (again.sql !== known.sql || placeholderNames(again).join() !== placeholderNames(known).join())
    throw new Error(
      `The prefetch shape "${key}" built another statement than before: its shape misses something the SQL depends on.`,
    );
}

/** Each key's row of a row loader's statement; a key with none is primed null, as the loader answers. */
export function rowPart<Row>(
  statement: KeyedStatement<Row>,
  loader: Primeable<NoInfer<Row> | null>,
  keys: PartKeys,
  also?: (rows: Row[]) => void,
): PrefetchPart {
  return keyedPart(
    statement,
    () => keys.sql,
    (rows) => {
      const found = new Map(rows.map((row) => [statement.keyOf(row), row]));
      for (const key of keys.values) loader.prime(key, found.get(key) ?? null);
      also?.(rows);
    },
  );
}

/** Every row of each key of a rows loader's statement, in its order ([] for a key with none). */
export function rowsPart<Row>(
  statement: KeyedStatement<Row>,
  loader: Primeable<NoInfer<Row>[]>,
  keys: PartKeys,
  also?: (rows: Row[]) => void,
): PrefetchPart {
  return keyedPart(
    statement,
    () => keys.sql,
    (rows) => {
      for (const key of keys.values)
        loader.prime(
          key,
          rows.filter((row) => statement.keyOf(row) === key),
        );
      also?.(rows);
    },
  );
}

/**
 * The rows of a row loader's statement for keys another part of the same statement finds (`keys`
 * builds an SQL array expression over that part's select). Listed after that part, so that by its turn to prime
 * `keysOf` can name the keys found: each is primed with its row, or null.
 */
export function rowPartFor<Row>(
  statement: KeyedStatement<Row>,
  loader: Primeable<NoInfer<Row> | null>,
  keys: () => SQL,
  keysOf: () => readonly string[],
  also?: (rows: Row[]) => void,
): PrefetchPart {
  return keyedPart(statement, keys, (rows) => {
    const found = new Map(rows.map((row) => [statement.keyOf(row), row]));
    for (const key of keysOf()) loader.prime(key, found.get(key) ?? null);
    also?.(rows);
  });
}

/** A part reading `statement`'s rows for the keys `keys` builds (only when the statement is built). */
function keyedPart<Row>(
  statement: KeyedStatement<Row>,
  keys: () => SQL | Placeholder,
  prime: (rows: Row[]) => void,
): PrefetchPart {
  return {
    table: statement.source,
    select: () => statement.select(keys()),
    orderBy: statement.orderBy,
    prime: prime as (rows: never[]) => void,
  };
}

/**
 * The part's rows as one json array, in its order. The select is aliased as its table, so the order's
 * column references ("table"."column") name the select's columns. json rather than jsonb: the array is
 * only sent, never queried, and building jsonb (to_jsonb of each row, merged with the text numerics)
 * cost PostgreSQL more than twice as long (3.6 against 1.6 ms for a page of 51 members, psql \timing
 * over 30 runs each).
 */
function rowsJson({ table, select, orderBy }: PrefetchPart): SQL {
  const alias = sql`${sql.identifier(getTableName(table))}`;
  const order = orderBy.length > 0 ? sql` ORDER BY ${sql.join([...orderBy], sql`, `)}` : sql``;
  return sql`(SELECT coalesce(json_agg(${jsonRow(table, alias)}${order}), '[]'::json) FROM (${select()}) AS ${alias})`;
}

/** PostgreSQL functions take at most 100 arguments: json_build_object, 50 columns. */
const MAX_JSON_COLUMNS = 50;

/** A row of `table` as a json object keyed by column name, its numeric columns as text (exact past 2^53). */
function jsonRow(table: PgTable, alias: SQL): SQL {
  const columns = Object.values(getTableColumns(table));
  if (columns.length > MAX_JSON_COLUMNS)
    throw new Error(
      `${getTableName(table)} has ${columns.length} columns: a prefetch part can read ${MAX_JSON_COLUMNS} at most (json_build_object's limit). Read it with its loader instead.`,
    );
  const fields = columns.map((column) => {
    const value = sql`${alias}.${sql.identifier(column.name)}`;
    const asSent = column.getSQLType().startsWith("numeric") ? sql`${value}::text` : value;
    return sql`${sql.raw(`'${column.name}'`)}, ${asSent}`;
  });
  return sql`json_build_object(${sql.join(fields, sql`, `)})`;
}

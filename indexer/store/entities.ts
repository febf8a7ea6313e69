// The in-memory side of a range: handlers read and write rows here, synchronously, and the store
// writes what changed in a few multi-row statements at the end. Entity rows stay in memory between
// ranges, up to a budget per table (ENTITY_ROWS_IN_MEMORY), so most ranges cost no read round trip;
// past the budget the store reads back what a range needs (RowMisses) and reloads everything
// whenever the database may have changed under it.
//
// Every write to a journaled entity records, once per (row, block), the row as it was before that
// block: the undo journal that `rollbackTo` replays (tables with full history rows need none). Rows
// are never mutated in place, so keeping a reference to the previous object is keeping its image.
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** Where a change happened; every history and append-only row carries it. */
export interface ChangeAt {
  blockNumber: number;
  logIndex: number;
  blockTimestamp: number;
  txHash: string;
}

/** One undo record: `previous` is null when the block created the row. */
export interface UndoEntry {
  blockNumber: number;
  seq: number;
  tableName: string;
  rowKey: string;
  previous: object | null;
  codec: RowCodec;
}

type AnyRow = Record<string, unknown>;

/** Text that is already JSON, embedded as it is by {@link jsonText} (an undo image inside its row). */
export class RawJson {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

/**
 * Writes drizzle rows (camelCase keys, bigint values) in the two forms the database reads: a line of
 * COPY's text format, or a JSON object keyed by column name (snake_case) for jsonb_populate_recordset.
 * Both are built as text straight from the row, with no intermediate object per row: a backfill
 * writes a few rows per event, so these are among its hottest loops.
 */
export class RowCodec {
  readonly tableName: string;
  /** SQL column names, in the table's order. */
  readonly columns: string[];
  private readonly fields: { key: string; json: boolean; jsonKey: string }[];

  constructor(table: PgTable) {
    this.tableName = getTableName(table as Table);
    this.fields = Object.entries(getTableColumns(table as Table)).map(([key, column]) => ({
      key,
      json: column.getSQLType() === "jsonb" || column.getSQLType() === "json",
      jsonKey: JSON.stringify(column.name),
    }));
    this.columns = Object.values(getTableColumns(table as Table)).map((column) => column.name);
  }

  /** The row as one line of COPY's text format (tab-separated, \N for null, newline-terminated). */
  copyLine(row: object): string {
    const source = row as AnyRow;
    let line = "";
    for (let i = 0; i < this.fields.length; i++) {
      const field = this.fields[i] as (typeof this.fields)[number];
      const value = source[field.key];
      if (i > 0) line += "\t";
      if (value === null || value === undefined) line += "\\N";
      else if (field.json) line += copyEscape(jsonText(value));
      else if (typeof value === "string") line += copyEscape(value);
      // Numbers, bigints and booleans print without any character COPY reserves.
      else if (typeof value !== "object") line += String(value);
      else if (Array.isArray(value)) line += copyEscape(arrayLiteral(value));
      else line += copyEscape(JSON.stringify(value));
    }
    return `${line}\n`;
  }

  /** The row as a JSON object keyed by column name; bigints become decimal strings. */
  jsonObject(row: object): string {
    const source = row as AnyRow;
    let out = "{";
    for (let i = 0; i < this.fields.length; i++) {
      const field = this.fields[i] as (typeof this.fields)[number];
      const value = source[field.key];
      if (i > 0) out += ",";
      out += `${field.jsonKey}:${jsonText(value)}`;
    }
    return `${out}}`;
  }
}

/** Characters a JSON string must escape (quote, backslash, controls) or cannot hold raw (lone surrogates). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes.
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `value` as JSON text: as JSON.stringify would write it, with bigints as decimal strings and
 * undefined as null. Hex and plain text, most of what the mirror stores, is written as it is.
 */
export function jsonText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return NEEDS_JSON_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case "bigint":
      return `"${value}"`;
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "object": {
      if (value === null) return "null";
      if (value instanceof RawJson) return value.text;
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += `${i > 0 ? "," : ""}${jsonText(value[i])}`;
        return `${out}]`;
      }
      if (value instanceof Date) return JSON.stringify(value);
      let out = "{";
      let first = true;
      for (const key in value) {
        out += `${first ? "" : ","}${quotedKey(key)}:${jsonText((value as AnyRow)[key])}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return "null";
  }
}

/** Object keys repeat (the same event arguments, row after row): each is quoted once. */
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    // Keys come from ABIs and schemas; a bound keeps arbitrary JSON objects from growing the map.
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * A Postgres array literal of text elements (a profile's skills): each element double-quoted, with
 * its quotes and backslashes escaped, so any text round-trips (COPY then escapes the backslashes).
 */
function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** COPY's text format reserves backslash, tab, newline and carriage return: each is escaped. */
function copyEscape(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, escapeCopyCharacter) : text;
}

function escapeCopyCharacter(character: string): string {
  if (character === "\t") return "\\t";
  if (character === "\n") return "\\n";
  if (character === "\r") return "\\r";
  return "\\\\";
}

/**
 * Collects undo records for one range, numbering them so a rollback replays them in order. Blocks at
 * or below `finalThrough` are final (the sync engine said so through pruneBelow): no rollback can
 * reach them, so they get no undo records, which is most of a backfill's.
 */
export class UndoJournal {
  readonly entries: UndoEntry[] = [];
  private readonly finalThrough: number;

  constructor(finalThrough: number | null = null) {
    this.finalThrough = finalThrough ?? Number.NEGATIVE_INFINITY;
  }

  record(blockNumber: number, codec: RowCodec, rowKey: string, previous: object | null): void {
    if (blockNumber <= this.finalThrough) return;
    this.entries.push({
      blockNumber,
      seq: this.entries.length,
      tableName: codec.tableName,
      rowKey,
      previous,
      codec,
    });
  }

  /** Rows of `undo_log` (drizzle's shape), each previous image as JSON keyed by column name. */
  rows(): {
    blockNumber: number;
    seq: number;
    tableName: string;
    rowKey: string;
    previous: RawJson | null;
  }[] {
    return this.entries.map((e) => ({
      blockNumber: e.blockNumber,
      seq: e.seq,
      tableName: e.tableName,
      rowKey: e.rowKey,
      previous: e.previous === null ? null : new RawJson(e.codec.jsonObject(e.previous)),
    }));
  }
}

export interface EntityTableOptions<Row> {
  table: PgTable;
  /** TypeScript keys of the primary key, in order: the row key is their values joined by ':'. */
  keyFields: readonly (keyof Row & string)[];
  /** Where to write a copy of the row after each change, if the API needs it "as of" a block. */
  history?: PgTable;
  /**
   * How a rollback restores the table: "journal" from undo records written here; "history" from the
   * table's own history rows (or, for accounts, the equity deltas), which already hold every image, so
   * writing undo records too would only double the cost.
   */
  undo: "journal" | "history";
  /** Handlers visit every row ({@link EntityTable.values}), so all of them stay in memory whatever the
   * row budget: only for tables that grow with the firm's rules, not with its members or history. */
  iterated?: boolean;
}

/** How many rows of each entity table stay in memory between ranges, and where misses are noted. */
export interface EntityMemory {
  /** Rows kept per table (tables declared `iterated` keep all of theirs). */
  rowsPerTable: number;
  misses: RowMisses;
}

/**
 * Thrown, during a strict pass, by a read of a row that memory does not hold and the database may:
 * the store loads it and runs the range again. It never leaves the store.
 */
export class RowNotInMemory extends Error {
  readonly table: EntityTable<object>;
  readonly key: string;

  constructor(table: EntityTable<object>, key: string) {
    super(`${table.codec.tableName} ${key} is not in memory`);
    this.table = table;
    this.key = key;
  }
}

/**
 * The rows a pass over a range wanted and memory did not hold. A strict pass stops at the first
 * (RowNotInMemory); a discovery pass notes each and answers "no such row", so that it runs to the end
 * of the range and the store can load every missing row at once instead of one per retry.
 */
export class RowMisses {
  discovering = false;
  /** The event being handled, set by the store: each miss is noted with it, to learn from. */
  event: unknown;
  readonly withEvents: { event: unknown; table: EntityTable<object>; key: string }[] = [];

  miss(table: EntityTable<object>, key: string): undefined {
    this.withEvents.push({ event: this.event, table, key });
    if (!this.discovering) throw new RowNotInMemory(table, key);
    return undefined;
  }

  /** The missed keys, each once, by table. */
  get byTable(): Map<EntityTable<object>, Set<string>> {
    const byTable = new Map<EntityTable<object>, Set<string>>();
    for (const { table, key } of this.withEvents) {
      const keys = byTable.get(table) ?? new Set<string>();
      byTable.set(table, keys);
      keys.add(key);
    }
    return byTable;
  }

  clear(): void {
    this.withEvents.length = 0;
    this.discovering = false;
    this.event = undefined;
  }
}

/**
 * One entity table in memory: reads are map lookups; writes go to the range's own layer, are marked
 * for the upsert at the end of the range, journal their previous image and (optionally) append a
 * history row. The rows of earlier ranges are a bounded cache of the database: at most
 * `rowsPerTable`, the least recently written dropped first, with keys known to be absent remembered
 * too. A table that has never dropped a row holds all of them, so a key it lacks is absent; once it
 * has, a lacking key is a miss (RowMisses) that the store resolves by loading the row.
 */
export class EntityTable<Row extends object> {
  readonly table: PgTable;
  readonly historyTable: PgTable | undefined;
  readonly codec: RowCodec;
  readonly historyCodec: RowCodec | undefined;
  readonly keyFields: readonly (keyof Row & string)[];
  private readonly journaled: boolean;
  private readonly iterated: boolean;
  private readonly capacity: number;
  private readonly misses: RowMisses;
  /** Rows as committed by earlier ranges; null marks a key the database was asked for and lacks. */
  private readonly committed = new Map<string, Row | null>();
  /** True while `committed` holds every row of the table. */
  private complete = true;
  private readonly journal: () => UndoJournal;
  // Per range:
  private dirty = new Map<string, Row>();
  /** Keys of dirty rows that did not exist before this range: they are plain inserts. */
  private created = new Set<string>();
  private lastJournaledBlock = new Map<string, number>();
  private historyRows: (Row & ChangeAt)[] = [];
  private lastHistory = new Map<string, number>();

  constructor(
    options: EntityTableOptions<Row>,
    journal: () => UndoJournal,
    memory: EntityMemory = { rowsPerTable: Number.POSITIVE_INFINITY, misses: new RowMisses() },
  ) {
    this.table = options.table;
    this.historyTable = options.history;
    this.codec = new RowCodec(options.table);
    this.historyCodec = options.history ? new RowCodec(options.history) : undefined;
    this.keyFields = options.keyFields;
    this.journaled = options.undo === "journal";
    this.iterated = options.iterated === true;
    this.capacity = this.iterated ? Number.POSITIVE_INFINITY : memory.rowsPerTable;
    this.misses = memory.misses;
    this.journal = journal;
  }

  /** The row key of `row`, as `undo_log.row_key` stores it. */
  keyOf(row: Row): string {
    return rowKey(this.keyFields.map((field) => row[field]));
  }

  /** A row key's values, one per key field, as text (rowKey's inverse). */
  keyParts(key: string): string[] {
    const parts = this.keyFields.length === 1 ? [key] : key.split(":");
    if (parts.length !== this.keyFields.length)
      throw new Error(
        `${this.codec.tableName}: the row key ${key} does not have ${this.keyFields.length} parts`,
      );
    return parts;
  }

  /** How many rows to read when the mirror is (re)loaded: one more than fits tells that some did not. */
  loadLimit(): number | undefined {
    return Number.isFinite(this.capacity) ? this.capacity + 1 : undefined;
  }

  /** Fills the table from the database (before the first range, and after any invalidation), with
   * at most loadLimit() rows. */
  load(rows: Row[]): void {
    this.committed.clear();
    this.complete = rows.length <= this.capacity;
    const kept = this.complete ? rows : rows.slice(0, this.capacity);
    for (const row of kept) this.committed.set(this.keyOf(row), row);
  }

  /** Whether a read of `key` would miss: the table has dropped rows and holds nothing for it. */
  lacks(key: string): boolean {
    return !this.complete && !this.dirty.has(key) && !this.committed.has(key);
  }

  /** Adds rows read for missed `keys`; a key with no row is remembered as absent. */
  remember(keys: Iterable<string>, rows: readonly Row[]): void {
    for (const key of keys) if (!this.committed.has(key)) this.committed.set(key, null);
    for (const row of rows) this.committed.set(this.keyOf(row), row);
  }

  get(key: string): Row | undefined {
    return this.dirty.get(key) ?? this.committedRow(key);
  }

  /** The row, or an error naming what the event referred to that the mirror does not have. */
  require(key: string): Row {
    const row = this.get(key);
    if (!row)
      throw new Error(`${this.codec.tableName} has no row ${key}: the mirror missed an earlier event`);
    return row;
  }

  insert(row: Row, at: ChangeAt): Row {
    const key = this.keyOf(row);
    if (this.get(key)) throw new Error(`${this.codec.tableName} already has a row ${key}`);
    return this.write(key, row, undefined, at);
  }

  update(key: string, patch: Partial<Row>, at: ChangeAt): Row {
    const current = this.require(key);
    return this.write(key, { ...current, ...patch }, current, at);
  }

  /** Inserts `row` or merges `patch` into the existing row. */
  upsert(key: string, row: Row, patch: Partial<Row>, at: ChangeAt): Row {
    const existing = this.get(key);
    return this.write(key, existing ? { ...existing, ...patch } : row, existing, at);
  }

  /**
   * Completes a row written earlier in the same block (the proposal id known only once its
   * ProposalExecuted event follows the effects): no new undo record or history row, and the row's
   * latest history row is completed too.
   */
  amend(key: string, patch: Partial<Row>): void {
    const written = this.dirty.get(key);
    if (!written) throw new Error(`${this.codec.tableName} ${key} was not changed in this range`);
    this.dirty.set(key, { ...written, ...patch });
    const index = this.lastHistory.get(key);
    const last = index === undefined ? undefined : this.historyRows[index];
    if (index !== undefined && last) this.historyRows[index] = { ...last, ...patch };
  }

  /** Every row, in the order they were first stored (tables declared `iterated` only: it visits them all). */
  *values(): Generator<Row> {
    if (!this.iterated)
      throw new Error(
        `${this.codec.tableName} is not kept whole in memory: declare it iterated to visit every row`,
      );
    for (const [key, row] of this.committed) {
      const current = this.dirty.get(key) ?? row;
      if (current) yield current;
    }
    for (const [key, row] of this.dirty) if (!this.committed.has(key)) yield row;
  }

  /** Keys of rows changed in this range. */
  changedKeys(): IterableIterator<string> {
    return this.dirty.keys();
  }

  /** Rows changed in this range, as they are now. */
  changedRows(): IterableIterator<Row> {
    return this.dirty.values();
  }

  /**
   * This range's rows (this.codec writes them): new rows, which are plain inserts (COPY on PGlite),
   * and rows that existed before, which are upserts. The history rows go to the history table
   * (this.historyCodec).
   */
  pending(): { inserts: Row[]; upserts: Row[]; history: (Row & ChangeAt)[] } {
    const inserts: Row[] = [];
    const upserts: Row[] = [];
    for (const [key, row] of this.dirty) (this.created.has(key) ? inserts : upserts).push(row);
    return { inserts, upserts, history: this.historyRows };
  }

  /** Once the range is committed: its rows join the committed ones (the most recent last), and the
   * oldest beyond the row budget are dropped. */
  endRange(): void {
    const bounded = Number.isFinite(this.capacity);
    for (const [key, row] of this.dirty) {
      // Re-inserting moves the key to the end of the map's order, which is the eviction order.
      if (bounded) this.committed.delete(key);
      this.committed.set(key, row);
    }
    if (this.committed.size > this.capacity) {
      const oldest = this.committed.keys();
      while (this.committed.size > this.capacity) this.committed.delete(oldest.next().value as string);
      this.complete = false;
    }
    this.discardRange();
  }

  /** Forgets everything the range wrote (a pass that will run again, or a range that was not committed). */
  discardRange(): void {
    this.dirty = new Map();
    this.created = new Set();
    this.lastJournaledBlock = new Map();
    this.historyRows = [];
    this.lastHistory = new Map();
  }

  private committedRow(key: string): Row | undefined {
    const row = this.committed.get(key);
    if (row !== undefined) return row ?? undefined;
    if (this.complete) return undefined;
    return this.misses.miss(this as unknown as EntityTable<object>, key);
  }

  /** `previous` is the row as the caller just read it (get): undefined when there is none. */
  private write(key: string, next: Row, previous: Row | undefined, at: ChangeAt): Row {
    if (this.journaled && this.lastJournaledBlock.get(key) !== at.blockNumber) {
      this.journal().record(at.blockNumber, this.codec, key, previous ?? null);
      this.lastJournaledBlock.set(key, at.blockNumber);
    }
    if (!this.dirty.has(key) && previous === undefined) this.created.add(key);
    this.dirty.set(key, next);
    if (this.historyCodec) this.appendHistory(key, next, at);
    return next;
  }

  /** One history row per (row, event): a second write by the same event replaces the first. */
  private appendHistory(key: string, row: Row, at: ChangeAt): void {
    const entry = {
      ...row,
      blockNumber: at.blockNumber,
      logIndex: at.logIndex,
      blockTimestamp: at.blockTimestamp,
      txHash: at.txHash,
    };
    const index = this.lastHistory.get(key);
    const last = index === undefined ? undefined : this.historyRows[index];
    if (index !== undefined && last && last.blockNumber === at.blockNumber && last.logIndex === at.logIndex) {
      this.historyRows[index] = entry;
      return;
    }
    this.lastHistory.set(key, this.historyRows.length);
    this.historyRows.push(entry);
  }
}

/**
 * Rows that are only ever added: buffered for one range, written in one statement. A handler may
 * complete a row of the current range in place (a proposal id, a vote split by the event after it):
 * nothing has been written yet, and nothing journals append-only rows.
 */
export class AppendTable<Row extends object> {
  readonly table: PgTable;
  readonly codec: RowCodec;
  private rows: Row[] = [];

  constructor(table: PgTable) {
    this.table = table;
    this.codec = new RowCodec(table);
  }

  push(row: Row): Row {
    this.rows.push(row);
    return row;
  }

  /** The latest row of this range matching `predicate` (to complete a row a following event refines). */
  findLast(predicate: (row: Row) => boolean): Row | undefined {
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const row = this.rows[i] as Row;
      if (predicate(row)) return row;
    }
    return undefined;
  }

  all(): readonly Row[] {
    return this.rows;
  }

  /** This range's rows (this.codec writes them). */
  pending(): readonly Row[] {
    return this.rows;
  }

  endRange(): void {
    this.rows = [];
  }
}

/** The row key of primary-key values: joined by ':', each as Postgres prints it (`value::text`). */
export function rowKey(values: unknown[]): string {
  return values.map((v) => String(v)).join(":");
}

// Which rows a range will read, guessed before it runs. Once a table holds only part of its rows
// (ENTITY_ROWS_IN_MEMORY), a read of a row it dropped stops the pass, and the store loads the row and
// runs the range again. Most reads are named by the event's own arguments (a vote's voter, a
// release's grant id), so each kind of event teaches, from the rows it missed, which argument names
// which table's row; later ranges then read those rows for all their events first, one statement per
// table, and run once. A guess that is wrong costs a row read for nothing; a read it did not foresee
// is still caught as a miss.
import type { FirmLog } from "../decode/logs.ts";
import { type EntityTable, type RowMisses, rowKey } from "./entities.ts";

/** An event's arguments that make up a table's row key, in the key's order. */
interface KeyPattern {
  tableName: string;
  args: string[];
}

export type RowsByTable = Map<EntityTable<object>, Set<string>>;

export class RowPrefetcher {
  private readonly patterns = new Map<string, KeyPattern[]>();

  /** Learns, from the misses of a pass, which arguments of their events named the rows missed. */
  learn(misses: RowMisses): void {
    for (const { event, table, key } of misses.withEvents) {
      if (!event) continue;
      const { args } = event as FirmLog;
      const values = args as Record<string, unknown>;
      const parts = table.keyParts(key);
      const names = parts.map((part) => Object.keys(values).find((name) => argText(values[name]) === part));
      if (names.some((name) => name === undefined)) continue;
      const id = eventKind(event as FirmLog);
      const known = this.patterns.get(id) ?? [];
      const tableName = table.codec.tableName;
      if (known.some((p) => p.tableName === tableName && p.args.join() === names.join())) continue;
      this.patterns.set(id, [...known, { tableName, args: names as string[] }]);
    }
  }

  /** The rows `events` are expected to read that `tables` lack, by table. */
  expected(events: readonly FirmLog[], tables: readonly EntityTable<object>[]): RowsByTable {
    const wanted: RowsByTable = new Map();
    if (this.patterns.size === 0) return wanted;
    const byName = new Map(tables.map((table) => [table.codec.tableName, table]));
    for (const event of events) {
      const patterns = this.patterns.get(eventKind(event));
      if (!patterns) continue;
      const values = event.args as Record<string, unknown>;
      for (const { tableName, args } of patterns) {
        const table = byName.get(tableName);
        const key = rowKey(args.map((name) => argText(values[name])));
        if (!table?.lacks(key)) continue;
        const keys = wanted.get(table) ?? new Set<string>();
        wanted.set(table, keys);
        keys.add(key);
      }
    }
    return wanted;
  }
}

function eventKind(event: FirmLog): string {
  return `${event.contract}.${event.eventName}`;
}

/** An argument as it appears in a row key: addresses and hashes in lowercase, numbers in decimal. */
function argText(value: unknown): string | undefined {
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "bigint" || typeof value === "number") return String(value);
  return undefined;
}

// The one way loaders are made: a DataLoader for the current request whose cache reports hits and
// whose batches report misses to the metrics, so /metrics shows how well each table batches. Most
// loaders are a by-key statement (./prepareByKeys.ts) answered one row per key (createRowLoader) or
// every row of each key (createRowsLoader).
import DataLoader from "dataloader";
import type { ApiMetrics } from "../../metrics.ts";
import type { KeyedStatement } from "./prepareByKeys.ts";

export interface CreateLoaderParameters<Key, CacheKey> {
  /** The metric label: the table (and lookup) the loader reads. */
  name: string;
  metrics: ApiMetrics;
  /** For object keys: the string identifying a key in the cache. */
  cacheKeyFn?: (key: Key) => CacheKey;
}

/**
 * A DataLoader instrumented with hit/miss metrics. `batch` must answer one value per key, in key
 * order (null for a key with no row).
 *
 * @example
 * const members = createLoader({ name: "members", metrics }, (addresses) => membersByAddress(addresses));
 * await members.load("0xab…"); // one query for every address loaded in the same tick
 */
export function createLoader<Key, Value, CacheKey = Key>(
  { name, metrics, cacheKeyFn }: CreateLoaderParameters<Key, CacheKey>,
  batch: (keys: readonly Key[]) => Promise<readonly Value[]>,
): DataLoader<Key, Value, CacheKey> {
  const cache = new Map<CacheKey, Promise<Value>>();
  const hits = metrics.loaderLoads.labels({ loader: name, result: "hit" });
  const misses = metrics.loaderLoads.labels({ loader: name, result: "miss" });
  const batches = metrics.loaderBatches.labels({ loader: name });
  return new DataLoader<Key, Value, CacheKey>(
    async (keys) => {
      misses.inc(keys.length);
      batches.inc();
      return batch(keys);
    },
    {
      ...(cacheKeyFn ? { cacheKeyFn } : {}),
      cacheMap: {
        get(key) {
          const cached = cache.get(key);
          if (cached) hits.inc();
          return cached;
        },
        set: (key, value) => void cache.set(key, value),
        delete: (key) => void cache.delete(key),
        clear: () => cache.clear(),
      },
    },
  );
}

/** Orders batch results by key: `rows` keyed by `keyOf`, answered for each of `keys` (null if none). */
export function byKey<Row, Key>(
  keys: readonly Key[],
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
): (Row | null)[] {
  const map = new Map<Key, Row>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

/** Groups batch results by key: every row of each key, in the rows' order. */
export function groupedByKey<Row, Key>(
  keys: readonly Key[],
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
): Row[][] {
  const map = new Map<Key, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = map.get(key);
    if (group) group.push(row);
    else map.set(key, [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}

/**
 * A loader answering each key with its one row from a by-key statement, or null; `onRows` sees every
 * row fetched (to prime another loader with them).
 *
 * @example
 * const memberByAddress = createRowLoader(statements.membersByAddress, metrics);
 */
export function createRowLoader<Row>(
  statement: KeyedStatement<Row>,
  metrics: ApiMetrics,
  onRows?: (rows: readonly Row[]) => void,
): DataLoader<string, Row | null> {
  return createLoader<string, Row | null>({ name: statement.table, metrics }, async (keys) => {
    const rows = await statement.execute({ keys: [...keys] });
    onRows?.(rows);
    return byKey(keys, rows, statement.keyOf);
  });
}

/** A loader answering each key with every row of it from a by-key statement, in the statement's order. */
export function createRowsLoader<Row>(
  statement: KeyedStatement<Row>,
  metrics: ApiMetrics,
  onRows?: (rows: readonly Row[]) => void,
): DataLoader<string, Row[]> {
  return createLoader<string, Row[]>({ name: statement.table, metrics }, async (keys) => {
    const rows = await statement.execute({ keys: [...keys] });
    onRows?.(rows);
    return groupedByKey(keys, rows, statement.keyOf);
  });
}

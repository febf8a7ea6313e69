// One page of a list as a Relay connection, for every list field (Query.members, Practice.members,
// Proposal.votes, ...): the page size checked, the cursor decoded and checked against the list, the
// filter built, then one row more than the page fetched after the cursor (it only says whether there
// is a next page). The inputs are checked in that order, so a request with several bad ones is told
// about the same one whichever list it asks.
import { parseUintId } from "./inputs.ts";
import { type Connection, type CursorPart, decodeCursor, pageSize, toConnection } from "./pagination.ts";

/** A cursor part: a non-negative integer, a string, or a uint256 id as a decimal string. */
export type CursorType = "int" | "string" | "uint";

/** The sort key a cursor holds, for its parts' types. */
export type CursorKey<Types extends readonly CursorType[]> = {
  -readonly [I in keyof Types]: Types[I] extends "int" ? number : string;
};

export interface PageConnectionParameters<Types extends readonly CursorType[], Row, Node, Filter> {
  /** The list and its ordering ("members:ADMITTED_ASC"): a cursor of another list is refused. */
  list: string;
  first: number | null | undefined;
  after: string | null | undefined;
  /** The sort key's parts, as keyOf answers them. */
  cursorTypes: Types;
  /** Builds (and checks) the filter, once the page and the cursor are found valid. */
  filter?: () => Filter | Promise<Filter>;
  /** Up to `limit` rows after the cursor's key (from the start without one), in the list's order. */
  fetch: (page: {
    filter: Filter;
    after: CursorKey<Types> | undefined;
    limit: number;
  }) => Promise<readonly Row[]>;
  /** A row's sort key: what its cursor holds. */
  keyOf: (row: Row) => CursorKey<Types>;
  /** The node a row stands for (the row itself by default). */
  nodeOf?: (row: Row) => Node;
  /** Every row the filter selects: counted only when a client selects totalCount. */
  count: (filter: Filter) => Promise<number>;
}

/**
 * Reads one page of a list.
 *
 * @throws BAD_USER_INPUT for a page size out of range, a cursor not of this list, or a bad filter.
 * @example
 * return pageConnection({
 *   list: "distributions:ID_ASC", first, after, cursorTypes: ["uint"],
 *   fetch: (page) => listDistributions(ctx.db, { after: page.after?.[0], limit: page.limit }),
 *   keyOf: (row) => [row.distributionId.toString()],
 *   count: () => countDistributions(ctx.db),
 * });
 */
export async function pageConnection<
  const Types extends readonly CursorType[],
  Row,
  Node = Row,
  Filter = undefined,
>({
  list,
  first,
  after,
  cursorTypes,
  filter,
  fetch,
  keyOf,
  nodeOf,
  count,
}: PageConnectionParameters<Types, Row, Node, Filter>): Promise<Connection<Node>> {
  const { size, key } = readPage({ list, first, after, cursorTypes });
  const built = (filter ? await filter() : undefined) as Filter;
  const rows = await fetch({ filter: built, after: key, limit: size + 1 });
  return toConnection(rows, {
    size,
    after,
    list,
    keyOf: (row) => keyOf(row) as readonly CursorPart[],
    ...(nodeOf ? { nodeOf } : {}),
    count: () => count(built),
  });
}

/**
 * The page a list field is asked for: its size, checked, and the key after which it starts (undefined
 * for the first page), decoded and checked against the list; it fetches size + 1 rows.
 *
 * @throws BAD_USER_INPUT for a page size out of range or a cursor not of this list.
 */
export function readPage<const Types extends readonly CursorType[]>({
  list,
  first,
  after,
  cursorTypes,
}: Pick<
  PageConnectionParameters<Types, unknown, unknown, unknown>,
  "list" | "first" | "after" | "cursorTypes"
>): {
  size: number;
  key: CursorKey<Types> | undefined;
} {
  const size = pageSize(first);
  const shape = cursorTypes.map((type) => (type === "int" ? "int" : "string"));
  const key = decodeCursor(list, after, shape);
  key?.forEach((part, i) => {
    if (cursorTypes[i] === "uint") parseUintId(part as string, "cursor");
  });
  return { size, key: key as CursorKey<Types> | undefined };
}

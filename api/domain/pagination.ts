// Relay connections over keyset pagination. A cursor is the sort key of the last row a client saw,
// so the next page is "rows after this key" in index order: no OFFSET, stable under inserts, and a
// cursor whose row has since gone (a rollback) still finds its place. Cursors are opaque to clients
// (base64url of JSON) but not secret; they are validated like any other input.
import { badUserInput } from "../errors.ts";

/** The page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;
/** The largest page: bounds the rows one field can ask for (and, with the cost limit, one request). */
export const MAX_PAGE_SIZE = 100;
/** A cursor longer than this is not one of ours; refuse it before decoding anything. */
const MAX_CURSOR_CHARS = 512;

export type CursorPart = string | number;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<Node> {
  edges: { node: Node; cursor: string }[];
  pageInfo: PageInfo;
  /**
   * Counted only when a client selects `totalCount`: GraphQL's default resolver calls a field's
   * function, and only for a selected field, so no connection type needs a resolver of its own.
   */
  totalCount: () => Promise<number>;
}

/** The page size for `first`: 0 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when absent. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput("first", first, `a page size from 0 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/**
 * A cursor for the row with sort key `key` in `list` (a list name with its ordering, so a cursor of
 * one list or order is refused by another).
 *
 * @example
 * encodeCursor("members:ADMITTED_ASC", [6]) // "WyJtZW1iZXJzOkFETUlUVEVEX0FTQyIsNl0"
 */
export function encodeCursor(list: string, key: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString("base64url");
}

/**
 * The sort key in `cursor`, checked against the list and the key's shape ("int" or "string" per
 * part); undefined when there is no cursor.
 *
 * @throws BAD_USER_INPUT for anything that is not a cursor of this list.
 */
export function decodeCursor(
  list: string,
  cursor: string | null | undefined,
  shape: readonly ("int" | "string")[],
): CursorPart[] | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const invalid = () =>
    badUserInput("cursor", cursor, `a cursor returned by this list (${list.split(":")[0]}) and ordering`);
  if (typeof cursor !== "string" || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== shape.length + 1) throw invalid();
  const key = parsed.slice(1) as unknown[];
  key.forEach((part, i) => {
    const ok =
      shape[i] === "int"
        ? Number.isSafeInteger(part) && (part as number) >= 0
        : typeof part === "string" && part.length <= 200;
    if (!ok) throw invalid();
  });
  return key as CursorPart[];
}

/**
 * Builds a connection from up to `size + 1` rows fetched after the cursor: the extra row only says
 * whether there is a next page.
 */
export function toConnection<Row, Node = Row>(
  rows: readonly Row[],
  {
    size,
    after,
    list,
    keyOf,
    nodeOf = (row) => row as unknown as Node,
    count,
  }: {
    size: number;
    after: string | null | undefined;
    list: string;
    keyOf: (row: Row) => readonly CursorPart[];
    nodeOf?: (row: Row) => Node;
    count: () => Promise<number>;
  },
): Connection<Node> {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({ node: nodeOf(row), cursor: encodeCursor(list, keyOf(row)) }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      // Forward-only pagination: a page fetched after a cursor has rows before it.
      hasPreviousPage: after !== null && after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: () => {
      counted ??= count();
      return counted;
    },
  };
}

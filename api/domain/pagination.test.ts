import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, pageSize, toConnection } from "./pagination.ts";

describe("pagination", () => {
  it("sizes pages: 20 by default, 0 to 100 allowed", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(100)).toBe(100);
    for (const bad of [-1, 101, 2.5]) expect(() => pageSize(bad)).toThrowError(/Invalid first/);
  });

  it("round-trips cursors and refuses those of another list, ordering or shape", () => {
    const cursor = encodeCursor("proposals:CREATED_DESC", [12, "3456"]);
    expect(decodeCursor("proposals:CREATED_DESC", cursor, ["int", "string"])).toEqual([12, "3456"]);
    expect(decodeCursor("proposals:CREATED_DESC", undefined, ["int", "string"])).toBeUndefined();
    for (const [list, shape] of [
      ["proposals:CREATED_ASC", ["int", "string"]],
      ["members:ADMITTED_ASC", ["int"]],
      ["proposals:CREATED_DESC", ["string", "string"]],
    ] as const) {
      expect(() => decodeCursor(list, cursor, shape)).toThrowError(/Invalid cursor/);
    }
    expect(() =>
      decodeCursor("members:ADMITTED_ASC", encodeCursor("members:ADMITTED_ASC", [-1]), ["int"]),
    ).toThrowError();
    expect(() => decodeCursor("members:ADMITTED_ASC", "not base64!", ["int"])).toThrowError();
  });

  it("builds a page from size + 1 rows, and counts only when asked", async () => {
    let counted = 0;
    const connection = toConnection([{ id: 1 }, { id: 2 }, { id: 3 }], {
      size: 2,
      after: null,
      list: "things",
      keyOf: (row) => [row.id],
      count: async () => ++counted,
    });
    expect(connection.edges.map((e) => e.node.id)).toEqual([1, 2]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(counted).toBe(0);
    expect(await connection.totalCount()).toBe(1);
    expect(await connection.totalCount()).toBe(1);
  });
});

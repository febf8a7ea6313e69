import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { postgresAvailable, sqlClient } from "../testing/postgres.ts";
import { pgliteCopy, postgresCopy, writeRows } from "./bulk.ts";
import { jsonText, RawJson, RowCodec } from "./entities.ts";
import { profiles, rawEvents } from "./schema.ts";

/** What the mirror stored before jsonText: JSON.stringify with bigints as decimal strings. */
const reference = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v === undefined ? null : v));

const leaf = fc.oneof(
  fc.bigInt(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ unit: "binary" }),
  fc.string({
    unit: fc.constantFrom('"', "\\", "\t", "\n", "\r", "\u0000", "\u001f", "é", "😀", "\ud800", "a"),
  }),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), tie("node"), { maxKeys: 4 }),
})).node;

describe("jsonText", () => {
  it("writes the JSON that JSON.stringify writes, with bigints as decimal strings (property)", () => {
    fc.assert(
      fc.property(value, (v) => {
        // Top-level undefined is null here, as in a jsonb column.
        expect(jsonText(v)).toBe(v === undefined ? "null" : reference(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it("embeds RawJson as it is", () => {
    expect(jsonText({ previous: new RawJson('{"a":1}'), n: 2n })).toBe('{"previous":{"a":1},"n":"2"}');
  });
});

describe("RowCodec", () => {
  const codec = new RowCodec(rawEvents);
  const row = {
    chainId: 31337,
    blockNumber: 7,
    logIndex: 0,
    blockHash: "0xab",
    blockTimestamp: 1_700_000_000,
    txHash: "0xcd",
    txIndex: 1,
    address: "0xef",
    contract: "governor",
    eventName: "VoteCast",
    args: { reason: 'tab\there, "quoted" \\ back\nslash', weight: 10n },
  };

  it("writes a COPY line with COPY's escapes over the JSON's own", () => {
    expect(codec.copyLine(row)).toBe(
      [
        "31337\t7\t0\t0xab\t1700000000\t0xcd\t1\t0xef\tgovernor\tVoteCast\t",
        '{"reason":"tab\\\\there, \\\\"quoted\\\\" \\\\\\\\ back\\\\nslash","weight":"10"}\n',
      ].join(""),
    );
    expect(codec.copyLine({ ...row, txIndex: null })).toContain("\t0xcd\t\\N\t0xef\t");
  });

  it("writes a JSON object keyed by column name", () => {
    expect(JSON.parse(codec.jsonObject(row))).toEqual({
      chain_id: 31337,
      block_number: 7,
      log_index: 0,
      block_hash: "0xab",
      block_timestamp: 1_700_000_000,
      tx_hash: "0xcd",
      tx_index: 1,
      address: "0xef",
      contract: "governor",
      event_name: "VoteCast",
      args: { reason: row.args.reason, weight: "10" },
    });
  });
});

describe("RowCodec on a text[] column (a profile's skills)", () => {
  const codec = new RowCodec(profiles);
  const skills = ["voip", "c#", 'quote"d', "back\\slash", "comma,brace{}", "tab\there", ""];

  it("writes an array literal that COPY and the JSON path both read back as the same text[]", async () => {
    const pglite = new PGlite();
    try {
      await pglite.exec(
        `CREATE TABLE profiles (${codec.columns.map((c) => `"${c}" ${c === "skills" ? "text[]" : "text"}`).join(", ")})`,
      );
      const row = (member: string) =>
        Object.fromEntries(Object.keys(profiles).map((key) => [key, key === "skills" ? skills : member]));
      await pglite.transaction(async (tx) => {
        // With `copy`, plain inserts never touch the drizzle executor: COPY goes through PGlite's tx.
        await writeRows(undefined as never, profiles, codec, [row("copy")], { copy: pgliteCopy(tx) });
      });
      await pglite.query(
        "INSERT INTO profiles SELECT * FROM json_populate_record(NULL::profiles, $1::json)",
        [codec.jsonObject(row("json"))],
      );
      const { rows } = await pglite.query<{ member: string; skills: string[] }>(
        "SELECT member, skills FROM profiles ORDER BY member",
      );
      expect(rows).toEqual([
        { member: "copy", skills },
        { member: "json", skills },
      ]);
    } finally {
      await pglite.close();
    }
  });
});

describe.skipIf(!(await postgresAvailable()))("COPY on a PostgreSQL server (postgresCopy)", () => {
  const codec = new RowCodec(profiles);
  const skills = ["voip", "c#", 'quote"d', "back\\slash", "comma,brace{}", "tab\there", "", "é ✓"];
  const row = (member: string) =>
    Object.fromEntries(Object.keys(profiles).map((key) => [key, key === "skills" ? skills : member]));

  async function withTable(body: (client: ReturnType<typeof sqlClient>) => Promise<void>) {
    const client = sqlClient();
    await client.connect();
    try {
      await client.query(
        `CREATE TEMP TABLE profiles (${codec.columns.map((c) => `"${c}" ${c === "skills" ? "text[]" : "text"}`).join(", ")}, PRIMARY KEY (member))`,
      );
      await body(client);
    } finally {
      await client.end();
    }
  }

  it("reads back what the JSON path reads, escapes and all", async () => {
    await withTable(async (client) => {
      await client.query("BEGIN");
      await writeRows(undefined as never, profiles, codec, [row("copy")], { copy: postgresCopy(client) });
      await client.query("COMMIT");
      await client.query(
        "INSERT INTO profiles SELECT * FROM json_populate_record(NULL::profiles, $1::json)",
        [codec.jsonObject(row("json"))],
      );
      const { rows } = await client.query("SELECT member, skills FROM profiles ORDER BY member");
      expect(rows).toEqual([
        { member: "copy", skills },
        { member: "json", skills },
      ]);
    });
  });

  it("a row the server refuses fails the write, and the transaction keeps none of it", async () => {
    await withTable(async (client) => {
      await client.query("BEGIN");
      const rows = [row("a"), row("b"), row("a")];
      await expect(
        writeRows(undefined as never, profiles, codec, rows, { copy: postgresCopy(client) }),
      ).rejects.toThrow(/duplicate key/);
      await client.query("ROLLBACK");
      const { rows: left } = await client.query("SELECT count(*)::int AS n FROM profiles");
      expect(left[0].n).toBe(0);
      // The connection is usable afterwards: the failed COPY did not leave it mid-protocol.
      await client.query("BEGIN");
      await writeRows(undefined as never, profiles, codec, [row("c")], { copy: postgresCopy(client) });
      await client.query("COMMIT");
      const { rows: after } = await client.query("SELECT member FROM profiles");
      expect(after).toEqual([{ member: "c" }]);
    });
  });
});

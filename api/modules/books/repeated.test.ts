// Movement.repeated on PGlite and PostgreSQL, from rows written straight into the mirror: the contract
// refused a repeated (payee, reference) payment until the refusal moved to the mirror, so no chain
// before that change can make one. A payment repeats when an earlier payment, in chain order, paid the
// same payee against the same non-empty reference; a deposit repeats when the contract flagged it.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPENSE_KINDS } from "../../../indexer/handlers/books.ts";
import { migrateDatabase } from "../../../indexer/store/migrate.ts";
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from "../../../indexer/testing/testDatabase.ts";
import { bookMovement, writeBookMovements, writeSyntheticToken } from "../../testing/bookRows.ts";
import { syntheticAddress } from "../../testing/directoryRows.ts";
import { booksCsvStream, CSV_HEADER } from "./csv.ts";
import { listMovements } from "./queries/movements.ts";

const A = syntheticAddress(0xa);
const B = syntheticAddress(0xb);
const pay = (blockNumber: number, payee: string, reference: string | null, logIndex = 0) =>
  bookMovement({
    blockNumber,
    logIndex,
    kind: "PAYMENT",
    amount: 1_000_000n,
    counterparty: payee,
    reference,
  });

describe.each(TEST_BACKENDS)("repeated references on %s", (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
    await writeSyntheticToken(database.db);
    await writeBookMovements(database.db, [
      pay(2, A, "R-1"),
      pay(3, B, "R-1"),
      pay(4, A, "R-1"),
      pay(4, A, "R-1", 1),
      pay(5, A, null),
      pay(6, A, null),
      bookMovement({ blockNumber: 7, kind: "DEPOSIT", amount: 5n, counterparty: A, reference: "R-1" }),
      bookMovement({
        blockNumber: 8,
        kind: "DEPOSIT",
        amount: 5n,
        counterparty: A,
        reference: "R-1",
        repeatedReference: true,
      }),
    ]);
  });
  afterAll(() => database?.dispose());

  const flags = async () =>
    (await listMovements(database.db, {}, { after: undefined, limit: 100, order: "oldest" })).map(
      (row) => `${row.blockNumber}.${row.logIndex} ${row.kind} ${row.repeated}`,
    );

  it("flags a payment to the same payee against an earlier payment's reference, in chain order", async () => {
    expect(await flags()).toEqual([
      "2.0 PAYMENT false",
      // The same reference to another payee is another invoice.
      "3.0 PAYMENT false",
      "4.0 PAYMENT true",
      // Later in the same block is later in chain order.
      "4.1 PAYMENT true",
      // No reference: nothing to repeat.
      "5.0 PAYMENT false",
      "6.0 PAYMENT false",
      // Deposits carry the contract's own flag; a payment's reference does not make a deposit repeat.
      "7.0 DEPOSIT false",
      "8.0 DEPOSIT true",
    ]);
    const newest = await listMovements(
      database.db,
      { kinds: EXPENSE_KINDS, counterparty: A },
      {
        after: [4, 1],
        limit: 1,
        order: "newest",
      },
    );
    // A page that starts after the repeat still sees the earlier payment it repeats.
    expect(newest.map((row) => [row.blockNumber, row.logIndex, row.repeated])).toEqual([[4, 0, true]]);
  });

  it("marks the CSV's appended Repeated column, after the import columns in their order", async () => {
    const text = await new Response(await booksCsvStream(database.db, {})).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "Date,Description,Amount,Practice,Direction,Counterparty,Token,Reference,Transaction,Authority,Repeated",
    );
    expect(CSV_HEADER.split(",").slice(0, 10).join(",")).toBe(
      "Date,Description,Amount,Practice,Direction,Counterparty,Token,Reference,Transaction,Authority",
    );
    expect(lines.slice(1).map((line) => line.split(",").at(-1))).toEqual([
      "",
      "",
      "yes",
      "yes",
      "",
      "",
      "",
      "yes",
    ]);
    // Token units with the symbol the indexer read: 1,000,000 base units of a 6-decimal token.
    expect(lines[1]).toContain(",-1.000000,(firm),OUT,");
    expect(lines[1]).toContain(",tUSD,R-1,");
  });

  it("follows a rollback: a payment that replaces a reorged one is judged on what remains", async () => {
    // What the store's rollback does to an append-only table: the rows above the common ancestor go.
    await database.db.execute(sql`delete from book_movements where block_number > 2`);
    await writeBookMovements(database.db, [pay(3, A, "R-2"), pay(4, B, "R-1"), pay(5, A, "R-2")]);
    expect(await flags()).toEqual([
      "2.0 PAYMENT false",
      "3.0 PAYMENT false",
      "4.0 PAYMENT false",
      "5.0 PAYMENT true",
    ]);
  });
});

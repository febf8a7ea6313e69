// Synthetic books written straight into a migrated mirror: practices, the allowed stablecoin and
// `count` movements over a year (deposits, budget payments, a few payments by proposal, sweeps), for
// the books' read tests and `npm run bench:books`. A mirror of a real chain is what the API tests use
// (api/modules/books/books.test.ts); this is for rows the contract cannot make yet (a repeated payment
// reference) and for the sizes (50,000 movements) at which query plans and latency matter. Not a test
// file.
import { sql } from "drizzle-orm";
import { keccak256, toBytes, zeroAddress, zeroHash } from "viem";
import { EXPENSE_KINDS, MOVEMENT_DEFAULTS, monthOf, REVENUE_KINDS } from "../../indexer/handlers/books.ts";
import { writeRows } from "../../indexer/store/bulk.ts";
import type { Database } from "../../indexer/store/db.ts";
import { RowCodec } from "../../indexer/store/entities.ts";
import type { BookMovementRow, BookTokenRow, PracticeRow } from "../../indexer/store/mirror.ts";
import { bookMovements, bookTokens, practices } from "../../indexer/store/schema.ts";
import { mulberry32 } from "../../indexer/testing/faultProxy.ts";
import { syntheticAddress } from "./directoryRows.ts";

/** The synthetic stablecoin: 6 decimals, as TestStablecoin and USDC. */
export const SYNTHETIC_TOKEN = "0x00000000000000000000000000000000000075d0";
const TX = `0x${"ab".repeat(32)}`;

/** A movement with every optional column empty; `fields` sets the rest. */
export function bookMovement(
  fields: Pick<BookMovementRow, "blockNumber" | "kind" | "amount"> & Partial<BookMovementRow>,
): BookMovementRow {
  const blockTimestamp = fields.blockTimestamp ?? 1_767_225_600 + fields.blockNumber * 12;
  const direction = fields.kind === "DEPOSIT" || fields.kind === "SWEEP" ? "IN" : "OUT";
  return {
    logIndex: 0,
    blockTimestamp,
    txHash: TX,
    direction,
    month: monthOf(blockTimestamp),
    practiceId: zeroHash,
    token: SYNTHETIC_TOKEN,
    ...MOVEMENT_DEFAULTS,
    ...fields,
  };
}

/** Writes `rows` into book_movements in one transaction, and book_flows as the handlers keep it. */
export async function writeBookMovements(db: Database, rows: BookMovementRow[]): Promise<void> {
  await db.transaction(async (tx) => {
    await writeRows(tx, bookMovements, new RowCodec(bookMovements), rows);
    await rebuildBookFlows(tx);
  });
}

/** book_flows from every movement held: what the handlers add one movement at a time. */
async function rebuildBookFlows(db: Pick<Database, "execute">): Promise<void> {
  const kinds = (list: string[]) =>
    sql.join(
      list.map((kind) => sql`${kind}`),
      sql`, `,
    );
  await db.execute(sql`DELETE FROM book_flows`);
  await db.execute(sql`INSERT INTO book_flows (month, practice_id, token, revenue, expenses, updated_block)
    SELECT month, practice_id, token,
      coalesce(sum(amount) FILTER (WHERE kind IN (${kinds(REVENUE_KINDS)})), 0),
      coalesce(sum(amount) FILTER (WHERE kind IN (${kinds(EXPENSE_KINDS)})), 0),
      max(block_number)
    FROM book_movements
    WHERE kind IN (${kinds([...REVENUE_KINDS, ...EXPENSE_KINDS])})
    GROUP BY month, practice_id, token`);
}

/** The allowed synthetic stablecoin, with the metadata the indexer reads ("tUSD", 6). */
export async function writeSyntheticToken(db: Database): Promise<void> {
  const row: BookTokenRow = {
    token: SYNTHETIC_TOKEN,
    allowed: true,
    symbol: "tUSD",
    decimals: 6,
    changedAt: 1_767_225_600,
    proposalId: null,
    updatedBlock: 1,
  };
  await db.transaction((tx) => writeRows(tx, bookTokens, new RowCodec(bookTokens), [row]));
}

export interface SyntheticBooks {
  /** The practices' slugs, "p01".."pNN". */
  slugs: string[];
  movements: number;
  /** yyyymm of the first and last month with movements. */
  firstMonth: number;
  lastMonth: number;
  /** A payee with many payments, for filtered pages. */
  busyPayee: string;
}

/**
 * Writes `practiceCount` practices, the stablecoin and `count` movements spread evenly over the 12
 * months of `year` (UTC) into `db` (migrated, empty), seeded so two runs write the same rows: 45%
 * deposits from 200 clients (1% reusing a reference), 50% budget payments to 500 payees (1% repeating
 * an earlier payment's reference), 4% payments by proposal, 1% sweeps; 85% in the stablecoin, the
 * rest in ETH.
 *
 * @example
 * const books = await writeSyntheticBooks(db, { practiceCount: 10, count: 50_000 });
 */
export async function writeSyntheticBooks(
  db: Database,
  {
    practiceCount,
    count,
    year = 2026,
    seed = 13,
  }: { practiceCount: number; count: number; year?: number; seed?: number },
): Promise<SyntheticBooks> {
  const random = mulberry32(seed);
  const start = Date.UTC(year, 0, 1) / 1000;
  const span = Date.UTC(year + 1, 0, 1) / 1000 - start;
  const slugs = Array.from({ length: practiceCount }, (_, i) => `p${String(i + 1).padStart(2, "0")}`);
  const practiceRows: PracticeRow[] = slugs.map((slug, i) => ({
    practiceId: keccak256(toBytes(slug)),
    slug,
    name: `Practice ${i + 1}`,
    lead: syntheticAddress(i + 1),
    status: "Active",
    memberCount: 5,
    createdAt: start,
    createdBlock: 1,
    createdTx: TX,
    createdProposalId: null,
    sunsetAt: null,
    sunsetProposalId: null,
    updatedBlock: 1,
    updatedAt: start,
  }));
  const ids = [zeroHash, ...practiceRows.map((p) => p.practiceId)];
  const rows: BookMovementRow[] = [];
  const paid: { payee: string; reference: string }[] = [];
  const invoices: string[] = [];
  for (let i = 0; i < count; i++) {
    // One movement a block, blocks 12 s apart in the chain's terms but spread over the year in time.
    const blockTimestamp = start + Math.floor((i * span) / count);
    const draw = random();
    const token = random() < 0.85 ? SYNTHETIC_TOKEN : zeroAddress;
    const practiceId = ids[Math.floor(random() * ids.length)] as string;
    const amount = BigInt(Math.floor(random() * 5_000_000_000)) + 1n;
    const base = { blockNumber: i + 2, blockTimestamp, token, practiceId, amount };
    if (draw < 0.45) {
      const reuse = invoices.length > 0 && random() < 0.01;
      const reference = reuse ? (invoices[Math.floor(random() * invoices.length)] as string) : `INV-${i}`;
      if (!reuse) invoices.push(reference);
      rows.push(
        bookMovement({
          ...base,
          kind: "DEPOSIT",
          counterparty: syntheticAddress(10_000 + Math.floor(random() * 200)),
          reference,
          repeatedReference: reuse,
        }),
      );
    } else if (draw < 0.99) {
      const byProposal = draw >= 0.95;
      const repeat = paid.length > 0 && random() < 0.01;
      const earlier = repeat ? paid[Math.floor(random() * paid.length)] : undefined;
      // Payee 20,000 is the busiest: one payment in ten.
      const payee =
        earlier?.payee ?? syntheticAddress(random() < 0.1 ? 20_000 : 20_001 + Math.floor(random() * 500));
      const reference = earlier?.reference ?? `PO-${i}`;
      if (!earlier) paid.push({ payee, reference });
      rows.push(
        bookMovement({
          ...base,
          kind: "PAYMENT",
          counterparty: payee,
          reference,
          memo: `Invoice ${reference}`,
          budgetId: byProposal ? null : BigInt(ids.indexOf(practiceId) + 1),
          spender: byProposal ? null : syntheticAddress(1),
          proposalId: byProposal ? BigInt(i) : null,
        }),
      );
    } else rows.push(bookMovement({ ...base, kind: "SWEEP", practiceId: zeroHash }));
  }
  await db.transaction((tx) => writeRows(tx, practices, new RowCodec(practices), practiceRows));
  await writeBookMovements(db, rows);
  await writeSyntheticToken(db);
  return {
    slugs,
    movements: rows.length,
    firstMonth: monthOf(start),
    lastMonth: monthOf(start + span - 1),
    busyPayee: syntheticAddress(20_000),
  };
}

// The proposals list: keyset pages by (created_block, proposal_id). A state filter is pure SQL for the
// states the clock and the row decide (Pending, Active, Executed, Canceled); the others cannot be
// (Defeated vs Succeeded needs the eligible bases at each snapshot), so SQL narrows the candidates by
// the clock and each proposal's own grace period, and the caller's `accept` decides exactly; pages
// are refilled until full.
import { and, asc, desc, eq, gte, isNotNull, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { ProposalStateName } from "../../../../indexer/decode/enums.ts";
import type { Database } from "../../../../indexer/store/db.ts";
import type { ProposalRow } from "../../../../indexer/store/mirror.ts";
import { proposals } from "../../../../indexer/store/schema.ts";
import { countRows } from "../../core/countRows.ts";

export type ProposalOrder = "CREATED_ASC" | "CREATED_DESC";

export interface ProposalFilter {
  state?: ProposalStateName | null | undefined;
  proposer?: string | null | undefined;
  /** An intent kind (at least one action of it), or MIXED (actions of several kinds). */
  kind?: string | null | undefined;
  now: number;
}

export type ProposalCursor = [createdBlock: number, proposalId: string];

/** Fetch this many candidates at least per round when a state filter may reject some. */
const MIN_FILTER_BATCH = 50;

/** States whose SQL prefilter is exact (views.ts proposalStateAt decides them before any quorum). */
const DECIDED_IN_SQL: ReadonlySet<ProposalStateName> = new Set(["Pending", "Active", "Executed", "Canceled"]);

export async function listProposals(
  db: Database,
  {
    filter,
    order,
    after,
    limit,
    accept,
  }: {
    filter: ProposalFilter;
    order: ProposalOrder;
    after: ProposalCursor | undefined;
    limit: number;
    /** Decides exactly which candidates pass the state filter (one boolean per row). */
    accept: (rows: ProposalRow[]) => Promise<boolean[]>;
  },
): Promise<ProposalRow[]> {
  const ascending = order === "CREATED_ASC";
  const needsAccept = Boolean(filter.state) && !DECIDED_IN_SQL.has(filter.state as ProposalStateName);
  const batch = needsAccept ? Math.max(limit, MIN_FILTER_BATCH) : limit;
  const out: ProposalRow[] = [];
  let cursor = after;
  while (out.length < limit) {
    const rows = await db
      .select()
      .from(proposals)
      .where(and(...conditions(filter), cursor ? keyset(cursor, ascending) : undefined))
      .orderBy(
        ascending ? asc(proposals.createdBlock) : desc(proposals.createdBlock),
        ascending ? asc(proposals.proposalId) : desc(proposals.proposalId),
      )
      .limit(batch);
    const verdicts = needsAccept ? await accept(rows) : rows.map(() => true);
    rows.forEach((row, i) => {
      if (verdicts[i] && out.length < limit) out.push(row);
    });
    const last = rows.at(-1);
    if (rows.length < batch || !last) break;
    cursor = [last.createdBlock, last.proposalId.toString()];
  }
  return out;
}

/** The count for a filter without a state (the exact state needs every candidate's bases). */
export function countProposals(db: Database, filter: ProposalFilter): Promise<number> {
  return countRows(db, proposals, and(...conditions(filter)));
}

function keyset([block, id]: ProposalCursor, ascending: boolean): SQL {
  return ascending
    ? sql`(${proposals.createdBlock}, ${proposals.proposalId}) > (${block}, ${id}::numeric)`
    : sql`(${proposals.createdBlock}, ${proposals.proposalId}) < (${block}, ${id}::numeric)`;
}

function conditions({ state, proposer, kind, now }: ProposalFilter): (SQL | undefined)[] {
  return [
    proposer ? eq(proposals.proposer, proposer) : undefined,
    kind === "MIXED"
      ? sql`(select count(distinct a.intent) from proposal_actions a where a.proposal_id = ${proposals.proposalId}) > 1`
      : kind
        ? sql`exists (select 1 from proposal_actions a where a.proposal_id = ${proposals.proposalId} and a.intent = ${kind})`
        : undefined,
    state ? statePrefilter(state, now) : undefined,
  ];
}

/**
 * The candidates for `state` at `now`, following indexer/store/views.ts proposalStateAt: a proposal
 * expires its own grace period after its deadline (not queued) or its eta (queued).
 */
function statePrefilter(state: ProposalStateName, now: number): SQL | undefined {
  const open = and(isNull(proposals.executedAt), isNull(proposals.canceledAt));
  const ended = and(open, lt(proposals.voteEnd, now));
  const expiry = sql`COALESCE(${proposals.eta}, ${proposals.voteEnd}) + ${proposals.gracePeriod}`;
  switch (state) {
    case "Executed":
      return isNotNull(proposals.executedAt);
    case "Canceled":
      return and(isNull(proposals.executedAt), isNotNull(proposals.canceledAt));
    case "Pending":
      return and(open, gte(proposals.snapshot, now));
    case "Active":
      return and(open, lt(proposals.snapshot, now), gte(proposals.voteEnd, now));
    case "Defeated":
      // Only a succeeded proposal can be queued, and its tally no longer moves: eta null here.
      return and(ended, isNull(proposals.eta));
    case "Succeeded":
      return and(ended, isNull(proposals.eta), sql`${expiry} >= ${now}`);
    case "Queued":
      return and(ended, isNotNull(proposals.eta), sql`${expiry} >= ${now}`);
    case "Expired":
      // A queued one past its expiry is Expired; an unqueued one only if it passed (else Defeated).
      return and(ended, sql`${expiry} < ${now}`);
  }
}

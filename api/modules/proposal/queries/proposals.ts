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
import type { Bindable, Bound } from "../../core/prefetch.ts";

export type ProposalOrder = "CREATED_ASC" | "CREATED_DESC";

export interface ProposalFilter {
  state?: ProposalStateName | null | undefined;
  proposer?: Bound<string> | null | undefined;
  /** An intent kind (at least one action of it), or MIXED (actions of several kinds). */
  kind?: Bound<string> | null | undefined;
  /** Unix seconds, or an SQL expression of them (read in the same statement: ApiContext.withMirrorReading). */
  now: number | SQL;
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
  const needsAccept = !decidedInSql(filter.state);
  const batch = needsAccept ? Math.max(limit, MIN_FILTER_BATCH) : limit;
  const out: ProposalRow[] = [];
  let cursor = after;
  while (out.length < limit) {
    const rows = await selectProposals(db, { filter, order, after: cursor, limit: batch });
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

/** Whether SQL alone decides the filter's state (or there is none): one select answers a page. */
export function decidedInSql(state: ProposalStateName | null | undefined): boolean {
  return !state || DECIDED_IN_SQL.has(state);
}

/** The order of a list: by creation, then id. */
export function proposalOrder(order: ProposalOrder): SQL[] {
  const by = order === "CREATED_ASC" ? asc : desc;
  return [by(proposals.createdBlock), by(proposals.proposalId)];
}

/**
 * Up to `limit` proposals after `after` that pass the filter's SQL (exactly the state when
 * decidedInSql), as a query a statement may embed.
 */
export function selectProposals(
  db: Database,
  {
    filter,
    order,
    after,
    limit,
  }: {
    filter: ProposalFilter;
    order: ProposalOrder;
    after: BoundCursor | undefined;
    limit: Bound<number>;
  },
) {
  return db
    .select()
    .from(proposals)
    .where(and(...conditions(filter), after ? keyset(after, order === "CREATED_ASC") : undefined))
    .orderBy(...proposalOrder(order))
    .limit(limit);
}

/** The count for a filter without a state (the exact state needs every candidate's bases). */
export function countProposals(db: Database, filter: ProposalFilter): Promise<number> {
  return countRows(db, proposals, and(...conditions(filter)));
}

/** A cursor whose parts may be placeholders. */
export type BoundCursor = Bindable<ProposalCursor>;

function keyset([block, id]: BoundCursor, ascending: boolean): SQL {
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
function statePrefilter(state: ProposalStateName, now: number | SQL): SQL | undefined {
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

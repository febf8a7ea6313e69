// State that depends on the time of reading, computed from the mirror exactly as the contracts compute
// it: a leave lapses by itself, a cover holds a ballot only inside its window, a proposal moves from
// Pending to Active to Defeated or Succeeded (and on to Expired) with no event, and what it must reach
// is a fraction of totals at its snapshot. The audit and the API share these.
import { type SQL, sql } from "drizzle-orm";
import type { MemberStatusName, ProposalStateName } from "../decode/enums.ts";
import type { LeaveRow, MemberRow, ProposalRow } from "./mirror.ts";
import { queryRows, type SqlExecutor } from "./sql.ts";

/** Equity and heads per support: a proposal row's running tally, or the sum of its votes up to a time. */
export type TallySums = Pick<
  ProposalRow,
  "forEquity" | "againstEquity" | "abstainEquity" | "forHeads" | "againstHeads" | "abstainHeads"
>;

/** The tally of a proposal nobody has voted on: where the indexer's row and the API's sums start. */
export function noVotes(): TallySums {
  return {
    forEquity: 0n,
    againstEquity: 0n,
    abstainEquity: 0n,
    forHeads: 0,
    againstHeads: 0,
    abstainHeads: 0,
  };
}

/** A member's status at `timestamp`: a stored OnLeave reads Active from the leave's end (no event). */
export function memberStatusAt(
  member: Pick<MemberRow, "status" | "leaveUntil">,
  timestamp: number,
): MemberStatusName {
  const status = member.status as MemberStatusName;
  if (status === "OnLeave" && member.leaveUntil !== null && timestamp >= member.leaveUntil) return "Active";
  return status;
}

/**
 * When the accepted cover of a leave stops holding the ballot: it stepped down, left the firm or the
 * leave ended early (coverEndedAt), else the leave's end. Null when no cover accepted.
 */
export function coverUntil(leave: Pick<LeaveRow, "coverAcceptedAt" | "coverEndedAt" | "untilAt">) {
  if (leave.coverAcceptedAt === null) return null;
  return leave.coverEndedAt ?? leave.untilAt;
}

/**
 * Whether the leave's cover holds the partner's ballot at `timestamp` (Partnership's cover window
 * [coverFrom, coverUntil)): only from their acceptance, and not after the cover or the leave ended.
 */
export function coverHoldsAt(
  leave: Pick<LeaveRow, "coverAcceptedAt" | "coverEndedAt" | "untilAt">,
  timestamp: number,
): boolean {
  const until = coverUntil(leave);
  return (
    leave.coverAcceptedAt !== null &&
    until !== null &&
    leave.coverAcceptedAt <= timestamp &&
    timestamp < until
  );
}

/**
 * A proposal's eligible bases: every partner at its snapshot, by voting units and by headcount, less
 * a recused partner subject (the governor's `_eligibleBases`, what `proposalQuorums` returns).
 */
export interface ProposalStateContext {
  equityBase: bigint;
  headcountBase: number;
}

/** The columns of a proposal that decide its outcome. */
export type ProposalRule = Pick<
  ProposalRow,
  "equityQuorumBps" | "headcountQuorumBps" | "expulsionEquityBps" | "expulsionHeadcountBps" | "supermajority"
>;

/** ⌈base × bps / 10,000⌉, and never zero: the governor's `_fraction`. */
export function quorumOf(base: bigint, bps: number): bigint {
  const quorum = (base * BigInt(bps) + 9_999n) / 10_000n;
  return quorum === 0n ? 1n : quorum;
}

/**
 * What For must reach in each measure (the governor's `_forThresholds`): more than half of each
 * eligible base, or for a supermajority proposal (an expulsion, a constitutional change) the
 * expulsion quorum of it.
 */
export function forThresholds(p: ProposalRule, bases: ProposalStateContext) {
  const headcountBase = BigInt(bases.headcountBase);
  if (p.supermajority) {
    return {
      equity: quorumOf(bases.equityBase, p.expulsionEquityBps),
      headcount: quorumOf(headcountBase, p.expulsionHeadcountBps),
    };
  }
  return { equity: bases.equityBase / 2n + 1n, headcount: headcountBase / 2n + 1n };
}

/** The governor's `_passed`: For reaches both thresholds, and For plus Abstain both quorums. */
export function proposalPassed(
  p: ProposalRule & Pick<ProposalRow, "forEquity" | "forHeads" | "abstainEquity" | "abstainHeads">,
  bases: ProposalStateContext,
): boolean {
  const needed = forThresholds(p, bases);
  return (
    p.forEquity >= needed.equity &&
    BigInt(p.forHeads) >= needed.headcount &&
    p.forEquity + p.abstainEquity >= quorumOf(bases.equityBase, p.equityQuorumBps) &&
    BigInt(p.forHeads + p.abstainHeads) >= quorumOf(BigInt(bases.headcountBase), p.headcountQuorumBps)
  );
}

/**
 * When the proposal expires with no further step (`proposalThresholds`' expiresAt): its own grace
 * period after the deadline while not queued, after the eta once queued.
 */
export function expiresAt(p: Pick<ProposalRow, "eta" | "voteEnd" | "gracePeriod">): number {
  return (p.eta ?? p.voteEnd) + p.gracePeriod;
}

/** The governor's `state(proposalId)` at `timestamp`, from the mirror's row and its eligible bases. */
export function proposalStateAt(
  proposal: ProposalRow,
  bases: ProposalStateContext,
  timestamp: number,
): ProposalStateName {
  if (proposal.executedAt !== null) return "Executed";
  if (proposal.canceledAt !== null) return "Canceled";
  if (proposal.snapshot >= timestamp) return "Pending";
  if (proposal.voteEnd >= timestamp) return "Active";
  if (!proposalPassed(proposal, bases)) return "Defeated";
  // Both windows use the proposal's own grace period: a later setting revives or kills nothing.
  if (timestamp > expiresAt(proposal)) return "Expired";
  return proposal.eta === null ? "Succeeded" : "Queued";
}

/**
 * SQL for the voting units partners held at `ts` (Partnership.partnerVotesAt): the equity base before
 * any recusal. A fragment, so the API's batched loader computes exactly the same value.
 */
export function partnerVotesAtSql(ts: SQL | number): SQL {
  return sql`(SELECT COALESCE(SUM(latest.votes), 0) FROM (
      SELECT DISTINCT ON (account) account, votes FROM equity_history
      WHERE block_timestamp <= ${ts}
      ORDER BY account, block_number DESC, log_index DESC
    ) latest
    JOIN members m ON m.address = latest.account
    WHERE m.partner_since <= ${ts} AND (m.partner_until IS NULL OR m.partner_until > ${ts}))`;
}

/**
 * SQL for the partners at `ts` (Partnership.headcountAt): every partner, on leave or not, since each
 * ballot has exactly one holder (the partner or the cover they asked and who accepted).
 */
export function headcountAtSql(ts: SQL | number): SQL {
  return sql`(SELECT count(*) FROM members
      WHERE partner_since <= ${ts} AND (partner_until IS NULL OR partner_until > ${ts}))`;
}

/** The voting units partners held at `timestamp`. */
export async function partnerVotesAt(db: SqlExecutor, timestamp: number): Promise<bigint> {
  const [row] = await queryRows<{ total: string }>(
    db,
    sql`SELECT ${partnerVotesAtSql(timestamp)}::text AS total`,
  );
  return BigInt(row?.total ?? "0");
}

/** Partners at `timestamp` (Partnership.headcountAt). */
export async function headcountAt(db: SqlExecutor, timestamp: number): Promise<number> {
  const [row] = await queryRows<{ headcount: string | number }>(
    db,
    sql`SELECT ${headcountAtSql(timestamp)} AS headcount`,
  );
  return Number(row?.headcount ?? 0);
}

/** Whether `account` was a partner at `timestamp`, and its voting units then (Partnership.partnerWeightAt). */
export async function partnerWeightAt(
  db: SqlExecutor,
  account: string,
  timestamp: number,
): Promise<{ partner: boolean; votes: bigint }> {
  const [row] = await queryRows<{ partner: boolean | null; votes: string }>(
    db,
    sql`SELECT (m.partner_since <= ${timestamp}
                AND (m.partner_until IS NULL OR m.partner_until > ${timestamp})) AS partner,
          COALESCE((SELECT e.votes FROM equity_history e
                    WHERE e.account = m.address AND e.block_timestamp <= ${timestamp}
                    ORDER BY e.block_number DESC, e.log_index DESC LIMIT 1), 0)::text AS votes
        FROM members m WHERE m.address = ${account}`,
  );
  if (!row?.partner) return { partner: false, votes: 0n };
  return { partner: true, votes: BigInt(row.votes) };
}

/**
 * The eligible bases of a proposal: totals at its snapshot, less its recused subject when they were a
 * partner then (their units and their head).
 */
export async function proposalBases(
  db: SqlExecutor,
  proposal: Pick<ProposalRow, "snapshot" | "subject">,
): Promise<ProposalStateContext> {
  const equity = await partnerVotesAt(db, proposal.snapshot);
  const headcount = await headcountAt(db, proposal.snapshot);
  const subject =
    proposal.subject === null
      ? { partner: false, votes: 0n }
      : await partnerWeightAt(db, proposal.subject, proposal.snapshot);
  return subject.partner
    ? { equityBase: equity - subject.votes, headcountBase: headcount - 1 }
    : { equityBase: equity, headcountBase: headcount };
}

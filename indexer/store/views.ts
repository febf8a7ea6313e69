// State that depends on the time of reading, computed from the mirror exactly as the contracts compute
// it: a leave lapses by itself, a proposal moves from Pending to Active to Defeated or Succeeded with
// no event, and its quorums are fractions of totals at its snapshot. The audit and the API share these.
import { type SQL, sql } from "drizzle-orm";
import type { MemberStatusName, ProposalStateName } from "../decode/enums.ts";
import type { MemberRow, ProposalRow } from "./mirror.ts";
import { queryRows, type SqlExecutor } from "./sql.ts";

/** A member's status at `timestamp`: a stored OnLeave reads Active from the leave's end (no event). */
export function memberStatusAt(
  member: Pick<MemberRow, "status" | "leaveUntil">,
  timestamp: number,
): MemberStatusName {
  const status = member.status as MemberStatusName;
  if (status === "OnLeave" && member.leaveUntil !== null && timestamp >= member.leaveUntil) return "Active";
  return status;
}

/** What a proposal's state needs beyond its own row. */
export interface ProposalStateContext {
  /** Voting units at the snapshot (the equity quorum's base). */
  equityBase: bigint;
  /** Partners at the snapshot who were not on leave then (the headcount quorum's base). */
  headcountBase: number;
  /** The grace period in force at the time of reading (the governor reads its current setting). */
  gracePeriod: number;
}

/** ⌈base × bps / 10,000⌉, and never zero: the governor's `_fraction`. */
export function quorumOf(base: bigint, bps: number): bigint {
  const quorum = (base * BigInt(bps) + 9_999n) / 10_000n;
  return quorum === 0n ? 1n : quorum;
}

/** The governor's `state(proposalId)` at `timestamp`, from the mirror's row. */
export function proposalStateAt(
  proposal: ProposalRow,
  context: ProposalStateContext,
  timestamp: number,
): ProposalStateName {
  if (proposal.executedAt !== null) return "Executed";
  if (proposal.canceledAt !== null) return "Canceled";
  if (proposal.snapshot >= timestamp) return "Pending";
  if (proposal.voteEnd >= timestamp) return "Active";
  if (!quorumReached(proposal, context) || !voteSucceeded(proposal)) return "Defeated";
  if (proposal.eta === null) return "Succeeded";
  if (timestamp > proposal.eta + context.gracePeriod) return "Expired";
  return "Queued";
}

/** For and Abstain count toward both quorums. */
function quorumReached(p: ProposalRow, context: ProposalStateContext): boolean {
  const equity = p.forEquity + p.abstainEquity >= quorumOf(context.equityBase, p.equityQuorumBps);
  const heads =
    BigInt(p.forHeads + p.abstainHeads) >= quorumOf(BigInt(context.headcountBase), p.headcountQuorumBps);
  return equity && heads;
}

/** A majority both by equity and by headcount among the ballots cast. */
function voteSucceeded(p: ProposalRow): boolean {
  return p.forEquity > p.againstEquity && p.forHeads > p.againstHeads;
}

/**
 * SQL for the voting units partners held at `ts` (Partnership.partnerVotesAt): the equity quorum's
 * base. A fragment, so the API's batched loader computes exactly the same value.
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

/** SQL for the partners at `ts` who were not on leave then (Partnership.headcountAt). */
export function headcountAtSql(ts: SQL | number): SQL {
  return sql`((SELECT count(*) FROM members
      WHERE partner_since <= ${ts} AND (partner_until IS NULL OR partner_until > ${ts}))
    - (SELECT count(*) FROM leaves WHERE from_at <= ${ts} AND until_at > ${ts}))`;
}

/** The voting units partners held at `timestamp`: the equity quorum's base. */
export async function partnerVotesAt(db: SqlExecutor, timestamp: number): Promise<bigint> {
  const [row] = await queryRows<{ total: string }>(
    db,
    sql`SELECT ${partnerVotesAtSql(timestamp)}::text AS total`,
  );
  return BigInt(row?.total ?? "0");
}

/** Partners at `timestamp` who were not on leave then (Partnership.headcountAt). */
export async function headcountAt(db: SqlExecutor, timestamp: number): Promise<number> {
  const [row] = await queryRows<{ headcount: string | number }>(
    db,
    sql`SELECT ${headcountAtSql(timestamp)} AS headcount`,
  );
  return Number(row?.headcount ?? 0);
}

/** The quorum bases of a proposal: totals at its snapshot. */
export async function proposalBases(db: SqlExecutor, proposal: Pick<ProposalRow, "snapshot">) {
  return {
    equityBase: await partnerVotesAt(db, proposal.snapshot),
    headcountBase: await headcountAt(db, proposal.snapshot),
  };
}

// Governor events: proposals and their lifecycle, ballots (own and by cover), recusals, the proposal
// rules and the settings.
import { zeroAddress } from "viem";
import { enumName, SUPPORTS, type SupportName } from "../decode/enums.ts";
import { classifyProposal, decodeIntent, type ProposalCall } from "../decode/intents.ts";
import type { ChangeAt } from "../store/entities.ts";
import {
  type ProposalRow,
  type ProposalRuleRow,
  SETTINGS_KEY,
  type SettingsRow,
  type VoteRow,
} from "../store/mirror.ts";
import { memberStatusAt, noVotes } from "../store/views.ts";
import { type ContractHandlers, type HandlerContext, noEffect } from "./context.ts";
import { changeSetting } from "./settings.ts";

export const governorHandlers: ContractHandlers<"governor"> = {
  // The proposal keeps the rule in force at its snapshot, and its kind as the governor classified it
  // at propose time (membership and grants as the mirror holds them at this event).
  ProposalCreated({ args, at }, ctx) {
    const snapshot = Number(args.voteStart);
    const rule = ruleAt(ctx, snapshot);
    const calls: ProposalCall[] = args.targets.map((target, index) => ({
      target,
      value: args.values[index] ?? 0n,
      data: args.calldatas[index] ?? "0x",
    }));
    const kind = classifyProposal(calls, ctx.manifest.contracts, {
      isActivePartner(account) {
        const member = ctx.members.get(account);
        if (member?.role !== "Partner") return false;
        const status = memberStatusAt(member, at.blockTimestamp);
        return status === "Active" || status === "OnLeave";
      },
      grantBeneficiary: (grantId) => ctx.grants.get(String(grantId))?.beneficiary ?? zeroAddress,
    });
    ctx.proposals.insert(
      {
        proposalId: args.proposalId,
        proposer: args.proposer,
        description: args.description,
        title: proposalTitle(args.description),
        snapshot,
        voteStart: snapshot + 1,
        voteEnd: Number(args.voteEnd),
        equityQuorumBps: rule.equityQuorumBps,
        headcountQuorumBps: rule.headcountQuorumBps,
        ruleIndex: rule.ruleIndex,
        expulsionEquityBps: rule.expulsionEquityBps,
        expulsionHeadcountBps: rule.expulsionHeadcountBps,
        gracePeriod: rule.gracePeriod,
        supermajority: kind.supermajority,
        movesFunds: kind.movesFunds,
        subject: null,
        createdAt: at.blockTimestamp,
        createdBlock: at.blockNumber,
        createdTx: at.txHash,
        queuedAt: null,
        eta: null,
        queuedTx: null,
        executedAt: null,
        executedBlock: null,
        executedTx: null,
        canceledAt: null,
        canceledTx: null,
        ...noVotes(),
        updatedBlock: at.blockNumber,
      },
      at,
    );
    calls.forEach((call, index) => {
      const intent = decodeIntent(call, ctx.manifest.contracts);
      ctx.proposalActions.push({
        proposalId: args.proposalId,
        actionIndex: index,
        target: call.target,
        value: call.value,
        calldata: call.data,
        intent: intent.kind,
        args: intent.args,
        summary: intent.summary,
        blockNumber: at.blockNumber,
      });
    });
  },

  ProposalQueued({ args, at }, ctx) {
    const patch = { queuedAt: at.blockTimestamp, eta: Number(args.etaSeconds), queuedTx: at.txHash };
    ctx.proposals.update(String(args.proposalId), { ...patch, updatedBlock: at.blockNumber }, at);
  },

  ProposalExecuted({ args, at }, ctx) {
    const patch = { executedAt: at.blockTimestamp, executedBlock: at.blockNumber, executedTx: at.txHash };
    ctx.proposals.update(String(args.proposalId), { ...patch, updatedBlock: at.blockNumber }, at);
    ctx.linker.executed(at, args.proposalId);
  },

  ProposalCanceled({ args, at }, ctx) {
    const patch = { canceledAt: at.blockTimestamp, canceledTx: at.txHash };
    ctx.proposals.update(String(args.proposalId), { ...patch, updatedBlock: at.blockNumber }, at);
  },

  VoteCast({ args, at }, ctx) {
    castBallot(ctx, at, { ...args, params: undefined });
  },

  // Not emitted by this governor (it refuses params) but part of IGovernor: counted the same way.
  VoteCastWithParams({ args, at }, ctx) {
    castBallot(ctx, at, args);
  },

  /**
   * Follows the VoteCast of the same call, whose weight is the sum of both ballots. Splits that row:
   * the covered partner's ballot becomes its own row (cast by the cover), and the cover's own row keeps
   * the rest, or disappears into the partner's when the cover had no ballot of their own.
   */
  VoteCastByCover({ args, at }, ctx) {
    const voteCast = ctx.votes.findLast(
      (row) => row.txHash === at.txHash && row.logIndex === at.logIndex - 1 && row.castBy === args.cover,
    );
    if (!voteCast || voteCast.proposalId !== args.proposalId) {
      throw new Error(`VoteCastByCover of ${args.cover} does not follow its VoteCast`);
    }
    if (!args.alsoSelf) {
      if (voteCast.weight !== args.weight)
        throw new Error("a cover-only VoteCast must carry the covered weight");
      voteCast.voter = args.partner;
      return;
    }
    voteCast.weight -= args.weight;
    ctx.votes.push({ ...voteCast, voter: args.partner, weight: args.weight, ...at });
    // VoteCast counted one head for the call; the cover's own ballot is a second one.
    const support = enumName(SUPPORTS, args.support, "support");
    addToTally(ctx, at, args.proposalId, support, 0n, 1);
  },

  // Follows its ProposalCreated. The governor keeps the first subject (its `_subjects`), whose units
  // and head leave the eligible bases when they were a partner at the snapshot.
  VoterRecused({ args, at }, ctx) {
    ctx.recusals.push({ proposalId: args.proposalId, subject: args.subject, blockNumber: at.blockNumber });
    const key = String(args.proposalId);
    const proposal = ctx.proposals.require(key);
    if (proposal.subject === null && args.subject !== zeroAddress) {
      ctx.proposals.update(key, { subject: args.subject, updatedBlock: at.blockNumber }, at);
    }
  },

  QuorumChanged({ args, at }, ctx) {
    changeSetting(ctx, at, "governor", "equityQuorumBps", args.oldEquityBps, args.newEquityBps);
    changeSetting(ctx, at, "governor", "headcountQuorumBps", args.oldHeadcountBps, args.newHeadcountBps);
  },

  ExpulsionQuorumChanged({ args, at }, ctx) {
    changeSetting(ctx, at, "governor", "expulsionEquityBps", args.oldEquityBps, args.newEquityBps);
    changeSetting(ctx, at, "governor", "expulsionHeadcountBps", args.oldHeadcountBps, args.newHeadcountBps);
  },

  // The setter events just before it (same call) made the settings row the new rule: it is recorded
  // as they stand, for proposals whose snapshot is at or after `since`.
  ProposalRuleScheduled({ args, at }, ctx) {
    const ruleIndex = Number(args.ruleIndex);
    const settings = ctx.settings.get(SETTINGS_KEY);
    const value = (name: keyof SettingsRow) => {
      const v = settings?.[name];
      if (v === null || v === undefined)
        throw new Error(`rule ${ruleIndex} was scheduled before any ${name}`);
      return Number(v);
    };
    const previous = ruleIndex === 0 ? undefined : ctx.proposalRules.get(String(ruleIndex - 1));
    if (ruleIndex !== 0 && !previous) throw new Error(`rule ${ruleIndex} follows no rule ${ruleIndex - 1}`);
    ctx.proposalRules.insert(
      {
        ruleIndex,
        since: args.since,
        equityQuorumBps: value("equityQuorumBps"),
        headcountQuorumBps: value("headcountQuorumBps"),
        expulsionEquityBps: value("expulsionEquityBps"),
        expulsionHeadcountBps: value("expulsionHeadcountBps"),
        gracePeriod: value("gracePeriod"),
        scheduledBlock: at.blockNumber,
        scheduledTx: at.txHash,
        updatedBlock: at.blockNumber,
      },
      at,
    );
  },

  VotingDelaySet({ args, at }, ctx) {
    changeSetting(ctx, at, "governor", "votingDelay", args.oldVotingDelay, args.newVotingDelay);
  },

  VotingPeriodSet({ args, at }, ctx) {
    changeSetting(ctx, at, "governor", "votingPeriod", args.oldVotingPeriod, args.newVotingPeriod);
  },

  GracePeriodSet({ args, at }, ctx) {
    changeSetting(ctx, at, "governor", "gracePeriod", args.oldGracePeriod, args.newGracePeriod);
  },

  EIP712DomainChanged: noEffect,
};

interface Ballot {
  voter: string;
  proposalId: bigint;
  support: number;
  weight: bigint;
  reason: string;
  params: unknown;
}

/** One VoteCast: a row for the caller's ballot (split later if a VoteCastByCover follows) and a head. */
function castBallot(ctx: HandlerContext, at: ChangeAt, ballot: Ballot): void {
  const support = enumName(SUPPORTS, ballot.support, "support");
  const row: VoteRow = {
    proposalId: ballot.proposalId,
    voter: ballot.voter,
    castBy: ballot.voter,
    support,
    weight: ballot.weight,
    headcount: 1,
    reason: ballot.reason,
    ...at,
  };
  ctx.votes.push(row);
  addToTally(ctx, at, ballot.proposalId, support, ballot.weight, 1);
}

const TALLY_FIELDS = {
  For: { equity: "forEquity", heads: "forHeads" },
  Against: { equity: "againstEquity", heads: "againstHeads" },
  Abstain: { equity: "abstainEquity", heads: "abstainHeads" },
} as const satisfies Record<SupportName, { equity: keyof ProposalRow; heads: keyof ProposalRow }>;

function addToTally(
  ctx: HandlerContext,
  at: ChangeAt,
  proposalId: bigint,
  support: SupportName,
  equity: bigint,
  heads: number,
): void {
  const key = String(proposalId);
  const proposal = ctx.proposals.require(key);
  const fields = TALLY_FIELDS[support];
  ctx.proposals.update(
    key,
    {
      [fields.equity]: proposal[fields.equity] + equity,
      [fields.heads]: proposal[fields.heads] + heads,
      updatedBlock: at.blockNumber,
    },
    at,
  );
}

/**
 * The rule for a snapshot: the newest one in force at it (since ≤ snapshot), as the governor's
 * `_ruleAt`. Rules scheduled later start after every existing snapshot, so it never changes.
 */
function ruleAt(ctx: HandlerContext, snapshot: number): ProposalRuleRow {
  let rule: ProposalRuleRow | undefined;
  for (const candidate of ctx.proposalRules.values()) {
    if (candidate.since > snapshot) continue;
    if (!rule || candidate.ruleIndex > rule.ruleIndex) rule = candidate;
  }
  if (!rule) throw new Error("a proposal was made before any ProposalRuleScheduled event");
  return rule;
}

/** The first non-empty line of a description, without Markdown heading marks. */
export function proposalTitle(description: string): string {
  const firstLine = description.split("\n").find((line) => line.trim() !== "") ?? "";
  return firstLine
    .replace(/^\s*#+\s*/, "")
    .replace(/#proposer=0x[0-9a-fA-F]{40}\s*$/, "")
    .trim();
}

// Governor events: proposals and their lifecycle, ballots (own and by cover), recusals and settings.
import { enumName, SUPPORTS, type SupportName } from "../decode/enums.ts";
import { decodeIntent } from "../decode/intents.ts";
import type { ChangeAt } from "../store/entities.ts";
import { type ProposalRow, SETTINGS_KEY, type VoteRow } from "../store/mirror.ts";
import { type ContractHandlers, type HandlerContext, noEffect } from "./context.ts";
import { changeSetting } from "./settings.ts";

export const governorHandlers: ContractHandlers<"governor"> = {
  ProposalCreated({ args, at }, ctx) {
    const settings = ctx.settings.require(SETTINGS_KEY);
    if (settings.equityQuorumBps === null || settings.headcountQuorumBps === null) {
      throw new Error("a proposal was made before any QuorumChanged event");
    }
    ctx.proposals.insert(
      {
        proposalId: args.proposalId,
        proposer: args.proposer,
        description: args.description,
        title: proposalTitle(args.description),
        snapshot: Number(args.voteStart),
        voteStart: Number(args.voteStart) + 1,
        voteEnd: Number(args.voteEnd),
        equityQuorumBps: settings.equityQuorumBps,
        headcountQuorumBps: settings.headcountQuorumBps,
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
        forEquity: 0n,
        againstEquity: 0n,
        abstainEquity: 0n,
        forHeads: 0,
        againstHeads: 0,
        abstainHeads: 0,
        updatedBlock: at.blockNumber,
      },
      at,
    );
    args.targets.forEach((target, index) => {
      const call = { target, value: args.values[index] ?? 0n, data: args.calldatas[index] ?? "0x" };
      const intent = decodeIntent(call, ctx.manifest.contracts);
      ctx.proposalActions.push({
        proposalId: args.proposalId,
        actionIndex: index,
        target,
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

  VoterRecused({ args, at }, ctx) {
    ctx.recusals.push({ proposalId: args.proposalId, subject: args.subject, blockNumber: at.blockNumber });
  },

  QuorumChanged({ args, at }, ctx) {
    changeSetting(ctx, at, "governor", "equityQuorumBps", args.oldEquityBps, args.newEquityBps);
    changeSetting(ctx, at, "governor", "headcountQuorumBps", args.oldHeadcountBps, args.newHeadcountBps);
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

/** The first non-empty line of a description, without Markdown heading marks. */
export function proposalTitle(description: string): string {
  const firstLine = description.split("\n").find((line) => line.trim() !== "") ?? "";
  return firstLine
    .replace(/^\s*#+\s*/, "")
    .replace(/#proposer=0x[0-9a-fA-F]{40}\s*$/, "")
    .trim();
}

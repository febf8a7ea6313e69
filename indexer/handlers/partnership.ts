// Partnership events: the roster (admission, roles, statuses, leave and cover), the equity ledger
// (ERC-20 balances and ERC-5805 votes) and the grant book, plus buy-backs, withdrawals, balance
// snapshots and the leave rules.
import { type Address, zeroAddress } from "viem";
import { enumName, MEMBER_STATUSES, ROLES } from "../decode/enums.ts";
import type { ChangeAt } from "../store/entities.ts";
import type { MemberRow } from "../store/mirror.ts";
import { type ContractHandlers, type HandlerContext, noEffect, touched } from "./context.ts";
import { recordTreasuryOutflow } from "./recordTreasuryOutflow.ts";
import { changeSetting, currentSetting } from "./settings.ts";

export const partnershipHandlers: ContractHandlers<"partnership"> = {
  MemberAdmitted({ args, at }, ctx) {
    const role = enumName(ROLES, args.role, "role");
    ctx.members.insert(newMember(args.account, role, Number(args.index), args.since, at), at);
    ctx.linker.whenExecuted(at, (proposalId) =>
      ctx.members.amend(args.account, { admissionProposalId: proposalId }),
    );
  },

  MemberRoleChanged({ args, at }, ctx) {
    const role = enumName(ROLES, args.newRole, "role");
    // A partnership interval starts at promotion (the contract's _becomePartner) and never restarts.
    const partnerSince = role === "Partner" ? { partnerSince: args.at } : {};
    ctx.members.update(args.account, { role, ...partnerSince, ...touched(at) }, at);
  },

  MemberStatusChanged({ args, at }, ctx) {
    const status = enumName(MEMBER_STATUSES, args.newStatus, "member status");
    const member = ctx.members.require(args.account);
    const departs = status === "Retired" || status === "Removed";
    const departure = departs
      ? { departedAt: args.at, partnerUntil: member.role === "Partner" ? args.at : member.partnerUntil }
      : {};
    ctx.members.update(args.account, { status, ...departure, ...touched(at) }, at);
    if (departs) {
      ctx.linker.whenExecuted(at, (proposalId) =>
        ctx.members.amend(args.account, { departureProposalId: proposalId }),
      );
    }
  },

  // `cover` is the colleague asked (the zero address: nobody); they hold nothing until CoverAccepted.
  LeaveDeclared({ args, at }, ctx) {
    const leaveId = Number(args.leaveId);
    ctx.leaves.insert(
      {
        leaveId,
        partner: args.partner,
        cover: args.cover,
        fromAt: args.from,
        untilAt: args.until,
        endedAt: null,
        coverAcceptedAt: null,
        coverEndedAt: null,
        declaredBlock: at.blockNumber,
        declaredTx: at.txHash,
        updatedBlock: at.blockNumber,
      },
      at,
    );
    const leave = { leaveId, leaveCover: args.cover, leaveFrom: args.from, leaveUntil: args.until };
    ctx.members.update(args.partner, { ...leave, ...touched(at) }, at);
  },

  // An early end ends an accepted cover still holding the ballot with it (Partnership._endLeave).
  LeaveEnded({ args, at }, ctx) {
    const leaveId = Number(args.leaveId);
    const leave = ctx.leaves.require(String(leaveId));
    const holding = leave.coverAcceptedAt !== null && leave.coverEndedAt === null;
    ctx.leaves.update(
      String(leaveId),
      {
        untilAt: args.at,
        endedAt: args.at,
        ...(holding ? { coverEndedAt: args.at } : {}),
        updatedBlock: at.blockNumber,
      },
      at,
    );
    // The member row mirrors the latest leave only; an older one ending changes nothing there.
    if (ctx.members.require(args.partner).leaveId === leaveId) {
      ctx.members.update(args.partner, { leaveUntil: args.at, ...touched(at) }, at);
    }
  },

  CoverAccepted({ args, at }, ctx) {
    const key = String(args.leaveId);
    const leave = ctx.leaves.require(key);
    if (leave.partner !== args.partner || leave.cover !== args.cover) {
      throw new Error(`leave ${key} is ${leave.partner}'s with ${leave.cover} asked to cover it`);
    }
    if (leave.coverAcceptedAt !== null) throw new Error(`the cover of leave ${key} was already accepted`);
    ctx.leaves.update(key, { coverAcceptedAt: args.at, updatedBlock: at.blockNumber }, at);
    touchBallotHolders(ctx, at, args.partner, args.cover);
  },

  // The cover stepped down, or left the firm: the partner, still on leave, holds their ballot again.
  CoverEnded({ args, at }, ctx) {
    const key = String(args.leaveId);
    const leave = ctx.leaves.require(key);
    if (leave.coverAcceptedAt === null || leave.coverEndedAt !== null || leave.cover !== args.cover) {
      throw new Error(`leave ${key} has no cover by ${args.cover} holding the ballot`);
    }
    ctx.leaves.update(key, { coverEndedAt: args.at, updatedBlock: at.blockNumber }, at);
    touchBallotHolders(ctx, at, args.partner, args.cover);
  },

  // The event carries the new rules only: the old values are the mirror's (null → 0 at deployment).
  LeaveRulesChanged({ args, at }, ctx) {
    const [minLeave, cooldown] = [currentSetting(ctx, "minLeave"), currentSetting(ctx, "leaveCooldown")];
    changeSetting(ctx, at, "partnership", "minLeave", minLeave ?? 0, args.minLeave);
    changeSetting(ctx, at, "partnership", "leaveCooldown", cooldown ?? 0, args.cooldown);
  },

  // Emitted after the departure's events (an active member retires) and the burn's Transfer.
  MemberWithdrew({ args, at }, ctx) {
    ctx.members.require(args.account);
    ctx.memberWithdrawals.push({
      account: args.account,
      units: args.units,
      totalUnits: args.totalUnits,
      withdrawnAt: args.at,
      ...at,
    });
  },

  GrantCreated({ args, at }, ctx) {
    ctx.grants.insert(
      {
        grantId: args.grantId,
        beneficiary: args.beneficiary,
        units: args.units,
        startAt: args.start,
        cliffEnd: args.cliffEnd,
        endAt: args.end,
        released: 0n,
        revokedAt: null,
        forfeited: null,
        createdBlock: at.blockNumber,
        createdTx: at.txHash,
        createdProposalId: null,
        revokedProposalId: null,
        updatedBlock: at.blockNumber,
      },
      at,
    );
    const key = String(args.grantId);
    ctx.linker.whenExecuted(at, (proposalId) => ctx.grants.amend(key, { createdProposalId: proposalId }));
  },

  GrantReleased({ args, at }, ctx) {
    ctx.grants.update(
      String(args.grantId),
      { released: args.totalReleased, updatedBlock: at.blockNumber },
      at,
    );
  },

  GrantRevoked({ args, at }, ctx) {
    const key = String(args.grantId);
    ctx.grants.update(
      key,
      { revokedAt: args.at, forfeited: args.forfeited, updatedBlock: at.blockNumber },
      at,
    );
    ctx.linker.whenExecuted(at, (proposalId) => ctx.grants.amend(key, { revokedProposalId: proposalId }));
  },

  // Units are minted on release and burned on buy-back: the only transfers (others revert).
  Transfer({ args, at }, ctx) {
    if (args.from !== zeroAddress) changeEquity(ctx, args.from, -args.value, 0n, at);
    if (args.to !== zeroAddress) changeEquity(ctx, args.to, args.value, 0n, at);
  },

  DelegateVotesChanged({ args, at }, ctx) {
    const current = ctx.accounts.get(args.delegate)?.votes ?? 0n;
    if (current !== args.previousVotes) {
      throw new Error(
        `votes of ${args.delegate} were ${args.previousVotes} on chain but ${current} in the mirror`,
      );
    }
    changeEquity(ctx, args.delegate, 0n, args.newVotes - args.previousVotes, at);
  },

  UnitsBoughtBack({ args, at }, ctx) {
    const buyback = ctx.buybacks.push({
      account: args.account,
      amount: args.amount,
      token: args.token,
      price: args.price,
      proposalId: null,
      ...at,
    });
    // An ERC-20 price is pulled from the treasury by the call; an ETH price shows as the call's value.
    if (args.token !== zeroAddress) {
      recordTreasuryOutflow(ctx, at, {
        kind: "buyback",
        token: args.token,
        amount: args.price,
        counterparty: args.account,
      });
    }
    ctx.linker.whenExecuted(at, (proposalId) => {
      buyback.proposalId = proposalId;
    });
  },

  BuybackPaid({ args, at }, ctx) {
    ctx.buybackPayments.push({ account: args.account, token: args.token, amount: args.amount, ...at });
  },

  SnapshotTaken({ args, at }, ctx) {
    ctx.equitySnapshots.push({
      snapshotId: args.snapshotId,
      totalSupply: args.totalSupply,
      takenAt: args.at,
      blockNumber: at.blockNumber,
    });
  },

  // Never emitted: approvals and delegation revert (EquityNonTransferable).
  Approval: noEffect,
  DelegateChanged: noEffect,
};

// Who holds the partner's ballot changed: both members' rows are touched, so `memberChanged`
// subscribers of either hear of it (the cover's acceptance lives on the leave row).
function touchBallotHolders(ctx: HandlerContext, at: ChangeAt, partner: Address, cover: Address): void {
  ctx.members.update(partner, touched(at), at);
  ctx.members.update(cover, touched(at), at);
}

function newMember(
  address: Address,
  role: MemberRow["role"],
  index: number,
  since: number,
  at: ChangeAt,
): MemberRow {
  return {
    address,
    memberIndex: index,
    role,
    status: "Active",
    admittedAt: since,
    admissionBlock: at.blockNumber,
    admissionTx: at.txHash,
    admissionProposalId: null,
    partnerSince: role === "Partner" ? since : null,
    partnerUntil: null,
    leaveId: null,
    leaveCover: null,
    leaveFrom: null,
    leaveUntil: null,
    departedAt: null,
    departureProposalId: null,
    successor: null,
    ...touched(at),
  };
}

/** Applies a balance or votes change to an account and appends its delta row. */
function changeEquity(
  ctx: HandlerContext,
  account: Address,
  deltaBalance: bigint,
  deltaVotes: bigint,
  at: ChangeAt,
) {
  const previous = ctx.accounts.get(account);
  const balance = (previous?.balance ?? 0n) + deltaBalance;
  const votes = (previous?.votes ?? 0n) + deltaVotes;
  if (balance < 0n) throw new Error(`the balance of ${account} would fall below zero`);
  ctx.accounts.upsert(
    account,
    { address: account, balance, votes, updatedBlock: at.blockNumber },
    { balance, votes, updatedBlock: at.blockNumber },
    at,
  );
  ctx.equityHistory.push({ account, ...at, deltaBalance, deltaVotes, balance, votes });
}

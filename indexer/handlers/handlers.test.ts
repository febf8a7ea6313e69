// The handlers of the events the issue-9 contracts added, run in memory over synthetic logs (no
// database): covers that must accept and can step down, the leave rules, withdrawals and the desk's
// book, practices left without a lead, proposal rules and each proposal's rule, kind and subject.
import { type Address, encodeFunctionData, type Hex, keccak256, toHex, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { partnershipAbi } from "../../contracts/abi.ts";
import { createLogDecoder } from "../decode/logs.ts";
import { HandlerError, LogDecodeError } from "../store/errors.ts";
import { MirrorMemory, SETTINGS_KEY } from "../store/mirror.ts";
import type { BlockRange } from "../store/types.ts";
import {
  encodeFirmEvent,
  governorRuleEvents,
  SyntheticChain,
  syntheticManifest,
} from "../testing/syntheticChain.ts";
import { handleEvent } from "./index.ts";

const manifest = syntheticManifest(1);
const decoder = createLogDecoder(manifest);
const e = encodeFirmEvent.bind(null, manifest) as typeof encodeFirmEvent extends (
  m: never,
  ...rest: infer R
) => infer T
  ? (...rest: R) => T
  : never;
const account = (n: number) => `0x${(0xc000 + n).toString(16).padStart(40, "0")}` as Address;
const [alice, bob, carol, dave] = [account(1), account(2), account(3), account(4)];
const token = account(99);
const DAY = 86_400;

/** Runs every log of `range` through the handlers, as the store does, into `mirror` (one range). */
function apply(mirror: MirrorMemory, range: BlockRange): void {
  const headers = new Map(range.blocks.map((b) => [b.number, b]));
  const context = {
    ...mirror.tables,
    manifest,
    linker: mirror.linker,
    tokenMetadata: range.tokens ?? new Map(),
  };
  for (const log of range.logs) {
    const event = decoder.decode(log);
    const at = {
      blockNumber: Number(log.blockNumber),
      logIndex: log.logIndex,
      blockTimestamp: Number(headers.get(log.blockNumber)?.timestamp),
      txHash: log.transactionHash,
    };
    handleEvent(event, at, context);
  }
}

/** Four partners of 1,000 votes (alice, bob, carol, dave), the governor's first rule and leave rules. */
function founded(chain: SyntheticChain, t: number) {
  chain.block([
    [
      ...governorRuleEvents(manifest),
      e("partnership", "LeaveRulesChanged", { minLeave: DAY, cooldown: 7 * DAY }),
    ],
    [alice, bob, carol, dave].flatMap((who, i) => [
      e("partnership", "MemberAdmitted", { account: who, role: 1, index: BigInt(i + 1), since: t }),
      e("partnership", "GrantCreated", {
        grantId: BigInt(i + 1),
        beneficiary: who,
        units: 1_000n,
        start: t,
        cliffEnd: t,
        end: t + 1,
      }),
      e("partnership", "DelegateVotesChanged", { delegate: who, previousVotes: 0n, newVotes: 1_000n }),
    ]),
  ]);
}

/** A LeaveDeclared of `partner`, asking `cover` (zeroAddress: nobody), for [from, until). */
function leaveDeclared(partner: Address, cover: Address, leaveId: bigint, from: number, until: number) {
  return e("partnership", "LeaveDeclared", { partner, cover, leaveId, from, until });
}

function freshFirm() {
  const chain = new SyntheticChain(manifest);
  const t = Number(chain.nextTimestamp);
  founded(chain, t);
  return { chain, t, mirror: new MirrorMemory() };
}

describe("leave and cover handlers", () => {
  it("gives the cover nothing until they accept, and ends it when they step down or the leave ends", () => {
    const { chain, t, mirror } = freshFirm();
    chain.block([
      [leaveDeclared(alice, bob, 1n, t + 12, t + 9 * DAY)],
      [e("partnership", "CoverAccepted", { partner: alice, cover: bob, leaveId: 1n, at: t + 24 })],
    ]);
    chain.block([[e("partnership", "CoverEnded", { partner: alice, cover: bob, leaveId: 1n, at: t + 36 })]]);
    chain.block([
      [
        leaveDeclared(carol, dave, 2n, t + 48, t + 5 * DAY),
        e("partnership", "CoverAccepted", { partner: carol, cover: dave, leaveId: 2n, at: t + 48 }),
      ],
      [e("partnership", "LeaveEnded", { partner: carol, cover: dave, leaveId: 2n, at: t + 60 })],
      // Nobody asked: the zero address.
      [leaveDeclared(dave, zeroAddress, 3n, t + 60, t + 2 * DAY)],
    ]);
    apply(mirror, chain.range());
    const leave = (id: number) => mirror.tables.leaves.require(String(id));
    expect(leave(1)).toMatchObject({
      cover: bob,
      coverAcceptedAt: t + 24,
      coverEndedAt: t + 36,
      endedAt: null,
    });
    expect(leave(2)).toMatchObject({
      coverAcceptedAt: t + 48,
      coverEndedAt: t + 60,
      endedAt: t + 60,
      untilAt: t + 60,
    });
    expect(leave(3)).toMatchObject({ cover: zeroAddress, coverAcceptedAt: null, coverEndedAt: null });
    expect(mirror.tables.members.require(dave)).toMatchObject({ leaveId: 3, leaveCover: zeroAddress });
  });

  it("keeps a cover that stepped down as it was when the leave then ends early", () => {
    const { chain, t, mirror } = freshFirm();
    chain.block([
      [leaveDeclared(alice, bob, 1n, t + 12, t + 9 * DAY)],
      [e("partnership", "CoverAccepted", { partner: alice, cover: bob, leaveId: 1n, at: t + 12 })],
      [e("partnership", "CoverEnded", { partner: alice, cover: bob, leaveId: 1n, at: t + 12 })],
      [e("partnership", "LeaveEnded", { partner: alice, cover: bob, leaveId: 1n, at: t + 12 })],
    ]);
    apply(mirror, chain.range());
    expect(mirror.tables.leaves.require("1")).toMatchObject({ coverEndedAt: t + 12, endedAt: t + 12 });
  });

  it("stops on a cover event the mirror cannot place, naming it", () => {
    const { chain, t, mirror } = freshFirm();
    chain.block([
      [leaveDeclared(alice, bob, 1n, t + 12, t + 9 * DAY)],
      [e("partnership", "CoverAccepted", { partner: alice, cover: carol, leaveId: 1n, at: t + 12 })],
    ]);
    expect(() => apply(mirror, chain.range())).toThrowError(
      /partnership\.CoverAccepted at block 2.*bob|partnership\.CoverAccepted at block 2/,
    );
    const other = freshFirm();
    other.chain.block([[e("partnership", "CoverEnded", { partner: alice, cover: bob, leaveId: 7n, at: t })]]);
    expect(() => apply(other.mirror, other.chain.range())).toThrowError(HandlerError);
  });

  it("records the leave rules in force and their changes, old values from the mirror", () => {
    const { chain, mirror } = freshFirm();
    chain.block([[e("partnership", "LeaveRulesChanged", { minLeave: 2 * DAY, cooldown: 10 * DAY })]]);
    apply(mirror, chain.range());
    expect(mirror.tables.settings.require(SETTINGS_KEY)).toMatchObject({
      minLeave: 2 * DAY,
      leaveCooldown: 10 * DAY,
    });
    expect(
      mirror.tables.settingChanges
        .all()
        .filter((c) => c.contract === "partnership")
        .map((c) => [c.parameter, c.oldValue, c.newValue]),
    ).toEqual([
      ["minLeave", 0n, BigInt(DAY)],
      ["leaveCooldown", 0n, BigInt(7 * DAY)],
      ["minLeave", BigInt(DAY), BigInt(2 * DAY)],
      ["leaveCooldown", BigInt(7 * DAY), BigInt(10 * DAY)],
    ]);
  });
});

describe("withdrawal handlers", () => {
  it("records the withdrawal, the pay-out, the desk's credits, skips and claims, and the token list", () => {
    const { chain, t, mirror } = freshFirm();
    const desk = manifest.contracts.withdrawals.toLowerCase() as Address;
    chain.block([[e("withdrawals", "TreasuryTokenListed", { token, listed: true })]]);
    chain.block([
      [
        e("partnership", "MemberWithdrew", { account: dave, units: 1_000n, totalUnits: 4_000n, at: t + 24 }),
        e("timelock", "WithdrawalPaidOut", { desk, token: zeroAddress, amount: 5n }),
        e("withdrawals", "WithdrawalCredited", { member: dave, token: zeroAddress, amount: 5n }),
        e("withdrawals", "WithdrawalTokenSkipped", { member: dave, token }),
      ],
      [e("withdrawals", "WithdrawalClaimed", { member: dave, token: zeroAddress, amount: 5n })],
      [e("withdrawals", "TreasuryTokenListed", { token, listed: false })],
    ]);
    apply(mirror, chain.range());
    expect(mirror.tables.memberWithdrawals.all()).toMatchObject([
      { account: dave, units: 1_000n, totalUnits: 4_000n, withdrawnAt: t + 24 },
    ]);
    expect(
      mirror.tables.withdrawalPayments
        .all()
        .map(({ member, token, kind, amount }) => ({ member, token, kind, amount })),
    ).toEqual([
      { member: dave, token: zeroAddress, kind: "credit", amount: 5n },
      { member: dave, token, kind: "skip", amount: null },
      { member: dave, token: zeroAddress, kind: "claim", amount: 5n },
    ]);
    expect(mirror.tables.treasuryFlows.all()).toMatchObject([
      {
        direction: "out",
        kind: "withdrawal",
        token: zeroAddress,
        amount: 5n,
        counterparty: desk,
        proposalId: null,
      },
    ]);
    expect(mirror.tables.treasuryTokens.require(token)).toMatchObject({ listed: false, proposalId: null });
  });

  it("refuses the withdrawal of an account the mirror never saw admitted", () => {
    const { chain, t, mirror } = freshFirm();
    chain.block([[e("partnership", "MemberWithdrew", { account: token, units: 1n, totalUnits: 2n, at: t })]]);
    expect(() => apply(mirror, chain.range())).toThrowError(HandlerError);
  });

  it("decodes the desk's logs by its manifest address, and fails on any other topic there", () => {
    const chain = new SyntheticChain(manifest);
    chain.block([[e("withdrawals", "TreasuryTokenListed", { token, listed: true })]]);
    const [log] = chain.range().logs;
    if (!log) throw new Error("no log");
    expect(decoder.decode(log)).toMatchObject({ contract: "withdrawals", eventName: "TreasuryTokenListed" });
    const unknown = {
      ...log,
      topics: [keccak256(toHex("Unknown(address,bool)")), ...log.topics.slice(1)] as Hex[],
    };
    expect(() => decoder.decode(unknown as typeof log)).toThrowError(LogDecodeError);
  });
});

describe("practice without a lead", () => {
  it("stores no lead (null) when the lead departs with no successor, never the departed member", () => {
    const { chain, t, mirror } = freshFirm();
    const practiceId = keccak256(toHex("security"));
    chain.block([
      [
        e("practices", "PracticeCreated", {
          practiceId,
          slug: "security",
          name: "Security",
          lead: dave,
          at: t + 12,
        }),
        e("practices", "PracticeMemberSet", { practiceId, account: dave, role: 1, at: t + 12 }),
      ],
    ]);
    chain.block([
      [
        e("practices", "PracticeLeadChanged", {
          practiceId,
          previousLead: dave,
          newLead: zeroAddress,
          at: t + 24,
        }),
        e("practices", "PracticeMemberSet", { practiceId, account: dave, role: 2, at: t + 24 }),
        e("partnership", "MemberStatusChanged", {
          account: dave,
          previousStatus: 1,
          newStatus: 4,
          at: t + 24,
        }),
      ],
    ]);
    apply(mirror, chain.range());
    expect(mirror.tables.practices.require(practiceId)).toMatchObject({ lead: null, memberCount: 1 });
    expect(mirror.tables.members.require(dave)).toMatchObject({ status: "Removed", successor: null });
  });
});

describe("proposal rules, kinds and subjects", () => {
  const remove = (who: Address) =>
    encodeFunctionData({ abi: partnershipAbi, functionName: "remove", args: [who] });
  const created = (proposalId: bigint, voteStart: number, calldatas: Hex[], targets?: Address[]) =>
    e("governor", "ProposalCreated", {
      proposalId,
      proposer: alice,
      targets: targets ?? calldatas.map(() => manifest.contracts.partnership),
      values: calldatas.map(() => 0n),
      signatures: calldatas.map(() => ""),
      calldatas,
      voteStart: BigInt(voteStart),
      voteEnd: BigInt(voteStart + 3 * DAY),
      description: `Proposal ${proposalId}`,
    });

  it("records each rule from the settings events before it, and gives a proposal the rule of its snapshot", () => {
    const { chain, t, mirror } = freshFirm();
    const since = t + 10_000;
    chain.block([
      [
        e("governor", "ExpulsionQuorumChanged", {
          oldEquityBps: 7_500,
          oldHeadcountBps: 7_500,
          newEquityBps: 8_000,
          newHeadcountBps: 7_000,
        }),
        e("governor", "ProposalRuleScheduled", { ruleIndex: 1n, since }),
      ],
    ]);
    chain.block([
      [
        created(1n, since - 1, [remove(bob)]),
        e("governor", "VoterRecused", { proposalId: 1n, subject: bob }),
      ],
      [
        created(2n, since, [remove(carol)]),
        e("governor", "VoterRecused", { proposalId: 2n, subject: carol }),
      ],
    ]);
    apply(mirror, chain.range());
    expect(mirror.tables.proposalRules.require("1")).toMatchObject({
      since,
      equityQuorumBps: 4_000,
      headcountQuorumBps: 5_000,
      expulsionEquityBps: 8_000,
      expulsionHeadcountBps: 7_000,
      gracePeriod: 14 * DAY,
    });
    expect(mirror.tables.settings.require(SETTINGS_KEY)).toMatchObject({
      expulsionEquityBps: 8_000,
      expulsionHeadcountBps: 7_000,
    });
    expect(mirror.tables.proposals.require("1")).toMatchObject({
      ruleIndex: 0,
      expulsionEquityBps: 7_500,
      supermajority: true,
      movesFunds: false,
      subject: bob,
    });
    expect(mirror.tables.proposals.require("2")).toMatchObject({
      ruleIndex: 1,
      expulsionEquityBps: 8_000,
      subject: carol,
    });
  });

  it("keeps the first recused subject that is an address", () => {
    const { chain, t, mirror } = freshFirm();
    const calls = [
      encodeFunctionData({ abi: partnershipAbi, functionName: "revokeGrant", args: [99n] }),
      encodeFunctionData({ abi: partnershipAbi, functionName: "setRole", args: [bob, 2] }),
    ];
    chain.block([
      [
        created(1n, t + 100, calls),
        e("governor", "VoterRecused", { proposalId: 1n, subject: zeroAddress }),
        e("governor", "VoterRecused", { proposalId: 1n, subject: bob }),
      ],
    ]);
    apply(mirror, chain.range());
    // revokeGrant(99) has no beneficiary: a subject, no expulsion, so two actions may go together.
    expect(mirror.tables.proposals.require("1")).toMatchObject({ subject: bob, supermajority: false });
    expect(mirror.tables.recusals.all().map((r) => r.subject)).toEqual([zeroAddress, bob]);
  });

  it("classifies at propose time: a member who already left is no expulsion", () => {
    const { chain, t, mirror } = freshFirm();
    chain.block([
      [
        e("partnership", "MemberStatusChanged", {
          account: dave,
          previousStatus: 1,
          newStatus: 3,
          at: t + 12,
        }),
      ],
    ]);
    chain.block([[created(1n, t + 100, [remove(dave)])]]);
    apply(mirror, chain.range());
    expect(mirror.tables.proposals.require("1")).toMatchObject({ supermajority: false });
  });

  it("refuses a proposal made before any rule", () => {
    const chain = new SyntheticChain(manifest);
    chain.block([[created(1n, 100, [remove(bob)])]]);
    expect(() => apply(new MirrorMemory(), chain.range())).toThrowError(/before any ProposalRuleScheduled/);
  });
});

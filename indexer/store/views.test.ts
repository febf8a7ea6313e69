import { describe, expect, it } from "vitest";
import type { ProposalRow } from "./mirror.ts";
import {
  coverHoldsAt,
  coverUntil,
  expiresAt,
  forThresholds,
  memberStatusAt,
  proposalStateAt,
  quorumOf,
} from "./views.ts";

const proposal: ProposalRow = {
  proposalId: 1n,
  proposer: "0xa",
  description: "d",
  title: "d",
  snapshot: 1_000,
  voteStart: 1_001,
  voteEnd: 2_000,
  equityQuorumBps: 4_000,
  headcountQuorumBps: 5_000,
  ruleIndex: 0,
  expulsionEquityBps: 7_500,
  expulsionHeadcountBps: 7_500,
  gracePeriod: 100,
  supermajority: false,
  movesFunds: false,
  subject: null,
  createdAt: 900,
  createdBlock: 1,
  createdTx: "0x1",
  queuedAt: null,
  eta: null,
  queuedTx: null,
  executedAt: null,
  executedBlock: null,
  executedTx: null,
  canceledAt: null,
  canceledTx: null,
  forEquity: 3_000n,
  againstEquity: 1_000n,
  abstainEquity: 0n,
  forHeads: 3,
  againstHeads: 1,
  abstainHeads: 0,
  updatedBlock: 1,
};
/** Five partners of 1,000 units: For holds 3 of them. */
const bases = { equityBase: 5_000n, headcountBase: 5 };

describe("proposalStateAt", () => {
  it("follows the clock like the governor: Pending, Active, then the outcome", () => {
    expect(proposalStateAt(proposal, bases, 1_000)).toBe("Pending");
    expect(proposalStateAt(proposal, bases, 1_001)).toBe("Active");
    expect(proposalStateAt(proposal, bases, 2_000)).toBe("Active");
    expect(proposalStateAt(proposal, bases, 2_001)).toBe("Succeeded");
  });

  it("needs For to hold a majority of ALL eligible partners in both measures, not of the ballots cast", () => {
    // 3,000 of 5,000 and 3 of 5: a majority of everyone.
    expect(proposalStateAt(proposal, bases, 2_001)).toBe("Succeeded");
    // 2 For against 0 Against was a majority of the votes cast; 2 of 5 is no majority of the partners.
    const twoForNoneAgainst = {
      ...proposal,
      forEquity: 2_000n,
      forHeads: 2,
      againstEquity: 0n,
      againstHeads: 0,
    };
    expect(proposalStateAt(twoForNoneAgainst, bases, 2_001)).toBe("Defeated");
    // Exactly half is not more than half: 2,500 of 5,000 units.
    expect(proposalStateAt({ ...proposal, forEquity: 2_500n }, bases, 2_001)).toBe("Defeated");
    expect(proposalStateAt({ ...proposal, forEquity: 2_501n }, bases, 2_001)).toBe("Succeeded");
    // Against no longer decides: a larger base is.
    expect(proposalStateAt({ ...proposal, againstHeads: 3 }, bases, 2_001)).toBe("Succeeded");
    expect(proposalStateAt(proposal, { ...bases, headcountBase: 6 }, 2_001)).toBe("Defeated");
    expect(proposalStateAt(proposal, { ...bases, equityBase: 6_000n }, 2_001)).toBe("Defeated");
  });

  it("still needs both quorums, For and Abstain counted", () => {
    const strict = { ...proposal, equityQuorumBps: 10_000 };
    expect(proposalStateAt(strict, bases, 2_001)).toBe("Defeated");
    expect(proposalStateAt({ ...strict, abstainEquity: 2_000n }, bases, 2_001)).toBe("Succeeded");
  });

  it("needs the expulsion supermajority of the eligible bases for a supermajority proposal", () => {
    const expulsion = { ...proposal, supermajority: true };
    // 75% of 5,000 and of 5 heads: 3,750 units and 4 heads.
    expect(forThresholds(expulsion, bases)).toEqual({ equity: 3_750n, headcount: 4n });
    expect(proposalStateAt(expulsion, bases, 2_001)).toBe("Defeated");
    expect(proposalStateAt({ ...expulsion, forEquity: 3_750n, forHeads: 4 }, bases, 2_001)).toBe("Succeeded");
    // The proposal's own expulsion quorum: 80% / 60% of 4 heads and 3,700 units.
    const own = { ...expulsion, expulsionEquityBps: 8_000, expulsionHeadcountBps: 6_000 };
    expect(forThresholds(own, { equityBase: 3_700n, headcountBase: 4 })).toEqual({
      equity: 2_960n,
      headcount: 3n,
    });
    // Never below one ballot.
    expect(forThresholds(own, { equityBase: 0n, headcountBase: 0 })).toEqual({ equity: 1n, headcount: 1n });
  });

  it("expires a passed proposal not queued within its own grace period after the deadline", () => {
    expect(expiresAt(proposal)).toBe(2_100);
    expect(proposalStateAt(proposal, bases, 2_100)).toBe("Succeeded");
    expect(proposalStateAt(proposal, bases, 2_101)).toBe("Expired");
    // A failed vote stays Defeated, whatever the time.
    expect(proposalStateAt({ ...proposal, forHeads: 1 }, bases, 9_999)).toBe("Defeated");
  });

  it("is Queued until its own grace period after the eta runs out, unless executed or canceled", () => {
    const queued = { ...proposal, eta: 3_000, queuedAt: 2_050 };
    expect(expiresAt(queued)).toBe(3_100);
    expect(proposalStateAt(queued, bases, 3_100)).toBe("Queued");
    expect(proposalStateAt(queued, bases, 3_101)).toBe("Expired");
    expect(proposalStateAt({ ...queued, gracePeriod: 1_000 }, bases, 3_101)).toBe("Queued");
    expect(proposalStateAt({ ...queued, executedAt: 3_050 }, bases, 9_999)).toBe("Executed");
    expect(proposalStateAt({ ...proposal, canceledAt: 950 }, bases, 1_500)).toBe("Canceled");
  });
});

describe("quorumOf", () => {
  it("rounds up and never returns zero, like the governor's _fraction", () => {
    expect(quorumOf(5n, 5_000)).toBe(3n);
    expect(quorumOf(10n, 5_000)).toBe(5n);
    expect(quorumOf(0n, 5_000)).toBe(1n);
  });
});

describe("memberStatusAt", () => {
  it("lapses a leave at its end with no event", () => {
    const onLeave = { status: "OnLeave", leaveUntil: 500 };
    expect(memberStatusAt(onLeave, 499)).toBe("OnLeave");
    expect(memberStatusAt(onLeave, 500)).toBe("Active");
    expect(memberStatusAt({ status: "Retired", leaveUntil: 500 }, 600)).toBe("Retired");
  });
});

describe("coverHoldsAt", () => {
  const leave = { coverAcceptedAt: null, coverEndedAt: null, untilAt: 1_000 };

  it("gives a cover nothing until they accept", () => {
    expect(coverUntil(leave)).toBeNull();
    expect(coverHoldsAt(leave, 500)).toBe(false);
  });

  it("holds from the acceptance until the leave lapses", () => {
    const accepted = { ...leave, coverAcceptedAt: 200 };
    expect(coverUntil(accepted)).toBe(1_000);
    expect([199, 200, 999, 1_000].map((t) => coverHoldsAt(accepted, t))).toEqual([false, true, true, false]);
  });

  it("stops when the cover steps down or the leave ends early", () => {
    const resigned = { ...leave, coverAcceptedAt: 200, coverEndedAt: 600 };
    expect(coverUntil(resigned)).toBe(600);
    expect([599, 600].map((t) => coverHoldsAt(resigned, t))).toEqual([true, false]);
  });
});

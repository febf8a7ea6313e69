import { describe, expect, it } from "vitest";
import type { ProposalRow } from "./mirror.ts";
import { memberStatusAt, proposalStateAt, quorumOf } from "./views.ts";

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
const context = { equityBase: 5_000n, headcountBase: 5, gracePeriod: 100 };

describe("proposalStateAt", () => {
  it("follows the clock like the governor: Pending, Active, then the outcome", () => {
    expect(proposalStateAt(proposal, context, 1_000)).toBe("Pending");
    expect(proposalStateAt(proposal, context, 1_001)).toBe("Active");
    expect(proposalStateAt(proposal, context, 2_000)).toBe("Active");
    expect(proposalStateAt(proposal, context, 2_001)).toBe("Succeeded");
  });

  it("needs both quorums and both majorities", () => {
    expect(proposalStateAt(proposal, { ...context, equityBase: 7_501n }, 2_001)).toBe("Defeated");
    expect(proposalStateAt(proposal, { ...context, headcountBase: 7 }, 2_001)).toBe("Defeated");
    expect(proposalStateAt({ ...proposal, againstHeads: 3 }, context, 2_001)).toBe("Defeated");
    expect(proposalStateAt({ ...proposal, abstainEquity: 10_000n, forEquity: 900n }, context, 2_001)).toBe(
      "Defeated",
    );
  });

  it("is Queued until the grace period after the eta runs out, unless executed or canceled", () => {
    const queued = { ...proposal, eta: 3_000, queuedAt: 2_100 };
    expect(proposalStateAt(queued, context, 3_100)).toBe("Queued");
    expect(proposalStateAt(queued, context, 3_101)).toBe("Expired");
    expect(proposalStateAt({ ...queued, executedAt: 3_050 }, context, 9_999)).toBe("Executed");
    expect(proposalStateAt({ ...proposal, canceledAt: 950 }, context, 1_500)).toBe("Canceled");
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

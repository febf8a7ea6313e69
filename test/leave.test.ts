import { type Address, parseEventLogs, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { action } from "../scripts/devFirm/action.ts";
import type { Firm } from "../scripts/devFirm/deployFirm.ts";
import { Role, Status, Support } from "../scripts/devFirm/enums.ts";
import type { Proposal } from "../scripts/devFirm/governance.ts";
import { FAST_PARAMETERS } from "../scripts/devFirm/parameters.ts";
import { DAY, YEAR } from "../scripts/devFirm/time.ts";
import { connectForTests } from "./support/connection.ts";
import { confirm, customError, impersonateGovernance, outsiderOf, partnersOf } from "./support/firm.ts";

const { time, loadFirm } = await connectForTests();

function propose(firm: Firm, description: string, proposer: Address) {
  return firm.governance.propose(
    [action(firm.governor, "setGracePeriod", [FAST_PARAMETERS.gracePeriod])],
    description,
    proposer,
  );
}

/** Casts `voter`'s vote and returns the governor's events from the receipt. */
async function castVote(firm: Firm, proposal: Proposal, voter: Address, support: number = Support.For) {
  const receipt = await confirm(
    firm,
    firm.governor.write.castVote([proposal.id, support], { account: voter }),
  );
  return parseEventLogs({ abi: firm.governor.abi, logs: receipt.logs });
}

/** `partner` goes on leave for `days`, asking `cover`, who accepts at once. */
async function declareLeave(firm: Firm, partner: Address, cover: Address, days: number) {
  const until = (await time.latest()) + days * DAY;
  await confirm(firm, firm.partnership.write.declareLeave([until, cover], { account: partner }));
  await confirm(firm, firm.partnership.write.acceptCover([partner], { account: cover }));
  return until;
}

describe("cover", () => {
  it("casts both ballots with one vote while the partner is on leave, who cannot vote", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    // Unequal weights, so the tally shows whose equity went where.
    await confirm(
      firm,
      firm.partnership.write.createGrant([p1, { units: 500n, start: 0, cliff: 0, duration: DAY }], {
        account: gov,
      }),
    );
    const until = (await time.latest()) + 30 * DAY;
    const receipt = await confirm(firm, firm.partnership.write.declareLeave([until, p2], { account: p1 }));
    const from = await time.latest();
    const [declared] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "LeaveDeclared",
    });
    expect(declared?.args).toEqual({ partner: p1, cover: p2, leaveId: 1n, from, until });
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(Status.OnLeave);
    // Asked, not yet accepted: p2 covers nobody, and p1 keeps their own ballot.
    expect(await firm.partnership.read.leaveOf([p1])).toEqual([p2, from, until, true, 0, 0]);
    expect(await firm.partnership.read.coveringOf([p2])).toBe(zeroAddress);
    expect(await firm.partnership.read.coverAt([p1, BigInt(from)])).toBe(zeroAddress);

    const accepted = await confirm(firm, firm.partnership.write.acceptCover([p1], { account: p2 }));
    const acceptedAt = await time.latest();
    const [acceptance] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: accepted.logs,
      eventName: "CoverAccepted",
    });
    expect(acceptance?.args).toEqual({ partner: p1, cover: p2, leaveId: 1n, at: acceptedAt });
    expect(await firm.partnership.read.leaveOf([p1])).toEqual([p2, from, until, true, acceptedAt, until]);
    expect(await firm.partnership.read.coveringOf([p2])).toBe(p1);

    const proposal = await propose(firm, "Voted by the cover", p3);
    await firm.governance.startVoting();
    await expect(firm.governor.write.castVote([proposal.id, Support.For], { account: p1 })).rejects.toThrow(
      customError("GovernorBallotHeldByCover", p1, p2),
    );

    const events = await castVote(firm, proposal, p2, Support.Against);
    expect(events.map((e) => [e.eventName, e.args])).toEqual([
      [
        "VoteCast",
        { voter: p2, proposalId: proposal.id, support: Support.Against, weight: 2_500n, reason: "" },
      ],
      [
        "VoteCastByCover",
        {
          proposalId: proposal.id,
          cover: p2,
          partner: p1,
          support: Support.Against,
          weight: 1_500n,
          alsoSelf: true,
        },
      ],
    ]);
    expect(await firm.governor.read.proposalVotes([proposal.id])).toEqual([2_500n, 0n, 0n, 2n, 0n, 0n]);
    expect(await firm.governor.read.hasVoted([proposal.id, p1])).toBe(true);
    expect(await firm.governor.read.hasVoted([proposal.id, p2])).toBe(true);
    // Neither can cast again: the cover holds no ballot left, the partner none at all.
    await expect(firm.governor.write.castVote([proposal.id, Support.For], { account: p2 })).rejects.toThrow(
      customError("GovernorAlreadyCastVote", p2),
    );
    await expect(firm.governor.write.castVote([proposal.id, Support.For], { account: p1 })).rejects.toThrow(
      /GovernorBallotHeldByCover/,
    );
  });

  it("lapses by itself at the end date, with no transaction", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const until = await declareLeave(firm, p1, p2, 10);
    const partnerIndex = await firm.partnership.read.memberIndex([p1]);
    const coverIndex = await firm.partnership.read.memberIndex([p2]);

    await time.increaseTo(until);
    // At `until` the leave is over (the end is exclusive), with nothing sent.
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(Status.Active);
    expect((await firm.partnership.read.leaveOf([p1]))[3]).toBe(false);
    expect(await firm.partnership.read.coveringOf([p2])).toBe(zeroAddress);
    const ended = await firm.publicClient.getContractEvents({
      address: firm.partnership.address,
      abi: firm.partnership.abi,
      eventName: "LeaveEnded",
      fromBlock: 0n,
    });
    expect(ended).toEqual([]);
    // The ballots switch exactly at `until`.
    const before = await firm.partnership.read.ballot([p2, BigInt(until - 1)]);
    expect([before.selfIndex, before.coveredIndex, before.covered]).toEqual([coverIndex, partnerIndex, p1]);
    expect((await firm.partnership.read.ballot([p1, BigInt(until - 1)])).selfIndex).toBe(0n);
    expect(await firm.partnership.read.coverAt([p1, BigInt(until - 1)])).toBe(p2);
    const after = await firm.partnership.read.ballot([p2, BigInt(until)]);
    expect([after.selfIndex, after.coveredIndex, after.covered]).toEqual([coverIndex, 0n, zeroAddress]);
    expect((await firm.partnership.read.ballot([p1, BigInt(until)])).selfIndex).toBe(partnerIndex);
    expect(await firm.partnership.read.coverAt([p1, BigInt(until)])).toBe(zeroAddress);

    const proposal = await propose(firm, "After the leave", p3);
    await firm.governance.startVoting();
    const byCover = await castVote(firm, proposal, p2);
    expect(byCover.map((e) => e.eventName)).toEqual(["VoteCast"]);
    expect(await firm.governor.read.proposalVotes([proposal.id])).toEqual([0n, 1_000n, 0n, 0n, 1n, 0n]);
    await castVote(firm, proposal, p1);
    expect(await firm.governor.read.proposalVotes([proposal.id])).toEqual([0n, 2_000n, 0n, 0n, 2n, 0n]);

    // Nothing to end any more, and the former cover is free to leave.
    await expect(firm.partnership.write.endLeave({ account: p1 })).rejects.toThrow(
      customError("LeaveNotOnLeave", p1),
    );
    await declareLeave(firm, p2, p1, 5);
    expect(await firm.partnership.read.coveringOf([p1])).toBe(p2);
  });

  it("keeps proposals snapshotted during the leave with the cover after the partner comes back early", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    await declareLeave(firm, p1, p2, 30);
    const during = await propose(firm, "Snapshot during the leave", p3);
    await firm.governance.startVoting();

    const receipt = await confirm(firm, firm.partnership.write.endLeave({ account: p1 }));
    const backAt = await time.latest();
    const [ended] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "LeaveEnded",
    });
    expect(ended?.args).toEqual({ partner: p1, cover: p2, leaveId: 1n, at: backAt });
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(Status.Active);
    expect(await firm.partnership.read.leaveOf([p1])).toMatchObject([
      p2,
      expect.any(Number),
      backAt,
      false,
      expect.any(Number),
      backAt,
    ]);
    expect(await firm.partnership.read.coveringOf([p2])).toBe(zeroAddress);

    const after = await propose(firm, "Snapshot after the return", p3);
    await firm.governance.startVoting();
    // The early return changes nothing for the proposal snapshotted during the leave.
    await expect(firm.governor.write.castVote([during.id, Support.For], { account: p1 })).rejects.toThrow(
      customError("GovernorBallotHeldByCover", p1, p2),
    );
    const events = await castVote(firm, during, p2);
    expect(events.map((e) => e.eventName)).toEqual(["VoteCast", "VoteCastByCover"]);
    expect(await firm.governor.read.proposalVotes([during.id])).toEqual([0n, 2_000n, 0n, 0n, 2n, 0n]);
    // The proposal made after the return is the partner's own.
    expect((await castVote(firm, after, p2)).map((e) => e.eventName)).toEqual(["VoteCast"]);
    await castVote(firm, after, p1, Support.Against);
    expect(await firm.governor.read.proposalVotes([after.id])).toEqual([1_000n, 1_000n, 0n, 1n, 1n, 0n]);
  });

  it("follows successive leaves with different covers", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4] = partnersOf(firm);
    // No cooldown, so both leaves fall inside one voting period.
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.partnership.write.setLeaveRules([DAY, 0], { account: gov }));
    await declareLeave(firm, p1, p2, 30);
    const first = await propose(firm, "During the first leave", p4);
    await time.increase(5);
    await confirm(firm, firm.partnership.write.endLeave({ account: p1 }));
    await time.increase(5);
    const between = await propose(firm, "Between the leaves", p4);
    await time.increase(5);
    await declareLeave(firm, p1, p3, 30);
    const second = await propose(firm, "During the second leave", p4);
    await firm.governance.startVoting();

    const covered = async (cover: Address, proposal: Proposal) =>
      (await firm.partnership.read.ballot([cover, await firm.governor.read.proposalSnapshot([proposal.id])]))
        .covered;
    expect(await covered(p2, first)).toBe(p1);
    expect(await covered(p3, first)).toBe(zeroAddress);
    expect(await covered(p2, between)).toBe(zeroAddress);
    expect(await covered(p2, second)).toBe(zeroAddress);
    expect(await covered(p3, second)).toBe(p1);

    await castVote(firm, first, p2);
    await castVote(firm, between, p1);
    await castVote(firm, second, p3);
    for (const proposal of [first, between, second]) {
      await expect(firm.governor.write.castVote([proposal.id, Support.For], { account: p1 })).rejects.toThrow(
        proposal === between ? /GovernorAlreadyCastVote/ : /GovernorBallotHeldByCover/,
      );
    }
    expect((await firm.governor.read.proposalVotes([first.id]))[4]).toBe(2n);
    expect((await firm.governor.read.proposalVotes([between.id]))[4]).toBe(1n);
    expect((await firm.governor.read.proposalVotes([second.id]))[4]).toBe(2n);
  });

  it("hands the ballot back when the cover departs", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await declareLeave(firm, p1, p2, 30);
    const receipt = await confirm(firm, firm.partnership.write.remove([p2], { account: gov }));
    const [ended] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "CoverEnded",
    });
    expect(ended?.args).toMatchObject({ partner: p1, cover: p2, leaveId: 1n });
    // The leave goes on, uncovered: the partner holds their own ballot again.
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(Status.OnLeave);
    expect((await firm.partnership.read.leaveOf([p1]))[3]).toBe(true);
    expect(await firm.partnership.read.coveringOf([p2])).toBe(zeroAddress);
    const proposal = await propose(firm, "After the cover left", p3);
    await firm.governance.startVoting();
    await castVote(firm, proposal, p1);
    await expect(firm.governor.write.castVote([proposal.id, Support.For], { account: p2 })).rejects.toThrow(
      /GovernorVoterNotEligible/,
    );
  });
});

describe("no double voting through a cover", () => {
  it("keeps each ballot single whatever the order of the partner's and the cover's votes", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    // Snapshotted before the leave: p1 and p2 each hold their own ballot only.
    const beforeLeave = await propose(firm, "Before the leave", p3);
    const coverFirst = await propose(firm, "The cover votes before being named", p3);
    await firm.governance.startVoting();
    await castVote(firm, beforeLeave, p1);
    await castVote(firm, coverFirst, p2);

    await declareLeave(firm, p1, p2, 30);
    const duringLeave = await propose(firm, "During the leave", p3);
    await firm.governance.startVoting();

    // The partner voted before leaving: the cover cannot cast that ballot again, nor can the partner.
    expect((await castVote(firm, beforeLeave, p2)).map((e) => e.eventName)).toEqual(["VoteCast"]);
    await expect(
      firm.governor.write.castVote([beforeLeave.id, Support.For], { account: p2 }),
    ).rejects.toThrow(/GovernorAlreadyCastVote/);
    await expect(
      firm.governor.write.castVote([beforeLeave.id, Support.For], { account: p1 }),
    ).rejects.toThrow(customError("GovernorAlreadyCastVote", p1));
    expect(await firm.governor.read.proposalVotes([beforeLeave.id])).toEqual([0n, 2_000n, 0n, 0n, 2n, 0n]);

    // The cover voted for themself before being named: the snapshot predates the cover, so they do
    // not hold the partner's ballot for it; the partner (not on leave at that snapshot) still does.
    await expect(
      firm.governor.write.castVote([coverFirst.id, Support.Against], { account: p2 }),
    ).rejects.toThrow(customError("GovernorAlreadyCastVote", p2));
    await castVote(firm, coverFirst, p1, Support.Against);
    expect(await firm.governor.read.proposalVotes([coverFirst.id])).toEqual([1_000n, 1_000n, 0n, 1n, 1n, 0n]);

    // During the leave the cover casts both at once, and then neither can vote again.
    await castVote(firm, duringLeave, p2);
    await expect(
      firm.governor.write.castVote([duringLeave.id, Support.For], { account: p2 }),
    ).rejects.toThrow(/GovernorAlreadyCastVote/);
    await confirm(firm, firm.partnership.write.endLeave({ account: p1 }));
    await expect(
      firm.governor.write.castVote([duringLeave.id, Support.For], { account: p1 }),
    ).rejects.toThrow(/GovernorBallotHeldByCover/);
    expect(await firm.governor.read.proposalVotes([duringLeave.id])).toEqual([0n, 2_000n, 0n, 0n, 2n, 0n]);
  });
});

describe("leave rules", () => {
  it("rejects invalid covers", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const associate = outsiderOf(firm);
    await confirm(
      firm,
      firm.partnership.write.admit(
        [associate, Role.Associate, "", 0, { units: 0n, start: 0, cliff: 0, duration: 0 }],
        {
          account: gov,
        },
      ),
    );
    await confirm(firm, firm.partnership.write.retire([p5, zeroAddress, zeroAddress, 0n], { account: gov }));
    await declareLeave(firm, p3, p4, 30);
    const until = (await time.latest()) + 10 * DAY;
    const leave = (cover: Address) => firm.partnership.write.declareLeave([until, cover], { account: p1 });

    await expect(leave(p1)).rejects.toThrow(customError("LeaveInvalidCover", p1));
    await expect(leave(associate)).rejects.toThrow(customError("LeaveInvalidCover", associate));
    await expect(leave(outsiderOf(firm, 1))).rejects.toThrow(/LeaveInvalidCover/);
    await expect(leave(p5)).rejects.toThrow(customError("LeaveInvalidCover", p5));
    // On leave, and already covering.
    await expect(leave(p3)).rejects.toThrow(customError("LeaveInvalidCover", p3));
    await expect(leave(p4)).rejects.toThrow(customError("LeaveInvalidCover", p4));
    await confirm(firm, leave(p2));
    // Only the colleague asked may accept, once, and only while able to cover.
    await expect(firm.partnership.write.acceptCover([p1], { account: p4 })).rejects.toThrow(
      customError("CoverNotRequested", p1, p4),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p1], { account: p2 }));
    await expect(firm.partnership.write.acceptCover([p1], { account: p2 })).rejects.toThrow(
      customError("CoverNotRequested", p1, p2),
    );
    expect(await firm.partnership.read.coveringOf([p2])).toBe(p1);
  });

  it("bounds the leave: at least the minimum leave and at most MAX_LEAVE away", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const maxLeave = await firm.partnership.read.MAX_LEAVE();
    expect(maxLeave).toBe(YEAR);
    // Simulations run at the latest block, so `now` is known exactly.
    const now = await time.latest();
    const simulate = (until: number) => firm.partnership.simulate.declareLeave([until, p2], { account: p1 });
    await expect(simulate(now + maxLeave + 1)).rejects.toThrow(
      customError("LeaveInvalidUntil", now + maxLeave + 1, now + DAY, now + maxLeave),
    );
    await expect(simulate(now)).rejects.toThrow(
      customError("LeaveInvalidUntil", now, now + DAY, now + maxLeave),
    );
    await expect(simulate(now - 1)).rejects.toThrow(/LeaveInvalidUntil/);
    // The minimum leave (a day by default) stops declare-and-end spam of one-second leaves.
    await expect(simulate(now + DAY - 1)).rejects.toThrow(
      customError("LeaveInvalidUntil", now + DAY - 1, now + DAY, now + maxLeave),
    );
    await simulate(now + maxLeave);
    await simulate(now + DAY);

    await time.setNextBlockTimestamp(now + 1);
    await confirm(firm, firm.partnership.write.declareLeave([now + 1 + maxLeave, p2], { account: p1 }));
    expect((await firm.partnership.read.leaveOf([p1]))[2]).toBe(now + 1 + maxLeave);
  });

  it("keeps a covering partner from going on leave until the cover ends", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const until = await declareLeave(firm, p1, p2, 10);
    await expect(
      firm.partnership.write.declareLeave([(await time.latest()) + DAY, p3], { account: p2 }),
    ).rejects.toThrow(customError("LeaveWhileCovering", p2));
    await time.increaseTo(until);
    await declareLeave(firm, p2, p3, 2);
    expect((await firm.partnership.read.memberOf([p2]))[1]).toBe(Status.OnLeave);
  });

  it("spaces leaves by the cooldown, and lets governance set both rules within bounds", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    expect(await firm.partnership.read.leaveRules()).toEqual([DAY, 7 * DAY]);
    await declareLeave(firm, p1, p2, 2);
    await confirm(firm, firm.partnership.write.endLeave({ account: p1 }));
    const endedAt = await time.latest();
    const again = async () =>
      firm.partnership.simulate.declareLeave([(await time.latest()) + 2 * DAY, p2], { account: p1 });
    await expect(again()).rejects.toThrow(customError("LeaveCooldown", p1, endedAt + 7 * DAY));
    await time.increaseTo(endedAt + 7 * DAY);
    await again();

    await expect(firm.partnership.write.setLeaveRules([DAY, 0], { account: p1 })).rejects.toThrow(
      customError("PartnershipUnauthorized", p1),
    );
    await expect(firm.partnership.simulate.setLeaveRules([YEAR + 1, 0], { account: gov })).rejects.toThrow(
      customError("LeaveInvalidRules", YEAR + 1, 0),
    );
    await expect(firm.partnership.simulate.setLeaveRules([0, YEAR + 1], { account: gov })).rejects.toThrow(
      customError("LeaveInvalidRules", 0, YEAR + 1),
    );
    const receipt = await confirm(
      firm,
      firm.partnership.write.setLeaveRules([2 * DAY, 30 * DAY], { account: gov }),
    );
    const [changed] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "LeaveRulesChanged",
    });
    expect(changed?.args).toEqual({ minLeave: 2 * DAY, cooldown: 30 * DAY });
    expect(await firm.partnership.read.leaveRules()).toEqual([2 * DAY, 30 * DAY]);
  });

  it("takes a leave with nobody asked: the partner keeps their own ballot", async () => {
    const firm = await loadFirm();
    const [p1, , p3] = partnersOf(firm);
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 10 * DAY, zeroAddress], { account: p1 }),
    );
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(Status.OnLeave);
    const proposal = await propose(firm, "Voted from abroad", p3);
    await firm.governance.startVoting();
    expect((await castVote(firm, proposal, p1)).map((e) => e.eventName)).toEqual(["VoteCast"]);
    await expect(firm.partnership.write.acceptCover([p1], { account: p3 })).rejects.toThrow(
      customError("CoverNotRequested", p1, p3),
    );
  });

  it("lets a cover step down: the ballot goes back to the partner from then on", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    await declareLeave(firm, p1, p2, 30);
    const covered = await propose(firm, "Snapshot while covered", p3);
    await time.increase(5);
    await expect(firm.partnership.write.resignCover({ account: p3 })).rejects.toThrow(
      customError("CoverNotCovering", p3),
    );
    const receipt = await confirm(firm, firm.partnership.write.resignCover({ account: p2 }));
    const at = await time.latest();
    const [ended] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "CoverEnded",
    });
    expect(ended?.args).toEqual({ partner: p1, cover: p2, leaveId: 1n, at });
    expect(await firm.partnership.read.coveringOf([p2])).toBe(zeroAddress);
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(Status.OnLeave);
    const uncovered = await propose(firm, "Snapshot after the cover stepped down", p3);
    await firm.governance.startVoting();

    // Read at each snapshot: the cover keeps the earlier proposal, the partner votes on the later one.
    expect((await castVote(firm, covered, p2)).map((e) => e.eventName)).toEqual([
      "VoteCast",
      "VoteCastByCover",
    ]);
    expect((await castVote(firm, uncovered, p2)).map((e) => e.eventName)).toEqual(["VoteCast"]);
    expect((await castVote(firm, uncovered, p1)).map((e) => e.eventName)).toEqual(["VoteCast"]);
    // The former cover is free again: another colleague may ask them.
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 5 * DAY, p2], { account: p3 }),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p3], { account: p2 }));
    expect(await firm.partnership.read.coveringOf([p2])).toBe(p3);
  });
});

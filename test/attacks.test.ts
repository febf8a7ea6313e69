// Issue 9's attacks, each written as the hostile partner or coalition that reproduced it on the dev
// chain, and each failing on the contracts before the fix: capture by mass recusal, freezing
// governance by leave spam, shrinking the headcount quorum with one's own leave, reviving expired
// proposals, covers named without consent, a recused subject voting as a cover, dangling leads,
// recused units in the bases, quorum views that disagree, nominal token amounts. Then the exit rule
// that answers a capture: rage-quit, with Moloch's guard.
import { type Address, getAddress, parseEther, parseEventLogs, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { measureGovernanceCycle, writeLeaveRecords } from "../scripts/bench/gas/leaveSpam.ts";
import { action } from "../scripts/devFirm/action.ts";
import { deployFirm, type Firm } from "../scripts/devFirm/deployFirm.ts";
import { ProposalState, Role, Support } from "../scripts/devFirm/enums.ts";
import { FAST_PARAMETERS } from "../scripts/devFirm/parameters.ts";
import { DAY } from "../scripts/devFirm/time.ts";
import { connectForTests } from "./support/connection.ts";
import { confirm, customError, impersonateGovernance, outsiderOf, partnersOf } from "./support/firm.ts";

const { connection, time, loadFirm, loadUnequalFirm } = await connectForTests();

/** Four partners of 1,000 units each, as in the reproduction of the mass-recusal capture. */
function fourPartnersFixture() {
  return deployFirm(connection, { founders: 4 });
}
const loadFourPartners = () => connection.networkHelpers.loadFixture(fourPartnersFixture);

async function fundTreasury(firm: Firm, amount: bigint) {
  const balance = await firm.publicClient.getBalance({ address: firm.timelock.address });
  await firm.networkHelpers.setBalance(firm.timelock.address, balance + amount);
}

const send = (to: Address, value: bigint) => ({ target: to, value, data: "0x" as const });

function harmless(firm: Firm, description: string, proposer: Address) {
  return firm.governance.propose(
    [action(firm.governor, "setGracePeriod", [FAST_PARAMETERS.gracePeriod])],
    description,
    proposer,
  );
}

describe("capture by mass recusal", () => {
  it("four equal partners: the bundle that removed both opponents and took the treasury is refused, and two votes remove no one", async () => {
    const firm = await loadFourPartners();
    const [p1, p2, p3, p4] = firm.founders.map((a) => a as Address) as [Address, Address, Address, Address];
    await fundTreasury(firm, parseEther("100"));

    // The plain grab fails 2-2, as it did before.
    const grab = await firm.governance.propose([send(p1, parseEther("100"))], "Send the treasury to us", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(grab, [p1, p2]);
    await firm.governance.vote(grab, [p3, p4], Support.Against);
    await firm.governance.endVoting();
    expect(await firm.governance.state(grab)).toBe(ProposalState.Defeated);

    // The bundle that recused both opponents and passed on two ballots cannot even be proposed.
    await expect(
      firm.governance.propose(
        [
          action(firm.partnership, "remove", [p3]),
          action(firm.partnership, "remove", [p4]),
          send(p1, parseEther("100")),
        ],
        "Remove p3 and p4, then send the treasury to us",
        p1,
      ),
    ).rejects.toThrow(customError("GovernorExpulsionNotAlone", 3n));

    // One removal at a time needs three quarters of the other three partners: two are not enough.
    const removeP3 = await firm.governance.propose(
      [action(firm.partnership, "remove", [p3])],
      "Remove p3",
      p1,
    );
    const [forEquity, forHeads, supermajority, movesFunds] = await firm.governor.read.proposalThresholds([
      removeP3.id,
    ]);
    expect([forEquity, forHeads, supermajority, movesFunds]).toEqual([2_250n, 3n, true, false]);
    await firm.governance.startVoting();
    await expect(
      firm.governor.write.castVote([removeP3.id, Support.Against], { account: p3 }),
    ).rejects.toThrow(customError("GovernorVoterRecused", removeP3.id, p3));
    await firm.governance.vote(removeP3, [p1, p2]);
    await firm.governance.endVoting();
    expect(await firm.governance.state(removeP3)).toBe(ProposalState.Defeated);
    expect((await firm.partnership.read.memberOf([p3]))[1]).toBe(1);
  });

  it("five partners with 40% / 50% quorums: a 40% faction neither removes the other three nor spends", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    await fundTreasury(firm, parseEther("10"));
    const removals = [];
    for (const victim of [p3, p4, p5]) {
      removals.push(
        await firm.governance.propose([action(firm.partnership, "remove", [victim])], `Remove ${victim}`, p1),
      );
    }
    const spend = await firm.governance.propose([send(p1, parseEther("10"))], "Pay the faction", p1);
    await firm.governance.startVoting();
    for (const proposal of [...removals, spend]) await firm.governance.vote(proposal, [p1, p2]);
    await firm.governance.endVoting();
    // The quorums (40% of units, 50% of heads) are met, but For is no majority of all partners.
    for (const proposal of [...removals, spend]) {
      expect(await firm.governance.state(proposal)).toBe(ProposalState.Defeated);
    }
    expect(await firm.governor.read.proposalThresholds([spend.id])).toEqual([
      2_501n,
      3n,
      false,
      true,
      expect.any(BigInt),
    ]);
  });

  it("lets no bare majority lower the expulsion bar or hand out timelock roles: both need the supermajority", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const lower = await firm.governance.propose(
      [action(firm.governor, "setExpulsionQuorum", [5_001, 5_001])],
      "Lower the expulsion bar",
      p1,
    );
    const role = await firm.timelock.read.PROPOSER_ROLE();
    const backdoor = await firm.governance.propose(
      [action(firm.timelock, "grantRole", [role, p1])],
      "Make p1 a proposer of the timelock",
      p1,
    );
    await firm.governance.startVoting();
    for (const proposal of [lower, backdoor]) {
      expect((await firm.governor.read.proposalThresholds([proposal.id])).slice(0, 3)).toEqual([
        3_750n,
        4n,
        true,
      ]);
      await firm.governance.vote(proposal, [p1, p2, p3]);
    }
    await firm.governance.endVoting();
    expect(await firm.governance.state(lower)).toBe(ProposalState.Defeated);
    expect(await firm.governance.state(backdoor)).toBe(ProposalState.Defeated);
  });
});

describe("freezing governance by leave spam", () => {
  it("refuses the reproduced spam: a one-second leave, and a second leave straight after the first", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const now = await time.latest();
    await expect(firm.partnership.simulate.declareLeave([now + 1, p2], { account: p1 })).rejects.toThrow(
      /LeaveInvalidUntil/,
    );
    await confirm(firm, firm.partnership.write.declareLeave([now + 2 * DAY, p2], { account: p1 }));
    await confirm(firm, firm.partnership.write.endLeave({ account: p1 }));
    const endedAt = await time.latest();
    await expect(
      firm.partnership.simulate.declareLeave([endedAt + 2 * DAY, p2], { account: p1 }),
    ).rejects.toThrow(customError("LeaveCooldown", p1, endedAt + 7 * DAY));
  });

  it("keeps propose, castVote (the spammer's and the cover's), state, queue, execute and headcountAt within 10% after 10,000 leave records", {
    timeout: 900_000,
  }, async () => {
    const measure = async (records: number) => {
      const firm = await loadFirm();
      const [p1, p2, p3, p4, p5] = partnersOf(firm);
      const written = await writeLeaveRecords(firm, p1, p2, records);
      expect(written).toBe(records);
      return { firm, gas: await measureGovernanceCycle(firm, p3, [p1, p2, p3, p4, p5], "Measured") };
    };
    const fresh = await measure(0);
    const spammed = await measure(10_000);
    expect((await spammed.firm.partnership.read.counts())[2]).toBe(10_000n);
    for (const [call, gas] of Object.entries(fresh.gas)) {
      const after = spammed.gas[call];
      expect(after, call).toBeDefined();
      expect((after as number) / gas, `${call}: ${after} after the spam, ${gas} fresh`).toBeLessThanOrEqual(
        1.1,
      );
    }
  });

  it("bounds the lookups by a binary search when dense spam (rules lifted by governance) lands inside a voting period", {
    timeout: 300_000,
  }, async () => {
    const records = 2_000;
    const run = async (spam: number) => {
      const firm = await loadFirm();
      const [p1, p2, p3] = partnersOf(firm);
      const gov = await impersonateGovernance(firm);
      await confirm(firm, firm.partnership.write.setLeaveRules([0, 0], { account: gov }));
      const proposal = await harmless(firm, "Snapshotted before the spam", p3);
      await firm.governance.startVoting();
      await writeLeaveRecords(firm, p1, p2, spam);
      const vote = async (voter: Address) =>
        Number(
          (await confirm(firm, firm.governor.write.castVote([proposal.id, Support.For], { account: voter })))
            .gasUsed,
        );
      return { spammer: await vote(p1), cover: await vote(p2) };
    };
    const fresh = await run(0);
    const spammed = await run(records);
    // Each record adds two entries (acceptance, early end) to both histories; a binary search
    // reads ceil(log2 n) + 1 of them, each a cold slot (2,100 gas) plus a little arithmetic.
    const entries = 2 * records;
    const bound = (Math.ceil(Math.log2(entries)) + 2) * 2_600;
    expect(spammed.spammer - fresh.spammer).toBeLessThanOrEqual(bound);
    expect(spammed.cover - fresh.cover).toBeLessThanOrEqual(bound);
  });
});

describe("shrinking the headcount quorum with one's own leave", () => {
  it("keeps two of five defeated when one of them goes on leave covered by the other", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const before = await harmless(firm, "Two of five, before the leave", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(before, [p1, p2]);
    await firm.governance.endVoting();
    expect(await firm.governor.read.proposalQuorums([before.id])).toEqual([2_000n, 3n, 5_000n, 5n]);
    expect(await firm.governance.state(before)).toBe(ProposalState.Defeated);

    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 2 * DAY, p2], { account: p1 }),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p1], { account: p2 }));
    const during = await harmless(firm, "Two of five, one on leave covered by the other", p2);
    await firm.governance.startVoting();
    const receipt = await confirm(
      firm,
      firm.governor.write.castVote([during.id, Support.For], { account: p2 }),
    );
    const cast = parseEventLogs({ abi: firm.governor.abi, logs: receipt.logs });
    expect(cast.map((e) => e.eventName)).toEqual(["VoteCast", "VoteCastByCover"]);
    await firm.governance.endVoting();
    expect(await firm.governor.read.proposalQuorums([during.id])).toEqual([2_000n, 3n, 5_000n, 5n]);
    expect(await firm.governance.state(during)).toBe(ProposalState.Defeated);
  });
});

describe("expired proposals coming back", () => {
  it("fixes each proposal's grace period: a longer one revives nothing, a shorter one kills nothing", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const grace = FAST_PARAMETERS.gracePeriod;
    const expires = await harmless(firm, "Queued, then left to expire", p1);
    const stays = await harmless(firm, "Queued, executed late", p1);
    const unqueued = await harmless(firm, "Passed, never queued", p1);
    await firm.governance.startVoting();
    for (const proposal of [expires, stays, unqueued]) await firm.governance.vote(proposal, [p1, p2, p3]);
    await firm.governance.endVoting();
    await firm.governance.queue(expires);
    await firm.governance.queue(stays);
    await time.increase(FAST_PARAMETERS.timelockDelay + grace + 1);
    expect(await firm.governance.state(expires)).toBe(ProposalState.Expired);
    // A passed proposal must be queued within its grace period too.
    expect(await firm.governance.state(unqueued)).toBe(ProposalState.Expired);

    await confirm(firm, firm.governor.write.setGracePeriod([365 * DAY], { account: gov }));
    expect(await firm.governance.state(expires)).toBe(ProposalState.Expired);
    expect(await firm.governance.state(unqueued)).toBe(ProposalState.Expired);
    await expect(firm.governance.execute(expires)).rejects.toThrow();
    // (`stays` expired as well, with the same grace: its fate no longer follows the setting.)
    expect(await firm.governance.state(stays)).toBe(ProposalState.Expired);

    const later = await harmless(firm, "Queued under a 14-day grace", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(later, [p1, p2, p3]);
    await firm.governance.endVoting();
    await firm.governance.queue(later);
    await confirm(firm, firm.governor.write.setGracePeriod([DAY], { account: gov }));
    await time.increase(FAST_PARAMETERS.timelockDelay + 5 * DAY);
    expect(await firm.governance.state(later)).toBe(ProposalState.Queued);
    await firm.governance.execute(later);
    expect(await firm.governance.state(later)).toBe(ProposalState.Executed);
  });
});

describe("covers named without consent", () => {
  it("binds no one who did not accept: the colleague named may leave, cover someone else, and step down", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 365 * DAY, p2], { account: p1 }),
    );
    expect(await firm.partnership.read.coveringOf([p2])).toBe(zeroAddress);
    // p2 covers p3 instead, then steps down, then takes a leave of their own.
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 10 * DAY, p2], { account: p3 }),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p3], { account: p2 }));
    expect(await firm.partnership.read.coveringOf([p2])).toBe(p3);
    await confirm(firm, firm.partnership.write.resignCover({ account: p2 }));
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 10 * DAY, zeroAddress], { account: p2 }),
    );
    expect((await firm.partnership.read.memberOf([p2]))[1]).toBe(2);
    // The year-long request can no longer be accepted by someone on leave.
    await expect(firm.partnership.write.acceptCover([p1], { account: p2 })).rejects.toThrow(
      customError("LeaveInvalidCover", p2),
    );
  });
});

describe("a recused subject voting as a cover", () => {
  it("casts nothing for the subject, and gives the ally's ballot back to the ally", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    // A day between proposal and snapshot, time for the ally's manoeuvre.
    await confirm(firm, firm.governor.write.setVotingDelay([DAY], { account: gov }));
    const removal = await firm.governance.propose(
      [action(firm.partnership, "remove", [p3])],
      "Remove p3",
      p1,
    );
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 10 * DAY, p3], { account: p2 }),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p2], { account: p3 }));
    await firm.governance.startVoting();
    const snapshot = await firm.governor.read.proposalSnapshot([removal.id]);
    expect((await firm.partnership.read.ballot([p3, snapshot])).covered).toBe(p2);

    await expect(
      firm.governor.write.castVote([removal.id, Support.Against], { account: p3 }),
    ).rejects.toThrow(customError("GovernorVoterRecused", removal.id, p3));
    const receipt = await confirm(
      firm,
      firm.governor.write.castVote([removal.id, Support.Against], { account: p2 }),
    );
    const [cast] = parseEventLogs({ abi: firm.governor.abi, logs: receipt.logs, eventName: "VoteCast" });
    expect(cast?.args).toMatchObject({ voter: p2, weight: 1_000n });
    expect(await firm.governor.read.proposalVotes([removal.id])).toEqual([1_000n, 0n, 0n, 1n, 0n, 0n]);
  });
});

describe("what the review read in the code", () => {
  it("leaves a practice explicitly without a lead when its lead is removed or retires without a successor", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.practices.write.createPractice(["cloud", "Cloud", p5], { account: gov }));
    await confirm(firm, firm.practices.write.createPractice(["phones", "Phones", p4], { account: gov }));
    const removal = await firm.governance.pass([action(firm.partnership, "remove", [p5])], "Remove p5", [
      p1,
      p2,
      p3,
      p4,
    ]);
    const logs = await firm.publicClient.getContractEvents({
      address: firm.practices.address,
      abi: firm.practices.abi,
      eventName: "PracticeLeadChanged",
      fromBlock: 0n,
    });
    expect(logs.at(-1)?.args).toMatchObject({ previousLead: p5, newLead: zeroAddress });
    expect((await firm.practices.read.practice(["cloud"]))[2]).toBe(zeroAddress);
    expect(removal.id).toBeTypeOf("bigint");
    await firm.governance.pass(
      [action(firm.partnership, "retire", [p4, zeroAddress, zeroAddress, 0n])],
      "p4 retires, nobody succeeds",
      [p1, p2, p3],
    );
    expect((await firm.practices.read.practice(["phones"]))[2]).toBe(zeroAddress);
    // A new lead can be named later, by proposal.
    await confirm(firm, firm.practices.write.changePracticeLead(["phones", p1], { account: gov }));
    expect((await firm.practices.read.practice(["phones"]))[2]).toBe(p1);
  });

  it("leaves the subject's units out of the bases, so a majority holder can still be removed", async () => {
    const firm = await loadUnequalFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    // With a 50% equity quorum over all units, p1's 6,000 of 10,000 made removing p1 unreachable.
    await confirm(firm, firm.governor.write.setQuorum([5_000, 5_000], { account: gov }));
    await time.increase(5);
    const removal = await firm.governance.propose(
      [action(firm.partnership, "remove", [p1])],
      "Remove p1",
      p2,
    );
    await firm.governance.startVoting();
    await firm.governance.vote(removal, [p2, p3, p4, p5]);
    await firm.governance.endVoting();
    expect(await firm.governor.read.proposalQuorums([removal.id])).toEqual([2_000n, 2n, 4_000n, 4n]);
    expect(await firm.governance.state(removal)).toBe(ProposalState.Succeeded);
  });

  it("makes quorum(snapshot) agree with the proposal's own quorum when setQuorum lands before the snapshot", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.governor.write.setVotingDelay([DAY], { account: gov }));
    await time.increase(DAY + 5);
    const proposal = await harmless(firm, "Made before the change", p1);
    await confirm(firm, firm.governor.write.setQuorum([9_000, 9_000], { account: gov }));
    await firm.governance.startVoting();
    const snapshot = await firm.governor.read.proposalSnapshot([proposal.id]);
    const [equityQuorum] = await firm.governor.read.proposalQuorums([proposal.id]);
    expect(equityQuorum).toBe(2_000n);
    expect(await firm.governor.read.quorum([snapshot])).toBe(equityQuorum);
    // The change applies from after every existing snapshot: here the next day's proposals.
    const after = await harmless(firm, "Made after the change", p1);
    await firm.governance.startVoting();
    expect((await firm.governor.read.proposalQuorums([after.id]))[0]).toBe(4_500n);
    expect(await firm.governor.read.quorum([await firm.governor.read.proposalSnapshot([after.id])])).toBe(
      4_500n,
    );
  });

  it("records what arrived of a fee-on-transfer token, in distributions and in buy-backs", async () => {
    const firm = await loadFirm();
    const [, , , p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.partnership.write.release([1n]));
    const token = await firm.viem.deployContract("FeeOnTransferToken");
    await confirm(firm, token.write.mint([gov, 100_000n]));
    await confirm(firm, token.write.approve([firm.revenueShare.address, 10_000n], { account: gov }));
    const receipt = await confirm(
      firm,
      firm.revenueShare.write.createDistribution([token.address, 10_000n], { account: gov }),
    );
    const [created] = parseEventLogs({
      abi: firm.revenueShare.abi,
      logs: receipt.logs,
      eventName: "DistributionCreated",
    });
    expect(created?.args.amount).toBe(9_900n);
    expect((await firm.revenueShare.read.distribution([1n]))[1]).toBe(9_900n);

    await confirm(firm, token.write.approve([firm.partnership.address, 20_000n], { account: gov }));
    await confirm(firm, firm.partnership.write.retire([p5, p4, token.address, 20_000n], { account: gov }));
    expect(await firm.partnership.read.buybackOwed([p5, token.address])).toBe(19_800n);
  });
});

describe("rage-quit", () => {
  it("keeps a For voter on a spending proposal in until it is over, and lets an Against voter leave with a fair share during the delay", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4] = partnersOf(firm);
    await fundTreasury(firm, parseEther("50"));
    const spend = await firm.governance.propose([send(p1, parseEther("25"))], "Pay p1 25 ETH", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(spend, [p1, p2, p3]);
    await firm.governance.vote(spend, [p4], Support.Against);
    expect(await firm.governor.read.openExitLocks([p1])).toBe(1n);
    expect(await firm.governor.read.openExitLocks([p4])).toBe(0n);
    await firm.governance.endVoting();
    await firm.governance.queue(spend);

    // p1 voted to spend: no leaving first with a share of the money.
    await expect(firm.withdrawals.write.ragequit([[spend.id]], { account: p1 })).rejects.toThrow(
      customError("WithdrawalLockedByVotes", p1, 1n),
    );
    // p4 voted Against and leaves in the timelock delay with 1,000 / 5,000 of the treasury.
    const treasury = await firm.publicClient.getBalance({ address: firm.timelock.address });
    const receipt = await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: p4 }));
    const withdrew = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "MemberWithdrew",
    });
    expect(withdrew[0]?.args).toMatchObject({ account: p4, units: 1_000n, totalUnits: 5_000n });
    const share = treasury / 5n;
    expect(await firm.withdrawals.read.owed([p4, zeroAddress])).toBe(share);
    expect((await firm.partnership.read.memberOf([p4]))[1]).toBe(3);
    expect(await firm.partnership.read.balanceOf([p4])).toBe(0n);
    const before = await firm.publicClient.getBalance({ address: p4 });
    const claim = await confirm(firm, firm.withdrawals.write.claim([zeroAddress], { account: p4 }));
    expect(
      (await firm.publicClient.getBalance({ address: p4 })) -
        before +
        claim.gasUsed * claim.effectiveGasPrice,
    ).toBe(share);
    await expect(firm.withdrawals.write.claim([zeroAddress], { account: p4 })).rejects.toThrow(
      customError("WithdrawalNothingOwed", p4, zeroAddress),
    );

    // Once the spending is executed, p1 may leave too, naming it as over.
    await firm.governance.passTimelock();
    await firm.governance.execute(spend);
    await confirm(firm, firm.withdrawals.write.ragequit([[spend.id]], { account: p1 }));
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(3);
  });

  it("locks the partner whose ballot a cover cast For, and frees a defeated proposal's voters", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    await fundTreasury(firm, parseEther("5"));
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 10 * DAY, p2], { account: p1 }),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p1], { account: p2 }));
    const spend = await firm.governance.propose([send(p3, parseEther("5"))], "Pay p3", p3);
    await firm.governance.startVoting();
    await firm.governance.vote(spend, [p2]);
    expect(await firm.governor.read.openExitLocks([p1])).toBe(1n);
    expect(await firm.governor.read.openExitLocks([p2])).toBe(1n);
    await firm.governance.endVoting();
    expect(await firm.governance.state(spend)).toBe(ProposalState.Defeated);
    // An id that is not over, or not theirs, frees nothing; the defeated one frees the lock.
    const other = await harmless(firm, "Live", p3);
    expect(await firm.governor.simulate.settleExitLocks([p1, [other.id]]).then((r) => r.result)).toBe(1n);
    await confirm(firm, firm.withdrawals.write.ragequit([[other.id, spend.id]], { account: p1 }));
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(3);
  });

  it("forfeits unvested units, pays listed tokens as received, and skips a token that reverts", async () => {
    const firm = await loadFirm();
    const gov = await impersonateGovernance(firm);
    const associate = outsiderOf(firm);
    // A 4,000-unit grant vesting over 100 days, a quarter of the way through when the associate leaves.
    await confirm(
      firm,
      firm.partnership.write.admit(
        [associate, Role.Associate, "", 0, { units: 4_000n, start: 0, cliff: 0, duration: 100 * DAY }],
        {
          account: gov,
        },
      ),
    );
    const token = await firm.viem.deployContract("FeeOnTransferToken");
    await confirm(firm, token.write.mint([firm.timelock.address, 900_000n]));
    const frozen = await firm.viem.deployContract("FrozenToken");
    await confirm(firm, firm.withdrawals.write.setTreasuryToken([token.address, true], { account: gov }));
    await confirm(firm, firm.withdrawals.write.setTreasuryToken([frozen.address, true], { account: gov }));
    await expect(
      firm.withdrawals.write.setTreasuryToken([token.address, true], { account: gov }),
    ).rejects.toThrow(/TreasuryTokenInvalid/);
    await confirm(firm, frozen.write.mint([firm.timelock.address, 900_000n]));
    await time.increase(25 * DAY - 10);
    const receipt = await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: associate }));
    const [withdrew] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "MemberWithdrew",
    });
    const units = withdrew?.args.units ?? 0n;
    const totalUnits = withdrew?.args.totalUnits ?? 0n;
    // About a quarter vested; the rest forfeited before the share was taken.
    expect(units).toBeGreaterThan(990n);
    expect(units).toBeLessThan(1_010n);
    expect(totalUnits).toBe(5_000n + units);
    const asked = (900_000n * units) / totalUnits;
    expect(await firm.withdrawals.read.owed([associate, token.address])).toBe(asked - asked / 100n);
    expect(await firm.partnership.read.getVotes([associate])).toBe(0n);
    // The frozen token could not pay: the exit went on without it, and said so.
    const skipped = parseEventLogs({
      abi: firm.withdrawals.abi,
      logs: receipt.logs,
      eventName: "WithdrawalTokenSkipped",
    });
    expect(skipped.map((e) => e.args)).toEqual([{ member: associate, token: getAddress(frozen.address) }]);
    expect(await frozen.read.balanceOf([firm.timelock.address])).toBe(900_000n);
  });

  it("lets only the treasury send ETH to the desk, and only the desk burn a leaver's units", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const wallet = firm.wallets[1];
    if (!wallet) throw new Error("no wallet 1");
    await expect(wallet.sendTransaction({ to: firm.withdrawals.address, value: 1n })).rejects.toThrow(
      /WithdrawalsUnexpectedEth/,
    );
    await expect(firm.partnership.write.withdrawMember([p1], { account: p1 })).rejects.toThrow(
      customError("PartnershipNotWithdrawalDesk", p1),
    );
    await expect(firm.timelock.write.payOut([zeroAddress, 1n], { account: p1 })).rejects.toThrow(
      /AccessControlUnauthorizedAccount/,
    );
  });
});

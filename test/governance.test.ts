import { type Address, parseEventLogs, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { action } from "../scripts/devFirm/action.ts";
import type { Firm } from "../scripts/devFirm/deployFirm.ts";
import { ProposalState, Role, Support } from "../scripts/devFirm/enums.ts";
import type { Proposal } from "../scripts/devFirm/governance.ts";
import { FAST_PARAMETERS } from "../scripts/devFirm/parameters.ts";
import { DAY } from "../scripts/devFirm/time.ts";
import { connectForTests } from "./support/connection.ts";
import { confirm, customError, impersonateGovernance, outsiderOf, partnersOf } from "./support/firm.ts";

const { time, loadFirm, loadUnequalFirm } = await connectForTests();

/** A harmless proposal, distinct per description. */
function propose(firm: Firm, description: string, proposer: Address) {
  return firm.governance.propose(
    [action(firm.governor, "setGracePeriod", [FAST_PARAMETERS.gracePeriod])],
    description,
    proposer,
  );
}

async function votes(firm: Firm, proposal: Proposal) {
  const [againstEquity, forEquity, abstainEquity, againstHeads, forHeads, abstainHeads] =
    await firm.governor.read.proposalVotes([proposal.id]);
  return { againstEquity, forEquity, abstainEquity, againstHeads, forHeads, abstainHeads };
}

describe("who votes", () => {
  it("lets only partners vote: an associate or an outsider is not eligible", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const associate = outsiderOf(firm);
    await confirm(
      firm,
      firm.partnership.write.admit(
        [associate, Role.Associate, "", 0, { units: 800n, start: 0, cliff: 0, duration: 1 }],
        { account: gov },
      ),
    );
    const proposal = await propose(firm, "Only partners vote", p1);
    await firm.governance.startVoting();
    // The associate holds voting units (ERC-5805) but no ballot.
    expect(
      await firm.partnership.read.getPastVotes([
        associate,
        await firm.governor.read.proposalSnapshot([proposal.id]),
      ]),
    ).toBe(800n);
    await expect(
      firm.governor.write.castVote([proposal.id, Support.For], { account: associate }),
    ).rejects.toThrow(customError("GovernorVoterNotEligible", associate));
    await expect(
      firm.governor.write.castVote([proposal.id, Support.For], { account: outsiderOf(firm, 1) }),
    ).rejects.toThrow(/GovernorVoterNotEligible/);
    await firm.governance.vote(proposal, [p1]);
    expect(await votes(firm, proposal)).toMatchObject({ forEquity: 1_000n, forHeads: 1n });
  });
  it("takes the ballot away from a partner who retired after the snapshot", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const proposal = await propose(firm, "Decided by the partners still here", p1);
    await firm.governance.startVoting();
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.partnership.write.retire([p2, zeroAddress, zeroAddress, 0n], { account: gov }));
    // p2 was a partner at the snapshot, but no longer decides for the firm.
    await expect(firm.governor.write.castVote([proposal.id, Support.For], { account: p2 })).rejects.toThrow(
      customError("GovernorVoterNotEligible", p2),
    );
    await firm.governance.vote(proposal, [p1]);
    expect(await votes(firm, proposal)).toMatchObject({ forHeads: 1n });
  });
});

describe("two majorities", () => {
  it("defeats an equity majority that is a headcount minority, and a headcount majority that is an equity minority", async () => {
    const firm = await loadUnequalFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const equityOnly = await propose(firm, "Equity majority, headcount minority", p1);
    const headsOnly = await propose(firm, "Headcount majority, equity minority", p2);
    const both = await propose(firm, "Both majorities", p3);
    await firm.governance.startVoting();

    await firm.governance.vote(equityOnly, [p1], Support.For);
    await firm.governance.vote(equityOnly, [p2, p3], Support.Against);
    await firm.governance.vote(equityOnly, [p4, p5], Support.Abstain);

    await firm.governance.vote(headsOnly, [p2, p3], Support.For);
    await firm.governance.vote(headsOnly, [p1], Support.Against);
    await firm.governance.vote(headsOnly, [p4, p5], Support.Abstain);

    await firm.governance.vote(both, [p1, p2, p3], Support.For);
    await firm.governance.vote(both, [p4, p5], Support.Against);

    expect(await firm.governor.read.proposalVotes([equityOnly.id])).toEqual([
      2_000n,
      6_000n,
      2_000n,
      2n,
      1n,
      2n,
    ]);
    expect(await firm.governor.read.proposalVotes([headsOnly.id])).toEqual([
      6_000n,
      2_000n,
      2_000n,
      1n,
      2n,
      2n,
    ]);
    expect(await firm.governor.read.proposalVotes([both.id])).toEqual([2_000n, 8_000n, 0n, 2n, 3n, 0n]);
    // Both quorums are met in all three (For + Abstain: 8,000 / 4,000 / 8,000 units, 3 / 4 / 3 heads),
    // so only the majorities decide.
    for (const proposal of [equityOnly, headsOnly, both]) {
      expect(await firm.governor.read.proposalQuorums([proposal.id])).toEqual([4_000n, 3n, 10_000n, 5n]);
    }
    await firm.governance.endVoting();
    expect(await firm.governance.state(equityOnly)).toBe(ProposalState.Defeated);
    expect(await firm.governance.state(headsOnly)).toBe(ProposalState.Defeated);
    expect(await firm.governance.state(both)).toBe(ProposalState.Succeeded);
  });

  it("defeats a headcount tie even with an equity majority", async () => {
    const firm = await loadUnequalFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const headsTie = await propose(firm, "Headcount tie", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(headsTie, [p1, p2], Support.For);
    await firm.governance.vote(headsTie, [p3, p4], Support.Against);
    await firm.governance.vote(headsTie, [p5], Support.Abstain);
    await firm.governance.endVoting();
    expect(await firm.governor.read.proposalVotes([headsTie.id])).toEqual([
      2_000n,
      7_000n,
      1_000n,
      2n,
      2n,
      1n,
    ]);
    expect(await firm.governance.state(headsTie)).toBe(ProposalState.Defeated);
  });
});

describe("two quorums", () => {
  // For must already hold a majority of every eligible partner, so a quorum binds only above one half:
  // these tests raise each quorum in turn, as a passed proposal would, for proposals made after it.
  it("defeats a majority that misses either quorum above one half; abstentions count towards both", async () => {
    const firm = await loadUnequalFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);

    await confirm(firm, firm.governor.write.setQuorum([9_000, 6_000], { account: gov }));
    await time.increase(5);
    const missesEquity = await propose(firm, "p1, p2, p3 For: 8,000 units of a 9,000 quorum", p1);
    const equityByAbstention = await propose(firm, "p1, p2, p3 For, p4 abstains: 9,000 units", p1);
    await confirm(firm, firm.governor.write.setQuorum([6_000, 9_000], { account: gov }));
    await time.increase(5);
    const missesHeads = await propose(firm, "p1, p2, p3 For: 3 heads of a 5-head quorum", p1);
    const headsByAbstention = await propose(firm, "p1, p2, p3 For, p4 and p5 abstain: 5 heads", p1);
    await firm.governance.startVoting();
    for (const proposal of [missesEquity, equityByAbstention, missesHeads, headsByAbstention]) {
      await firm.governance.vote(proposal, [p1, p2, p3]);
    }
    await firm.governance.vote(equityByAbstention, [p4], Support.Abstain);
    await firm.governance.vote(headsByAbstention, [p4, p5], Support.Abstain);
    await firm.governance.endVoting();

    // Each rule is the one in force at the proposal's snapshot, fixed for good.
    expect(await firm.governor.read.proposalQuorums([missesEquity.id])).toEqual([9_000n, 3n, 10_000n, 5n]);
    expect(await firm.governor.read.proposalQuorums([missesHeads.id])).toEqual([6_000n, 5n, 10_000n, 5n]);
    expect(await votes(firm, missesEquity)).toMatchObject({ forEquity: 8_000n, forHeads: 3n });
    expect(await firm.governance.state(missesEquity)).toBe(ProposalState.Defeated);
    expect(await firm.governance.state(equityByAbstention)).toBe(ProposalState.Succeeded);
    expect(await firm.governance.state(missesHeads)).toBe(ProposalState.Defeated);
    expect(await firm.governance.state(headsByAbstention)).toBe(ProposalState.Succeeded);
  });

  it("counts every partner at the snapshot in both bases, on leave or not: a leave moves no quorum", async () => {
    const firm = await loadFirm();
    const [p1, p2, , p4, p5] = partnersOf(firm);
    const beforeLeave = await propose(firm, "Made before p4's leave", p1);
    await time.increase(5);
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 30 * DAY, p5], { account: p4 }),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p4], { account: p5 }));
    const duringLeave = await propose(firm, "Made during p4's leave", p1);
    await firm.governance.startVoting();

    expect(await firm.governor.read.proposalQuorums([beforeLeave.id])).toEqual([2_000n, 3n, 5_000n, 5n]);
    expect(await firm.governor.read.proposalQuorums([duringLeave.id])).toEqual([2_000n, 3n, 5_000n, 5n]);
    const snapshot = await firm.governor.read.proposalSnapshot([duringLeave.id]);
    expect(await firm.partnership.read.headcountAt([snapshot])).toBe(5n);

    // Two of five is no majority, before the leave or during it.
    await firm.governance.vote(beforeLeave, [p1, p2]);
    await firm.governance.vote(duringLeave, [p1, p2]);
    await firm.governance.endVoting();
    expect(await firm.governance.state(beforeLeave)).toBe(ProposalState.Defeated);
    expect(await firm.governance.state(duringLeave)).toBe(ProposalState.Defeated);
  });
});

describe("recusal", () => {
  it("keeps the subject of a retire, remove or setRole proposal from voting on it", async () => {
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
    const zero = "0x0000000000000000000000000000000000000000";
    const retire = await firm.governance.propose(
      [action(firm.partnership, "retire", [p5, p4, zero, 0n])],
      "Retire p5",
      p1,
    );
    const remove = await firm.governance.propose([action(firm.partnership, "remove", [p4])], "Remove p4", p1);
    const promote = await firm.governance.propose(
      [action(firm.partnership, "setRole", [associate, Role.Partner])],
      "Promote the associate",
      p1,
    );
    const recused = await firm.publicClient.getContractEvents({
      address: firm.governor.address,
      abi: firm.governor.abi,
      eventName: "VoterRecused",
      fromBlock: 0n,
    });
    expect(recused.map((e) => [e.args.proposalId, e.args.subject])).toEqual([
      [retire.id, p5],
      [remove.id, p4],
      [promote.id, associate],
    ]);
    // Recused from the start, before voting opens.
    expect(await firm.governor.read.hasVoted([retire.id, p5])).toBe(true);
    expect(await firm.governor.read.hasVoted([retire.id, p4])).toBe(false);
    expect(await firm.governor.read.hasVoted([remove.id, p4])).toBe(true);
    expect(await firm.governor.read.hasVoted([promote.id, associate])).toBe(true);
    expect(await firm.governor.read.proposalSubject([retire.id])).toBe(p5);

    await firm.governance.startVoting();
    await expect(firm.governor.write.castVote([retire.id, Support.For], { account: p5 })).rejects.toThrow(
      customError("GovernorVoterRecused", retire.id, p5),
    );
    await expect(firm.governor.write.castVote([remove.id, Support.Against], { account: p4 })).rejects.toThrow(
      customError("GovernorVoterRecused", remove.id, p4),
    );
    // Each subject still votes on the proposal that is not about them.
    await firm.governance.vote(retire, [p4, p1, p2, p3]);
    await firm.governance.vote(remove, [p5]);
    expect(await votes(firm, retire)).toMatchObject({ forEquity: 4_000n, forHeads: 4n });
    expect(await votes(firm, remove)).toMatchObject({ forEquity: 1_000n, forHeads: 1n });
  });

  it("keeps the cover of a subject on leave from casting the subject's ballot", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 30 * DAY, p2], { account: p3 }),
    );
    await confirm(firm, firm.partnership.write.acceptCover([p3], { account: p2 }));
    const remove = await firm.governance.propose([action(firm.partnership, "remove", [p3])], "Remove p3", p1);
    const other = await propose(firm, "Something else", p1);
    await firm.governance.startVoting();

    const receipt = await confirm(
      firm,
      firm.governor.write.castVote([remove.id, Support.Against], { account: p2 }),
    );
    const cast = parseEventLogs({ abi: firm.governor.abi, logs: receipt.logs });
    expect(cast.map((e) => e.eventName)).toEqual(["VoteCast"]);
    expect(await votes(firm, remove)).toMatchObject({ againstEquity: 1_000n, againstHeads: 1n });
    await expect(firm.governor.write.castVote([remove.id, Support.Against], { account: p2 })).rejects.toThrow(
      /GovernorAlreadyCastVote/,
    );
    // On another proposal the same cover casts both ballots.
    await firm.governance.vote(other, [p2]);
    expect(await votes(firm, other)).toMatchObject({ forEquity: 2_000n, forHeads: 2n });
  });
});

describe("proposal lifecycle", () => {
  it("follows the clock: Pending, Active, Succeeded, Queued, Executed", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const proposal = await firm.governance.propose(
      [action(firm.practices, "createPractice", ["cloud", "Cloud", p1])],
      "Create cloud",
      p1,
    );
    const snapshot = Number(await firm.governor.read.proposalSnapshot([proposal.id]));
    const deadline = Number(await firm.governor.read.proposalDeadline([proposal.id]));
    expect(snapshot).toBe((await time.latest()) + FAST_PARAMETERS.votingDelay);
    expect(deadline).toBe(snapshot + FAST_PARAMETERS.votingPeriod);
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Pending);
    // Reads and simulations run at the latest block: a vote while pending reverts.
    await expect(
      firm.governor.simulate.castVote([proposal.id, Support.For], { account: p1 }),
    ).rejects.toThrow(/GovernorUnexpectedProposalState/);
    await time.increaseTo(snapshot);
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Pending);
    await expect(
      firm.governor.simulate.castVote([proposal.id, Support.For], { account: p1 }),
    ).rejects.toThrow(/GovernorUnexpectedProposalState/);
    await time.increase(1);
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Active);
    await firm.governance.vote(proposal, [p1, p2, p3]);
    await time.increaseTo(deadline);
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Active);
    await expect(
      firm.governor.simulate.queue([
        proposal.targets,
        proposal.values,
        proposal.calldatas,
        proposal.descriptionHash,
      ]),
    ).rejects.toThrow(/GovernorUnexpectedProposalState/);
    await time.increase(1);
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Succeeded);

    await firm.governance.queue(proposal);
    const queuedAt = await time.latest();
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Queued);
    expect(await firm.governor.read.proposalEta([proposal.id])).toBe(
      BigInt(queuedAt + FAST_PARAMETERS.timelockDelay),
    );
    // The timelock holds it until the eta.
    await expect(firm.governance.execute(proposal)).rejects.toThrow(/TimelockUnexpectedOperationState/);
    await firm.governance.passTimelock();
    await firm.governance.execute(proposal);
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Executed);
    await expect(firm.governance.execute(proposal)).rejects.toThrow(/GovernorUnexpectedProposalState/);
  });

  it("defeats a proposal nobody voted on, and expires a queued one after the grace period", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const ignored = await propose(firm, "Nobody votes", p1);
    const forgotten = await propose(firm, "Queued and forgotten", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(forgotten, [p1, p2, p3]);
    await firm.governance.endVoting();
    expect(await firm.governance.state(ignored)).toBe(ProposalState.Defeated);
    await expect(firm.governance.queue(ignored)).rejects.toThrow(/GovernorUnexpectedProposalState/);

    await firm.governance.queue(forgotten);
    const eta = Number(await firm.governor.read.proposalEta([forgotten.id]));
    await time.increaseTo(eta + FAST_PARAMETERS.gracePeriod);
    expect(await firm.governance.state(forgotten)).toBe(ProposalState.Queued);
    await time.increase(1);
    expect(await firm.governance.state(forgotten)).toBe(ProposalState.Expired);
    await expect(firm.governance.execute(forgotten)).rejects.toThrow(/GovernorUnexpectedProposalState/);
    await expect(firm.governance.queue(forgotten)).rejects.toThrow(/GovernorUnexpectedProposalState/);
  });

  it("lets only the proposer cancel, and only while pending", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const cancel = (proposal: Proposal, account: Address) =>
      firm.governor.write.cancel(
        [proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash],
        {
          account,
        },
      );
    const start = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(start);
    const canceled = await propose(firm, "To be canceled", p1);
    // Still pending (its snapshot is start + 1): the other partner cannot cancel, the proposer can.
    await expect(cancel(canceled, p2)).rejects.toThrow(
      customError("GovernorUnableToCancel", canceled.id, p2),
    );
    await time.setNextBlockTimestamp(start + 1);
    await confirm(firm, cancel(canceled, p1));
    expect(await firm.governance.state(canceled)).toBe(ProposalState.Canceled);
    const kept = await propose(firm, "To be kept", p1);
    await firm.governance.startVoting();
    expect(await firm.governance.state(kept)).toBe(ProposalState.Active);
    await expect(cancel(kept, p1)).rejects.toThrow(/GovernorUnableToCancel/);
    await expect(firm.governor.write.castVote([canceled.id, Support.For], { account: p1 })).rejects.toThrow(
      /GovernorUnexpectedProposalState/,
    );
    await firm.governance.endVoting();
    expect(await firm.governance.state(canceled)).toBe(ProposalState.Canceled);
    // A canceled proposal cannot be made again.
    await expect(propose(firm, "To be canceled", p1)).rejects.toThrow(/GovernorUnexpectedProposalState/);
  });
});

describe("findings of the invariant tests", () => {
  it("bases the equity quorum on partners' units, so units that can never vote cannot lock the firm", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    // A large associate stake and two departed partners: 12,000 units that can never be cast.
    const associate = outsiderOf(firm);
    await confirm(
      firm,
      firm.partnership.write.admit(
        [associate, Role.Associate, "", 0, { units: 10_000n, start: 0, cliff: 0, duration: 1 }],
        { account: gov },
      ),
    );
    await confirm(firm, firm.partnership.write.remove([p4], { account: gov }));
    await confirm(firm, firm.partnership.write.remove([p5], { account: gov }));
    const proposal = await propose(firm, "Still decidable by the partners left", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(proposal, [p1, p2, p3]);
    await firm.governance.endVoting();
    const [equityQuorum, , equityBase] = await firm.governor.read.proposalQuorums([proposal.id]);
    expect(equityBase).toBe(3_000n);
    expect(equityQuorum).toBe(1_200n);
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Succeeded);
  });

  it("gives the ballot back to a partner on leave whose cover departed", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const now = await firm.networkHelpers.time.latest();
    await confirm(firm, firm.partnership.write.declareLeave([now + 10 * 86_400, p1], { account: p2 }));
    await confirm(firm, firm.partnership.write.acceptCover([p2], { account: p1 }));
    const proposal = await propose(firm, "Voted on while the cover leaves", p2);
    await firm.governance.startVoting();
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.partnership.write.remove([p1], { account: gov }));
    await expect(firm.governor.write.castVote([proposal.id, Support.For], { account: p1 })).rejects.toThrow(
      customError("GovernorVoterNotEligible", p1),
    );
    await firm.governance.vote(proposal, [p2]);
    expect(await votes(firm, proposal)).toMatchObject({ forEquity: 1_000n, forHeads: 1n });
  });

  it("rejects a grant start beyond uint40 instead of wrapping it into the past", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const start = 2 ** 40 + 1_000;
    await expect(
      firm.partnership.write.createGrant([p1, { units: 1_000n, start, cliff: 0, duration: 100 }], {
        account: gov,
      }),
    ).rejects.toThrow(/GrantInvalidTerms/);
  });
});

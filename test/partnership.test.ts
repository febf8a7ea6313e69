import { type Address, keccak256, parseEther, parseEventLogs, toBytes, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { action } from "../scripts/devFirm/action.ts";
import type { Firm } from "../scripts/devFirm/deployFirm.ts";
import { PracticeRole, ProposalState, Role, Status } from "../scripts/devFirm/enums.ts";
import { DAY } from "../scripts/devFirm/time.ts";
import { connectForTests } from "./support/connection.ts";
import {
  confirm,
  customError,
  impersonateGovernance,
  outsiderOf,
  partnersOf,
  passToExecution,
} from "./support/firm.ts";

const { time, loadFirm } = await connectForTests();

const practiceId = (slug: string) => keccak256(toBytes(slug));

/** Terms of a grant starting now (start 0), vesting over `duration` with no cliff. */
function terms(units: bigint, duration: number, cliff = 0, start = 0) {
  return { units, start, cliff, duration };
}

/** Vested units of a linear grant at `t`, as the contract computes them. */
function vested(units: bigint, start: number, cliffEnd: number, end: number, t: number): bigint {
  if (t < cliffEnd) return 0n;
  if (t >= end) return units;
  return (units * BigInt(t - start)) / BigInt(end - start);
}

async function ethBalance(firm: Firm, address: Address) {
  return firm.publicClient.getBalance({ address });
}

describe("admission", () => {
  it("admits a member in one proposal: firm role, practice seat, first grant and votes together", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await confirm(
      firm,
      firm.practices.write.createPractice(["cloud", "Cloud Services", p1], { account: gov }),
    );
    const newcomer = outsiderOf(firm);
    const totalVotesBefore = await firm.partnership.read.getPastTotalSupply([
      BigInt(await time.latest()) - 1n,
    ]);

    const proposal = await firm.governance.pass(
      [
        action(firm.partnership, "admit", [
          newcomer,
          Role.Associate,
          "cloud",
          PracticeRole.Technician,
          terms(600n, 100 * DAY),
        ]),
      ],
      "Admit a cloud technician",
      [p1, p2, p3],
    );
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Executed);
    const admittedAt = await time.latest();

    const [role, status, index, since, partnerSince] = await firm.partnership.read.memberOf([newcomer]);
    expect([role, status, index, since, partnerSince]).toEqual([
      Role.Associate,
      Status.Active,
      6n,
      admittedAt,
      0,
    ]);
    expect(await firm.partnership.read.isActivePartner([newcomer])).toBe(false);

    const seat = await firm.practices.read.membership(["cloud", newcomer]);
    expect(seat).toEqual({
      isMember: true,
      role: Role.Associate,
      status: Status.Active,
      practiceRole: PracticeRole.Technician,
      memberSince: admittedAt,
      practiceSince: admittedAt,
    });

    const grantId = await firm.partnership.read.lastGrantOf([newcomer]);
    expect(grantId).toBe(6n);
    expect(await firm.partnership.read.grantOf([grantId])).toEqual([
      newcomer,
      600n,
      0n,
      admittedAt,
      admittedAt,
      admittedAt + 100 * DAY,
      0,
    ]);
    // The grant's full weight counts at once; the balance only on release.
    expect(await firm.partnership.read.getVotes([newcomer])).toBe(600n);
    expect(await firm.partnership.read.balanceOf([newcomer])).toBe(0n);
    await time.increase(1);
    expect(await firm.partnership.read.getPastTotalSupply([BigInt(admittedAt)])).toBe(
      totalVotesBefore + 600n,
    );
    expect(await firm.partnership.read.counts()).toEqual([6n, 6n, 0n]);
  });

  it("is atomic: an admission naming a practice that does not exist changes nothing", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const newcomer = outsiderOf(firm);
    const proposal = await passToExecution(
      firm,
      [
        action(firm.partnership, "admit", [
          newcomer,
          Role.Partner,
          "nowhere",
          PracticeRole.Member,
          terms(100n, DAY),
        ]),
      ],
      "Admit into a practice that does not exist",
      [p1, p2, p3],
    );
    await expect(firm.governance.execute(proposal)).rejects.toThrow(/PracticeNotActive/);
    expect((await firm.partnership.read.memberOf([newcomer]))[1]).toBe(Status.None);
    expect(await firm.partnership.read.counts()).toEqual([5n, 5n, 0n]);
  });

  it("rejects invalid admissions", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const admit = (account: Address, role: number, slug = "", practiceRole = 0) =>
      firm.partnership.write.admit([account, role, slug, practiceRole, terms(0n, 0)], { account: gov });
    await expect(admit(p1, Role.Partner)).rejects.toThrow(customError("MemberAlreadyAdmitted", p1));
    await expect(admit(zeroAddress, Role.Partner)).rejects.toThrow(/PartnershipInvalidAccount/);
    await expect(admit(firm.timelock.address, Role.Partner)).rejects.toThrow(/PartnershipInvalidAccount/);
    await expect(admit(outsiderOf(firm), Role.None)).rejects.toThrow(/MemberInvalidRole/);
    await confirm(firm, firm.practices.write.createPractice(["cloud", "Cloud", p1], { account: gov }));
    // Nobody is admitted straight into a practice lead: leads change only through a lead change.
    await expect(admit(outsiderOf(firm), Role.Partner, "cloud", PracticeRole.Lead)).rejects.toThrow(
      /PracticeInvalidRole/,
    );
    // A zero `units` means no grant; a grant with bad terms reverts the admission.
    await expect(
      firm.partnership.write.admit([outsiderOf(firm), Role.Partner, "", 0, terms(10n, 10, 11)], {
        account: gov,
      }),
    ).rejects.toThrow(customError("GrantInvalidTerms", 10n, 11, 10));
  });
});

describe("practices", () => {
  it("creates a practice, changes its lead and sunsets it, each by proposal", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const voters = [p1, p2, p3];
    const id = practiceId("cloud");

    await firm.governance.pass(
      [
        action(firm.practices, "createPractice", ["cloud", "Cloud Services", p1]),
        action(firm.practices, "setPracticeMember", ["cloud", p3, PracticeRole.Technician]),
      ],
      "Create the cloud practice",
      voters,
    );
    const createdAt = await time.latest();
    expect(await firm.practices.read.practice(["cloud"])).toEqual([
      id,
      "Cloud Services",
      p1,
      1,
      createdAt,
      2n,
    ]);
    expect(await firm.practices.read.practiceCount()).toBe(1n);
    expect(await firm.practices.read.practiceSlugAt([1n])).toBe("cloud");
    expect(await firm.practices.read.seatOf([id, p1])).toEqual([PracticeRole.Lead, createdAt]);
    expect(await firm.practices.read.seatOf([id, p3])).toEqual([PracticeRole.Technician, createdAt]);

    await firm.governance.pass(
      [action(firm.practices, "changePracticeLead", ["cloud", p2])],
      "Hand cloud to p2",
      voters,
    );
    const [, , lead, , , memberCount] = await firm.practices.read.practice(["cloud"]);
    expect(lead).toBe(p2);
    expect(memberCount).toBe(3n);
    // The previous lead stays in the practice as a member.
    expect((await firm.practices.read.seatOf([id, p1]))[0]).toBe(PracticeRole.Member);
    expect((await firm.practices.read.seatOf([id, p2]))[0]).toBe(PracticeRole.Lead);
    expect((await firm.practices.read.membership(["cloud", p1])).isMember).toBe(true);

    await firm.governance.pass([action(firm.practices, "sunsetPractice", ["cloud"])], "Sunset cloud", voters);
    expect((await firm.practices.read.practice(["cloud"]))[3]).toBe(2);
    for (const account of [p1, p2, p3]) {
      expect((await firm.practices.read.membership(["cloud", account])).isMember).toBe(false);
    }
    // A sunset practice keeps its slug and accepts no change.
    const gov = await impersonateGovernance(firm);
    await expect(
      firm.practices.write.createPractice(["cloud", "Cloud again", p1], { account: gov }),
    ).rejects.toThrow(customError("PracticeSlugTaken", "cloud"));
    await expect(firm.practices.write.changePracticeLead(["cloud", p3], { account: gov })).rejects.toThrow(
      customError("PracticeNotActive", id),
    );
    await expect(
      firm.practices.write.setPracticeMember(["cloud", p3, PracticeRole.Member], { account: gov }),
    ).rejects.toThrow(/PracticeNotActive/);
    await expect(firm.practices.write.sunsetPractice(["cloud"], { account: gov })).rejects.toThrow(
      /PracticeNotActive/,
    );
  });

  it("validates slugs, names, leads and seats", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const associate = outsiderOf(firm);
    await confirm(
      firm,
      firm.partnership.write.admit([associate, Role.Associate, "", 0, terms(0n, 0)], { account: gov }),
    );
    const create = (slug: string, name: string, lead: Address) =>
      firm.practices.write.createPractice([slug, name, lead], { account: gov });
    for (const slug of ["", "Cloud", "cloud_services", "a".repeat(33), "clöud"]) {
      await expect(create(slug, "Name", p1)).rejects.toThrow(/PracticeSlugInvalid/);
    }
    await expect(create("cloud", "", p1)).rejects.toThrow(/PracticeNameInvalid/);
    await expect(create("cloud", "n".repeat(65), p1)).rejects.toThrow(/PracticeNameInvalid/);
    await expect(create("cloud", "Cloud", associate)).rejects.toThrow(
      customError("PracticeLeadNotPartner", associate),
    );
    await expect(create("cloud", "Cloud", outsiderOf(firm, 1))).rejects.toThrow(/PracticeLeadNotPartner/);
    await confirm(firm, create("a-32-character-slug-0123456789ab", "n".repeat(64), p1));
    await confirm(firm, create("cloud", "Cloud", p1));

    await expect(
      firm.practices.write.setPracticeMember(["cloud", p2, PracticeRole.Lead], { account: gov }),
    ).rejects.toThrow(/PracticeInvalidRole/);
    await expect(
      firm.practices.write.setPracticeMember(["cloud", p1, PracticeRole.Member], { account: gov }),
    ).rejects.toThrow(/PracticeInvalidRole/);
    await expect(
      firm.practices.write.setPracticeMember(["cloud", outsiderOf(firm, 1), PracticeRole.Member], {
        account: gov,
      }),
    ).rejects.toThrow(/PracticeMemberNotActive/);
    await expect(
      firm.practices.write.changePracticeLead(["cloud", associate], { account: gov }),
    ).rejects.toThrow(/PracticeLeadNotPartner/);
    await expect(firm.practices.write.removePracticeMember(["cloud", p1], { account: gov })).rejects.toThrow(
      /PracticeInvalidRole/,
    );
    await expect(firm.practices.write.removePracticeMember(["cloud", p2], { account: gov })).rejects.toThrow(
      /PracticeNotMember/,
    );
    await confirm(
      firm,
      firm.practices.write.setPracticeMember(["cloud", associate, PracticeRole.Technician], { account: gov }),
    );
    expect((await firm.practices.read.membership(["cloud", associate])).isMember).toBe(true);
    await confirm(firm, firm.practices.write.removePracticeMember(["cloud", associate], { account: gov }));
    expect((await firm.practices.read.membership(["cloud", associate])).isMember).toBe(false);
    expect((await firm.practices.read.practice(["cloud"]))[5]).toBe(1n);
  });
});

describe("promotion", () => {
  it("makes an associate a partner by proposal: they then count, propose and vote", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const associate = outsiderOf(firm);
    await confirm(
      firm,
      firm.partnership.write.admit([associate, Role.Associate, "", 0, terms(400n, 1)], { account: gov }),
    );
    expect(await firm.partnership.read.headcountAt([BigInt(await time.latest())])).toBe(5n);

    const promotion = await firm.governance.pass(
      [action(firm.partnership, "setRole", [associate, Role.Partner])],
      "Make the associate a partner",
      [p1, p2, p3],
    );
    // The member a proposal promotes does not vote on it.
    expect(await firm.governor.read.proposalSubject([promotion.id])).toBe(associate);
    expect(await firm.governor.read.hasVoted([promotion.id, associate])).toBe(true);

    const promotedAt = await time.latest();
    const [role, status, , , partnerSince, partnerUntil] = await firm.partnership.read.memberOf([associate]);
    expect([role, status, partnerSince, partnerUntil]).toEqual([Role.Partner, Status.Active, promotedAt, 0]);
    expect(await firm.partnership.read.isActivePartner([associate])).toBe(true);
    expect(await firm.partnership.read.headcountAt([BigInt(promotedAt)])).toBe(6n);
    expect(await firm.partnership.read.headcountAt([BigInt(promotedAt - 1)])).toBe(5n);

    const next = await firm.governance.propose(
      [action(firm.practices, "createPractice", ["cloud", "Cloud", associate])],
      "The new partner proposes",
      associate,
    );
    await firm.governance.startVoting();
    await firm.governance.vote(next, [associate]);
    expect((await firm.governor.read.proposalVotes([next.id]))[1]).toBe(400n);
  });

  it("moves only up the ladder", async () => {
    const firm = await loadFirm();
    const [p1, , , , p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const affiliate = outsiderOf(firm);
    await confirm(
      firm,
      firm.partnership.write.admit([affiliate, Role.Affiliate, "", 0, terms(0n, 0)], { account: gov }),
    );
    await expect(firm.partnership.write.setRole([p1, Role.Associate], { account: gov })).rejects.toThrow(
      customError("MemberInvalidRole", p1, Role.Associate),
    );
    await expect(firm.partnership.write.setRole([p1, Role.Partner], { account: gov })).rejects.toThrow(
      /MemberInvalidRole/,
    );
    await expect(firm.partnership.write.setRole([affiliate, Role.None], { account: gov })).rejects.toThrow(
      /MemberInvalidRole/,
    );
    await confirm(firm, firm.partnership.write.setRole([affiliate, Role.Associate], { account: gov }));
    expect((await firm.partnership.read.memberOf([affiliate]))[0]).toBe(Role.Associate);
    expect(await firm.partnership.read.isActivePartner([affiliate])).toBe(false);
    await confirm(firm, firm.partnership.write.retire([p5, zeroAddress, zeroAddress, 0n], { account: gov }));
    await expect(firm.partnership.write.setRole([p5, Role.Partner], { account: gov })).rejects.toThrow(
      customError("MemberUnknown", p5),
    );
    await expect(
      firm.partnership.write.setRole([outsiderOf(firm, 1), Role.Partner], { account: gov }),
    ).rejects.toThrow(/MemberUnknown/);
  });
});

describe("grants", () => {
  it("vest linearly after the cliff; anyone may release, the units go to the beneficiary", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const stranger = outsiderOf(firm);
    const gov = await impersonateGovernance(firm);
    const start = (await time.latest()) + 100;
    const cliffEnd = start + 30 * DAY;
    const end = start + 120 * DAY;
    const receipt = await confirm(
      firm,
      firm.partnership.write.createGrant([p1, terms(1_200n, 120 * DAY, 30 * DAY, start)], { account: gov }),
    );
    const [created] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "GrantCreated",
    });
    expect(created?.args).toEqual({ grantId: 6n, beneficiary: p1, units: 1_200n, start, cliffEnd, end });
    // The whole grant votes at once; nothing is in the balance yet.
    expect(await firm.partnership.read.getVotes([p1])).toBe(2_200n);
    expect(await firm.partnership.read.balanceOf([p1])).toBe(0n);

    for (const t of [
      start - 1,
      start,
      cliffEnd - 1,
      cliffEnd,
      start + 45 * DAY,
      start + 77 * DAY + 123,
      end - 1,
      end,
      end + DAY,
    ]) {
      expect(await firm.partnership.read.vestedAt([6n, BigInt(t)])).toBe(
        vested(1_200n, start, cliffEnd, end, t),
      );
    }
    expect(await firm.partnership.read.vestedAt([6n, BigInt(cliffEnd)])).toBe(300n);
    expect(await firm.partnership.read.releasable([6n])).toBe(0n);
    await expect(firm.partnership.write.release([6n], { account: stranger })).rejects.toThrow(
      customError("GrantNothingToRelease", 6n),
    );

    await time.setNextBlockTimestamp(start + 45 * DAY);
    const released = await confirm(firm, firm.partnership.write.release([6n], { account: stranger }));
    const [event] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: released.logs,
      eventName: "GrantReleased",
    });
    expect(event?.args).toEqual({ grantId: 6n, beneficiary: p1, amount: 450n, totalReleased: 450n });
    expect(await firm.partnership.read.balanceOf([p1])).toBe(450n);
    expect(await firm.partnership.read.balanceOf([stranger])).toBe(0n);
    expect(await firm.partnership.read.getVotes([stranger])).toBe(0n);
    expect(await firm.partnership.read.getVotes([p1])).toBe(2_200n);

    await time.setNextBlockTimestamp(end + 1);
    await confirm(firm, firm.partnership.write.release([6n], { account: stranger }));
    expect(await firm.partnership.read.balanceOf([p1])).toBe(1_200n);
    expect((await firm.partnership.read.grantOf([6n]))[2]).toBe(1_200n);
    await expect(firm.partnership.write.release([6n])).rejects.toThrow(/GrantNothingToRelease/);
    await expect(firm.partnership.write.release([99n])).rejects.toThrow(customError("GrantUnknown", 99n));
  });

  it("revocation claws back the unvested part (votes drop); the vested part stays releasable", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const start = (await time.latest()) + 10;
    await confirm(
      firm,
      firm.partnership.write.createGrant([p1, terms(1_000n, 100 * DAY, 10 * DAY, start)], { account: gov }),
    );
    await time.setNextBlockTimestamp(start + 20 * DAY);
    await confirm(firm, firm.partnership.write.release([6n]));
    expect(await firm.partnership.read.balanceOf([p1])).toBe(200n);

    const revokedAt = start + 60 * DAY;
    await time.setNextBlockTimestamp(revokedAt);
    const receipt = await confirm(firm, firm.partnership.write.revokeGrant([6n], { account: gov }));
    const [revoked] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "GrantRevoked",
    });
    expect(revoked?.args).toEqual({ grantId: 6n, beneficiary: p1, forfeited: 400n, at: revokedAt });
    expect(await firm.partnership.read.getVotes([p1])).toBe(1_000n + 600n);
    expect((await firm.partnership.read.grantOf([6n]))[6]).toBe(revokedAt);

    // Vesting stops at revocation; what vested by then stays releasable, also much later.
    await time.increaseTo(start + 200 * DAY);
    expect(await firm.partnership.read.vestedAt([6n, BigInt(start + 200 * DAY)])).toBe(600n);
    expect(await firm.partnership.read.releasable([6n])).toBe(400n);
    await confirm(firm, firm.partnership.write.release([6n]));
    expect(await firm.partnership.read.balanceOf([p1])).toBe(600n);
    expect(await firm.partnership.read.getVotes([p1])).toBe(1_600n);
    await expect(firm.partnership.write.release([6n])).rejects.toThrow(/GrantNothingToRelease/);
    await expect(firm.partnership.write.revokeGrant([6n], { account: gov })).rejects.toThrow(
      customError("GrantAlreadyRevoked", 6n),
    );
    await expect(firm.partnership.write.revokeGrant([42n], { account: gov })).rejects.toThrow(/GrantUnknown/);
  });

  it("rejects grants with invalid terms or to non-members", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const grant = (beneficiary: Address, t: ReturnType<typeof terms>) =>
      firm.partnership.write.createGrant([beneficiary, t], { account: gov });
    await expect(grant(p1, terms(0n, DAY))).rejects.toThrow(customError("GrantInvalidTerms", 0n, 0, DAY));
    await expect(grant(p1, terms(10n, 0))).rejects.toThrow(/GrantInvalidTerms/);
    await expect(grant(p1, terms(10n, DAY, DAY + 1))).rejects.toThrow(/GrantInvalidTerms/);
    await expect(grant(outsiderOf(firm), terms(10n, DAY))).rejects.toThrow(/MemberUnknown/);
  });
});

describe("retirement", () => {
  /** p5 leads two practices and holds, besides the founder grant, a grant vesting over 100 days. */
  async function retiringPartner(firm: Firm) {
    const [p1, , p3, , p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.practices.write.createPractice(["cloud", "Cloud", p5], { account: gov }));
    await confirm(firm, firm.practices.write.createPractice(["network", "Network", p5], { account: gov }));
    await confirm(firm, firm.practices.write.createPractice(["security", "Security", p1], { account: gov }));
    await confirm(
      firm,
      firm.practices.write.setPracticeMember(["cloud", p3, PracticeRole.Member], { account: gov }),
    );
    await confirm(
      firm,
      firm.practices.write.setPracticeMember(["security", p5, PracticeRole.Member], { account: gov }),
    );
    await confirm(firm, firm.partnership.write.createGrant([p5, terms(1_000n, 100 * DAY)], { account: gov }));
    const [, , , grantStart] = await firm.partnership.read.grantOf([6n]);
    return { gov, grantStart };
  }

  it("hands over the leads, claws back unvested units and buys back vested ones in ETH, in one proposal", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const { grantStart } = await retiringPartner(firm);
    const price = parseEther("3");
    const supplyBefore = await firm.partnership.read.totalSupply();

    const proposal = await firm.governance.propose(
      [action(firm.partnership, "retire", [p5, p4, zeroAddress, price], price)],
      "Retire p5; p4 takes over their practices",
      p1,
    );
    expect(await firm.governor.read.hasVoted([proposal.id, p5])).toBe(true);
    await firm.governance.startVoting();
    await expect(firm.governor.write.castVote([proposal.id, 1], { account: p5 })).rejects.toThrow(
      customError("GovernorVoterRecused", proposal.id, p5),
    );
    await firm.governance.vote(proposal, [p1, p2, p3, p4]);
    await firm.governance.endVoting();
    await firm.governance.queue(proposal);
    await firm.governance.passTimelock();
    const treasuryBefore = await ethBalance(firm, firm.timelock.address);
    await firm.governance.execute(proposal);
    const retiredAt = await time.latest();

    const [, status, , , , partnerUntil] = await firm.partnership.read.memberOf([p5]);
    expect([status, partnerUntil]).toEqual([Status.Retired, retiredAt]);
    // Succession: both practices p5 led go to p4; the one p5 did not lead keeps its lead.
    for (const slug of ["cloud", "network"]) {
      expect((await firm.practices.read.practice([slug]))[2]).toBe(p4);
      expect((await firm.practices.read.seatOf([practiceId(slug), p4]))[0]).toBe(PracticeRole.Lead);
      expect((await firm.practices.read.membership([slug, p5])).isMember).toBe(false);
    }
    expect((await firm.practices.read.practice(["security"]))[2]).toBe(p1);
    expect((await firm.practices.read.membership(["cloud", p3])).isMember).toBe(true);

    // Unvested units are clawed back; the vested ones are released, bought back and burned.
    const vestedUnits = vested(1_000n, grantStart, grantStart, grantStart + 100 * DAY, retiredAt);
    expect(vestedUnits).toBeGreaterThan(0n);
    expect(vestedUnits).toBeLessThan(1_000n);
    expect((await firm.partnership.read.grantOf([6n]))[6]).toBe(retiredAt);
    expect((await firm.partnership.read.grantOf([6n]))[2]).toBe(vestedUnits);
    expect(await firm.partnership.read.getVotes([p5])).toBe(0n);
    expect(await firm.partnership.read.balanceOf([p5])).toBe(0n);
    expect(await firm.partnership.read.totalSupply()).toBe(supplyBefore);
    const events = await firm.publicClient.getContractEvents({
      address: firm.partnership.address,
      abi: firm.partnership.abi,
      eventName: "UnitsBoughtBack",
      fromBlock: 0n,
    });
    expect(events.map((e) => e.args)).toEqual([
      { account: p5, amount: 1_000n + vestedUnits, token: zeroAddress, price },
    ]);

    // The price moved from the treasury into the partnership; the retiree withdraws it.
    expect(treasuryBefore - (await ethBalance(firm, firm.timelock.address))).toBe(price);
    expect(await ethBalance(firm, firm.partnership.address)).toBe(price);
    expect(await firm.partnership.read.buybackOwed([p5, zeroAddress])).toBe(price);
    const before = await ethBalance(firm, p5);
    const receipt = await confirm(
      firm,
      firm.partnership.write.withdrawBuyback([zeroAddress], { account: p5 }),
    );
    const gas = receipt.gasUsed * receipt.effectiveGasPrice;
    expect((await ethBalance(firm, p5)) - before + gas).toBe(price);
    expect(await ethBalance(firm, firm.partnership.address)).toBe(0n);
    await expect(firm.partnership.write.withdrawBuyback([zeroAddress], { account: p5 })).rejects.toThrow(
      customError("BuybackNothingOwed", p5),
    );
    // A retired partner proposes nothing.
    await expect(
      firm.governance.propose([action(firm.practices, "sunsetPractice", ["cloud"])], "x", p5),
    ).rejects.toThrow(/GovernorProposerNotPartner/);
  });

  it("buys back in an ERC-20: one proposal approves the partnership, the retirement (alone) follows", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    await retiringPartner(firm);
    const usd = await firm.viem.deployContract("TestStablecoin");
    const price = 25_000n * 10n ** 6n;
    await confirm(firm, usd.write.mint([firm.timelock.address, price + 1n]));

    // An expulsion is a proposal's only action, so the allowance passes first, on its own.
    await expect(
      firm.governance.propose(
        [
          action(usd, "approve", [firm.partnership.address, price]),
          action(firm.partnership, "retire", [p5, p4, usd.address, price]),
        ],
        "Retire p5 with a stablecoin buy-back, bundled",
        p1,
      ),
    ).rejects.toThrow(customError("GovernorExpulsionNotAlone", 2n));
    await firm.governance.pass(
      [action(usd, "approve", [firm.partnership.address, price])],
      "Allow the partnership to take p5's stablecoin buy-back",
      [p1, p2, p3, p4],
    );
    await firm.governance.pass(
      [action(firm.partnership, "retire", [p5, p4, usd.address, price])],
      "Retire p5 with a stablecoin buy-back",
      [p1, p2, p3, p4],
    );
    expect((await firm.partnership.read.memberOf([p5]))[1]).toBe(Status.Retired);
    expect((await firm.practices.read.practice(["cloud"]))[2]).toBe(p4);
    expect(await firm.partnership.read.getVotes([p5])).toBe(0n);
    expect(await usd.read.balanceOf([firm.timelock.address])).toBe(1n);
    expect(await usd.read.balanceOf([firm.partnership.address])).toBe(price);
    expect(await firm.partnership.read.buybackOwed([p5, usd.address])).toBe(price);
    expect(await firm.partnership.read.buybackOwed([p5, zeroAddress])).toBe(0n);
    await expect(firm.partnership.write.withdrawBuyback([zeroAddress], { account: p5 })).rejects.toThrow(
      /BuybackNothingOwed/,
    );
    await confirm(firm, firm.partnership.write.withdrawBuyback([usd.address], { account: p5 }));
    expect(await usd.read.balanceOf([p5])).toBe(price);
    expect(await usd.read.balanceOf([firm.partnership.address])).toBe(0n);
    await expect(firm.partnership.write.withdrawBuyback([usd.address], { account: p5 })).rejects.toThrow(
      /BuybackNothingOwed/,
    );
  });

  it("rejects a buy-back whose ETH does not match its price, and an invalid successor", async () => {
    const firm = await loadFirm();
    const [, , , p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const price = parseEther("1");
    await expect(
      firm.partnership.write.retire([p5, p4, zeroAddress, price], { account: gov, value: price - 1n }),
    ).rejects.toThrow(customError("BuybackValueMismatch", price - 1n, price));
    await expect(
      firm.partnership.write.retire([p5, p4, outsiderOf(firm), price], { account: gov, value: price }),
    ).rejects.toThrow(customError("BuybackValueMismatch", price, 0n));
    await expect(firm.partnership.write.retire([p5, p5, zeroAddress, 0n], { account: gov })).rejects.toThrow(
      customError("MemberNotPartner", p5),
    );
    await expect(
      firm.partnership.write.retire([p5, outsiderOf(firm), zeroAddress, 0n], { account: gov }),
    ).rejects.toThrow(/MemberNotPartner/);
    expect((await firm.partnership.read.memberOf([p5]))[1]).toBe(Status.Active);
  });
});

describe("removal", () => {
  it("removes a partner by proposal: unvested units are clawed back, vested ones stay theirs", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.partnership.write.release([3n]));
    await confirm(firm, firm.partnership.write.createGrant([p3, terms(1_000n, 100 * DAY)], { account: gov }));
    const [, , , grantStart] = await firm.partnership.read.grantOf([6n]);

    const removal = await firm.governance.pass([action(firm.partnership, "remove", [p3])], "Remove p3", [
      p1,
      p2,
      p4,
    ]);
    expect(await firm.governor.read.proposalSubject([removal.id])).toBe(p3);
    const removedAt = await time.latest();
    const vestedUnits = vested(1_000n, grantStart, grantStart, grantStart + 100 * DAY, removedAt);

    expect((await firm.partnership.read.memberOf([p3]))[1]).toBe(Status.Removed);
    expect(await firm.partnership.read.isActivePartner([p3])).toBe(false);
    expect(await firm.partnership.read.headcountAt([BigInt(removedAt)])).toBe(4n);
    expect(await firm.partnership.read.getVotes([p3])).toBe(1_000n + vestedUnits);
    expect(await firm.partnership.read.balanceOf([p3])).toBe(1_000n);
    expect(await firm.partnership.read.releasable([6n])).toBe(vestedUnits);
    await confirm(firm, firm.partnership.write.release([6n]));
    expect(await firm.partnership.read.balanceOf([p3])).toBe(1_000n + vestedUnits);

    // A removed member neither proposes nor votes.
    await expect(
      firm.governance.propose([action(firm.practices, "sunsetPractice", ["x"])], "by p3", p3),
    ).rejects.toThrow(/GovernorProposerNotPartner/);
    const later = await firm.governance.propose(
      [action(firm.practices, "createPractice", ["cloud", "Cloud", p1])],
      "after the removal",
      p1,
    );
    await firm.governance.startVoting();
    await expect(firm.governor.write.castVote([later.id, 1], { account: p3 })).rejects.toThrow(
      customError("GovernorVoterNotEligible", p3),
    );
  });
});

describe("member status state machine", () => {
  it("reverts every transition outside the state machine", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const stranger = outsiderOf(firm);
    const retire = (account: Address) =>
      firm.partnership.write.retire([account, zeroAddress, zeroAddress, 0n], { account: gov });
    const remove = (account: Address) => firm.partnership.write.remove([account], { account: gov });
    const until = (await time.latest()) + 30 * DAY;

    // None -> Retired / Removed
    await expect(retire(stranger)).rejects.toThrow(customError("MemberInvalidTransition", stranger, 0, 3));
    await expect(remove(stranger)).rejects.toThrow(customError("MemberInvalidTransition", stranger, 0, 4));

    // Retired is final.
    await confirm(firm, retire(p1));
    await expect(retire(p1)).rejects.toThrow(customError("MemberInvalidTransition", p1, 3, 3));
    await expect(remove(p1)).rejects.toThrow(customError("MemberInvalidTransition", p1, 3, 4));
    await expect(firm.partnership.write.declareLeave([until, p4], { account: p1 })).rejects.toThrow(
      customError("MemberNotPartner", p1),
    );
    await expect(firm.partnership.write.endLeave({ account: p1 })).rejects.toThrow(
      customError("LeaveNotOnLeave", p1),
    );

    // Removed is final.
    await confirm(firm, remove(p2));
    await expect(remove(p2)).rejects.toThrow(customError("MemberInvalidTransition", p2, 4, 4));
    await expect(retire(p2)).rejects.toThrow(customError("MemberInvalidTransition", p2, 4, 3));
    await expect(
      firm.partnership.write.admit([p2, Role.Partner, "", 0, terms(0n, 0)], { account: gov }),
    ).rejects.toThrow(customError("MemberAlreadyAdmitted", p2));

    // Active -> OnLeave once; OnLeave -> OnLeave reverts; endLeave only when on leave.
    await expect(firm.partnership.write.endLeave({ account: p3 })).rejects.toThrow(
      customError("LeaveNotOnLeave", p3),
    );
    await confirm(firm, firm.partnership.write.declareLeave([until, p4], { account: p3 }));
    expect((await firm.partnership.read.memberOf([p3]))[1]).toBe(Status.OnLeave);
    await expect(firm.partnership.write.declareLeave([until, p5], { account: p3 })).rejects.toThrow(
      customError("MemberInvalidTransition", p3, 2, 2),
    );
    await confirm(firm, firm.partnership.write.endLeave({ account: p3 }));
    expect((await firm.partnership.read.memberOf([p3]))[1]).toBe(Status.Active);
    await expect(firm.partnership.write.endLeave({ account: p3 })).rejects.toThrow(/LeaveNotOnLeave/);

    // OnLeave -> Retired is allowed, and frees the cover (the next leave waits out the cooldown).
    await time.increase(7 * DAY);
    await confirm(firm, firm.partnership.write.declareLeave([until + 7 * DAY, p4], { account: p3 }));
    await confirm(firm, firm.partnership.write.acceptCover([p3], { account: p4 }));
    expect(await firm.partnership.read.coveringOf([p4])).toBe(p3);
    await confirm(firm, retire(p3));
    expect((await firm.partnership.read.memberOf([p3]))[1]).toBe(Status.Retired);
    expect(await firm.partnership.read.coveringOf([p4])).toBe(zeroAddress);
    expect((await firm.partnership.read.leaveOf([p3]))[3]).toBe(false);

    // Only partners take leave.
    await confirm(
      firm,
      firm.partnership.write.admit([stranger, Role.Associate, "", 0, terms(0n, 0)], { account: gov }),
    );
    await expect(firm.partnership.write.declareLeave([until, p4], { account: stranger })).rejects.toThrow(
      customError("MemberNotPartner", stranger),
    );
    // Active -> Removed, the last allowed edge.
    await confirm(firm, remove(p5));
    expect((await firm.partnership.read.memberOf([p5]))[1]).toBe(Status.Removed);
  });
});

describe("membership view", () => {
  it("is true for active members and members on leave, false once retired, removed, or the practice sunset", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.practices.write.createPractice(["cloud", "Cloud", p1], { account: gov }));
    for (const account of [p2, p3, p4]) {
      await confirm(
        firm,
        firm.practices.write.setPracticeMember(["cloud", account, PracticeRole.Member], { account: gov }),
      );
    }
    const isMember = async (account: Address) =>
      (await firm.practices.read.membership(["cloud", account])).isMember;
    expect(await isMember(p1)).toBe(true);
    expect(await isMember(p5)).toBe(false);
    expect(await isMember(outsiderOf(firm))).toBe(false);
    expect(await firm.practices.read.membership(["nowhere", p1])).toMatchObject({
      isMember: false,
      practiceRole: 0,
    });

    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 2 * DAY, p5], { account: p2 }),
    );
    expect(await firm.practices.read.membership(["cloud", p2])).toMatchObject({
      isMember: true,
      status: Status.OnLeave,
    });
    await confirm(firm, firm.partnership.write.retire([p3, zeroAddress, zeroAddress, 0n], { account: gov }));
    // A departure empties the seat as well: the client sees why (Retired) and that no seat is held.
    expect(await firm.practices.read.membership(["cloud", p3])).toMatchObject({
      isMember: false,
      status: Status.Retired,
      practiceRole: PracticeRole.None,
    });
    await confirm(firm, firm.partnership.write.remove([p4], { account: gov }));
    expect(await firm.practices.read.membership(["cloud", p4])).toMatchObject({
      isMember: false,
      status: Status.Removed,
      practiceRole: PracticeRole.None,
    });

    await confirm(firm, firm.practices.write.sunsetPractice(["cloud"], { account: gov }));
    expect(await isMember(p1)).toBe(false);
    expect(await isMember(p2)).toBe(false);
  });
});

describe("equity reads", () => {
  it("answers ERC-20 reads: whole units, balances and supply only from releases", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    expect(await firm.partnership.read.name()).toBe("MSP IT Partners Equity");
    expect(await firm.partnership.read.symbol()).toBe("MSPEQ");
    expect(await firm.partnership.read.decimals()).toBe(0);
    expect(await firm.partnership.read.totalSupply()).toBe(0n);
    expect(await firm.partnership.read.balanceOf([p1])).toBe(0n);
    await confirm(firm, firm.partnership.write.release([1n]));
    await confirm(firm, firm.partnership.write.release([2n]));
    expect(await firm.partnership.read.balanceOf([p1])).toBe(1_000n);
    expect(await firm.partnership.read.balanceOf([p2])).toBe(1_000n);
    expect(await firm.partnership.read.totalSupply()).toBe(2_000n);
    expect(await firm.partnership.read.allowance([p1, p2])).toBe(0n);
  });

  it("answers ERC-5805 reads on a timestamp clock", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const latestBlock = await firm.publicClient.getBlock();
    expect(BigInt(await firm.partnership.read.clock())).toBe(latestBlock.timestamp);
    expect(await firm.partnership.read.CLOCK_MODE()).toBe("mode=timestamp");
    expect(BigInt(await firm.governor.read.clock())).toBe(latestBlock.timestamp);
    expect(await firm.governor.read.CLOCK_MODE()).toBe("mode=timestamp");
    expect(await firm.partnership.read.delegates([p1])).toBe(p1);

    const before = BigInt(await time.latest());
    await time.increase(10);
    await confirm(firm, firm.partnership.write.createGrant([p1, terms(500n, DAY)], { account: gov }));
    const grantedAt = BigInt(await time.latest());
    await time.increase(10);
    await confirm(firm, firm.partnership.write.revokeGrant([6n], { account: gov }));
    const revokedAt = BigInt(await time.latest());
    const revokedVested = await firm.partnership.read.vestedAt([6n, revokedAt]);
    await time.increase(10);

    expect(await firm.partnership.read.getVotes([p1])).toBe(1_000n + revokedVested);
    expect(await firm.partnership.read.getPastVotes([p1, before])).toBe(1_000n);
    expect(await firm.partnership.read.getPastVotes([p1, grantedAt - 1n])).toBe(1_000n);
    expect(await firm.partnership.read.getPastVotes([p1, grantedAt])).toBe(1_500n);
    expect(await firm.partnership.read.getPastVotes([p1, revokedAt - 1n])).toBe(1_500n);
    expect(await firm.partnership.read.getPastVotes([p1, revokedAt])).toBe(1_000n + revokedVested);
    expect(await firm.partnership.read.getPastVotes([p2, grantedAt])).toBe(1_000n);
    expect(await firm.partnership.read.getPastTotalSupply([before])).toBe(5_000n);
    expect(await firm.partnership.read.getPastTotalSupply([grantedAt])).toBe(5_500n);
    expect(await firm.partnership.read.getPastTotalSupply([revokedAt])).toBe(5_000n + revokedVested);
    // Before the firm existed there were no votes.
    expect(await firm.partnership.read.getPastVotes([p1, 1n])).toBe(0n);
    expect(await firm.partnership.read.getPastTotalSupply([1n])).toBe(0n);
    // Lookups need a past time.
    const now = BigInt(await time.latest());
    await expect(firm.partnership.read.getPastVotes([p1, now])).rejects.toThrow(/EquityFutureLookup/);
    await expect(firm.partnership.read.getPastTotalSupply([now + 100n])).rejects.toThrow(
      /EquityFutureLookup/,
    );
    // The governor reads the same votes.
    expect(await firm.governor.read.getVotes([p1, grantedAt])).toBe(1_500n);
  });
});

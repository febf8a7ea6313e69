// The talent directory on the real chain: who may publish, clear and remove a profile, what a profile
// commits to (its content hash, recomputed here with viem), every bound of its fields, the mentor
// links and their abuse, admission with a mentor in one proposal, and that a directory-only proposal
// locks no For voter's rage-quit while a bundle with a treasury transfer still does.
import {
  type AbiParameter,
  type Address,
  encodeAbiParameters,
  keccak256,
  parseEther,
  parseEventLogs,
  zeroAddress,
} from "viem";
import { describe, expect, it } from "vitest";
import { directoryAbi } from "../contracts/abi.ts";
import { action } from "../scripts/devFirm/action.ts";
import type { Firm } from "../scripts/devFirm/deployFirm.ts";
import { Role, Status, WorkMode } from "../scripts/devFirm/enums.ts";
import { type ProfileFields, profileFields, TYPICAL_PROFILE } from "../scripts/devFirm/profiles.ts";
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

/** The ProfileFields tuple of setProfile's ABI: what abi.encode(fields) encodes in the contract. */
const FIELDS_PARAMETER = (() => {
  const fn = directoryAbi.find((item) => item.type === "function" && item.name === "setProfile");
  if (fn?.type !== "function") throw new Error("setProfile is missing from directoryAbi");
  return fn.inputs[0] as AbiParameter;
})();

const contentHashOf = (fields: ProfileFields) => keccak256(encodeAbiParameters([FIELDS_PARAMETER], [fields]));

async function publish(firm: Firm, member: Address, fields: ProfileFields = TYPICAL_PROFILE) {
  return confirm(firm, firm.directory.write.setProfile([fields], { account: member }));
}

async function isLive(firm: Firm, member: Address) {
  return (await firm.directory.read.profileOf([member]))[0];
}

/** Admits `account` as `role` by acting as governance (set-up only; the proposals under test are real). */
async function admit(firm: Firm, account: Address, role: number) {
  const gov = await impersonateGovernance(firm);
  await confirm(
    firm,
    firm.partnership.write.admit([account, role, "", 0, { units: 0n, start: 0, cliff: 0, duration: 0 }], {
      account: gov,
    }),
  );
}

/** Founders p1..p5, and an associate admitted for the mentor tests. */
async function firmWithAssociate() {
  const firm = await loadFirm();
  const associate = outsiderOf(firm);
  await admit(firm, associate, Role.Associate);
  return { firm, associate, partners: partnersOf(firm) };
}

describe("profiles", () => {
  it("publishes a typical record in one packed slot plus its hash, under 120,000 gas, with every field in the event", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const receipt = await publish(firm, p1);
    const at = await time.latest();
    // The budget for a typical record; the bench:gas table reports the exact figure.
    expect(receipt.gasUsed).toBeLessThan(120_000n);
    const [set] = parseEventLogs({ abi: directoryAbi, logs: receipt.logs, eventName: "ProfileSet" });
    const contentHash = contentHashOf(TYPICAL_PROFILE);
    expect(set?.args).toEqual({ member: p1, ...TYPICAL_PROFILE, contentHash, at });
    expect(await firm.directory.read.profileOf([p1])).toEqual([
      true,
      WorkMode.OnSite,
      true,
      4550,
      -7357,
      50,
      at,
      contentHash,
    ]);
  });

  it("replaces an earlier profile, and a remote-only record needs no region, city or coordinates", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    await publish(firm, p1);
    const remote = profileFields({
      workMode: WorkMode.Remote,
      region: "",
      city: "",
      hasCoordinates: false,
      latitudeE2: 0,
      longitudeE2: 0,
      radiusKm: 0,
      contactUrl: "",
      skills: [],
    });
    await publish(firm, p1, remote);
    const [live, mode, hasCoordinates, , , , , hash] = await firm.directory.read.profileOf([p1]);
    expect([live, mode, hasCoordinates, hash]).toEqual([true, WorkMode.Remote, false, contentHashOf(remote)]);
  });

  it("refuses a non-member, a retired member and a removed member", async () => {
    const firm = await loadFirm();
    const [p1, p2, , , p5] = partnersOf(firm);
    const stranger = outsiderOf(firm);
    await expect(publish(firm, stranger)).rejects.toThrow(customError("DirectoryNotMember", stranger));
    // p1 leaves on their own (rage-quit, Retired); p2 is removed.
    await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: p1 }));
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.partnership.write.remove([p2], { account: gov }));
    expect((await firm.partnership.read.memberOf([p1]))[1]).toBe(Status.Retired);
    expect((await firm.partnership.read.memberOf([p2]))[1]).toBe(Status.Removed);
    await expect(publish(firm, p1)).rejects.toThrow(customError("DirectoryNotMember", p1));
    await expect(publish(firm, p2)).rejects.toThrow(customError("DirectoryNotMember", p2));
    // A partner on leave may still publish.
    await confirm(
      firm,
      firm.partnership.write.declareLeave([(await time.latest()) + 30 * 86_400, zeroAddress], {
        account: p5,
      }),
    );
    expect((await firm.partnership.read.memberOf([p5]))[1]).toBe(Status.OnLeave);
    await publish(firm, p5);
    expect(await isLive(firm, p5)).toBe(true);
  });

  it("hides a departed member's profile at once, with no transaction, and anyone may then remove it", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const stranger = outsiderOf(firm);
    await publish(firm, p1);
    await publish(firm, p2);
    // A stranger cannot remove an active member's profile, nor clear it as governance or as themself.
    await expect(firm.directory.write.removeDepartedProfile([p2], { account: stranger })).rejects.toThrow(
      customError("ProfileOwnerStillMember", p2),
    );
    await expect(
      firm.directory.write.clearProfileByGovernance([p2, "spam"], { account: stranger }),
    ).rejects.toThrow(customError("DirectoryUnauthorized", stranger));
    await expect(firm.directory.write.clearProfile({ account: stranger })).rejects.toThrow(
      customError("ProfileNotFound", stranger),
    );
    expect(await isLive(firm, p2)).toBe(true);

    await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: p1 }));
    expect(await isLive(firm, p1)).toBe(false);
    const receipt = await confirm(
      firm,
      firm.directory.write.removeDepartedProfile([p1], { account: stranger }),
    );
    const [cleared] = parseEventLogs({ abi: directoryAbi, logs: receipt.logs, eventName: "ProfileCleared" });
    expect(cleared?.args).toEqual({ member: p1, by: stranger, reason: "departed", at: await time.latest() });
    expect(await firm.directory.read.profileOf([p1])).toEqual([
      false,
      0,
      false,
      0,
      0,
      0,
      0,
      `0x${"0".repeat(64)}`,
    ]);
    // Clearing nothing is refused, whoever asks.
    await expect(firm.directory.write.removeDepartedProfile([p1], { account: stranger })).rejects.toThrow(
      customError("ProfileNotFound", p1),
    );
  });

  it("lets a member clear their own profile once, with an empty reason", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    await publish(firm, p1);
    const receipt = await confirm(firm, firm.directory.write.clearProfile({ account: p1 }));
    const [cleared] = parseEventLogs({ abi: directoryAbi, logs: receipt.logs, eventName: "ProfileCleared" });
    expect(cleared?.args).toMatchObject({ member: p1, by: p1, reason: "" });
    expect(await isLive(firm, p1)).toBe(false);
    await expect(firm.directory.write.clearProfile({ account: p1 })).rejects.toThrow(
      customError("ProfileNotFound", p1),
    );
  });

  it("lets governance clear an abusive profile by a real proposal, which locks no For voter's exit", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4] = partnersOf(firm);
    await publish(firm, p4, profileFields({ displayName: "Buy cheap licences at scam.example" }));
    const reason = "Advertising unrelated to the firm (code of conduct, section 3)";
    const proposal = await passToExecution(
      firm,
      [action(firm.directory, "clearProfileByGovernance", [p4, reason])],
      "Clear an abusive profile",
      [p1, p2, p3],
    );
    // A directory-only proposal moves no funds: its For voters may still leave while it is pending.
    expect((await firm.governor.read.proposalThresholds([proposal.id]))[3]).toBe(false);
    expect(await firm.governor.read.openExitLocks([p1])).toBe(0n);
    await firm.governance.execute(proposal);
    expect(await isLive(firm, p4)).toBe(false);
    const logs = await firm.publicClient.getContractEvents({
      address: firm.directory.address,
      abi: directoryAbi,
      eventName: "ProfileCleared",
      fromBlock: 0n,
    });
    expect(logs.map((l) => l.args)).toEqual([
      { member: p4, by: firm.timelock.address, reason, at: await time.latest() },
    ]);
  });

  it("refuses a governance reason that is empty or longer than 200 bytes", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    await publish(firm, p1);
    const gov = await impersonateGovernance(firm);
    for (const reason of ["", "x".repeat(201)]) {
      await expect(
        firm.directory.write.clearProfileByGovernance([p1, reason], { account: gov }),
      ).rejects.toThrow(customError("ProfileFieldInvalid", "reason"));
    }
    expect(await isLive(firm, p1)).toBe(true);
  });

  // Each malformed record, and the field the contract must name when refusing it.
  const MALFORMED: [string, Partial<ProfileFields>, string][] = [
    ["an empty name", { displayName: "" }, "displayName"],
    ["a 65-byte name", { displayName: "n".repeat(65) }, "displayName"],
    ["a newline in the name", { displayName: "Camille\nTremblay" }, "displayName"],
    ["9 skills", { skills: ["a", "b", "c", "d", "e", "f", "g", "h", "i"] }, "skills"],
    ["an uppercase skill", { skills: ["VoIP"] }, "skill"],
    ["an empty skill", { skills: ["voip", ""] }, "skill"],
    ["a skill with a space", { skills: ["phone systems"] }, "skill"],
    ["a 33-byte skill", { skills: ["s".repeat(33)] }, "skill"],
    ["work mode None", { workMode: WorkMode.None }, "workMode"],
    ["region QC", { region: "QC" }, "region"],
    ["region ca-qc", { region: "ca-qc" }, "region"],
    ["region CA-QCXX", { region: "CA-QCXX" }, "region"],
    ["region CAQC", { region: "CA_QC" }, "region"],
    ["region CA-", { region: "CA-" }, "region"],
    ["a control character in the city", { city: "Montr\u0007al" }, "city"],
    ["a 65-byte city", { city: "c".repeat(65) }, "city"],
    ["latitude 9001", { latitudeE2: 9001 }, "latitude"],
    ["latitude -9001", { latitudeE2: -9001 }, "latitude"],
    ["longitude -18001", { longitudeE2: -18001 }, "longitude"],
    ["hidden coordinates", { hasCoordinates: false }, "latitude"],
    ["a hidden longitude", { hasCoordinates: false, latitudeE2: 0 }, "longitude"],
    ["radius 1001", { radiusKm: 1001 }, "radiusKm"],
    ["a radius with Remote mode", { workMode: WorkMode.Remote, radiusKm: 10 }, "radiusKm"],
    ["an ftp URL", { contactUrl: "ftp://files.example.com" }, "contactUrl"],
    ["a javascript: URL", { contactUrl: "javascript:alert(1)" }, "contactUrl"],
    ["a URL with a space", { contactUrl: "https://example.com/a b" }, "contactUrl"],
    ["a URL that is only its scheme", { contactUrl: "https://" }, "contactUrl"],
    ["a URL of 201 bytes after https://", { contactUrl: `https://${"u".repeat(201)}` }, "contactUrl"],
    ["a URL with a tab", { contactUrl: "https://example.com/\t" }, "contactUrl"],
    ["an uppercase scheme", { contactUrl: "HTTPS://example.com" }, "contactUrl"],
  ];

  it(`refuses ${MALFORMED.length} malformed records, each naming its field`, async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const refused: string[] = [];
    for (const [what, changes, field] of MALFORMED) {
      await expect(
        firm.publicClient.simulateContract({
          address: firm.directory.address,
          abi: directoryAbi,
          functionName: "setProfile",
          args: [profileFields(changes)],
          account: p1,
        }),
        what,
      ).rejects.toThrow(customError("ProfileFieldInvalid", field));
      refused.push(what);
    }
    expect(refused).toHaveLength(MALFORMED.length);
    // The bounds themselves pass: 64-byte name and city, 8 skills of 32 bytes, a 6-byte region, the
    // extreme coordinates, a 1,000 km radius and 200 bytes after http://.
    const edge = profileFields({
      displayName: "n".repeat(64),
      skills: Array.from({ length: 8 }, (_, i) => `${i}${"s".repeat(31)}`),
      workMode: WorkMode.Both,
      region: "CA-Q1C",
      city: "c".repeat(64),
      latitudeE2: -9000,
      longitudeE2: 18000,
      radiusKm: 1000,
      contactUrl: `http://${"u".repeat(200)}`,
    });
    await publish(firm, p1, edge);
    expect((await firm.directory.read.profileOf([p1]))[7]).toBe(contentHashOf(edge));
  });
});

describe("mentors", () => {
  it("links a partner and an associate by offer and acceptance, and either may end it", async () => {
    const { firm, associate, partners } = await firmWithAssociate();
    const [p1] = partners;
    const offered = await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p1 }));
    expect(parseEventLogs({ abi: directoryAbi, logs: offered.logs })[0]?.eventName).toBe("MentorshipOffered");
    expect(await firm.directory.read.mentorshipOffered([p1, associate])).toBe(true);
    expect(await firm.directory.read.mentorOf([associate])).toBe(zeroAddress);
    const accepted = await confirm(firm, firm.directory.write.acceptMentorship([p1], { account: associate }));
    const [started] = parseEventLogs({
      abi: directoryAbi,
      logs: accepted.logs,
      eventName: "MentorshipStarted",
    });
    expect(started?.args).toEqual({ mentor: p1, mentee: associate, at: await time.latest() });
    expect(await firm.directory.read.mentorOf([associate])).toBe(p1);
    // The offer is used up.
    expect(await firm.directory.read.mentorshipOffered([p1, associate])).toBe(false);
    const ended = await confirm(
      firm,
      firm.directory.write.endMentorship([associate], { account: associate }),
    );
    const [end] = parseEventLogs({ abi: directoryAbi, logs: ended.logs, eventName: "MentorshipEnded" });
    expect(end?.args).toMatchObject({ mentor: p1, mentee: associate, by: associate });
    expect(await firm.directory.read.mentorOf([associate])).toBe(zeroAddress);
    // The mentor may end it too.
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p1 }));
    await confirm(firm, firm.directory.write.acceptMentorship([p1], { account: associate }));
    await confirm(firm, firm.directory.write.endMentorship([associate], { account: p1 }));
    expect(await firm.directory.read.mentorOf([associate])).toBe(zeroAddress);
  });

  it("ends the earlier mentor first when the associate accepts another", async () => {
    const { firm, associate, partners } = await firmWithAssociate();
    const [p1, p2] = partners;
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p1 }));
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p2 }));
    await confirm(firm, firm.directory.write.acceptMentorship([p1], { account: associate }));
    const receipt = await confirm(firm, firm.directory.write.acceptMentorship([p2], { account: associate }));
    expect(
      parseEventLogs({ abi: directoryAbi, logs: receipt.logs }).map((e) => [e.eventName, e.args]),
    ).toEqual([
      ["MentorshipEnded", { mentor: p1, mentee: associate, by: associate, at: await time.latest() }],
      ["MentorshipStarted", { mentor: p2, mentee: associate, at: await time.latest() }],
    ]);
    expect(await firm.directory.read.mentorOf([associate])).toBe(p2);
  });

  it("refuses mentor abuse: an associate offering, a partner offering to a partner, self-mentoring, a stranger, a repeated offer", async () => {
    const { firm, associate, partners } = await firmWithAssociate();
    const [p1, p2] = partners;
    const stranger = outsiderOf(firm, 1);
    const affiliate = outsiderOf(firm, 2);
    await admit(firm, affiliate, Role.Affiliate);
    const refusals: [Address, Address][] = [
      [associate, associate], // an associate offers (to themself)
      [associate, p1], // an associate offers to a partner
      [p1, p2], // a partner to a partner
      [p1, p1], // self-mentoring
      [p1, stranger], // a stranger is no mentee
      [stranger, associate], // nor a mentor
      [p1, affiliate], // an affiliate is no associate
      [affiliate, associate],
    ];
    for (const [mentor, mentee] of refusals) {
      await expect(
        firm.directory.write.offerMentorship([mentee], { account: mentor }),
        `${mentor} → ${mentee}`,
      ).rejects.toThrow(customError("MentorshipInvalid", mentor, mentee));
    }
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p1 }));
    await expect(firm.directory.write.offerMentorship([associate], { account: p1 })).rejects.toThrow(
      customError("MentorshipInvalid", p1, associate),
    );
    // Already the mentor: no second offer.
    await confirm(firm, firm.directory.write.acceptMentorship([p1], { account: associate }));
    await expect(firm.directory.write.offerMentorship([associate], { account: p1 })).rejects.toThrow(
      customError("MentorshipInvalid", p1, associate),
    );
  });

  it("refuses accepting an offer never made, withdrawn, or made to someone else", async () => {
    const { firm, associate, partners } = await firmWithAssociate();
    const [p1, p2] = partners;
    const other = outsiderOf(firm, 1);
    await admit(firm, other, Role.Associate);
    await expect(firm.directory.write.acceptMentorship([p1], { account: associate })).rejects.toThrow(
      customError("MentorshipOfferNotFound", p1, associate),
    );
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p1 }));
    // Another associate cannot take p1's offer to `associate`.
    await expect(firm.directory.write.acceptMentorship([p1], { account: other })).rejects.toThrow(
      customError("MentorshipOfferNotFound", p1, other),
    );
    const withdrawn = await confirm(
      firm,
      firm.directory.write.withdrawMentorshipOffer([associate], { account: p1 }),
    );
    expect(parseEventLogs({ abi: directoryAbi, logs: withdrawn.logs })[0]?.eventName).toBe(
      "MentorshipOfferWithdrawn",
    );
    await expect(firm.directory.write.acceptMentorship([p1], { account: associate })).rejects.toThrow(
      customError("MentorshipOfferNotFound", p1, associate),
    );
    // Withdrawing twice, or another partner's offer, is refused.
    await expect(firm.directory.write.withdrawMentorshipOffer([associate], { account: p1 })).rejects.toThrow(
      customError("MentorshipOfferNotFound", p1, associate),
    );
    await expect(firm.directory.write.withdrawMentorshipOffer([associate], { account: p2 })).rejects.toThrow(
      customError("MentorshipOfferNotFound", p2, associate),
    );
    // An offer whose mentor left cannot be accepted any more.
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p2 }));
    await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: p2 }));
    await expect(firm.directory.write.acceptMentorship([p2], { account: associate })).rejects.toThrow(
      customError("MentorshipInvalid", p2, associate),
    );
  });

  it("refuses a third party ending a link, until the mentor or the mentee has left, then lets anyone", async () => {
    const { firm, associate, partners } = await firmWithAssociate();
    const [p1, p2] = partners;
    const stranger = outsiderOf(firm, 1);
    await expect(firm.directory.write.endMentorship([associate], { account: associate })).rejects.toThrow(
      customError("MentorshipNotFound", associate, associate),
    );
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p1 }));
    await confirm(firm, firm.directory.write.acceptMentorship([p1], { account: associate }));
    for (const caller of [stranger, p2]) {
      await expect(firm.directory.write.endMentorship([associate], { account: caller })).rejects.toThrow(
        customError("MentorshipNotFound", associate, caller),
      );
    }
    // The mentor leaves: now anyone may end the link.
    await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: p1 }));
    await confirm(firm, firm.directory.write.endMentorship([associate], { account: stranger }));
    expect(await firm.directory.read.mentorOf([associate])).toBe(zeroAddress);
    // The same once the mentee leaves.
    await confirm(firm, firm.directory.write.offerMentorship([associate], { account: p2 }));
    await confirm(firm, firm.directory.write.acceptMentorship([p2], { account: associate }));
    await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: associate }));
    const receipt = await confirm(
      firm,
      firm.directory.write.endMentorship([associate], { account: stranger }),
    );
    const [ended] = parseEventLogs({ abi: directoryAbi, logs: receipt.logs, eventName: "MentorshipEnded" });
    expect(ended?.args).toMatchObject({ mentor: p2, mentee: associate, by: stranger });
  });

  it("admits an associate with a mentor in one proposal (Partnership.admit, then Directory.assignMentor)", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const newcomer = outsiderOf(firm);
    const proposal = await passToExecution(
      firm,
      [
        action(firm.partnership, "admit", [
          newcomer,
          Role.Associate,
          "",
          0,
          { units: 0n, start: 0, cliff: 0, duration: 0 },
        ]),
        action(firm.directory, "assignMentor", [newcomer, p2]),
      ],
      "Admit an associate mentored by p2",
      [p1, p2, p3],
    );
    // Admission and a mentor move no funds: no For voter is locked in.
    expect(await firm.governor.read.openExitLocks([p1])).toBe(0n);
    await firm.governance.execute(proposal);
    expect((await firm.partnership.read.memberOf([newcomer])).slice(0, 2)).toEqual([
      Role.Associate,
      Status.Active,
    ]);
    expect(await firm.directory.read.mentorOf([newcomer])).toBe(p2);
    const started = await firm.publicClient.getContractEvents({
      address: firm.directory.address,
      abi: directoryAbi,
      eventName: "MentorshipStarted",
      fromBlock: 0n,
    });
    expect(started.map((e) => e.args)).toEqual([{ mentor: p2, mentee: newcomer, at: await time.latest() }]);
    // Only governance assigns; governance may also end a link.
    await expect(firm.directory.write.assignMentor([newcomer, p1], { account: p1 })).rejects.toThrow(
      customError("DirectoryUnauthorized", p1),
    );
    const gov = await impersonateGovernance(firm);
    await confirm(firm, firm.directory.write.endMentorship([newcomer], { account: gov }));
    expect(await firm.directory.read.mentorOf([newcomer])).toBe(zeroAddress);
  });
});

describe("exit locks", () => {
  it("lets a partner who voted For a directory-only proposal rage-quit before it executes", async () => {
    const { firm, associate, partners } = await firmWithAssociate();
    const [p1, p2, p3] = partners;
    const proposal = await firm.governance.propose(
      [action(firm.directory, "assignMentor", [associate, p3])],
      "Assign p3 as the associate's mentor",
      p1,
    );
    await firm.governance.startVoting();
    await firm.governance.vote(proposal, [p1, p2, p3]);
    expect(await firm.governor.read.openExitLocks([p1])).toBe(0n);
    const receipt = await confirm(firm, firm.withdrawals.write.ragequit([[]], { account: p1 }));
    const [withdrew] = parseEventLogs({
      abi: firm.partnership.abi,
      logs: receipt.logs,
      eventName: "MemberWithdrew",
    });
    expect(withdrew?.args.account).toBe(p1);
  });

  it("still locks For voters of a bundle that mixes a directory call with a treasury transfer", async () => {
    const { firm, associate, partners } = await firmWithAssociate();
    const [p1, p2, p3] = partners;
    await firm.networkHelpers.setBalance(firm.timelock.address, parseEther("10"));
    const proposal = await firm.governance.propose(
      [
        action(firm.directory, "assignMentor", [associate, p3]),
        { target: p3, value: parseEther("1"), data: "0x" },
      ],
      "Assign p3 as mentor and pay them 1 ETH",
      p1,
    );
    expect((await firm.governor.read.proposalThresholds([proposal.id]))[3]).toBe(true);
    await firm.governance.startVoting();
    await firm.governance.vote(proposal, [p1, p2]);
    expect(await firm.governor.read.openExitLocks([p1])).toBe(1n);
    await expect(firm.withdrawals.write.ragequit([[proposal.id]], { account: p1 })).rejects.toThrow(
      customError("WithdrawalLockedByVotes", p1, 1n),
    );
    // Value sent to the directory itself moves funds too (and the directory refuses ETH).
    const valued = await firm.governance.propose(
      [action(firm.directory, "assignMentor", [associate, p2], 1n)],
      "A directory call carrying 1 wei",
      p1,
    );
    expect((await firm.governor.read.proposalThresholds([valued.id]))[3]).toBe(true);
  });
});

import {
  type Abi,
  type Address,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  type Hex,
  keccak256,
  parseEther,
  toBytes,
  toFunctionSelector,
  zeroAddress,
} from "viem";
import { describe, expect, it } from "vitest";
import {
  booksAbi,
  directoryAbi,
  firmGovernorAbi,
  firmTimelockAbi,
  partnershipAbi,
  practicesAbi,
  revenueShareAbi,
  withdrawalsAbi,
} from "../../contracts/abi.ts";
import { syntheticManifest } from "../testing/syntheticChain.ts";
import {
  CLASSIFIED_SELECTORS,
  type ClassificationLookups,
  classifyProposal,
  decodeIntent,
  type Intent,
  type ProposalCall,
} from "./intents.ts";

const { contracts } = syntheticManifest();
const DAY = 86_400;
const YEAR = 365 * DAY;
const alice = getAddress("0xabcd000000000000000000000000000000001234");
const bob = "0x5678000000000000000000000000000000009999" as Address;
const token = "0x1111000000000000000000000000000000002222" as Address;

function intentOf(target: Address, data: `0x${string}`, value = 0n): Intent {
  return decodeIntent({ target, value, data }, contracts);
}

const partnership = (functionName: string, args: readonly unknown[], value = 0n) =>
  intentOf(
    contracts.partnership,
    encodeFunctionData({ abi: partnershipAbi, functionName, args } as never),
    value,
  );
const directory = (functionName: string, args: readonly unknown[]) =>
  intentOf(contracts.directory, encodeFunctionData({ abi: directoryAbi, functionName, args } as never));
const practices = (functionName: string, args: readonly unknown[]) =>
  intentOf(contracts.practices, encodeFunctionData({ abi: practicesAbi, functionName, args } as never));

describe("decodeIntent", () => {
  it("summarizes an admission with its practice and vesting grant", () => {
    const intent = partnership("admit", [
      alice,
      2,
      "cloud",
      2,
      { units: 1_000n, start: 0, cliff: YEAR, duration: 4 * YEAR },
    ]);
    expect(intent).toEqual({
      kind: "ADMIT_MEMBER",
      args: {
        account: alice.toLowerCase(),
        role: "Associate",
        practice: "cloud",
        practiceRole: "Member",
        grant: { units: 1_000n, start: 0, cliff: YEAR, duration: 4 * YEAR },
      },
      summary: "Admit 0xabcd…1234 as Associate in cloud with 1,000 units vesting 4y, 1y cliff",
    });
  });

  it("summarizes every firm intent in one line", () => {
    const summaries = [
      partnership("admit", [alice, 1, "", 0, { units: 0n, start: 0, cliff: 0, duration: 0 }]),
      partnership("admit", [
        alice,
        3,
        "noc",
        3,
        { units: 250n, start: 1_798_761_600, cliff: 0, duration: 90 * DAY },
      ]),
      partnership("setRole", [alice, 1]),
      partnership("retire", [alice, zeroAddress, zeroAddress, 0n]),
      partnership("retire", [alice, bob, zeroAddress, parseEther("12.5")], parseEther("12.5")),
      partnership("retire", [alice, zeroAddress, token, 1_500_000n]),
      partnership("remove", [alice]),
      partnership("createGrant", [bob, { units: 5_000n, start: 0, cliff: 0, duration: 1 }]),
      partnership("createGrant", [bob, { units: 120n, start: 0, cliff: 30 * DAY, duration: 2 * YEAR }]),
      partnership("revokeGrant", [7n]),
      practices("createPractice", ["cloud", "Cloud Services", alice]),
      practices("sunsetPractice", ["cloud"]),
      practices("changePracticeLead", ["cloud", bob]),
      practices("setPracticeMember", ["cloud", bob, 3]),
      practices("removePracticeMember", ["cloud", bob]),
      intentOf(
        contracts.revenueShare,
        encodeFunctionData({
          abi: revenueShareAbi,
          functionName: "createDistribution",
          args: [zeroAddress, parseEther("2")],
        }),
        parseEther("2"),
      ),
      intentOf(
        contracts.revenueShare,
        encodeFunctionData({
          abi: revenueShareAbi,
          functionName: "createDistribution",
          args: [token, 1_000_000n],
        }),
      ),
      intentOf(
        contracts.revenueShare,
        encodeFunctionData({ abi: revenueShareAbi, functionName: "setClaimWindow", args: [90 * DAY] }),
      ),
      intentOf(
        contracts.governor,
        encodeFunctionData({ abi: firmGovernorAbi, functionName: "setVotingDelay", args: [DAY] }),
      ),
      intentOf(
        contracts.governor,
        encodeFunctionData({ abi: firmGovernorAbi, functionName: "setVotingPeriod", args: [5 * DAY] }),
      ),
      intentOf(
        contracts.governor,
        encodeFunctionData({ abi: firmGovernorAbi, functionName: "setGracePeriod", args: [14 * DAY] }),
      ),
      intentOf(
        contracts.governor,
        encodeFunctionData({ abi: firmGovernorAbi, functionName: "setQuorum", args: [3_333, 5_000] }),
      ),
      intentOf(
        contracts.timelock,
        encodeFunctionData({ abi: firmTimelockAbi, functionName: "updateDelay", args: [172_800n] }),
      ),
      directory("assignMentor", [bob, alice]),
      directory("endMentorship", [bob]),
      directory("clearProfileByGovernance", [bob, "impersonates a client"]),
    ].map((i) => `${i.kind}: ${i.summary}`);
    expect(summaries).toMatchInlineSnapshot(`
      [
        "ADMIT_MEMBER: Admit 0xabcd…1234 as Partner",
        "ADMIT_MEMBER: Admit 0xabcd…1234 as Affiliate in noc (Technician) with 250 units vesting 90d from 2027-01-01",
        "PROMOTE_MEMBER: Promote 0xabcd…1234 to Partner",
        "RETIRE_MEMBER: Retire 0xabcd…1234",
        "SUCCESSION: Retire 0xabcd…1234; 0x5678…9999 succeeds them as practice lead, buying back their units for 12.5 ETH",
        "RETIRE_MEMBER: Retire 0xabcd…1234, buying back their units for 1,500,000 of token 0x1111…2222",
        "REMOVE_MEMBER: Remove 0xabcd…1234 from the firm",
        "GRANT_EQUITY: Grant 0x5678…9999 5,000 units vested at once",
        "GRANT_EQUITY: Grant 0x5678…9999 120 units vesting 2y, 30d cliff",
        "REVOKE_GRANT: Revoke grant #7; its unvested units are forfeited",
        "CREATE_PRACTICE: Create practice cloud (Cloud Services) led by 0xabcd…1234",
        "SUNSET_PRACTICE: Sunset practice cloud",
        "CHANGE_PRACTICE_LEAD: Make 0x5678…9999 lead of practice cloud",
        "SET_PRACTICE_MEMBER: Seat 0x5678…9999 in practice cloud as Technician",
        "REMOVE_PRACTICE_MEMBER: Remove 0x5678…9999 from practice cloud",
        "DISTRIBUTE: Distribute 2 ETH to equity holders",
        "DISTRIBUTE: Distribute 1,000,000 of token 0x1111…2222 to equity holders",
        "SET_PARAMETER: Set claim window to 90d",
        "SET_PARAMETER: Set voting delay to 1d",
        "SET_PARAMETER: Set voting period to 5d",
        "SET_PARAMETER: Set grace period to 14d",
        "SET_PARAMETER: Set quorums to 33.33% of equity and 50% of headcount",
        "SET_PARAMETER: Set timelock delay to 2d",
        "ASSIGN_MENTOR: Make 0xabcd…1234 mentor of 0x5678…9999",
        "END_MENTORSHIP: End 0x5678…9999's mentorship",
        "CLEAR_PROFILE: Clear 0x5678…9999's directory profile: impersonates a client",
      ]
    `);
  });

  it("keeps parameter changes machine-readable", () => {
    const data = encodeFunctionData({
      abi: firmGovernorAbi,
      functionName: "setQuorum",
      args: [4_000, 5_000],
    });
    expect(intentOf(contracts.governor, data).args).toEqual({
      contract: "governor",
      parameter: "quorum",
      equityBps: 4_000,
      headcountBps: 5_000,
    });
    const delay = encodeFunctionData({ abi: firmTimelockAbi, functionName: "updateDelay", args: [86_400n] });
    expect(intentOf(contracts.timelock, delay).args).toEqual({
      contract: "timelock",
      parameter: "timelockDelay",
      value: 86_400n,
    });
  });

  it("falls back to OTHER for raw calls", () => {
    const approve = intentOf(
      token,
      encodeFunctionData({
        abi: erc20Abi,
        functionName: "approve",
        args: [contracts.revenueShare, 1_000_000n],
      }),
    );
    const grantRole = intentOf(
      contracts.timelock,
      encodeFunctionData({
        abi: firmTimelockAbi,
        functionName: "grantRole",
        args: [`0x${"00".repeat(32)}`, alice],
      }),
    );
    const release = partnership("release", [3n]);
    const transfer = intentOf(bob, "0x", parseEther("0.25"));
    const unknown = intentOf(bob, "0xdeadbeef0000", 1n);
    expect(
      [approve, grantRole, release, transfer, unknown].map((i) => `${i.kind}: ${i.summary}`),
    ).toMatchInlineSnapshot(`
      [
        "OTHER: Call approve(0x0000…7400, 1,000,000) on 0x1111…2222",
        "OTHER: Call grantRole(0x000000000000000000…, 0xabcd…1234) on timelock",
        "OTHER: Call release(3) on partnership",
        "OTHER: Send 0.25 ETH to 0x5678…9999",
        "OTHER: Call 0xdeadbeef on 0x5678…9999 with 0.000000000000000001 ETH",
      ]
    `);
    expect(approve.args).toEqual({
      target: token.toLowerCase(),
      function: "approve",
      args: [contracts.revenueShare.toLowerCase(), 1_000_000n],
    });
  });
});

describe("new settings intents", () => {
  it("summarizes the leave rules, the expulsion quorum and a treasury token listing", () => {
    expect(partnership("setLeaveRules", [2 * DAY, 10 * DAY])).toEqual({
      kind: "SET_PARAMETER",
      args: {
        contract: "partnership",
        parameter: "leaveRules",
        minLeave: BigInt(2 * DAY),
        cooldown: BigInt(10 * DAY),
      },
      summary: "Set leaves to last at least 2d, 10d apart",
    });
    const expulsion = intentOf(
      contracts.governor,
      encodeFunctionData({ abi: firmGovernorAbi, functionName: "setExpulsionQuorum", args: [8_000, 7_000] }),
    );
    expect(expulsion).toMatchObject({
      kind: "SET_PARAMETER",
      args: { contract: "governor", parameter: "expulsionQuorum", equityBps: 8_000, headcountBps: 7_000 },
    });
    expect(expulsion.summary).toContain("80% of equity and 70% of headcount");
    const listing = intentOf(
      contracts.withdrawals,
      encodeFunctionData({ abi: withdrawalsAbi, functionName: "setTreasuryToken", args: [token, true] }),
    );
    expect(listing).toEqual({
      kind: "SET_PARAMETER",
      args: { contract: "withdrawals", parameter: "treasuryToken", token: token.toLowerCase(), listed: true },
      summary: "List token 0x1111…2222: withdrawals pay a share of it",
    });
  });
});

describe("books intents", () => {
  const books = (functionName: string, args: readonly unknown[]) =>
    intentOf(contracts.books, encodeFunctionData({ abi: booksAbi, functionName, args } as never));

  it("summarizes every call a proposal makes to the books, and releasing a departed member's seat", () => {
    const summaries = [
      books("allowToken", [token, true]),
      books("setBudget", ["cloud", token, 1_000_000n, 1, true, [alice]]),
      books("setBudget", ["", zeroAddress, parseEther("1"), 0, false, []]),
      books("cutBudget", [3n, 500n]),
      books("revokeBudget", [3n]),
      books("setProfitRule", [6_000, 4, 2, 1]),
      books("closePeriod", [202611, token, 250n]),
      books("payByProposal", ["", token, bob, 20_000_000n, "AUD-7", "Audit fee"]),
    ].map((i) => `${i.kind}: ${i.summary}`);
    expect(summaries).toEqual([
      "ALLOW_TOKEN: Allow deposits in token 0x1111…2222",
      "SET_BUDGET: Budget practice cloud: 1,000,000 of token 0x1111…2222 a quarter rolling over, spent by 0xabcd…1234",
      "SET_BUDGET: Budget the firm: 1 ETH a month",
      "CUT_BUDGET: Cut budget #3 to 500 a period",
      "REVOKE_BUDGET: Revoke budget #3",
      "SET_PROFIT_RULE: Share 60% of practice profits with their seats, weighted lead 4, member 2, technician 1",
      "CLOSE_PERIOD: Close the books of 2026-11 in token 0x1111…2222, 250 of token 0x1111…2222 to the lockstep distribution",
      "PAY: Pay 0x5678…9999 20,000,000 of token 0x1111…2222 from the firm (AUD-7: Audit fee)",
    ]);
  });
});

describe("classifyProposal", () => {
  const partner = alice.toLowerCase();
  const associate = bob.toLowerCase();
  const lookups: ClassificationLookups = {
    isActivePartner: (account) => account === partner,
    grantBeneficiary: (id) => (id === 1n ? partner : id === 2n ? associate : zeroAddress),
  };
  const call = (target: Address, data: Hex, value = 0n): ProposalCall => ({ target, value, data });
  const on =
    (abi: Abi, target: Address) =>
    (functionName: string, args: readonly unknown[], value = 0n) =>
      call(target, encodeFunctionData({ abi, functionName, args } as never), value);
  const p = on(partnershipAbi as Abi, contracts.partnership);
  const governor = on(firmGovernorAbi as Abi, contracts.governor);
  const timelock = on(firmTimelockAbi as Abi, contracts.timelock);
  const revenue = on(revenueShareAbi as Abi, contracts.revenueShare);
  const kindOf = (...calls: ProposalCall[]) => classifyProposal(calls, contracts, lookups);
  const none = { movesFunds: false, supermajority: false, hasSubject: false, expels: false };

  it("uses the governor's selectors", () => {
    const selectors = new Set(
      [partnershipAbi, firmGovernorAbi, firmTimelockAbi, revenueShareAbi].flatMap((abi) =>
        (abi as Abi).flatMap((item) => (item.type === "function" ? [toFunctionSelector(item)] : [])),
      ),
    );
    for (const [name, selector] of Object.entries(CLASSIFIED_SELECTORS))
      expect(selectors.has(selector), name).toBe(true);
  });

  it("expels an active partner by remove, retire or the claw-back of their grant", () => {
    const expels = { movesFunds: false, supermajority: true, hasSubject: true, expels: true };
    expect(kindOf(p("remove", [alice]))).toEqual(expels);
    expect(kindOf(p("retire", [alice, zeroAddress, zeroAddress, 0n]))).toEqual(expels);
    expect(kindOf(p("revokeGrant", [1n]))).toEqual(expels);
    // A buy-back price moves funds.
    expect(kindOf(p("retire", [alice, zeroAddress, zeroAddress, parseEther("1")]))).toEqual({
      ...expels,
      movesFunds: true,
    });
  });

  it("does not expel a member who is no active partner, but still names a subject", () => {
    const subject = { ...none, hasSubject: true };
    expect(kindOf(p("remove", [bob]))).toEqual(subject);
    expect(kindOf(p("revokeGrant", [2n]))).toEqual(subject);
    expect(kindOf(p("setRole", [alice, 2]))).toEqual(subject);
    expect(kindOf(p("admit", [bob, 2, "", 0, { units: 0n, start: 0, cliff: 0, duration: 0 }]))).toEqual(
      subject,
    );
    // A grant that does not exist: its beneficiary is 0, and a claw-back still has a subject.
    expect(kindOf(p("revokeGrant", [99n]))).toEqual(subject);
  });

  it("reads the address from the low 20 bytes of the word, whatever its high bytes hold", () => {
    const data = encodeFunctionData({ abi: partnershipAbi, functionName: "remove", args: [alice] });
    const dirty = `${data.slice(0, 10)}${"ff".repeat(12)}${data.slice(34)}` as Hex;
    expect(kindOf(call(contracts.partnership, dirty)).expels).toBe(true);
    // Too short for a first word: nothing about a subject.
    expect(kindOf(call(contracts.partnership, data.slice(0, 40) as Hex))).toEqual(none);
  });

  it("needs the supermajority for constitutional changes only", () => {
    expect(kindOf(governor("setExpulsionQuorum", [8_000, 8_000]))).toEqual({ ...none, supermajority: true });
    expect(kindOf(governor("setQuorum", [3_000, 5_000]))).toEqual(none);
    expect(kindOf(timelock("updateDelay", [BigInt(DAY)]))).toEqual(none);
    const role = keccak256(toBytes("PROPOSER_ROLE"));
    expect(kindOf(timelock("grantRole", [role, bob]))).toEqual({
      ...none,
      supermajority: true,
      movesFunds: true,
    });
    // A call with no calldata to the timelock is no updateDelay either.
    expect(kindOf(call(contracts.timelock, "0x"))).toEqual({
      ...none,
      supermajority: true,
      movesFunds: true,
    });
  });

  it("moves funds with any value, any call outside the firm, a distribution or a token listing", () => {
    const funds = { ...none, movesFunds: true };
    expect(kindOf(call(bob, "0x", 1n))).toEqual(funds);
    expect(
      kindOf(call(token, encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [bob, 1n] }))),
    ).toEqual(funds);
    expect(kindOf(revenue("createDistribution", [zeroAddress, 1n], 1n))).toEqual(funds);
    expect(kindOf(revenue("createDistribution", [token, 1n]))).toEqual(funds);
    expect(kindOf(revenue("setClaimWindow", [DAY]))).toEqual(none);
    expect(
      kindOf(
        call(
          contracts.withdrawals,
          encodeFunctionData({ abi: withdrawalsAbi, functionName: "setTreasuryToken", args: [token, true] }),
        ),
      ),
    ).toEqual(funds);
    expect(kindOf(call(contracts.practices, "0xdeadbeef"))).toEqual(none);
    // Mixed: any action counts.
    expect(kindOf(governor("setQuorum", [3_000, 5_000]), call(bob, "0x", 1n), p("remove", [alice]))).toEqual({
      movesFunds: true,
      supermajority: true,
      hasSubject: true,
      expels: true,
    });
  });
});

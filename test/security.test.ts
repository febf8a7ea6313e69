import type { NetworkConnection } from "hardhat/types/network";
import {
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Address,
  decodeErrorResult,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseEther,
  parseEventLogs,
  zeroAddress,
} from "viem";
import { describe, expect, it } from "vitest";
import { action } from "../scripts/devFirm/action.ts";
import { deployFirm, type Firm } from "../scripts/devFirm/deployFirm.ts";
import { ProposalState, Role, Support } from "../scripts/devFirm/enums.ts";
import { FAST_PARAMETERS } from "../scripts/devFirm/parameters.ts";
import { DAY } from "../scripts/devFirm/time.ts";
import {
  deployHostileReceiver,
  deployHostileToken,
  REENTRANT_CALL,
  reentryRecord,
} from "./support/attackers/index.ts";
import { connectForTests } from "./support/connection.ts";
import {
  confirm,
  customError,
  impersonateGovernance,
  outsiderOf,
  partnersOf,
  passToExecution,
} from "./support/firm.ts";

const { connection, time, loadFirm, loadUnequalFirm } = await connectForTests();

function propose(firm: Firm, description: string, proposer: Address) {
  return firm.governance.propose(
    [action(firm.governor, "setGracePeriod", [FAST_PARAMETERS.gracePeriod])],
    description,
    proposer,
  );
}

const ethOf = (firm: Firm, address: Address) => firm.publicClient.getBalance({ address });

describe("snapshot weight", () => {
  it("gives no weight on a proposal to units granted or partners admitted after its snapshot", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const newcomer = outsiderOf(firm);
    const grow = await firm.governance.propose(
      [
        action(firm.partnership, "createGrant", [p1, { units: 5_000n, start: 0, cliff: 0, duration: 1 }]),
        action(firm.partnership, "admit", [
          newcomer,
          Role.Partner,
          "",
          0,
          { units: 3_000n, start: 0, cliff: 0, duration: 1 },
        ]),
      ],
      "Grant p1 5,000 units and admit a partner with 3,000",
      p1,
    );
    await firm.governance.startVoting();
    await firm.governance.vote(grow, [p1, p2, p3]);
    await firm.governance.endVoting();
    await firm.governance.queue(grow);
    const target = await propose(firm, "Snapshotted before the grant", p2);
    const snapshot = await firm.governor.read.proposalSnapshot([target.id]);
    expect(snapshot).toBeGreaterThan(BigInt(await time.latest()));
    await firm.governance.passTimelock();
    await firm.governance.execute(grow);
    expect(BigInt(await time.latest())).toBeGreaterThan(snapshot);
    expect(await firm.partnership.read.getVotes([p1])).toBe(6_000n);
    expect(await firm.partnership.read.getVotes([newcomer])).toBe(3_000n);

    // On the proposal snapshotted before: the old weight, and no ballot for the newcomer.
    const receipt = await confirm(
      firm,
      firm.governor.write.castVote([target.id, Support.For], { account: p1 }),
    );
    const [cast] = parseEventLogs({ abi: firm.governor.abi, logs: receipt.logs, eventName: "VoteCast" });
    expect(cast?.args.weight).toBe(1_000n);
    await expect(
      firm.governor.write.castVote([target.id, Support.For], { account: newcomer }),
    ).rejects.toThrow(customError("GovernorVoterNotEligible", newcomer));
    expect(await firm.governor.read.proposalQuorums([target.id])).toEqual([2_000n, 3n, 5_000n, 5n]);

    // On a proposal made afterwards, both weigh in full.
    const later = await propose(firm, "Snapshotted after the grant", p2);
    await firm.governance.startVoting();
    await firm.governance.vote(later, [p1, newcomer]);
    expect(await firm.governor.read.proposalVotes([later.id])).toEqual([0n, 9_000n, 0n, 0n, 2n, 0n]);
  });

  it("refuses a zero voting delay, even by a passed proposal", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    expect(await firm.governor.read.votingDelay()).toBeGreaterThanOrEqual(1n);
    await expect(firm.governor.write.setVotingDelay([0], { account: p1 })).rejects.toThrow(
      customError("GovernorOnlyGovernance", p1),
    );
    const proposal = await passToExecution(
      firm,
      [action(firm.governor, "setVotingDelay", [0])],
      "No voting delay",
      [p1, p2, p3],
    );
    await expect(firm.governance.execute(proposal)).rejects.toThrow(
      customError("GovernorInvalidVotingDelay", 0n),
    );
    expect(await firm.governor.read.votingDelay()).toBe(BigInt(FAST_PARAMETERS.votingDelay));
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Queued);
  });
});

describe("proposing", () => {
  it("blocks front-running: a description ending in #proposer=0x… can only be proposed by that partner", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const description = `Create the cloud practice #proposer=${p1.toLowerCase()}`;
    const actions = [action(firm.practices, "createPractice", ["cloud", "Cloud", p1])];
    await expect(firm.governance.propose(actions, description, p2)).rejects.toThrow(
      customError("GovernorRestrictedProposer", p2),
    );
    await expect(firm.governance.propose(actions, description, outsiderOf(firm))).rejects.toThrow(
      /GovernorRestrictedProposer/,
    );
    const proposal = await firm.governance.propose(actions, description, p1);
    expect(await firm.governor.read.proposalProposer([proposal.id])).toBe(p1);
    // The checksummed form names the same proposer.
    await firm.governance.propose(actions, `Create the cloud practice #proposer=${p2}`, p2);
  });

  it("lets only partners propose", async () => {
    const firm = await loadFirm();
    const [, , , , p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const associate = outsiderOf(firm);
    await confirm(
      firm,
      firm.partnership.write.admit(
        [associate, Role.Associate, "", 0, { units: 10_000n, start: 0, cliff: 0, duration: 1 }],
        { account: gov },
      ),
    );
    await confirm(firm, firm.partnership.write.retire([p5, zeroAddress, zeroAddress, 0n], { account: gov }));
    for (const proposer of [associate, p5, outsiderOf(firm, 1), firm.deployer.account.address]) {
      await expect(propose(firm, `Proposed by ${proposer}`, proposer)).rejects.toThrow(
        customError("GovernorProposerNotPartner", getAddress(proposer)),
      );
    }
  });
});

describe("voting", () => {
  it("counts a ballot once: no second direct vote, and a signed vote cannot be replayed", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const proposal = await propose(firm, "Vote once", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(proposal, [p1]);
    await expect(
      firm.governor.write.castVote([proposal.id, Support.Against], { account: p1 }),
    ).rejects.toThrow(customError("GovernorAlreadyCastVote", p1));
    await expect(
      firm.governor.write.castVoteWithReason([proposal.id, Support.For, "again"], { account: p1 }),
    ).rejects.toThrow(/GovernorAlreadyCastVote/);
    await expect(
      firm.governor.write.castVoteWithReasonAndParams([proposal.id, Support.For, "", "0x"], { account: p1 }),
    ).rejects.toThrow(/GovernorAlreadyCastVote/);
    await expect(
      firm.governor.write.castVoteWithReasonAndParams([proposal.id, Support.For, "", "0x01"], {
        account: p2,
      }),
    ).rejects.toThrow(/GovernorInvalidVoteParams/);
    await expect(firm.governor.write.castVote([proposal.id, 3], { account: p2 })).rejects.toThrow(
      /GovernorInvalidVoteType/,
    );

    // p2 signs a ballot; anyone may relay it once.
    const signer = firm.wallets[2];
    if (!signer) throw new Error("no wallet 2");
    const nonce = await firm.governor.read.nonces([p2]);
    const signature = await signer.signTypedData({
      domain: {
        name: "MSP IT Partners",
        version: "1",
        chainId: 31337,
        verifyingContract: firm.governor.address,
      },
      types: {
        Ballot: [
          { name: "proposalId", type: "uint256" },
          { name: "support", type: "uint8" },
          { name: "voter", type: "address" },
          { name: "nonce", type: "uint256" },
        ],
      },
      primaryType: "Ballot",
      message: { proposalId: proposal.id, support: Support.For, voter: p2, nonce },
    });
    const relayer = outsiderOf(firm);
    await confirm(
      firm,
      firm.governor.write.castVoteBySig([proposal.id, Support.For, p2, signature], { account: relayer }),
    );
    await expect(
      firm.governor.write.castVoteBySig([proposal.id, Support.For, p2, signature], { account: relayer }),
    ).rejects.toThrow(customError("GovernorInvalidSignature", p2));
    expect(await firm.governor.read.proposalVotes([proposal.id])).toEqual([0n, 2_000n, 0n, 0n, 2n, 0n]);
  });

  it("refuses votes after the voting period", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    const proposal = await propose(firm, "Too late", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(proposal, [p1]);
    await firm.governance.endVoting();
    await expect(
      firm.governor.write.castVote([proposal.id, Support.Against], { account: p2 }),
    ).rejects.toThrow(/GovernorUnexpectedProposalState/);
    await expect(
      firm.governor.write.castVoteWithReason([proposal.id, Support.Against, "late"], { account: p2 }),
    ).rejects.toThrow(/GovernorUnexpectedProposalState/);
    expect(await firm.governor.read.proposalVotes([proposal.id])).toEqual([0n, 1_000n, 0n, 0n, 1n, 0n]);
  });
});

describe("execution needs both majorities and both quorums", () => {
  it("neither queues nor executes a proposal missing any of the four conditions", async () => {
    const firm = await loadUnequalFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const noEquityMajority = await propose(firm, "No equity majority", p2);
    const noHeadcountMajority = await propose(firm, "No headcount majority", p1);
    const noEquityQuorum = await propose(firm, "No equity quorum", p2);
    const noHeadcountQuorum = await propose(firm, "No headcount quorum", p1);
    const control = await propose(firm, "All four met", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(noEquityMajority, [p2, p3, p4], Support.For);
    await firm.governance.vote(noEquityMajority, [p1], Support.Against);
    await firm.governance.vote(noHeadcountMajority, [p1], Support.For);
    await firm.governance.vote(noHeadcountMajority, [p2, p3], Support.Against);
    await firm.governance.vote(noHeadcountMajority, [p4], Support.Abstain);
    await firm.governance.vote(noEquityQuorum, [p2, p3, p4], Support.For);
    await firm.governance.vote(noHeadcountQuorum, [p1], Support.For);
    await firm.governance.vote(control, [p1, p2, p3], Support.For);
    await firm.governance.vote(control, [p5], Support.Against);
    await firm.governance.endVoting();

    for (const proposal of [noEquityMajority, noHeadcountMajority, noEquityQuorum, noHeadcountQuorum]) {
      expect(await firm.governance.state(proposal)).toBe(ProposalState.Defeated);
      await expect(firm.governance.queue(proposal)).rejects.toThrow(/GovernorUnexpectedProposalState/);
      await expect(firm.governance.execute(proposal)).rejects.toThrow(/GovernorUnexpectedProposalState/);
    }
    // Nor can a partner schedule or execute it on the timelock directly.
    const { targets, values, calldatas } = noEquityMajority;
    const zeroWord = `0x${"00".repeat(32)}` as const;
    await expect(
      firm.timelock.write.scheduleBatch([targets, values, calldatas, zeroWord, zeroWord, BigInt(DAY)], {
        account: p2,
      }),
    ).rejects.toThrow(
      customError("AccessControlUnauthorizedAccount", p2, await firm.timelock.read.PROPOSER_ROLE()),
    );
    await expect(
      firm.timelock.write.executeBatch([targets, values, calldatas, zeroWord, zeroWord], { account: p2 }),
    ).rejects.toThrow(
      customError("AccessControlUnauthorizedAccount", p2, await firm.timelock.read.EXECUTOR_ROLE()),
    );

    expect(await firm.governance.state(control)).toBe(ProposalState.Succeeded);
    await firm.governance.queue(control);
    await firm.governance.passTimelock();
    await firm.governance.execute(control);
    expect(await firm.governance.state(control)).toBe(ProposalState.Executed);
  });
});

describe("quorum changes", () => {
  it("apply only to proposals made after them", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3] = partnersOf(firm);
    const raise = await firm.governance.propose(
      [action(firm.governor, "setQuorum", [10_000, 10_000])],
      "Everyone must vote from now on",
      p1,
    );
    await firm.governance.startVoting();
    await firm.governance.vote(raise, [p1, p2, p3]);
    await firm.governance.endVoting();
    await firm.governance.queue(raise);
    const before = await propose(firm, "Made before the change", p1);
    await firm.governance.passTimelock();
    await firm.governance.execute(raise);
    expect(await firm.governor.read.quorumBps()).toEqual([10_000, 10_000]);
    const after = await propose(firm, "Made after the change", p1);
    await firm.governance.startVoting();
    await firm.governance.vote(before, [p1, p2, p3]);
    await firm.governance.vote(after, [p1, p2, p3]);
    await firm.governance.endVoting();

    expect(await firm.governor.read.proposalQuorums([before.id])).toEqual([2_000n, 3n, 5_000n, 5n]);
    expect(await firm.governor.read.proposalQuorums([after.id])).toEqual([5_000n, 5n, 5_000n, 5n]);
    expect(await firm.governance.state(before)).toBe(ProposalState.Succeeded);
    expect(await firm.governance.state(after)).toBe(ProposalState.Defeated);
    expect(await firm.governor.read.quorum([await firm.governor.read.proposalSnapshot([before.id])])).toBe(
      2_000n,
    );
    expect(await firm.governor.read.quorum([await firm.governor.read.proposalSnapshot([after.id])])).toBe(
      5_000n,
    );
  });
});

describe("privileged functions", () => {
  /** A placeholder value for any ABI parameter: access checks run before any argument is used. */
  function placeholder(param: AbiParameter, filler: Address): unknown {
    const type = param.type;
    if (type.endsWith("]")) return [];
    if (type === "tuple") {
      const components = "components" in param ? param.components : [];
      return Object.fromEntries(components.map((c) => [c.name, placeholder(c, filler)]));
    }
    if (type === "address") return filler;
    if (type === "bool") return false;
    if (type === "string") return "x";
    if (type === "bytes") return "0x";
    if (type.startsWith("bytes")) return `0x${"00".repeat(Number(type.slice(5)))}`;
    return 1n;
  }

  /**
   * The revert as viem names it, or, when the node could not name it (EDR answers some reverts of the
   * IR-compiled governor as "unrecognized custom error (return data: 0x…)"), the error decoded from
   * the return data with the contract's own ABI.
   */
  function revertName(error: Error, abi: Abi): string {
    const data = /return data: (0x[0-9a-fA-F]+)/.exec(error.message)?.[1];
    if (!data) return error.message;
    try {
      return decodeErrorResult({ abi, data: data as Hex }).errorName;
    } catch {
      return error.message;
    }
  }

  function mutating(abi: Abi) {
    return abi.filter(
      (item): item is AbiFunction =>
        item.type === "function" &&
        (item.stateMutability === "nonpayable" || item.stateMutability === "payable"),
    );
  }

  it("lets only the timelock call every privileged function of every contract", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const callers = [outsiderOf(firm), getAddress(firm.deployer.account.address), p1];
    const table: {
      name: string;
      contract: { address: Address; abi: Abi };
      guarded: Record<string, RegExp>;
      open: string[];
    }[] = [
      {
        name: "Partnership",
        contract: firm.partnership,
        guarded: {
          ...Object.fromEntries(
            [
              "admit",
              "setRole",
              "retire",
              "remove",
              "createGrant",
              "revokeGrant",
              "takeSnapshot",
              "setLeaveRules",
            ].map((f) => [f, /PartnershipUnauthorized/]),
          ),
          // Only the withdrawal desk, which holds the timelock's WITHDRAWAL_ROLE, burns a leaver's units.
          withdrawMember: /PartnershipNotWithdrawalDesk/,
        },
        open: ["withdrawBuyback", "declareLeave", "endLeave", "acceptCover", "resignCover", "release"],
      },
      {
        name: "Practices",
        contract: firm.practices,
        guarded: Object.fromEntries(
          [
            "createPractice",
            "sunsetPractice",
            "changePracticeLead",
            "setPracticeMember",
            "removePracticeMember",
            "seatNewMember",
            "releaseDeparted",
          ].map((f) => [f, /PracticesUnauthorized/]),
        ),
        open: [],
      },
      {
        name: "RevenueShare",
        contract: firm.revenueShare,
        guarded: {
          createDistribution: /RevenueShareUnauthorized/,
          setClaimWindow: /RevenueShareUnauthorized/,
        },
        open: ["claim", "claimFor", "reclaim"],
      },
      {
        name: "FirmGovernor",
        contract: firm.governor,
        guarded: Object.fromEntries(
          ["setVotingDelay", "setVotingPeriod", "setGracePeriod", "setQuorum", "setExpulsionQuorum"].map(
            (f) => [f, /GovernorOnlyGovernance/],
          ),
        ),
        open: [
          "propose",
          "queue",
          "execute",
          "cancel",
          "castVote",
          "castVoteWithReason",
          "castVoteWithReasonAndParams",
          "castVoteBySig",
          "castVoteWithReasonAndParamsBySig",
          // Frees only the exit locks of proposals that are over.
          "settleExitLocks",
        ],
      },
      {
        name: "FirmTimelock",
        contract: firm.timelock,
        guarded: {
          ...Object.fromEntries(
            [
              "schedule",
              "scheduleBatch",
              "cancel",
              "execute",
              "executeBatch",
              "grantRole",
              "revokeRole",
              "payOut",
            ].map((f) => [f, /AccessControlUnauthorizedAccount/]),
          ),
          // OpenZeppelin's TimelockController: only the timelock itself may change its delay.
          updateDelay: /TimelockUnauthorizedCaller/,
        },
        // renounceRole only ever drops the caller's own role; the hooks accept token transfers.
        open: ["renounceRole", "onERC721Received", "onERC1155Received", "onERC1155BatchReceived"],
      },
      {
        name: "Withdrawals",
        contract: firm.withdrawals,
        guarded: { setTreasuryToken: /WithdrawalsUnauthorized/ },
        // Any member may leave with their share, and claim what they were credited.
        open: ["ragequit", "claim"],
      },
      {
        name: "Directory",
        contract: firm.directory,
        guarded: Object.fromEntries(
          ["clearProfileByGovernance", "assignMentor"].map((f) => [f, /DirectoryUnauthorized/]),
        ),
        // A member publishes and clears their own profile; anyone tidies a departed member's; mentor
        // links need the consent of both (each function checks its caller's part).
        open: [
          "setProfile",
          "clearProfile",
          "removeDepartedProfile",
          "offerMentorship",
          "withdrawMentorshipOffer",
          "acceptMentorship",
          "endMentorship",
        ],
      },
      {
        name: "Books",
        contract: firm.books,
        guarded: Object.fromEntries(
          [
            "allowToken",
            "setBudget",
            "cutBudget",
            "revokeBudget",
            "setProfitRule",
            "closePeriod",
            "payByProposal",
          ].map((f) => [f, /BooksUnauthorized/]),
        ),
        // Clients pay in; anyone counts untagged arrivals; a budget's spenders pay (pay checks the
        // caller against the budget); members claim their pool shares, and anyone returns an expired pool.
        open: ["deposit", "depositToken", "sweep", "pay", "claimPool", "claimPoolFor", "reclaimPool"],
      },
    ];

    // Every call is tried; the ones that did not revert as expected are listed together.
    const unexpected: string[] = [];
    let checked = 0;
    for (const { name, contract, guarded, open } of table) {
      const functions = mutating(contract.abi);
      // Every state-changing function is classified, so a new one cannot slip by unchecked.
      expect(functions.map((f) => f.name).sort(), name).toEqual([...Object.keys(guarded), ...open].sort());
      for (const fn of functions) {
        const expected = guarded[fn.name];
        if (!expected) continue;
        for (const caller of callers) {
          const args = fn.inputs.map((input) => placeholder(input, p1));
          checked++;
          const outcome = await firm.publicClient
            .simulateContract({
              address: contract.address,
              abi: [fn],
              functionName: fn.name,
              args,
              account: caller,
            } as never)
            .then(
              () => "succeeded",
              (error: Error) =>
                expected.test(revertName(error, contract.abi))
                  ? "refused"
                  : `reverted otherwise: ${error.message.split("\n")[1]}`,
            );
          if (outcome !== "refused") unexpected.push(`${name}.${fn.name} from ${caller}: ${outcome}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    // 9 + 7 + 2 + 5 + 9 + 1 + 2 + 7 guarded functions, from three callers each.
    expect(checked).toBe(3 * 42);
  });

  it("leaves the deployer no role on the timelock; the governor is its only proposer, canceller and executor", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const roles = {
      admin: await firm.timelock.read.DEFAULT_ADMIN_ROLE(),
      proposer: await firm.timelock.read.PROPOSER_ROLE(),
      canceller: await firm.timelock.read.CANCELLER_ROLE(),
      executor: await firm.timelock.read.EXECUTOR_ROLE(),
    };
    // Rebuild every role's holders from the timelock's whole event history.
    const logs = await firm.publicClient.getContractEvents({
      address: firm.timelock.address,
      abi: firm.timelock.abi,
      fromBlock: 0n,
    });
    const holders = new Map<string, Set<string>>();
    for (const log of logs) {
      if (log.eventName !== "RoleGranted" && log.eventName !== "RoleRevoked") continue;
      const { role, account } = log.args as { role: string; account: Address };
      const set = holders.get(role) ?? new Set<string>();
      if (log.eventName === "RoleGranted") set.add(getAddress(account));
      else set.delete(getAddress(account));
      holders.set(role, set);
    }
    const governor = getAddress(firm.governor.address);
    expect([...(holders.get(roles.proposer) ?? [])]).toEqual([governor]);
    expect([...(holders.get(roles.canceller) ?? [])]).toEqual([governor]);
    expect([...(holders.get(roles.executor) ?? [])]).toEqual([governor]);
    const deployer = firm.deployer.account.address;
    expect(
      await firm.timelock.read.hasRole([roles.admin, deployer]),
      "the deployer still holds DEFAULT_ADMIN_ROLE",
    ).toBe(false);
    expect([...(holders.get(roles.admin) ?? [])]).toEqual([getAddress(firm.timelock.address)]);
    for (const role of Object.values(roles)) {
      expect(await firm.timelock.read.hasRole([role, deployer])).toBe(false);
      expect(await firm.timelock.read.hasRole([role, p1])).toBe(false);
      expect(await firm.timelock.read.hasRole([role, firm.partnership.address])).toBe(false);
    }
    for (const role of [roles.proposer, roles.canceller, roles.executor]) {
      expect(await firm.timelock.read.hasRole([role, governor])).toBe(true);
    }
    expect(await firm.timelock.read.hasRole([roles.admin, governor])).toBe(false);
    // The executor role is not open to everyone.
    expect(await firm.timelock.read.hasRole([roles.executor, zeroAddress])).toBe(false);
    expect(await firm.timelock.read.getMinDelay()).toBe(BigInt(FAST_PARAMETERS.timelockDelay));
  });
});

describe("reentrancy", () => {
  /**
   * A hostile member contract with 1,000 released units beside the five founders' (6,000 in all),
   * and 6 ETH of revenue being distributed: 1 ETH per 1,000 units.
   */
  async function hostileHolderFixture(c: NetworkConnection) {
    const firm = await deployFirm(c);
    const gov = await impersonateGovernance(firm);
    const receiver = await deployHostileReceiver(firm);
    await confirm(
      firm,
      firm.partnership.write.admit(
        [receiver.address, Role.Associate, "", 0, { units: 1_000n, start: 0, cliff: 0, duration: 1 }],
        { account: gov },
      ),
    );
    await c.networkHelpers.time.increase(2);
    for (const grantId of [1n, 2n, 3n, 4n, 5n, 6n])
      await confirm(firm, firm.partnership.write.release([grantId]));
    const amount = parseEther("6");
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([zeroAddress, amount], { account: gov, value: amount }),
    );
    return { firm, gov, receiver };
  }
  const loadHostile = () => connection.networkHelpers.loadFixture(hostileHolderFixture);
  const claimData = (firm: Firm, distributionId: bigint) =>
    encodeFunctionData({ abi: firm.revenueShare.abi, functionName: "claim", args: [distributionId] });
  const claimForData = (firm: Firm, distributionId: bigint, holder: Address) =>
    encodeFunctionData({
      abi: firm.revenueShare.abi,
      functionName: "claimFor",
      args: [distributionId, holder],
    });

  it("claim (ETH): a receiver calling claim again from receive() is refused, and paid once", async () => {
    const { firm, receiver } = await loadHostile();
    await confirm(firm, receiver.write.arm([firm.revenueShare.address, claimData(firm, 1n)]));
    await confirm(firm, receiver.write.execute([firm.revenueShare.address, claimData(firm, 1n)]));
    expect(await reentryRecord(receiver)).toEqual({ attempts: 1n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await ethOf(firm, receiver.address)).toBe(parseEther("1"));
    expect(await receiver.read.ethReceived()).toBe(parseEther("1"));
    expect((await firm.revenueShare.read.distribution([1n]))[2]).toBe(parseEther("1"));
    expect(await ethOf(firm, firm.revenueShare.address)).toBe(parseEther("5"));
    await expect(receiver.write.execute([firm.revenueShare.address, claimData(firm, 1n)])).rejects.toThrow();
    expect(await firm.revenueShare.read.hasClaimed([1n, receiver.address])).toBe(true);
  });

  it("claim (ETH): a receiver calling claimFor for a colleague from receive() is refused", async () => {
    const { firm, receiver } = await loadHostile();
    const [p1] = partnersOf(firm);
    await confirm(firm, receiver.write.arm([firm.revenueShare.address, claimForData(firm, 1n, p1)]));
    const before = await ethOf(firm, p1);
    await confirm(
      firm,
      firm.revenueShare.write.claimFor([1n, receiver.address], { account: outsiderOf(firm) }),
    );
    expect(await reentryRecord(receiver)).toEqual({ attempts: 1n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await ethOf(firm, p1)).toBe(before);
    expect(await firm.revenueShare.read.hasClaimed([1n, p1])).toBe(false);
    await confirm(firm, firm.revenueShare.write.claimFor([1n, p1], { account: outsiderOf(firm) }));
    expect((await ethOf(firm, p1)) - before).toBe(parseEther("1"));
    expect((await firm.revenueShare.read.distribution([1n]))[2]).toBe(parseEther("2"));
    expect(await ethOf(firm, firm.revenueShare.address)).toBe(parseEther("4"));
  });

  it("claim / claimFor (ERC-20): a token calling back claimFor or claim, or a recipient hook, is refused", async () => {
    const { firm, gov, receiver } = await loadHostile();
    const [p1, p2] = partnersOf(firm);
    const token = await deployHostileToken(firm);
    const amount = 6_000_000n;
    await confirm(firm, token.write.mint([gov, amount]));
    await confirm(firm, token.write.approve([firm.revenueShare.address, amount], { account: gov }));
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([token.address, amount], { account: gov }),
    );
    const rs = firm.revenueShare.address;

    // The token pays p1, then tries to pay p1 again.
    await confirm(firm, token.write.arm([rs, rs, claimForData(firm, 2n, p1)]));
    await confirm(firm, firm.revenueShare.write.claim([2n], { account: p1 }));
    expect(await reentryRecord(token)).toEqual({ attempts: 1n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await token.read.balanceOf([p1])).toBe(1_000_000n);

    // The token claims for itself while paying p2 through claimFor.
    await confirm(firm, token.write.arm([rs, rs, claimData(firm, 2n)]));
    await confirm(firm, firm.revenueShare.write.claimFor([2n, p2], { account: outsiderOf(firm) }));
    expect(await reentryRecord(token)).toEqual({ attempts: 2n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await token.read.balanceOf([p2])).toBe(1_000_000n);

    // The token hands the hostile holder a turn mid-transfer; it claims again.
    await confirm(firm, token.write.arm([zeroAddress, zeroAddress, "0x"]));
    await confirm(firm, token.write.setHookRecipient([receiver.address]));
    await confirm(firm, receiver.write.arm([rs, claimData(firm, 2n)]));
    await confirm(firm, receiver.write.execute([rs, claimData(firm, 2n)]));
    expect(await reentryRecord(receiver)).toEqual({ attempts: 1n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await token.read.balanceOf([receiver.address])).toBe(1_000_000n);

    expect((await firm.revenueShare.read.distribution([2n]))[2]).toBe(3_000_000n);
    expect(await token.read.balanceOf([rs])).toBe(3_000_000n);
  });

  it("withdrawBuyback (ETH): a retiree calling withdrawBuyback again from receive() is refused, and paid once", async () => {
    const { firm, gov, receiver } = await loadHostile();
    const price = parseEther("2");
    await confirm(
      firm,
      firm.partnership.write.retire([receiver.address, zeroAddress, zeroAddress, price], {
        account: gov,
        value: price,
      }),
    );
    const withdraw = encodeFunctionData({
      abi: firm.partnership.abi,
      functionName: "withdrawBuyback",
      args: [zeroAddress],
    });
    await confirm(firm, receiver.write.arm([firm.partnership.address, withdraw]));
    await confirm(firm, receiver.write.execute([firm.partnership.address, withdraw]));
    expect(await reentryRecord(receiver)).toEqual({ attempts: 1n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await ethOf(firm, receiver.address)).toBe(price);
    expect(await firm.partnership.read.buybackOwed([receiver.address, zeroAddress])).toBe(0n);
    expect(await ethOf(firm, firm.partnership.address)).toBe(0n);
  });

  it("retire and withdrawBuyback (ERC-20): a token calling release or withdrawBuyback mid-transfer is refused", async () => {
    const { firm, gov, receiver } = await loadHostile();
    const [p1] = partnersOf(firm);
    const token = await deployHostileToken(firm);
    const price = 5_000_000n;
    await confirm(firm, token.write.mint([gov, price]));
    await confirm(firm, token.write.approve([firm.partnership.address, price], { account: gov }));
    // A grant with units to release, which the token tries to release from inside the firm's calls.
    await confirm(
      firm,
      firm.partnership.write.createGrant([p1, { units: 700n, start: 0, cliff: 0, duration: 1 }], {
        account: gov,
      }),
    );
    await time.increase(2);
    const grantId = 7n;
    const release = encodeFunctionData({
      abi: firm.partnership.abi,
      functionName: "release",
      args: [grantId],
    });
    const p = firm.partnership.address;

    // While retire pulls the price from the treasury.
    await confirm(firm, token.write.arm([gov, p, release]));
    await confirm(
      firm,
      firm.partnership.write.retire([receiver.address, zeroAddress, token.address, price], { account: gov }),
    );
    expect(await reentryRecord(token)).toEqual({ attempts: 1n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await token.read.balanceOf([p])).toBe(price);

    // While withdrawBuyback pays the retiree: the token releases, the retiree withdraws again.
    const withdraw = encodeFunctionData({
      abi: firm.partnership.abi,
      functionName: "withdrawBuyback",
      args: [token.address],
    });
    await confirm(firm, token.write.arm([p, p, release]));
    await confirm(firm, token.write.setHookRecipient([receiver.address]));
    await confirm(firm, receiver.write.arm([p, withdraw]));
    await confirm(firm, receiver.write.execute([p, withdraw]));
    expect(await reentryRecord(token)).toEqual({ attempts: 2n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await reentryRecord(receiver)).toEqual({ attempts: 1n, successes: 0n, lastError: REENTRANT_CALL });
    expect(await token.read.balanceOf([receiver.address])).toBe(price);
    expect(await token.read.balanceOf([p])).toBe(0n);
    expect(await firm.partnership.read.buybackOwed([receiver.address, token.address])).toBe(0n);

    // Nothing was released by the reentries; a plain call releases it all once.
    expect((await firm.partnership.read.grantOf([grantId]))[2]).toBe(0n);
    await confirm(firm, firm.partnership.write.release([grantId]));
    expect((await firm.partnership.read.grantOf([grantId]))[2]).toBe(700n);
  });
});

describe("equity cannot move outside vesting", () => {
  it("refuses transfers, approvals and delegation", async () => {
    const firm = await loadFirm();
    const [p1, p2] = partnersOf(firm);
    await confirm(firm, firm.partnership.write.release([1n]));
    const zeroWord = `0x${"00".repeat(32)}` as const;
    // These functions are `pure` (they always revert), so viem calls them as reads.
    const attempts = [
      firm.partnership.read.transfer([p2, 1n], { account: p1 }),
      firm.partnership.read.transferFrom([p1, p2, 1n], { account: p1 }),
      firm.partnership.read.transferFrom([p1, p2, 1n], { account: p2 }),
      firm.partnership.read.approve([p2, 1n], { account: p1 }),
      firm.partnership.read.delegate([p2], { account: p1 }),
      firm.partnership.read.delegateBySig([p2, 0n, 2n ** 40n, 27, zeroWord, zeroWord], { account: p2 }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(/EquityNonTransferable/);
    // A real transfer transaction, sent without estimation so that it is mined, reverts too.
    const sender = firm.wallets[1];
    if (!sender) throw new Error("no wallet 1");
    await expect(
      sender.sendTransaction({
        to: firm.partnership.address,
        data: encodeFunctionData({ abi: firm.partnership.abi, functionName: "transfer", args: [p2, 1n] }),
        gas: 100_000n,
      }),
    ).rejects.toThrow(/EquityNonTransferable/);
    expect(await firm.partnership.read.balanceOf([p1])).toBe(1_000n);
    expect(await firm.partnership.read.balanceOf([p2])).toBe(0n);
    expect(await firm.partnership.read.getVotes([p2])).toBe(1_000n);
    expect(await firm.partnership.read.delegates([p1])).toBe(p1);
    expect(await firm.partnership.read.allowance([p1, p2])).toBe(0n);
  });

  it("changes the supply only by releasing vested units (and burning bought-back ones)", async () => {
    const firm = await loadFirm();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const supply = () => firm.partnership.read.totalSupply();
    const steps: [string, () => Promise<unknown>, bigint][] = [
      [
        "grant",
        () =>
          confirm(
            firm,
            firm.partnership.write.createGrant([p1, { units: 900n, start: 0, cliff: 0, duration: 1 }], {
              account: gov,
            }),
          ),
        0n,
      ],
      [
        "admit with grant",
        () =>
          confirm(
            firm,
            firm.partnership.write.admit(
              [outsiderOf(firm), Role.Partner, "", 0, { units: 300n, start: 0, cliff: 0, duration: 1 }],
              { account: gov },
            ),
          ),
        0n,
      ],
      [
        "leave",
        async () =>
          confirm(
            firm,
            firm.partnership.write.declareLeave([(await time.latest()) + 2 * DAY, p3], { account: p2 }),
          ),
        0n,
      ],
      ["release founder grant", () => confirm(firm, firm.partnership.write.release([1n])), 1_000n],
      ["release new grant", () => confirm(firm, firm.partnership.write.release([6n])), 900n],
      [
        "revoke a vested grant",
        () => confirm(firm, firm.partnership.write.revokeGrant([2n], { account: gov })),
        0n,
      ],
      ["remove", () => confirm(firm, firm.partnership.write.remove([p4], { account: gov })), 0n],
      [
        "retire without buy-back",
        () =>
          confirm(firm, firm.partnership.write.retire([p2, zeroAddress, zeroAddress, 0n], { account: gov })),
        0n,
      ],
      ["release after revocation", () => confirm(firm, firm.partnership.write.release([2n])), 1_000n],
      // A buy-back releases what vested (1,000) and burns the whole balance (1,000).
      [
        "retire with buy-back",
        () =>
          confirm(
            firm,
            firm.partnership.write.retire([p5, zeroAddress, zeroAddress, 1n], { account: gov, value: 1n }),
          ),
        0n,
      ],
    ];
    for (const [label, step, delta] of steps) {
      const before = await supply();
      await time.increase(2);
      await step();
      expect((await supply()) - before, label).toBe(delta);
    }
    // Every mint in the whole history is a release of vested units, to the grant's beneficiary.
    const transfers = await firm.publicClient.getContractEvents({
      address: firm.partnership.address,
      abi: firm.partnership.abi,
      eventName: "Transfer",
      fromBlock: 0n,
    });
    const releases = await firm.publicClient.getContractEvents({
      address: firm.partnership.address,
      abi: firm.partnership.abi,
      eventName: "GrantReleased",
      fromBlock: 0n,
    });
    const mints = transfers.filter((t) => t.args.from === zeroAddress);
    const burns = transfers.filter((t) => t.args.to === zeroAddress);
    expect(transfers.length).toBe(mints.length + burns.length);
    expect(mints.map((t) => [t.transactionHash, getAddress(t.args.to ?? zeroAddress), t.args.value])).toEqual(
      releases.map((r) => [r.transactionHash, r.args.beneficiary, BigInt(r.args.amount ?? 0n)]),
    );
    const minted = mints.reduce((sum, t) => sum + (t.args.value ?? 0n), 0n);
    const burned = burns.reduce((sum, t) => sum + (t.args.value ?? 0n), 0n);
    expect(burned).toBe(1_000n);
    expect(await supply()).toBe(minted - burned);
  });
});

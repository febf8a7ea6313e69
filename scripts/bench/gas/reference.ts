// Reference side of the side-by-side gas benchmark: the same partnership life cycle the project's own
// contracts go through, played on stock OpenZeppelin 5 contracts (contracts/reference/*). The caller
// prints both maps next to each other, so the keys here must match the project side exactly.

import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import {
  type Address,
  encodeFunctionData,
  getContract,
  type Hash,
  keccak256,
  parseAbi,
  parseEther,
  toHex,
  zeroAddress,
} from "viem";

import { confirmTransaction } from "../../devFirm/confirmTransaction.ts";
/** Subset of hardhat-network-helpers used here; when absent, the viem test client advances time. */
export interface ReferenceNetworkHelpers {
  time: { increase(seconds: number | bigint): Promise<unknown> };
}

/** Action name → gas used by its transaction. */
export type GasMap = Record<string, number>;

const DAY = 24 * 60 * 60;
// Governor settings in seconds: the token uses an ERC-6372 timestamp clock, like the project's token.
const VOTING_DELAY = 1;
const VOTING_PERIOD = 3 * DAY;
const QUORUM_PERCENT = 4n;
const TIMELOCK_DELAY = DAY;

const PARTNER_COUNT = 5;
const PARTNER_STAKE = parseEther("100");

const GRANT_AMOUNT = parseEther("48");
const GRANT_DURATION = 4 * 365 * DAY;
const GRANT_CLIFF = 365 * DAY;

// GovernorCountingSimple's vote type for "For".
const FOR = 1;

// The few functions the scenario calls, written out so the calls are type-checked whether or not the
// Hardhat-generated artifact typings are part of the TypeScript project (tsconfig excludes artifacts/).
const tokenAbi = parseAbi([
  "function mint(address to, uint256 amount)",
  "function delegate(address delegatee)",
]);
const timelockAbi = parseAbi([
  "function PROPOSER_ROLE() view returns (bytes32)",
  "function CANCELLER_ROLE() view returns (bytes32)",
  "function DEFAULT_ADMIN_ROLE() view returns (bytes32)",
  "function grantRole(bytes32 role, address account)",
  "function renounceRole(bytes32 role, address callerConfirmation)",
  "function updateDelay(uint256 newDelay)",
  "function getMinDelay() view returns (uint256)",
]);
const governorAbi = parseAbi([
  "function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)",
  "function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) pure returns (uint256)",
  "function castVote(uint256 proposalId, uint8 support) returns (uint256)",
  "function queue(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) returns (uint256)",
  "function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) payable returns (uint256)",
]);
const vestingAbi = parseAbi(["function release(address token)"]);

/**
 * Runs the reference scenario on the connection's chain (meant to be a fresh in-process EDR chain) and
 * returns the gas of each benchmarked transaction, keyed: propose, castVote.first, castVote.later, queue,
 * execute, grant.create, release.first, release.later, cover.start.
 *
 * There is deliberately no `distribution.claim`: OpenZeppelin 5 dropped PaymentSplitter and has no
 * pro-rata revenue splitter, so the reference has nothing to measure there.
 */
export async function runReferenceScenario(
  viem: HardhatViemHelpers,
  networkHelpers?: ReferenceNetworkHelpers,
): Promise<GasMap> {
  const publicClient = await viem.getPublicClient();
  const testClient = networkHelpers === undefined ? await viem.getTestClient() : undefined;
  const wallets = await viem.getWalletClients();
  const [deployer, ...rest] = wallets;
  const partners = rest.slice(0, PARTNER_COUNT);
  // A new partner who receives the vesting grant and has not delegated yet (see release.* below).
  const grantee = rest[PARTNER_COUNT];
  if (deployer === undefined || partners.length < PARTNER_COUNT || grantee === undefined) {
    throw new Error(`reference scenario needs ${PARTNER_COUNT + 2} accounts, got ${wallets.length}`);
  }
  const partner = (i: number) => {
    const w = partners[i];
    if (w === undefined) throw new Error(`no partner ${i}`);
    return w.account;
  };

  const gas: GasMap = {};
  // Every write goes through here, so a reverted transaction stops the run instead of being measured.
  const mined = (hash: Hash) => confirmTransaction(publicClient, hash);
  const record = async (key: string, hash: Hash) => {
    gas[key] = Number((await mined(hash)).gasUsed);
  };
  const advance = async (seconds: number) => {
    if (networkHelpers !== undefined) {
      await networkHelpers.time.increase(seconds);
    } else if (testClient !== undefined) {
      // EDR's evm_increaseTime only takes effect on the next block, so mine one to make the new time
      // visible to the clock() of the following transaction's block and to view calls.
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
    }
  };
  const now = async () => (await publicClient.getBlock()).timestamp;

  // --- Deployment (not measured: one-off). ---
  const client = { public: publicClient, wallet: deployer };
  const at = async <const A extends readonly unknown[]>(deployed: Promise<{ address: Address }>, abi: A) =>
    getContract({ address: (await deployed).address, abi, client });
  const token = await at(viem.deployContract("RefEquityToken", [deployer.account.address]), tokenAbi);
  // The deployer is a temporary admin only to wire the governor in after it exists; renounced below.
  const timelock = await at(
    viem.deployContract("RefTimelock", [BigInt(TIMELOCK_DELAY), [], [zeroAddress], deployer.account.address]),
    timelockAbi,
  );
  const governor = await at(
    viem.deployContract("RefGovernor", [
      token.address,
      timelock.address,
      VOTING_DELAY,
      VOTING_PERIOD,
      QUORUM_PERCENT,
    ]),
    governorAbi,
  );
  const [proposerRole, cancellerRole, adminRole] = await Promise.all([
    timelock.read.PROPOSER_ROLE(),
    timelock.read.CANCELLER_ROLE(),
    timelock.read.DEFAULT_ADMIN_ROLE(),
  ]);
  // The governor alone can schedule and cancel; anyone may execute (address(0) executor above).
  await mined(await timelock.write.grantRole([proposerRole, governor.address]));
  await mined(await timelock.write.grantRole([cancellerRole, governor.address]));
  await mined(await timelock.write.renounceRole([adminRole, deployer.account.address]));

  // --- Partners: stake and voting power must exist before the proposal's snapshot. ---
  for (let i = 0; i < PARTNER_COUNT; i++) {
    const account = partner(i);
    await mined(await token.write.mint([account.address, PARTNER_STAKE]));
    await mined(await token.write.delegate([account.address], { account }));
  }

  // --- Governance round: the partners lengthen the timelock's delay. ---
  // A call on the timelock itself keeps `execute` a measure of the governor + timelock machinery alone:
  // a token transfer would add the token's own transfer cost (about 12k to a funded account, 29k to an
  // empty one), which differs between the reference token and the project's.
  const newDelay = 2n * BigInt(TIMELOCK_DELAY);
  const targets: Address[] = [timelock.address];
  const values = [0n];
  const calldatas = [encodeFunctionData({ abi: timelockAbi, functionName: "updateDelay", args: [newDelay] })];
  const description = "Lengthen the timelock delay to two days";
  const descriptionHash = keccak256(toHex(description));
  const proposalId = await governor.read.hashProposal([targets, values, calldatas, descriptionHash]);

  await record(
    "propose",
    await governor.write.propose([targets, values, calldatas, description], { account: partner(0) }),
  );
  // Past the snapshot: voting opens once clock() > voteStart.
  await advance(VOTING_DELAY + 1);
  await record("castVote.first", await governor.write.castVote([proposalId, FOR], { account: partner(0) }));
  await record("castVote.later", await governor.write.castVote([proposalId, FOR], { account: partner(1) }));
  for (let i = 2; i < PARTNER_COUNT; i++) {
    await mined(await governor.write.castVote([proposalId, FOR], { account: partner(i) }));
  }
  await advance(VOTING_PERIOD + 1);
  await record(
    "queue",
    await governor.write.queue([targets, values, calldatas, descriptionHash], { account: partner(0) }),
  );
  await advance(TIMELOCK_DELAY + 1);
  await record(
    "execute",
    await governor.write.execute([targets, values, calldatas, descriptionHash], { account: partner(0) }),
  );
  if ((await timelock.read.getMinDelay()) !== newDelay) {
    throw new Error("the executed proposal did not update the timelock delay");
  }

  // --- Vesting grant: one cliff wallet for a new partner. ---
  const start = await now();
  const grant = await viem.sendDeploymentTransaction("RefVestingWalletCliff", [
    grantee.account.address,
    start,
    BigInt(GRANT_DURATION),
    BigInt(GRANT_CLIFF),
  ]);
  // Only the wallet's deployment is counted. Funding it (the mint below) is left out on purpose: it is an
  // ordinary token transfer whose cost depends on the token, not on the grant contract.
  await record("grant.create", grant.deploymentTransaction.hash);
  const wallet = await at(Promise.resolve(grant.contract), vestingAbi);
  await mined(await token.write.mint([wallet.address, GRANT_AMOUNT]));

  // The beneficiary has not delegated, so a release writes no vote checkpoint (ERC20Votes still reads
  // the delegate of both sides, about 4.6k over a plain ERC20 transfer).
  // First release: the released counter and the beneficiary's balance go from zero to non-zero.
  await advance(GRANT_CLIFF + DAY);
  await record("release.first", await wallet.write.release([token.address], { account: grantee.account }));
  // A month on, both slots are already non-zero: the steady-state cost of a periodic release.
  await advance(30 * DAY);
  await record("release.later", await wallet.write.release([token.address], { account: grantee.account }));

  // --- Cover: a self-delegated partner hands their votes to another partner while away. ---
  await record("cover.start", await token.write.delegate([partner(1).address], { account: partner(2) }));

  return gas;
}

// The shared fixture of the contract tests, benchmarks and demo seed: deploys the firm through its
// Ignition module on a Hardhat network connection and drives proposals through governance.

import type { NetworkConnection } from "hardhat/types/network";
import {
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  toBytes,
} from "viem";
import {
  enumOrdinals,
  MEMBER_STATUSES,
  PRACTICE_ROLES,
  PROPOSAL_STATES,
  ROLES,
  SUPPORTS,
} from "../../indexer/decode/enums.ts";
import { deploy } from "../../scripts/deploy/deploy.ts";

export const DAY = 24 * 60 * 60;
export const YEAR = 365 * DAY;

/** Governance parameters of the fixture; short enough for tests, the same shape as production. */
export const TEST_PARAMETERS = {
  votingDelay: 1,
  votingPeriod: 3 * DAY,
  gracePeriod: 14 * DAY,
  equityQuorumBps: 4_000,
  headcountQuorumBps: 5_000,
  timelockDelay: DAY,
  claimWindow: 30 * DAY,
};

export const Support = enumOrdinals(SUPPORTS);
export const Role = enumOrdinals(ROLES);
export const Status = enumOrdinals(MEMBER_STATUSES);
export const PracticeRole = enumOrdinals(PRACTICE_ROLES);
export const ProposalState = enumOrdinals(PROPOSAL_STATES);

/** One call a proposal makes. */
export interface Action {
  target: Address;
  value: bigint;
  data: Hex;
}

/** Encodes a call to `fn` of a contract with `abi` at `target` as a proposal action. */
export function action<const abi extends Abi, fn extends ContractFunctionName<abi, "nonpayable" | "payable">>(
  contract: { address: Address; abi: abi },
  functionName: fn,
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", fn>,
  value = 0n,
): Action {
  const data = encodeFunctionData({ abi: contract.abi, functionName, args } as never);
  return { target: contract.address, value, data };
}

export interface FirmOptions {
  /** How many of the dev accounts (from index 1) are founding partners. */
  founders?: number;
  /** Units each founder starts with. */
  founderUnits?: bigint;
  parameters?: Partial<typeof TEST_PARAMETERS>;
}

/** Deploys the firm with its Ignition module and returns its contracts and accounts. */
export async function deployFirm(connection: NetworkConnection, options: FirmOptions = {}) {
  const { viem, networkHelpers } = connection;
  const wallets = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const [deployer] = wallets;
  if (!deployer) throw new Error("The network has no accounts");
  const founderCount = options.founders ?? 5;
  const founders = wallets.slice(1, 1 + founderCount).map((w) => w.account.address);
  const founderUnits = founders.map(() => Number(options.founderUnits ?? 1_000n));
  const parameters = { ...TEST_PARAMETERS, ...options.parameters, founders, founderUnits };
  const { contracts, manifest } = await deploy(connection, { name: "test", parameters });
  // Founders' units vest after one second: mine past it so they can release at once if they wish.
  await networkHelpers.time.increase(2);
  const governance = new Governance(connection, contracts.governor, publicClient);
  return {
    connection,
    viem,
    publicClient,
    networkHelpers,
    wallets,
    deployer,
    founders,
    parameters,
    governance,
    manifest,
    ...contracts,
  };
}

export type Firm = Awaited<ReturnType<typeof deployFirm>>;

type Governor = Awaited<ReturnType<typeof deploy>>["contracts"]["governor"];

/** A proposal as governance needs it to vote, queue and execute. */
export interface Proposal {
  id: bigint;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
  descriptionHash: Hex;
}

/**
 * Drives proposals through the governor: propose → (delay) → vote → (period) → queue → (timelock) →
 * execute. Each step sends a real transaction and checks its receipt.
 */
export class Governance {
  // Plain fields rather than parameter properties: scripts import this file under Node's type
  // stripping, which supports only erasable TypeScript.
  private readonly connection: NetworkConnection;
  readonly governor: Governor;
  private readonly publicClient: Awaited<ReturnType<NetworkConnection["viem"]["getPublicClient"]>>;

  constructor(
    connection: NetworkConnection,
    governor: Governor,
    publicClient: Awaited<ReturnType<NetworkConnection["viem"]["getPublicClient"]>>,
  ) {
    this.connection = connection;
    this.governor = governor;
    this.publicClient = publicClient;
  }

  async propose(actions: Action[], description: string, proposer: Address): Promise<Proposal> {
    const targets = actions.map((a) => a.target);
    const values = actions.map((a) => a.value);
    const calldatas = actions.map((a) => a.data);
    const descriptionHash = keccak256(toBytes(description));
    const id: bigint = await this.governor.read.hashProposal([targets, values, calldatas, descriptionHash]);
    await this.send(
      this.governor.write.propose([targets, values, calldatas, description], { account: proposer }),
    );
    return { id, targets, values, calldatas, description, descriptionHash };
  }

  async vote(proposal: Proposal, voters: Address[], support: number = Support.For): Promise<void> {
    for (const voter of voters) {
      await this.send(this.governor.write.castVote([proposal.id, support], { account: voter }));
    }
  }

  async queue(proposal: Proposal): Promise<void> {
    const { targets, values, calldatas, descriptionHash } = proposal;
    await this.send(this.governor.write.queue([targets, values, calldatas, descriptionHash]));
  }

  async execute(proposal: Proposal, value = 0n): Promise<void> {
    const { targets, values, calldatas, descriptionHash } = proposal;
    await this.send(this.governor.write.execute([targets, values, calldatas, descriptionHash], { value }));
  }

  /** Moves past the voting delay, so the proposal is active. */
  async startVoting(): Promise<void> {
    await this.connection.networkHelpers.time.increase(Number(await this.governor.read.votingDelay()) + 1);
  }

  /** Moves past the voting period. */
  async endVoting(): Promise<void> {
    await this.connection.networkHelpers.time.increase(Number(await this.governor.read.votingPeriod()) + 1);
  }

  /** Moves past the timelock delay. */
  async passTimelock(): Promise<void> {
    await this.connection.networkHelpers.time.increase(TEST_PARAMETERS.timelockDelay + 1);
  }

  /** The whole cycle, with every voter voting For. Returns the executed proposal. */
  async pass(actions: Action[], description: string, voters: Address[], value = 0n): Promise<Proposal> {
    const [proposer] = voters;
    if (!proposer) throw new Error("pass() needs at least one voter, who also proposes");
    const proposal = await this.propose(actions, description, proposer);
    await this.startVoting();
    await this.vote(proposal, voters);
    await this.endVoting();
    await this.queue(proposal);
    await this.passTimelock();
    await this.execute(proposal, value);
    return proposal;
  }

  async state(proposal: Proposal): Promise<number> {
    return Number(await this.governor.read.state([proposal.id]));
  }

  private async send(hash: Promise<Hex>): Promise<void> {
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${receipt.transactionHash} reverted`);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers for the contract tests.
// ---------------------------------------------------------------------------------------------

/** The five founding partners of a default firm, as a tuple of checksummed addresses (as contracts return them). */
export function partnersOf(firm: Firm): [Address, Address, Address, Address, Address] {
  const [p1, p2, p3, p4, p5] = firm.founders;
  if (!p1 || !p2 || !p3 || !p4 || !p5) throw new Error("partnersOf() needs a firm with five founders");
  return [getAddress(p1), getAddress(p2), getAddress(p3), getAddress(p4), getAddress(p5)];
}

/** The `n`-th dev account that is not a founder of a default firm (wallets[6 + n]), checksummed. */
export function outsiderOf(firm: Firm, n = 0): Address {
  const wallet = firm.wallets[6 + n];
  if (!wallet) throw new Error(`No dev account ${6 + n}`);
  return getAddress(wallet.account.address);
}

/**
 * Acts as the timelock (the firm's governance account) without a vote, to set up state quickly.
 * Adds 10 ETH to the timelock for gas, so measure treasury balances as differences. Returns its
 * address, for `{ account }`. Tests about governance itself go through {Governance} instead.
 */
export async function impersonateGovernance(firm: Firm): Promise<Address> {
  const address = firm.timelock.address;
  await firm.networkHelpers.impersonateAccount(address);
  const balance = await firm.publicClient.getBalance({ address });
  await firm.networkHelpers.setBalance(address, balance + 10n ** 19n);
  return address;
}

/** Waits for a transaction, fails unless it succeeded, and returns its receipt. */
export async function confirm(firm: Firm, hash: Hex | Promise<Hex>) {
  const receipt = await firm.publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`Transaction ${receipt.transactionHash} reverted`);
  return receipt;
}

/**
 * A matcher for a custom error with exactly these arguments, as viem prints it:
 * `Name(type a, type b)` then `(a, b)` on the next line. Case-insensitive, for addresses.
 */
export function customError(name: string, ...args: (string | number | bigint)[]): RegExp {
  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `${escapeRegExp(name)}\\([^)]*\\)\\s*\\(${args.map((a) => escapeRegExp(String(a))).join(", ")}\\)`,
    "i",
  );
}

/** Runs a proposal through the vote (every voter For), the queue and the timelock delay; stops before execution. */
export async function passToExecution(
  firm: Firm,
  actions: Action[],
  description: string,
  voters: Address[],
): Promise<Proposal> {
  const [proposer] = voters;
  if (!proposer) throw new Error("passToExecution() needs at least one voter, who also proposes");
  const proposal = await firm.governance.propose(actions, description, proposer);
  await firm.governance.startVoting();
  await firm.governance.vote(proposal, voters);
  await firm.governance.endVoting();
  await firm.governance.queue(proposal);
  await firm.governance.passTimelock();
  return proposal;
}

// Drives proposals through the firm's governor on a Hardhat connection, moving the dev chain's clock
// past each delay: how the demo seed, the benchmarks and the tests pass proposals. Dev chains only
// (it moves time); `firm propose`/`vote`/`queue`/`execute` are the way on a real chain.
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, keccak256, toBytes } from "viem";
import type { deploy } from "../deploy/deploy.ts";
import type { Action } from "./action.ts";
import { confirmTransaction } from "./confirmTransaction.ts";
import { Support } from "./enums.ts";
import { FAST_PARAMETERS } from "./parameters.ts";

type Governor = Awaited<ReturnType<typeof deploy>>["contracts"]["governor"];
type PublicClient = Awaited<ReturnType<NetworkConnection["viem"]["getPublicClient"]>>;

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
  private readonly publicClient: PublicClient;

  constructor(connection: NetworkConnection, governor: Governor, publicClient: PublicClient) {
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

  /** Moves past the timelock delay (deployFirm's default, one day, which the demo's parameters share). */
  async passTimelock(): Promise<void> {
    await this.connection.networkHelpers.time.increase(FAST_PARAMETERS.timelockDelay + 1);
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
    await confirmTransaction(this.publicClient, hash);
  }
}

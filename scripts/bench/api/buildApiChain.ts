// Builds the API benchmark's chain: the indexer benchmark's deployment (buildChain.ts), driven into
// the shape a read API is judged on rather than a stream of events: many members and grants, about a
// hundred partners, and many proposals each voted on by every partner.
//
//   founders (dev accounts 1–19)  ── propose, vote
//   ~80 more partners             ── admitted as partners by proposal, then vote on everything
//   ~10,000 associates/affiliates ── admitted 80 to a proposal, each seated in a practice with a grant
//   the rest of the proposals     ── grants, practice seats and promotions, a few actions each
//   the last ones                 ── made after a proposal lengthens the voting period: still Active
//
// Every change goes through governance (propose, every partner votes, queue, execute). The partners
// admitted by proposal are not accounts the node holds, so the node impersonates them to send their
// own votes (hardhat_impersonateAccount), as the partners would sign them; nothing impersonates the
// timelock. Blocks are sealed by hand with sealBlock, as many proposals a block as its gas allows.
import { type Address, getAddress, keccak256, toHex } from "viem";
import { firmGovernorAbi } from "../../../contracts/abi.ts";
import type { Manifest } from "../../../contracts/manifest.ts";
import { PracticeRole, Role } from "../../devFirm/enums.ts";
import {
  type Action,
  ADMITS_PER_PROPOSAL,
  admitAction,
  BLOCK_GAS_BUDGET,
  BLOCK_TIME_S,
  castVoteData,
  checkBenchChain,
  createGrantAction,
  DAY_S,
  deployBenchFirm,
  EXECUTE_OFFSET,
  encodeCall,
  FOUNDERS,
  GAS,
  governanceSteps,
  openPracticesActions,
  type PlannedTx,
  PRACTICES,
  promoteAction,
  QUEUE_OFFSET,
  sealBlock,
  seatAction,
  secondsSince,
  VOTE_OFFSET,
  YEAR_S,
} from "../indexer/buildChain.ts";

/** A partner's grant: well below a founder's 5e15, so the founders' For always carries the equity vote. */
const PARTNER_UNITS = 100_000_000_000_000n;
/** An associate's or affiliate's grant, with a one-year cliff: their schedules have a flat start. */
const MEMBER_GRANT = { units: 1_000_000_000_000n, cliff: YEAR_S, duration: 4 * YEAR_S };
/** A later grant (the "housekeeping" proposals): half a member grant over two years. */
const EXTRA_GRANT = { units: 500_000_000_000n, cliff: 0, duration: 2 * YEAR_S };
/** Actions per housekeeping proposal: small proposals, as a firm's weekly business would be. */
const ACTIONS_PER_HOUSEKEEPING = 4;
/** The voting period of the proposals made last, so they are still Active while the API is measured. */
const LONG_VOTING_PERIOD = 30 * DAY_S;
/** A vote casts one ballot (no cover in this program): 48–83k gas measured, plus a margin. */
const VOTE_GAS = 100_000;
/** Proposals made in one block at most, so a block's work stays spread over the run. */
const MAX_PROPOSALS_PER_BLOCK = 6;
/** ETH each impersonated partner gets for gas. */
const PARTNER_BALANCE = toHex(10n ** 21n);
/** The practices members are seated in: all but the last, which stays with its lead alone. */
const SEATING_PRACTICES = PRACTICES.slice(0, -1);

export interface BuildApiChainParameters {
  /** A running Hardhat JSON-RPC node (see startHardhatNode). */
  rpcUrl: string;
  /** Members in all (founders and partners included), each with a grant. Default 10,000. */
  members?: number;
  /** Proposals at least. Default 1,000. */
  proposals?: number;
  /** Ballots at least; partners = votes / proposals (at least the 19 founders). Default 100,000. */
  votes?: number;
  /** Proposals still Active at the end (made after the voting period is lengthened). Default 20. */
  activeAtEnd?: number;
  log?: (line: string) => void;
}

/** What the API benchmark varies its requests over. */
export interface ApiChainSample {
  /** Members admitted by proposal (partners first), with the practices they sit in. */
  members: { address: Address; role: "Partner" | "Associate" | "Affiliate"; practices: string[] }[];
  /** Every grant id but the founders'. */
  grantIds: string[];
  /** Slugs of the practices members are seated in. */
  practices: string[];
}

export interface BuildApiChainReturnType {
  manifest: Manifest;
  /** Logs of the five contracts from the manifest's startBlock to `toBlock`. */
  events: number;
  eventsByName: Record<string, number>;
  blocks: number;
  fromBlock: number;
  toBlock: number;
  /** The last block's time. */
  toTimestamp: number;
  transactions: number;
  seconds: number;
  counts: { members: number; partners: number; grants: number; proposals: number; votes: number };
  sample: ApiChainSample;
}

interface MemberPlan {
  address: Address;
  role: number;
  /** Practices seated in, by slug (the admission's first). */
  practices: string[];
  /** The block whose execution admitted the member; null until executed. */
  admittedBlock: number | null;
}

/**
 * Deploys the firm on the node at `rpcUrl` and drives it through governance until it has `members`
 * members with grants, `proposals` proposals and `votes` ballots. Throws if any transaction reverted
 * (the chain's logs must equal the build's model, event by event).
 *
 * @example
 * const node = await startHardhatNode({ port: await freePort() });
 * const chain = await buildApiChain({ rpcUrl: node.rpcUrl, members: 10_000, proposals: 1_000, votes: 100_000 });
 */
export async function buildApiChain({
  rpcUrl,
  members: targetMembers = 10_000,
  proposals: targetProposals = 1_000,
  votes: targetVotes = 100_000,
  activeAtEnd = 20,
  log = () => {},
}: BuildApiChainParameters): Promise<BuildApiChainReturnType> {
  const startedAt = performance.now();
  const partnerCount = Math.max(FOUNDERS, Math.ceil(targetVotes / targetProposals));
  if (targetMembers < partnerCount)
    throw new Error(`--members ${targetMembers} is below the ${partnerCount} partners the votes need`);
  if (activeAtEnd >= targetProposals) throw new Error("activeAtEnd must be below the proposal count");

  const firm = await deployBenchFirm({ rpcUrl, name: "bench-api", log });
  const { rpc, manifest, operator, founders, nonces } = firm;
  const c = manifest.contracts;
  // `hardhat node` logs every transaction, naming its contract and function; over 100,000 votes that
  // is a large share of the node's CPU, which the build needs, so it is switched off.
  await rpc.call("hardhat_setLoggingEnabled", [false]);

  // -- Partners beyond the founders: deterministic addresses the node signs for by impersonation. --
  const memberPlans: MemberPlan[] = [];
  const newPartners: MemberPlan[] = [];
  for (let i = 0; i < partnerCount - FOUNDERS; i++) {
    const plan: MemberPlan = {
      address: benchAddress(`bench-partner-${i}`),
      role: Role.Partner,
      practices: [SEATING_PRACTICES[i % SEATING_PRACTICES.length]!],
      admittedBlock: null,
    };
    newPartners.push(plan);
    memberPlans.push(plan);
    nonces.set(plan.address, 0);
  }
  await rpc.batch(
    newPartners.flatMap((p) => [
      { method: "hardhat_impersonateAccount", params: [p.address] },
      { method: "hardhat_setBalance", params: [p.address, PARTNER_BALANCE] },
    ]),
  );
  for (let i = 0; i < targetMembers - partnerCount; i++) {
    memberPlans.push({
      address: benchAddress(`bench-api-member-${i}`),
      role: i % 3 === 0 ? Role.Affiliate : Role.Associate,
      practices: [SEATING_PRACTICES[i % SEATING_PRACTICES.length]!],
      admittedBlock: null,
    });
  }

  // -- The model and the schedule of future transactions. --
  const model: Record<string, number> = { ...firm.deploymentEvents.byName };
  const agenda = new Map<number, PlannedTx[]>();
  const reservedGas = new Map<number, number>();
  const addToAgenda = (block: number, tx: PlannedTx) => {
    const list = agenda.get(block) ?? [];
    list.push(tx);
    agenda.set(block, list);
    reservedGas.set(block, (reservedGas.get(block) ?? 0) + tx.gas);
  };
  const afterBlock = new Map<number, (() => void)[]>();
  const onSealed = (block: number, fn: () => void) => {
    const list = afterBlock.get(block) ?? [];
    list.push(fn);
    afterBlock.set(block, list);
  };

  // -- The program: the proposals, in order, generated from the state when each is made. --
  let proposalCount = 0;
  let voteCount = 0;
  let grantCount = FOUNDERS; // the constructor's founder grants are 1..19
  let admitted = 0; // memberPlans whose admission proposal has been made
  let votingPeriodLengthened: number | null = null; // the block that executes it
  let lengthenProposed = false;
  let openProposals = 0;
  /** The lengthening proposal and the open ones come last; housekeeping makes up the rest. */
  const lastOnes = activeAtEnd + 1;
  const targetsMet = () =>
    openProposals >= activeAtEnd && proposalCount >= targetProposals && voteCount >= targetVotes;
  let housekeepingCursor = 0;
  const nextHousekeepingKind = (() => {
    let k = 0;
    return () => (["grants", "seats", "promotions"] as const)[k++ % 3]!;
  })();

  const admit = (plan: MemberPlan): Action => {
    const partner = plan.role === Role.Partner;
    const admission = {
      account: plan.address,
      role: plan.role,
      practice: plan.practices[0]!,
      practiceRole:
        partner || memberPlans.indexOf(plan) % 4 !== 0 ? PracticeRole.Member : PracticeRole.Technician,
      terms: partner
        ? { units: PARTNER_UNITS, start: 0, cliff: 0, duration: 4 * YEAR_S }
        : { ...MEMBER_GRANT, start: 0 },
    };
    return admitAction(c, admission, (block) => {
      plan.admittedBlock = block;
      grantCount++;
    });
  };

  /** Members whose admission has executed, round-robin from where the last proposal stopped. */
  const pickAdmitted = (n: number, accept: (m: MemberPlan) => boolean): MemberPlan[] => {
    const pool = memberPlans.filter((m) => m.admittedBlock !== null && m.role !== Role.Partner);
    const picked: MemberPlan[] = [];
    for (let tries = 0; tries < pool.length && picked.length < n; tries++) {
      const m = pool[housekeepingCursor++ % pool.length]!;
      if (accept(m) && !picked.includes(m)) picked.push(m);
    }
    return picked;
  };

  /** A few actions of one kind; only grants when the proposal will never execute (no state to track). */
  function housekeepingActions(executes: boolean): { kind: string; actions: Action[] } {
    for (let attempt = 0; attempt < 3; attempt++) {
      const kind = executes ? nextHousekeepingKind() : "grants";
      if (kind === "grants") {
        const actions = pickAdmitted(ACTIONS_PER_HOUSEKEEPING, () => true).map((m) =>
          createGrantAction(c, m.address, { ...EXTRA_GRANT, start: 0 }, () => void grantCount++),
        );
        if (actions.length > 0) return { kind: "Grants", actions };
      } else if (kind === "seats") {
        const actions = pickAdmitted(
          ACTIONS_PER_HOUSEKEEPING,
          (m) => m.practices.length < SEATING_PRACTICES.length,
        ).map((m) => {
          const slug = SEATING_PRACTICES.find((p) => !m.practices.includes(p))!;
          m.practices.push(slug);
          return seatAction(c, slug, m.address, PracticeRole.Technician);
        });
        if (actions.length > 0) return { kind: "Practice seats", actions };
      } else {
        const actions = pickAdmitted(ACTIONS_PER_HOUSEKEEPING, (m) => m.role === Role.Affiliate).map((m) => {
          m.role = Role.Associate;
          return promoteAction(c, m.address, Role.Associate);
        });
        if (actions.length > 0) return { kind: "Promotions", actions };
      }
    }
    throw new Error("No member to act on: the program admits members before its housekeeping");
  }

  /**
   * The next proposal at block `block`, or null when none can be made now (waiting for admissions
   * or the voting period change to execute) or the program is done.
   */
  function nextProposal(block: number): { description: string; actions: Action[]; executes: boolean } | null {
    const n = proposalCount + 1;
    if (proposalCount === 0) {
      return {
        description: "Open the firm's practices",
        executes: true,
        actions: openPracticesActions(c, founders),
      };
    }
    if (admitted < memberPlans.length) {
      // Partners first, in their own proposals; members only once every partner can vote.
      const partnersLeft = admitted < newPartners.length;
      if (!partnersLeft && newPartners.some((p) => p.admittedBlock === null || p.admittedBlock >= block))
        return null;
      const end = partnersLeft
        ? Math.min(newPartners.length, admitted + ADMITS_PER_PROPOSAL)
        : Math.min(memberPlans.length, admitted + ADMITS_PER_PROPOSAL);
      const batch = memberPlans.slice(admitted, end);
      admitted = end;
      return {
        description: `Proposal ${n}: admit ${batch.length} ${partnersLeft ? "partners" : "members"}`,
        executes: true,
        actions: batch.map(admit),
      };
    }
    if (memberPlans.some((m) => m.admittedBlock === null)) return null; // housekeeping needs them
    const enough =
      proposalCount + lastOnes >= targetProposals && voteCount + lastOnes * partnerCount >= targetVotes;
    if (!enough) {
      const { kind, actions } = housekeepingActions(true);
      return { description: `Proposal ${n}: ${kind.toLowerCase()}`, executes: true, actions };
    }
    if (!lengthenProposed) {
      lengthenProposed = true;
      return {
        description: `Proposal ${n}: a ${LONG_VOTING_PERIOD / DAY_S}-day voting period`,
        executes: true,
        actions: [
          {
            target: c.governor,
            value: 0n,
            data: encodeCall(firmGovernorAbi, "setVotingPeriod", [LONG_VOTING_PERIOD]),
            events: { VotingPeriodSet: 1 },
            recuses: false,
            gas: GAS.executePerOther,
            onExecuted: (executedIn) => {
              votingPeriodLengthened = executedIn;
            },
          },
        ],
      };
    }
    if (votingPeriodLengthened === null || votingPeriodLengthened >= block) return null;
    if (targetsMet()) return null;
    // Still open when the chain ends: proposed and voted, never queued.
    openProposals++;
    const { kind, actions } = housekeepingActions(false);
    return { description: `Proposal ${n}: ${kind.toLowerCase()} (open)`, executes: false, actions };
  }

  /** Partners who hold a ballot at a proposal made in `block`: founders and those admitted before. */
  const votersAt = (block: number): Address[] => [
    ...founders,
    ...newPartners.filter((p) => p.admittedBlock !== null && p.admittedBlock < block).map((p) => p.address),
  ];

  /** Plans the proposal's transactions in this and later blocks, if their gas fits; false if not. */
  function tryPropose(
    block: number,
    proposal: { description: string; actions: Action[]; executes: boolean },
    txs: PlannedTx[],
  ): boolean {
    const proposer = founders[(proposalCount + 1) % founders.length]!;
    const steps = governanceSteps({
      governor: c.governor,
      proposer,
      operator,
      actions: proposal.actions,
      description: proposal.description,
    });
    const voters = votersAt(block);
    const fits = (at: number, gas: number) => (reservedGas.get(at) ?? 0) + gas <= BLOCK_GAS_BUDGET;
    const gasNow = txs.reduce((s, x) => s + x.gas, 0) + steps.propose.gas;
    if (
      gasNow > BLOCK_GAS_BUDGET ||
      !fits(block + VOTE_OFFSET, voters.length * VOTE_GAS) ||
      (proposal.executes &&
        (!fits(block + QUEUE_OFFSET, steps.queue.gas) || !fits(block + EXECUTE_OFFSET, steps.execute.gas)))
    )
      return false;
    proposalCount++;
    txs.push(steps.propose);
    const n = proposalCount;
    voters.forEach((voter, i) => {
      // Founders always vote For (their equity carries the vote); other partners now and then vote
      // Against (0) or Abstain (2), so tallies have all three sides.
      const spin = (i + n) % 10;
      const support = i < FOUNDERS || spin > 1 ? 1 : spin === 0 ? 0 : 2;
      addToAgenda(block + VOTE_OFFSET, {
        from: voter,
        to: c.governor,
        data: castVoteData(steps.proposalId, support),
        gas: VOTE_GAS,
        events: { VoteCast: 1 },
      });
    });
    voteCount += voters.length;
    if (proposal.executes) {
      addToAgenda(block + QUEUE_OFFSET, steps.queue);
      addToAgenda(block + EXECUTE_OFFSET, steps.execute);
      onSealed(block + EXECUTE_OFFSET, () => {
        for (const a of proposal.actions) a.onExecuted?.(block + EXECUTE_OFFSET);
      });
    }
    return true;
  }

  // -- Seal blocks until the program is done and every planned step is mined. --
  const firstBlock = firm.blockNumber + 1;
  let timestamp = firm.timestamp;
  let blockNumber = firm.blockNumber;
  let transactions = 0;
  const blockTxCounts: number[] = [];
  let pending: { description: string; actions: Action[]; executes: boolean } | null = null;
  let programDone = false;
  let lastLog = performance.now();
  for (let block = firstBlock; ; block++) {
    const txs: PlannedTx[] = [...(agenda.get(block) ?? [])];
    agenda.delete(block);
    reservedGas.delete(block);
    for (let made = 0; !programDone && made < MAX_PROPOSALS_PER_BLOCK; made++) {
      pending ??= nextProposal(block);
      if (pending === null) {
        programDone = targetsMet();
        break;
      }
      if (!tryPropose(block, pending, txs)) break;
      pending = null;
    }
    timestamp += BLOCK_TIME_S;
    await sealBlock(rpc, txs, nonces, timestamp);
    blockNumber = block;
    blockTxCounts.push(txs.length);
    transactions += txs.length;
    for (const x of txs)
      for (const [name, k] of Object.entries(x.events)) model[name] = (model[name] ?? 0) + k;
    for (const fn of afterBlock.get(block) ?? []) fn();
    afterBlock.delete(block);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(
        `Block ${block}: ${proposalCount} proposals, ${voteCount} votes, ` +
          `${memberPlans.filter((m) => m.admittedBlock !== null).length + FOUNDERS} members, ` +
          `${transactions} transactions (${secondsSince(startedAt)} s)`,
      );
    }
    if (programDone && agenda.size === 0) break;
  }

  const chain = await checkBenchChain({
    rpc,
    manifest,
    firstBlock,
    lastBlock: blockNumber,
    blockTxCounts,
    model,
  });
  const seconds = Number(secondsSince(startedAt));
  log(
    `Built ${chain.total} events over ${blockNumber - manifest.startBlock + 1} blocks ` +
      `(${transactions} transactions) in ${seconds} s`,
  );
  const roleName = (role: number) =>
    role === Role.Partner ? "Partner" : role === Role.Associate ? "Associate" : "Affiliate";
  return {
    manifest,
    events: chain.total,
    eventsByName: chain.byName,
    blocks: blockNumber - manifest.startBlock + 1,
    fromBlock: manifest.startBlock,
    toBlock: blockNumber,
    toTimestamp: timestamp,
    transactions,
    seconds,
    counts: {
      members: chain.byName.MemberAdmitted ?? 0,
      partners: partnerCount,
      grants: chain.byName.GrantCreated ?? 0,
      proposals: chain.byName.ProposalCreated ?? 0,
      votes: chain.byName.VoteCast ?? 0,
    },
    sample: {
      members: memberPlans.map((m) => ({
        address: m.address,
        role: roleName(m.role),
        practices: [...m.practices],
      })),
      // Not the founders' grants (1–19): vested at deployment, they have no schedule to speak of.
      grantIds: Array.from({ length: grantCount - FOUNDERS }, (_, i) => String(FOUNDERS + i + 1)),
      practices: [...SEATING_PRACTICES],
    },
  };
}

function benchAddress(seed: string): Address {
  return getAddress(`0x${keccak256(toHex(seed)).slice(-40)}`);
}

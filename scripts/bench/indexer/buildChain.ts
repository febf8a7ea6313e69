// Builds the indexer benchmark's chain: the firm deployed on a Hardhat JSON-RPC node, then driven
// through its real contracts until it has emitted at least `events` logs over thousands of blocks.
//
// Every privileged change goes through governance: a partner proposes, the partners vote, the
// proposal is queued, and the timelock executes it. The bulk is carried by proposals whose actions
// are large batches (80 admissions in one proposal, executed by the timelock's executeBatch), by
// `release` calls (anyone may call it for any grant) and by `claimFor` calls after distributions.
// Nothing impersonates the timelock.
//
// Speed: automine is off. Each block's transactions go to the node as one JSON-RPC batch (they are
// independent of each other by construction), then one `evm_mine` with an explicit timestamp seals
// the block. `evm_mine`, never `hardhat_mine`: the latter's blocks have an all-zero parentHash, which
// any parent-hash reorg check reads as a reorg.
import {
  type AbiEvent,
  type Address,
  decodeErrorResult,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  parseAbiParameters,
  toEventSelector,
  toHex,
} from "viem";
import {
  firmGovernorAbi,
  firmTimelockAbi,
  partnershipAbi,
  practicesAbi,
  revenueShareAbi,
} from "../../../contracts/abi.ts";
import type { Manifest } from "../../../contracts/manifest.ts";
import { createChunker, INITIAL_BACKFILL_BLOCKS } from "../../../indexer/sync/chunker.ts";
import { describeError, FIRM_ERRORS } from "../../cli/lib/reverts.ts";
import { deploy } from "../../deploy/deploy.ts";
import { PracticeRole, Role, Support } from "../../devFirm/enums.ts";
import { connectBenchNetwork } from "./connectBenchNetwork.ts";
import { createJsonRpc, type JsonRpc, JsonRpcError, type RpcCall } from "./jsonRpc.ts";

// ---------------------------------------------------------------------------------------------
// Parameters. Every duration is in seconds of chain time (the contracts use a timestamp clock).
// ---------------------------------------------------------------------------------------------

/** Seconds between blocks, as on Ethereum: also makes every release mint something. */
export const BLOCK_TIME_S = 12;
export const DAY_S = 86_400;
export const YEAR_S = 365 * DAY_S;

/**
 * Governance parameters: as short as the contracts allow where it speeds the pipeline up.
 * A proposal made in block b has its snapshot at t(b)+1, is voted in b+1, ends its vote at t(b)+31,
 * is queued in b+3 (t(b)+36) and executed in b+4 (eta = queue time + 1 s).
 */
export const GOVERNANCE = {
  votingDelay: 1,
  votingPeriod: 30,
  gracePeriod: DAY_S, // the governor's minimum
  equityQuorumBps: 4_000,
  headcountQuorumBps: 5_000,
  timelockDelay: 1,
  claimWindow: DAY_S, // the revenue share's minimum
};
/** The partnership's default minimum leave (Partnership's constructor; governance may change it). */
const MIN_LEAVE_S = DAY_S;
/** Block offsets of a proposal's steps after the block that proposes it (see GOVERNANCE). */
export const VOTE_OFFSET = 1;
export const QUEUE_OFFSET = 3;
export const EXECUTE_OFFSET = 4;
/** Proposals start at least this many blocks apart, so no two steps ever share a block. */
const MIN_PROPOSAL_SPACING = 5;

/** Dev accounts 1–19 are the founding partners; account 0 deploys and runs the permissionless calls. */
export const FOUNDERS = 19;
/**
 * Founders' units: they must outweigh every member's grant so the founders alone meet the equity
 * quorum; 5e15 stays below 2^53, since Ignition takes the parameter as a JSON number.
 */
export const FOUNDER_UNITS = 5_000_000_000_000_000;
/**
 * A member's grant: 1e12 units over 10 years vest about 3,170 units a second, so a release one block
 * (12 s) after the last one always mints something, and nothing is fully vested within the run.
 */
export const GRANT_UNITS = 1_000_000_000_000n;
export const GRANT_DURATION_S = 10 * YEAR_S;

/**
 * Admissions per proposal. Each costs about 267k gas when executed since Books and the seat lists
 * (member, practice seat and its place in the member's list, grant, votes, plus the timelock's call;
 * 80 of them ran out of gas), and the node caps a transaction at 2^24 gas (EIP-7825), so 50 keep the
 * execute transaction near 13.4M (measured).
 */
export const ADMITS_PER_PROPOSAL = 50;
/** Actions of each kind in a housekeeping proposal (second grants, practice moves, …): ~11M gas. */
const HOUSEKEEPING = { grants: 50, practiceMoves: 50, promotions: 10, revocations: 10, removals: 2 };
/** An admission-heavy program: one housekeeping proposal after every this many admission proposals. */
const ADMISSIONS_PER_HOUSEKEEPING = 4;
/** Distributions over the run, each followed by claims for up to this many holders. */
const DISTRIBUTIONS = 5;
const CLAIMS_PER_DISTRIBUTION = 400;
const CLAIMS_PER_BLOCK = 25;
const DISTRIBUTION_WEI = 10n * 10n ** 18n;
export const PRACTICES = [
  "cloud",
  "security",
  "network",
  "helpdesk",
  "backup",
  "voip",
  "compliance",
  "legacy",
];

/** The block gas limit of Hardhat's default chain (60M), less a margin. */
export const BLOCK_GAS_BUDGET = 58_000_000;
/** The per-transaction gas cap the node enforces (EIP-7825, 2^24). */
export const TX_GAS_CAP = 16_777_216;
/** The most releases a block carries, so the chain stays spread rather than bursty. */
const MAX_RELEASES_PER_BLOCK = 60;
/** Gas limits per transaction kind, from measured use plus a margin (no estimation: it is slow). */
export const GAS = {
  release: 200_000,
  claim: 150_000,
  vote: 250_000,
  leave: 250_000,
  proposeBase: 500_000,
  proposePerAction: 40_000,
  queueBase: 300_000,
  queuePerAction: 40_000,
  executeBase: 300_000,
  executePerAdmit: 300_000,
  executePerOther: 180_000,
};
/** A fee cap far above any base fee this chain reaches; no tip, since nobody competes. */
const MAX_FEE_PER_GAS = toHex(100n * 10n ** 9n);

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export interface BuildBenchChainParameters {
  /** A running Hardhat JSON-RPC node (see startHardhatNode). */
  rpcUrl: string;
  /** The least number of firm events (logs of the five contracts) to produce. Default 100,000. */
  events?: number;
  /** The least number of blocks to spread them over. Default 6,000. */
  minBlocks?: number;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
}

export interface BuildBenchChainReturnType {
  manifest: Manifest;
  /** Logs of the five contracts from `fromBlock` to `toBlock`, counted with eth_getLogs. */
  events: number;
  /** Of which, per event name (deployment included); equal to the build's own model, or it throws. */
  eventsByName: Record<string, number>;
  /** Of which, per contract of the manifest. */
  eventsByContract: Record<keyof Manifest["contracts"], number>;
  /** Blocks from `fromBlock` to `toBlock`. */
  blocks: number;
  fromBlock: number;
  toBlock: number;
  transactions: number;
  seconds: number;
}

export interface PlannedTx {
  from: Address;
  to: Address;
  data: Hex;
  gas: number;
  value?: bigint;
  /** The logs this transaction emits, by event name: the build's model, checked at the end. */
  events: Record<string, number>;
}

export interface Action {
  target: Address;
  value: bigint;
  data: Hex;
  /** Events the action emits when executed (CallExecuted excluded). */
  events: Record<string, number>;
  /** Whether the governor recuses the action's subject (admit, setRole, retire, remove, revokeGrant). */
  recuses: boolean;
  gas: number;
  /** Bookkeeping to run once the executing block is sealed. */
  onExecuted?: (block: number) => void;
}

interface Grant {
  id: number;
  member: MemberState;
  revoked: boolean;
}

interface MemberState {
  address: Address;
  role: number;
  practice: string;
  /** Every practice it holds a seat in: a removal empties each (Practices.releaseDeparted). */
  seats: Set<string>;
  removed: boolean;
  grants: Grant[];
  /** The first block in which one of its releases was mined: it holds equity from then on. */
  firstReleaseBlock: number | null;
}

interface Leave {
  partner: Address;
  cover: Address;
  /** Chain time window [from, until) in which the cover votes for the partner. */
  from: number;
  until: number;
}

// ---------------------------------------------------------------------------------------------
// The build
// ---------------------------------------------------------------------------------------------

/**
 * Deploys the firm on the node at `rpcUrl` and drives it until it has emitted at least `events` logs
 * over at least `minBlocks` blocks. Returns the manifest and the chain's range and counts.
 *
 * @example
 * const node = await startHardhatNode({ port: 18545 });
 * const chain = await buildBenchChain({ rpcUrl: node.rpcUrl, events: 100_000 });
 * // chain.manifest.startBlock … chain.toBlock holds chain.events firm events
 */
export async function buildBenchChain({
  rpcUrl,
  events: targetEvents = 100_000,
  minBlocks = 6_000,
  log = () => {},
}: BuildBenchChainParameters): Promise<BuildBenchChainReturnType> {
  const startedAt = performance.now();
  const { rpc, manifest, operator, founders, nonces, deploymentEvents, ...sealed } = await deployBenchFirm({
    rpcUrl,
    name: "bench-indexer",
    log,
  });
  const c = manifest.contracts;
  let blockNumber = sealed.blockNumber;
  let timestamp = sealed.timestamp;

  // The model: what every planned transaction emits. Checked against eth_getLogs at the end.
  const model: Record<string, number> = { ...deploymentEvents.byName };
  let modelTotal = deploymentEvents.total;
  let transactions = 0;
  const blockTxCounts: number[] = [];

  // -- The firm's state as the build knows it. --
  const members: MemberState[] = [];
  const releasePool: Grant[] = []; // grants whose beneficiaries release: never revoked ones
  let grantCount = FOUNDERS; // the constructor created grants 1..19, one per founder
  let memberCount = FOUNDERS;
  let poolCursor = 0;
  const leaves: Leave[] = [];
  const distributions: number[] = []; // ids, for the reclaims at the end
  const claimQueue: { distributionId: number; holder: Address }[] = [];
  const founderHolders = new Set<Address>();
  let proposalCount = 0;
  let distributionCount = 0;

  // Future steps of proposals, by block number.
  const agenda = new Map<number, PlannedTx[]>();
  const afterBlock = new Map<number, (() => void)[]>();
  const addToAgenda = (block: number, tx: PlannedTx) => {
    const list = agenda.get(block) ?? [];
    list.push(tx);
    agenda.set(block, list);
  };
  const onSealed = (block: number, fn: () => void) => {
    const list = afterBlock.get(block) ?? [];
    list.push(fn);
    afterBlock.set(block, list);
  };

  const call = encodeCall;

  // -- The governance program, generated one proposal at a time from the current state. --
  const admissionProposals = Math.ceil((targetEvents * 0.055) / ADMITS_PER_PROPOSAL);
  const housekeepingProposals = Math.floor(admissionProposals / ADMISSIONS_PER_HOUSEKEEPING);
  const plannedProposals = 1 + admissionProposals + housekeepingProposals + DISTRIBUTIONS + 2;
  const totalBlocks = Math.max(minBlocks, Math.ceil(targetEvents / 15));
  const spacing = Math.max(MIN_PROPOSAL_SPACING, Math.floor((totalBlocks * 0.9) / plannedProposals));
  let admissionsDone = 0;
  let housekeepingDone = 0;
  let specialsDone = 0;

  const memberAddress = (i: number) => getAddress(`0x${keccak256(toHex(`bench-member-${i}`)).slice(-40)}`);

  function admissionActions(): Action[] {
    const actions: Action[] = [];
    for (let k = 0; k < ADMITS_PER_PROPOSAL; k++) {
      const i = members.length;
      const role = i % 3 === 0 ? Role.Affiliate : Role.Associate;
      const practice = PRACTICES[i % (PRACTICES.length - 1)]!; // the last practice is sunset later
      const member: MemberState = {
        address: memberAddress(i),
        role,
        practice,
        seats: new Set([practice]),
        removed: false,
        grants: [],
        firstReleaseBlock: null,
      };
      members.push(member);
      const terms = { units: GRANT_UNITS, start: 0, cliff: 0, duration: GRANT_DURATION_S };
      const practiceRole = i % 4 === 0 ? PracticeRole.Technician : PracticeRole.Member;
      actions.push(
        admitAction(c, { account: member.address, role, practice, practiceRole, terms }, () => {
          memberCount++;
          const grant: Grant = { id: ++grantCount, member, revoked: false };
          member.grants.push(grant);
          releasePool.push(grant);
        }),
      );
    }
    return actions;
  }

  /** Members admitted (executed) and not removed, taken round-robin so each is touched rarely. */
  let housekeepingCursor = 0;
  function pickMembers(n: number, accept: (m: MemberState) => boolean): MemberState[] {
    const picked: MemberState[] = [];
    const admitted = members.slice(0, memberCount - FOUNDERS);
    for (let tries = 0; tries < admitted.length && picked.length < n; tries++) {
      const m = admitted[housekeepingCursor++ % admitted.length]!;
      if (!m.removed && accept(m) && !picked.includes(m)) picked.push(m);
    }
    return picked;
  }

  function housekeepingActions(): Action[] {
    const actions: Action[] = [];
    const touched = new Set<MemberState>();
    const take = (n: number, accept: (m: MemberState) => boolean) => {
      const ms = pickMembers(n, (m) => !touched.has(m) && accept(m));
      for (const m of ms) touched.add(m);
      return ms;
    };
    for (const m of take(HOUSEKEEPING.grants, () => true)) {
      const terms = { units: GRANT_UNITS / 2n, start: 0, cliff: 0, duration: GRANT_DURATION_S };
      actions.push(
        createGrantAction(c, m.address, terms, () => {
          const grant: Grant = { id: ++grantCount, member: m, revoked: false };
          m.grants.push(grant);
          releasePool.push(grant);
        }),
      );
    }
    for (const m of take(HOUSEKEEPING.practiceMoves, () => true)) {
      // A second practice: the member's seat there is new (PracticeMemberSet either way).
      const other = PRACTICES[(PRACTICES.indexOf(m.practice) + 1) % (PRACTICES.length - 1)]!;
      m.seats.add(other);
      actions.push(seatAction(c, other, m.address, PracticeRole.Technician));
    }
    for (const m of take(HOUSEKEEPING.promotions, (m) => m.role === Role.Affiliate)) {
      m.role = Role.Associate;
      actions.push(promoteAction(c, m.address, Role.Associate));
    }
    // Revocations take grants already created (their ids are known) and drop them from the pool.
    for (const m of take(HOUSEKEEPING.revocations, (m) => m.grants.some((g) => !g.revoked))) {
      const grant = m.grants.find((g) => !g.revoked)!;
      grant.revoked = true;
      actions.push({
        target: c.partnership,
        value: 0n,
        data: call(partnershipAbi, "revokeGrant", [BigInt(grant.id)]),
        events: { GrantRevoked: 1, DelegateVotesChanged: 1 },
        // A revocation can expel, so the governor recuses the grant's holder.
        recuses: true,
        gas: GAS.executePerOther,
      });
    }
    for (const m of take(HOUSEKEEPING.removals, (m) => m.grants.length > 0)) {
      m.removed = true;
      const open = m.grants.filter((g) => !g.revoked);
      const seats = m.seats.size;
      m.seats.clear();
      m.practice = "";
      for (const g of open) g.revoked = true;
      actions.push({
        target: c.partnership,
        value: 0n,
        data: call(partnershipAbi, "remove", [m.address]),
        events: {
          MemberStatusChanged: 1,
          GrantRevoked: open.length,
          DelegateVotesChanged: open.length,
          PracticeMemberRemoved: seats,
        },
        recuses: true,
        gas: GAS.executePerOther * 2,
      });
    }
    // A couple of members leave a practice altogether (not the one housekeeping just moved them to).
    for (const m of take(2, (m) => m.practice !== "")) {
      actions.push({
        target: c.practices,
        value: 0n,
        data: call(practicesAbi, "removePracticeMember", [m.practice, m.address]),
        events: { PracticeMemberRemoved: 1 },
        recuses: false,
        gas: GAS.executePerOther,
      });
      m.seats.delete(m.practice);
      m.practice = "";
    }
    return actions;
  }

  /** The next proposal's actions, or null when the program is done. */
  function nextProposal(): { actions: Action[]; description: string } | null {
    const n = proposalCount;
    if (n === 0) {
      return { description: "Open the firm's practices", actions: openPracticesActions(c, founders) };
    }
    const holders = members.filter((m) => m.firstReleaseBlock !== null).length;
    const distributionDue =
      distributionCount < DISTRIBUTIONS &&
      holders > 0 &&
      admissionsDone >= ((distributionCount + 1) * admissionProposals) / (DISTRIBUTIONS + 1);
    if (distributionDue) {
      distributionCount++;
      const id = distributionCount;
      return {
        description: `Distribution ${id}`,
        actions: [
          {
            target: c.revenueShare,
            value: DISTRIBUTION_WEI,
            data: call(revenueShareAbi, "createDistribution", [
              "0x0000000000000000000000000000000000000000",
              DISTRIBUTION_WEI,
            ]),
            events: { SnapshotTaken: 1, DistributionCreated: 1 },
            recuses: false,
            gas: GAS.executePerOther * 2,
            onExecuted: (block) => {
              // Holders at the snapshot: whoever had a release mined in an earlier block. One is
              // left out on purpose, so the reclaim at the end always has something to return.
              const eligible = [
                ...founderHolders,
                ...members
                  .filter((m) => m.firstReleaseBlock !== null && m.firstReleaseBlock < block)
                  .map((m) => m.address),
              ].slice(0, CLAIMS_PER_DISTRIBUTION + 1);
              eligible.pop();
              distributions.push(id);
              for (const holder of eligible) claimQueue.push({ distributionId: id, holder });
            },
          },
        ],
      };
    }
    if (specialsDone === 0 && admissionsDone >= 2) {
      specialsDone++;
      return {
        description: "Lower the equity quorum; hand the security practice to a new lead",
        actions: [
          {
            target: c.governor,
            value: 0n,
            data: call(firmGovernorAbi, "setQuorum", [3_000, 5_000]),
            // A quorum change takes effect for later proposals through a new proposal rule.
            events: { QuorumChanged: 1, ProposalRuleScheduled: 1 },
            recuses: false,
            gas: GAS.executePerOther,
          },
          {
            target: c.practices,
            value: 0n,
            data: call(practicesAbi, "changePracticeLead", [PRACTICES[1]!, founders[10]!]),
            // The new lead's seat, the lead change, and the old lead kept as a member.
            events: { PracticeLeadChanged: 1, PracticeMemberSet: 2 },
            recuses: false,
            gas: GAS.executePerOther * 2,
          },
        ],
      };
    }
    if (admissionsDone < admissionProposals) {
      const dueHousekeeping =
        admissionsDone > 0 &&
        admissionsDone % ADMISSIONS_PER_HOUSEKEEPING === 0 &&
        housekeepingDone < admissionsDone / ADMISSIONS_PER_HOUSEKEEPING &&
        memberCount - FOUNDERS >= ADMITS_PER_PROPOSAL;
      if (dueHousekeeping) {
        housekeepingDone++;
        return { description: `Housekeeping ${housekeepingDone}`, actions: housekeepingActions() };
      }
      admissionsDone++;
      return { description: `Admissions ${admissionsDone}`, actions: admissionActions() };
    }
    if (specialsDone === 1) {
      specialsDone++;
      return {
        description: "Sunset the legacy practice",
        actions: [
          {
            target: c.practices,
            value: 0n,
            data: call(practicesAbi, "sunsetPractice", [PRACTICES[PRACTICES.length - 1]!]),
            events: { PracticeSunset: 1 },
            recuses: false,
            gas: GAS.executePerOther,
          },
        ],
      };
    }
    return null;
  }

  const partnerOnLeaveAt = (partner: Address, t: number) =>
    leaves.some((l) => l.partner === partner && l.from <= t && t < l.until);
  const coveringAt = (cover: Address, t: number) =>
    leaves.find((l) => l.cover === cover && l.from <= t && t < l.until)?.partner ?? null;

  function tx(
    from: Address,
    to: Address,
    data: Hex,
    gas: number,
    events: Record<string, number>,
    value = 0n,
  ): PlannedTx {
    return { from, to, data, gas, events, value };
  }

  /** Plans a proposal made in block `block` at chain time `t`: propose now, then its later steps. */
  function planProposal(block: number, t: number, actions: Action[], description: string): PlannedTx {
    const n = ++proposalCount;
    const steps = governanceSteps({
      governor: c.governor,
      proposer: founders[n % 5]!,
      operator,
      actions,
      description,
    });
    // Votes: every founder who holds a ballot at the snapshot. A founder on leave then is voted by
    // their cover, whose one call casts both ballots.
    const snapshot = t + GOVERNANCE.votingDelay;
    for (const founder of founders) {
      if (partnerOnLeaveAt(founder, snapshot)) continue;
      const covers = coveringAt(founder, snapshot) !== null;
      addToAgenda(
        block + VOTE_OFFSET,
        tx(founder, c.governor, castVoteData(steps.proposalId, Support.For), GAS.vote, {
          VoteCast: 1,
          ...(covers ? { VoteCastByCover: 1 } : {}),
        }),
      );
    }
    addToAgenda(block + QUEUE_OFFSET, steps.queue);
    addToAgenda(block + EXECUTE_OFFSET, steps.execute);
    onSealed(block + EXECUTE_OFFSET, () => {
      for (const a of actions) a.onExecuted?.(block + EXECUTE_OFFSET);
    });
    return steps.propose;
  }

  // Leaves: founder 19 is covered by founder 18 and ends the leave early; founder 17 is covered by
  // founder 16 and the leave lapses by itself. Placed at fixed fractions of the run.
  const leavePlan = [
    {
      at: Math.floor(totalBlocks * 0.2),
      partner: founders[18]!,
      cover: founders[17]!,
      blocks: 400,
      endsEarlyAfter: 250,
      until: 0,
    },
    {
      at: Math.floor(totalBlocks * 0.5),
      partner: founders[16]!,
      cover: founders[15]!,
      blocks: 300,
      endsEarlyAfter: null,
      until: 0,
    },
  ];

  // -- Seal blocks until the program is done and the event target and block count are met. --
  const firstBlock = blockNumber + 1;
  let nextProposalBlock = firstBlock + 1;
  let programDone = false;
  const estimateRemaining = () => {
    // Roughly what the rest of the program emits, so releases make up the difference evenly.
    const admissionsLeft = admissionProposals - admissionsDone;
    return (
      admissionsLeft * (ADMITS_PER_PROPOSAL * 7 + 23) + (admissionsLeft / ADMISSIONS_PER_HOUSEKEEPING) * 450
    );
  };
  let lastLog = performance.now();

  for (let block = firstBlock; ; block++) {
    const t = timestamp + BLOCK_TIME_S;
    const txs: PlannedTx[] = [...(agenda.get(block) ?? [])];
    agenda.delete(block);
    let gas = txs.reduce((s, x) => s + x.gas, 0);

    if (!programDone && block >= nextProposalBlock) {
      const next = nextProposal();
      if (next === null) programDone = true;
      else {
        const propose = planProposal(block, t, next.actions, next.description);
        txs.push(propose);
        gas += propose.gas;
        // The first proposals come quickly, so the release pool fills early.
        nextProposalBlock = block + (proposalCount <= 3 ? MIN_PROPOSAL_SPACING : spacing);
      }
    }

    if (block === firstBlock + 2) {
      // Founders release their (fully vested) founding grants once: they hold equity from here on.
      for (let i = 0; i < FOUNDERS; i++) {
        txs.push(
          tx(operator, c.partnership, call(partnershipAbi, "release", [BigInt(i + 1)]), GAS.release, {
            GrantReleased: 1,
            Transfer: 1,
          }),
        );
        gas += GAS.release;
      }
      onSealed(block, () => {
        for (const f of founders) founderHolders.add(f);
      });
    }

    for (const plan of leavePlan) {
      if (block === plan.at) {
        // Never shorter than the partnership's minimum leave (its default: a day), which the rule
        // against leave spam enforces.
        const until = t + Math.max(plan.blocks * BLOCK_TIME_S, MIN_LEAVE_S + BLOCK_TIME_S);
        txs.push(
          tx(
            plan.partner,
            c.partnership,
            call(partnershipAbi, "declareLeave", [until, plan.cover]),
            GAS.leave,
            { MemberStatusChanged: 1, LeaveDeclared: 1 },
          ),
        );
        gas += GAS.leave;
        plan.until = until;
      }
      // The cover holds the partner's ballot only once they accept, which they do in the next block.
      if (block === plan.at + 1) {
        txs.push(
          tx(plan.cover, c.partnership, call(partnershipAbi, "acceptCover", [plan.partner]), GAS.leave, {
            CoverAccepted: 1,
          }),
        );
        gas += GAS.leave;
        // From the next block: this block's votes were placed before the acceptance.
        leaves.push({ partner: plan.partner, cover: plan.cover, from: t + 1, until: plan.until });
      }
      if (plan.endsEarlyAfter !== null && block === plan.at + plan.endsEarlyAfter) {
        txs.push(
          tx(plan.partner, c.partnership, call(partnershipAbi, "endLeave", []), GAS.leave, {
            LeaveEnded: 1,
            MemberStatusChanged: 1,
          }),
        );
        gas += GAS.leave;
        // Until the next block: this block's votes were placed before the leave ended.
        const leave = leaves.find((l) => l.partner === plan.partner && l.until > t)!;
        leave.until = t + 1;
      }
    }

    // Claims after distributions.
    for (
      let k = 0;
      k < CLAIMS_PER_BLOCK && claimQueue.length > 0 && gas + GAS.claim < BLOCK_GAS_BUDGET;
      k++
    ) {
      const { distributionId, holder } = claimQueue.shift()!;
      txs.push(
        tx(
          operator,
          c.revenueShare,
          call(revenueShareAbi, "claimFor", [BigInt(distributionId), holder]),
          GAS.claim,
          { DistributionClaimed: 1 },
        ),
      );
      gas += GAS.claim;
    }

    // Releases make up the rest of the event target, spread evenly over the blocks left.
    const blocksLeft = Math.max(1, firstBlock + totalBlocks - block);
    const needed = Math.ceil(targetEvents * 1.005) - modelTotal - estimateRemaining();
    let releases = Math.min(
      MAX_RELEASES_PER_BLOCK,
      Math.max(0, Math.ceil(needed / 2 / blocksLeft)),
      releasePool.length,
    );
    releases = Math.min(releases, Math.floor((BLOCK_GAS_BUDGET - gas) / GAS.release));
    for (let k = 0; k < releases; k++) {
      // Round-robin over the pool: a grant comes back only after the whole pool, so never twice a block.
      const grant = releasePool[poolCursor++ % releasePool.length]!;
      if (grant.revoked) continue;
      txs.push(
        tx(operator, c.partnership, call(partnershipAbi, "release", [BigInt(grant.id)]), GAS.release, {
          GrantReleased: 1,
          Transfer: 1,
        }),
      );
      gas += GAS.release;
      if (grant.member.firstReleaseBlock === null) grant.member.firstReleaseBlock = block;
    }

    const done =
      programDone &&
      agenda.size === 0 &&
      claimQueue.length === 0 &&
      block >= firstBlock + totalBlocks - 1 &&
      modelTotal + countEvents(txs) >= targetEvents;
    if (done) {
      // The last block jumps past every claim window and returns what was not claimed.
      timestamp += GOVERNANCE.claimWindow + 60;
      for (const d of distributions) {
        txs.push(
          tx(operator, c.revenueShare, call(revenueShareAbi, "reclaim", [BigInt(d)]), GAS.claim, {
            DistributionReclaimed: 1,
          }),
        );
      }
    }

    await sealBlock(rpc, txs, nonces, timestamp + BLOCK_TIME_S);
    timestamp += BLOCK_TIME_S;
    blockNumber = block;
    blockTxCounts.push(txs.length);
    transactions += txs.length;
    for (const x of txs)
      for (const [name, k] of Object.entries(x.events)) model[name] = (model[name] ?? 0) + k;
    modelTotal += countEvents(txs);
    for (const fn of afterBlock.get(block) ?? []) fn();
    afterBlock.delete(block);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(
        `Block ${block}: ${modelTotal} events, ${transactions} transactions (${secondsSince(startedAt)} s)`,
      );
    }
    if (done) break;
  }

  const chain = await checkBenchChain({
    rpc,
    manifest,
    firstBlock,
    lastBlock: blockNumber,
    blockTxCounts,
    model,
  });
  const events = chain.total;
  if (events < targetEvents) throw new Error(`Only ${events} events were produced (target ${targetEvents})`);
  const seconds = Number(secondsSince(startedAt));
  log(`Built ${events} events over ${blockNumber - manifest.startBlock + 1} blocks in ${seconds} s`);
  return {
    manifest,
    events,
    eventsByName: chain.byName,
    eventsByContract: chain.byContract,
    blocks: blockNumber - manifest.startBlock + 1,
    fromBlock: manifest.startBlock,
    toBlock: blockNumber,
    transactions,
    seconds,
  };
}

// ---------------------------------------------------------------------------------------------
// Building blocks, shared with the API benchmark's chain (scripts/bench/api/buildApiChain.ts)
// ---------------------------------------------------------------------------------------------

/** The firm just deployed on the benchmark node, with automine off: blocks are sealed by hand. */
export interface BenchFirm {
  rpc: JsonRpc;
  manifest: Manifest;
  /** Dev account 0: deploys, and sends queue, execute and every permissionless call. */
  operator: Address;
  /** Dev accounts 1–19: the founding partners. */
  founders: Address[];
  /** The deployment's last block and its time: the next sealed block follows it. */
  blockNumber: number;
  timestamp: number;
  /** The next nonce of every dev account. */
  nonces: Map<Address, number>;
  /** The logs Ignition's deployment emitted (the model starts from them). */
  deploymentEvents: FirmLogCounts;
}

/**
 * Deploys the firm through the repository's one deployment path (Ignition), with short governance
 * (GOVERNANCE) and dev accounts 1–19 as founders, then turns automine off.
 */
export async function deployBenchFirm({
  rpcUrl,
  name,
  log = () => {},
}: {
  rpcUrl: string;
  /** The manifest's deployment name. */
  name: string;
  log?: (line: string) => void;
}): Promise<BenchFirm> {
  const startedAt = performance.now();
  const rpc = createJsonRpc(rpcUrl);
  const accounts = (await rpc.call<Address[]>("eth_accounts")).map((a) => getAddress(a));
  if (accounts.length < FOUNDERS + 1)
    throw new Error(`The node has ${accounts.length} accounts; ${FOUNDERS + 1} needed`);
  const operator = accounts[0]!;
  const founders = accounts.slice(1, 1 + FOUNDERS);
  const bench = await connectBenchNetwork(rpcUrl);
  const { manifest } = await deploy(bench.connection, {
    name,
    parameters: { ...GOVERNANCE, founders, founderUnits: founders.map(() => FOUNDER_UNITS) },
  }).finally(() => bench.close());
  log(`Deployed the firm from block ${manifest.startBlock} (${secondsSince(startedAt)} s)`);

  // From here on, blocks are sealed by hand.
  await rpc.call("evm_setAutomine", [false]);
  const latest = await rpc.call<{ number: Hex; timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
  const nonces = new Map<Address, number>();
  const counts = await rpc.batch<Hex>(
    accounts.map((a) => ({ method: "eth_getTransactionCount", params: [a, "pending"] })),
  );
  for (const [i, a] of accounts.entries()) nonces.set(a, Number(counts[i]));
  // Deployment events: counted from the chain, since Ignition sent those transactions.
  const deploymentEvents = await countFirmLogs(rpc, manifest, manifest.startBlock, Number(latest.number));
  return {
    rpc,
    manifest,
    operator,
    founders,
    blockNumber: Number(latest.number),
    timestamp: Number(latest.timestamp),
    nonces,
    deploymentEvents,
  };
}

/**
 * The first transaction from `fromBlock` whose receipt says it failed, with its revert replayed (an
 * eth_call at the block before, in the CLI's words), so a broken build names its cause.
 */
async function firstRevertedTransaction(
  rpc: JsonRpc,
  fromBlock: number,
  toBlock: number,
): Promise<string | null> {
  for (let block = fromBlock; block <= toBlock; block++) {
    const { transactions } = await rpc.call<{
      transactions: { hash: Hex; from: Hex; to: Hex; input: Hex; gas: Hex }[];
    }>("eth_getBlockByNumber", [toHex(block), true]);
    if (transactions.length === 0) continue;
    const receipts = await rpc.batch<{ status: Hex; gasUsed: Hex }>(
      transactions.map((t) => ({ method: "eth_getTransactionReceipt", params: [t.hash] })),
    );
    const index = receipts.findIndex((r) => r.status === "0x0");
    if (index < 0) continue;
    const failed = transactions[index]!;
    const selector = failed.input.slice(0, 10);
    const why = await rpc
      .call("eth_call", [
        { from: failed.from, to: failed.to, data: failed.input, gas: failed.gas },
        toHex(block - 1),
      ])
      .then(
        () =>
          `the replay at block ${block - 1} succeeds (it depended on the block's earlier transactions, or ran out of gas: used ${Number(receipts[index]!.gasUsed)} of ${Number(failed.gas)})`,
        (error: unknown) => describeRevert(error),
      );
    return `${failed.hash} in block ${block} (selector ${selector}, to ${failed.to}): ${why}`;
  }
  return null;
}

/** A replayed call's revert in the CLI's words, or the node's message when it carries no firm error. */
function describeRevert(error: unknown): string {
  const data = error instanceof JsonRpcError ? error.data : undefined;
  const bytes = typeof data === "string" ? data : (data as { data?: unknown } | undefined)?.data;
  if (typeof bytes === "string" && bytes.length >= 10) {
    try {
      const { errorName, args } = decodeErrorResult({ abi: FIRM_ERRORS, data: bytes as Hex });
      return `${errorName}: ${describeError(errorName, args ?? []).message}`;
    } catch {
      return `unknown error ${bytes.slice(0, 10)}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns automine back on and checks the build: every planned transaction was mined (per-block counts
 * from `firstBlock`) and the chain holds exactly the modelled logs, by event name. Returns the chain's
 * counts; throws, naming the events that differ, when a transaction reverted.
 */
export async function checkBenchChain({
  rpc,
  manifest,
  firstBlock,
  lastBlock,
  blockTxCounts,
  model,
}: {
  rpc: JsonRpc;
  manifest: Manifest;
  firstBlock: number;
  lastBlock: number;
  blockTxCounts: number[];
  /** Planned logs by event name, deployment included. */
  model: Record<string, number>;
}): Promise<FirmLogCounts> {
  await rpc.call("evm_setAutomine", [true]);
  await checkBlockTxCounts(rpc, firstBlock, blockTxCounts);
  const chain = await countFirmLogs(rpc, manifest, manifest.startBlock, lastBlock);
  const planned = Object.values(model).reduce((sum, k) => sum + k, 0);
  const differing = Object.keys({ ...model, ...chain.byName }).filter(
    (n) => (model[n] ?? 0) !== (chain.byName[n] ?? 0),
  );
  if (chain.total !== planned || differing.length > 0) {
    const detail = differing
      .map((n) => `${n}: ${chain.byName[n] ?? 0} on chain, ${model[n] ?? 0} planned`)
      .join("; ");
    const reverted = await firstRevertedTransaction(rpc, firstBlock, lastBlock);
    throw new Error(
      `The chain holds ${chain.total} firm logs but the build planned ${planned} (${detail}): a transaction reverted` +
        (reverted ? `; the first: ${reverted}` : ""),
    );
  }
  return chain;
}

/** A proposal's transactions: propose (by `proposer`), then queue and execute (by `operator`). */
export interface GovernanceSteps {
  proposalId: bigint;
  propose: PlannedTx;
  queue: PlannedTx;
  execute: PlannedTx;
}

/**
 * Plans the governor calls that carry `actions` through governance (votes are the caller's: who
 * votes depends on the program). Gas limits and modelled events follow GAS and each action's own.
 */
export function governanceSteps({
  governor,
  proposer,
  operator,
  actions,
  description,
}: {
  governor: Address;
  proposer: Address;
  operator: Address;
  actions: Action[];
  description: string;
}): GovernanceSteps {
  const targets = actions.map((a) => a.target);
  const values = actions.map((a) => a.value);
  const calldatas = actions.map((a) => a.data);
  const descriptionHash = keccak256(toHex(description));
  const proposalId = BigInt(
    keccak256(encodeAbiParameters(PROPOSAL_ID_PARAMETERS, [targets, values, calldatas, descriptionHash])),
  );
  const recusals = actions.filter((a) => a.recuses).length;
  const executeEvents: Record<string, number> = { ProposalExecuted: 1, CallExecuted: actions.length };
  for (const a of actions)
    for (const [name, k] of Object.entries(a.events)) executeEvents[name] = (executeEvents[name] ?? 0) + k;
  return {
    proposalId,
    propose: {
      from: proposer,
      to: governor,
      data: encodeCall(firmGovernorAbi, "propose", [targets, values, calldatas, description]),
      gas: GAS.proposeBase + GAS.proposePerAction * actions.length,
      events: { ProposalCreated: 1, VoterRecused: recusals },
      value: 0n,
    },
    queue: {
      from: operator,
      to: governor,
      data: encodeCall(firmGovernorAbi, "queue", [targets, values, calldatas, descriptionHash]),
      gas: GAS.queueBase + GAS.queuePerAction * actions.length,
      events: { ProposalQueued: 1, CallScheduled: actions.length, CallSalt: 1 },
      value: 0n,
    },
    execute: {
      from: operator,
      to: governor,
      data: encodeCall(firmGovernorAbi, "execute", [targets, values, calldatas, descriptionHash]),
      gas: Math.min(TX_GAS_CAP, GAS.executeBase + actions.reduce((s, a) => s + a.gas, 0)),
      events: executeEvents,
      value: values.reduce((s, v) => s + v, 0n),
    },
  };
}

/** The firm's contracts, as the action builders below address them. */
type FirmContracts = Manifest["contracts"];

/** A grant's terms as Partnership takes them (start 0: the execution's time). */
export interface GrantTerms {
  units: bigint;
  start: number;
  cliff: number;
  duration: number;
}

/** createPractice for each of PRACTICES, led by founders 1, 2, … in turn. */
export function openPracticesActions(c: FirmContracts, founders: Address[]): Action[] {
  return PRACTICES.map((slug, i) => ({
    target: c.practices,
    value: 0n,
    data: encodeCall(practicesAbi, "createPractice", [slug, `Practice ${slug}`, founders[i]!]),
    events: { PracticeCreated: 1, PracticeMemberSet: 1 },
    recuses: false,
    gas: GAS.executePerOther * 2,
  }));
}

/** admit(account, role, practice, practiceRole, terms): a member seated in a practice, with a grant. */
export function admitAction(
  c: FirmContracts,
  admission: { account: Address; role: number; practice: string; practiceRole: number; terms: GrantTerms },
  onExecuted?: (block: number) => void,
): Action {
  const { account, role, practice, practiceRole, terms } = admission;
  return {
    target: c.partnership,
    value: 0n,
    data: encodeCall(partnershipAbi, "admit", [account, role, practice, practiceRole, terms]),
    events: { MemberAdmitted: 1, PracticeMemberSet: 1, GrantCreated: 1, DelegateVotesChanged: 1 },
    recuses: true,
    gas: GAS.executePerAdmit,
    ...(onExecuted ? { onExecuted } : {}),
  };
}

/** createGrant(account, terms). */
export function createGrantAction(
  c: FirmContracts,
  account: Address,
  terms: GrantTerms,
  onExecuted?: (block: number) => void,
): Action {
  return {
    target: c.partnership,
    value: 0n,
    data: encodeCall(partnershipAbi, "createGrant", [account, terms]),
    events: { GrantCreated: 1, DelegateVotesChanged: 1 },
    recuses: false,
    gas: GAS.executePerOther,
    ...(onExecuted ? { onExecuted } : {}),
  };
}

/** setPracticeMember(slug, account, role): a new seat (or a new role in one). */
export function seatAction(c: FirmContracts, slug: string, account: Address, role: number): Action {
  return {
    target: c.practices,
    value: 0n,
    data: encodeCall(practicesAbi, "setPracticeMember", [slug, account, role]),
    events: { PracticeMemberSet: 1 },
    recuses: false,
    gas: GAS.executePerOther,
  };
}

/** setRole(account, role): a promotion, whose subject the governor recuses. */
export function promoteAction(c: FirmContracts, account: Address, role: number): Action {
  return {
    target: c.partnership,
    value: 0n,
    data: encodeCall(partnershipAbi, "setRole", [account, role]),
    events: { MemberRoleChanged: 1 },
    recuses: true,
    gas: GAS.executePerOther,
  };
}

/** castVote(proposalId, support) calldata (support: 0 Against, 1 For, 2 Abstain). */
export function castVoteData(proposalId: bigint, support: number): Hex {
  return encodeCall(firmGovernorAbi, "castVote", [proposalId, support]);
}

/** ABI-encodes a call of `functionName` on a contract of `abi`. */
export function encodeCall<const abi extends readonly unknown[]>(
  abi: abi,
  functionName: string,
  args: readonly unknown[],
): Hex {
  return encodeFunctionData({ abi: abi as never, functionName, args } as never) as Hex;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

export function secondsSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}

function countEvents(txs: PlannedTx[]): number {
  let n = 0;
  for (const x of txs) for (const k of Object.values(x.events)) n += k;
  return n;
}

/** The governor's proposal id is keccak256(abi.encode(targets, values, calldatas, descriptionHash)). */
const PROPOSAL_ID_PARAMETERS = parseAbiParameters("address[], uint256[], bytes[], bytes32");

/**
 * Sends `txs` as one batch (they are independent of each other) and seals them into one block at
 * `timestamp`. Nonces are assigned here, so a sender's transactions stay in order.
 */
export async function sealBlock(
  rpc: JsonRpc,
  txs: PlannedTx[],
  nonces: Map<Address, number>,
  timestamp: number,
): Promise<void> {
  const calls: RpcCall[] = txs.map((x) => {
    const nonce = nonces.get(x.from)!;
    nonces.set(x.from, nonce + 1);
    return {
      method: "eth_sendTransaction",
      params: [
        {
          from: x.from,
          to: x.to,
          data: x.data,
          gas: toHex(x.gas),
          nonce: toHex(nonce),
          value: toHex(x.value ?? 0n),
          maxFeePerGas: MAX_FEE_PER_GAS,
          maxPriorityFeePerGas: "0x0",
        },
      ],
    };
  });
  // Hardhat runs a batch's calls concurrently; sends from one account still land in nonce order,
  // since the mempool orders each sender's transactions by nonce.
  for (let i = 0; i < calls.length; i += 500) await rpc.batch(calls.slice(i, i + 500));
  await rpc.call("evm_mine", [timestamp]);
}

async function checkBlockTxCounts(rpc: JsonRpc, firstBlock: number, expected: number[]): Promise<void> {
  for (let i = 0; i < expected.length; i += 500) {
    const slice = expected.slice(i, i + 500);
    const got = await rpc.batch<Hex>(
      slice.map((_, k) => ({
        method: "eth_getBlockTransactionCountByNumber",
        params: [toHex(firstBlock + i + k)],
      })),
    );
    for (let k = 0; k < slice.length; k++) {
      if (Number(got[k]) !== slice[k]) {
        throw new Error(
          `Block ${firstBlock + i + k} holds ${Number(got[k])} transactions, ${slice[k]} were sent for it`,
        );
      }
    }
  }
}

/** Blocks per eth_getLogs call when counting, at most; the chunker asks fewer where blocks are dense. */
const COUNT_RANGE = 500;
/** Logs per eth_getLogs reply the count aims at (about 18 MB of JSON at 0.9 KB a log). */
const COUNT_LOGS_PER_REPLY = 20_000;
/** Event name by topic0, over the five ABIs (no two of the firm's events share a signature). */
const EVENT_NAMES = new Map<Hex, string>(
  [firmGovernorAbi, firmTimelockAbi, partnershipAbi, practicesAbi, revenueShareAbi].flatMap((abi) =>
    abi
      .filter((item) => item.type === "event")
      .map((item) => [toEventSelector(item as AbiEvent), item.name] as const),
  ),
);

export interface FirmLogCounts {
  total: number;
  byContract: Record<keyof Manifest["contracts"], number>;
  byName: Record<string, number>;
}

/** Counts the logs of the manifest's contracts in [fromBlock, toBlock] with eth_getLogs. */
async function countFirmLogs(
  rpc: JsonRpc,
  manifest: Manifest,
  fromBlock: number,
  toBlock: number,
): Promise<FirmLogCounts> {
  const names = Object.keys(manifest.contracts) as (keyof Manifest["contracts"])[];
  const contractByAddress = new Map(names.map((n) => [manifest.contracts[n].toLowerCase(), n]));
  const counts: FirmLogCounts = {
    total: 0,
    byContract: Object.fromEntries(names.map((n) => [n, 0])) as Record<keyof Manifest["contracts"], number>,
    byName: {},
  };
  // One range per request, sized by the indexer's own adaptive chunker: at 100,000 members a block
  // holds thousands of logs, and a batch of eight 500-block ranges made the node close the connection.
  const chunker = createChunker({
    maxBlocks: COUNT_RANGE,
    initialBlocks: INITIAL_BACKFILL_BLOCKS,
    targetLogs: COUNT_LOGS_PER_REPLY,
  });
  for (let from = fromBlock; from <= toBlock; ) {
    const to = Math.min(toBlock, from + Number(chunker.size()) - 1);
    const page = await rpc.call<{ address: string; topics: Hex[] }[]>("eth_getLogs", [
      { fromBlock: toHex(from), toBlock: toHex(to), address: Object.values(manifest.contracts) },
    ]);
    for (const l of page) {
      counts.total++;
      counts.byContract[contractByAddress.get(l.address.toLowerCase())!]++;
      const name = EVENT_NAMES.get(l.topics[0]!) ?? `unknown:${l.topics[0]}`;
      counts.byName[name] = (counts.byName[name] ?? 0) + 1;
    }
    chunker.succeeded(BigInt(to - from + 1), page.length);
    from = to + 1;
  }
  return counts;
}

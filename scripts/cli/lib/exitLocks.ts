// Exit locks, as the chain records them: a For ballot on a proposal that moves treasury funds stops
// its owner from withdrawing (`firm ragequit`) until the proposal is over. The governor keeps only a
// count per member; which proposals hold it is read from the chain's events: VoteCast by the member
// and VoteCastByCover for them (a cover's For counts for the partner it covers), with ProposalCreated
// for each proposal's title, and the governor's state and proposalThresholds for whether it is over
// and moves funds. The withdrawal desk is then handed the finished ones to release.
import { type Address, getAbiItem } from "viem";
import { firmGovernorAbi } from "../../../contracts/abi.ts";
import { PROPOSAL_STATES, type ProposalStateName } from "../../../indexer/decode/enums.ts";
import type { ChainContext } from "./chain.ts";
import type { Output } from "./output.ts";
import { shortProposalId, titleOf } from "./proposals.ts";

/** A proposal the member's ballot stands For, and whether it holds their exit. */
export interface ForBallot {
  id: bigint;
  title: string | null;
  state: ProposalStateName;
  /** Moves treasury funds: a For ballot on it locks the member's exit while it is not over. */
  movesFunds: boolean;
  /** Executed, defeated, canceled or expired: its lock can be released. */
  over: boolean;
  /** Who cast the member's ballot: the member, or their cover. */
  castBy: Address;
}

const VOTE_CAST = getAbiItem({ abi: firmGovernorAbi, name: "VoteCast" });
const VOTE_CAST_BY_COVER = getAbiItem({ abi: firmGovernorAbi, name: "VoteCastByCover" });
const PROPOSAL_CREATED = getAbiItem({ abi: firmGovernorAbi, name: "ProposalCreated" });
/** Blocks per eth_getLogs: within common providers' limits. */
const SCAN_RANGE = 10_000n;
const FOR = 1;
const OVER: readonly ProposalStateName[] = ["Canceled", "Defeated", "Expired", "Executed"];

/** Every proposal on which `member`'s ballot was cast For, by them or by their cover, oldest first. */
export async function forBallotsOf(
  context: ChainContext,
  member: Address,
  out: Output,
): Promise<ForBallot[]> {
  const { publicClient, manifest } = context;
  const governor = manifest.contracts.governor;
  const head = await publicClient.getBlockNumber();
  const first = BigInt(manifest.startBlock);
  if (head - first > SCAN_RANGE) out.progress(`Reading your votes in blocks ${first} to ${head}…`);
  const castBy = new Map<bigint, Address>();
  const titles = new Map<bigint, string>();
  for (let from = first; from <= head; from += SCAN_RANGE) {
    const to = from + SCAN_RANGE - 1n < head ? from + SCAN_RANGE - 1n : head;
    const range = { address: governor, fromBlock: from, toBlock: to } as const;
    const [own, byCover, created] = await Promise.all([
      publicClient.getLogs({ ...range, event: VOTE_CAST, args: { voter: member } }),
      publicClient.getLogs({ ...range, event: VOTE_CAST_BY_COVER, args: { partner: member } }),
      publicClient.getLogs({ ...range, event: PROPOSAL_CREATED }),
    ]);
    for (const log of created) {
      const { proposalId, description } = log.args;
      if (proposalId !== undefined && description !== undefined) titles.set(proposalId, titleOf(description));
    }
    // VoteCast by the member may have cast only the ballot of a partner they cover: the governor
    // then skips the id for the member's own lock, so listing it costs nothing.
    for (const log of own)
      if (log.args.support === FOR && log.args.proposalId !== undefined)
        castBy.set(log.args.proposalId, member);
    for (const log of byCover)
      if (log.args.support === FOR && log.args.proposalId !== undefined && log.args.cover)
        castBy.set(log.args.proposalId, log.args.cover);
  }
  const ballots: ForBallot[] = [];
  for (const [id, by] of castBy) {
    const [state, thresholds] = await Promise.all([
      publicClient.readContract({
        address: governor,
        abi: firmGovernorAbi,
        functionName: "state",
        args: [id],
      }),
      publicClient.readContract({
        address: governor,
        abi: firmGovernorAbi,
        functionName: "proposalThresholds",
        args: [id],
      }),
    ]);
    const name = PROPOSAL_STATES[state] ?? "Pending";
    ballots.push({
      id,
      title: titles.get(id) ?? null,
      state: name,
      movesFunds: thresholds[3],
      over: OVER.includes(name),
      castBy: by,
    });
  }
  return ballots;
}

/** "12345678… (Queued) Distribute 2 ETH to equity holders", for a list of locks. */
export function describeBallot(ballot: ForBallot): string {
  return `${shortProposalId(ballot.id)} (${ballot.state})${ballot.title ? ` ${ballot.title}` : ""}`;
}

// Finding a proposal: its id from what the user typed (a full id, or a prefix the API resolves), and
// its calls (targets, values, calldatas, description) from its ProposalCreated event on the chain,
// which queue and execute must repeat exactly. The API only says which block to read: the chain is
// the source, and the id is recomputed from what was read, so a stale mirror cannot mislead a write.
// Also the description's `#proposer=` suffix, which `firm propose` adds and the read commands hide.
import {
  type Address,
  encodeAbiParameters,
  getAbiItem,
  getAddress,
  type Hex,
  isAddressEqual,
  keccak256,
  parseAbiParameters,
  toBytes,
} from "viem";
import { appendProposerSuffix } from "../../../api/web/public/proposalText.js";
import { firmGovernorAbi } from "../../../contracts/abi.ts";
import { UsageError } from "../errors.ts";
import { type ApiClient, isUnreachable } from "./api.ts";
import type { ChainContext } from "./chain.ts";
import type { Output } from "./output.ts";
import type { ProposalRef } from "./parse.ts";

export interface ProposalCalls {
  id: bigint;
  proposer: Address;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
  descriptionHash: Hex;
  voteStart: bigint;
  voteEnd: bigint;
  blockNumber: bigint;
}

/** How `firm proposals` shows an id: its first 10 digits, which `parseProposalRef` accepts back. */
export function shortProposalId(id: string | bigint): string {
  const text = id.toString();
  return text.length > 12 ? `${text.slice(0, 10)}…` : text;
}

/** The governor's proposal id: keccak256(abi.encode(targets, values, calldatas, descriptionHash)). */
export function hashProposal(
  targets: readonly Address[],
  values: readonly bigint[],
  calldatas: readonly Hex[],
  description: string,
): bigint {
  const encoded = encodeAbiParameters(parseAbiParameters("address[], uint256[], bytes[], bytes32"), [
    targets,
    values,
    calldatas,
    keccak256(toBytes(description)),
  ]);
  return BigInt(keccak256(encoded));
}

const PAGE = 100;
/** Enough pages for any firm's history; a prefix search past this says to give the full id. */
const MAX_PAGES = 50;

/** The full id of the proposal `ref` names; a prefix is looked up through the API. */
export async function resolveProposalId(ref: ProposalRef, api: ApiClient): Promise<bigint> {
  if (ref.kind === "id") return ref.id;
  const matches: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    let data: {
      proposals: {
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    try {
      data = await api.query(
        `query($first: Int, $after: String) { proposals(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { first: PAGE, after },
      );
    } catch (error) {
      if (isUnreachable(error)) {
        throw new UsageError(
          `"${ref.prefix}" is the start of a proposal id, and the API that resolves it is not reachable`,
          "Give the full id (decimal or 0x-hex), or start the API (`npm start` or `firm serve`).",
        );
      }
      throw error;
    }
    for (const { node } of data.proposals.edges) if (node.id.startsWith(ref.prefix)) matches.push(node.id);
    if (!data.proposals.pageInfo.hasNextPage) break;
    after = data.proposals.pageInfo.endCursor;
  }
  if (matches.length === 1) return BigInt(matches[0] as string);
  if (matches.length === 0) {
    throw new UsageError(
      `No proposal id starts with ${ref.prefix}`,
      "List them with `firm proposals`; a proposal made moments ago appears once the indexer has seen it.",
    );
  }
  throw new UsageError(
    `${matches.length} proposals start with ${ref.prefix}: ${matches.map(shortProposalId).join(", ")}`,
    "Give more digits of the id.",
  );
}

const PROPOSAL_CREATED = getAbiItem({ abi: firmGovernorAbi, name: "ProposalCreated" });
/** Blocks per eth_getLogs when scanning without a hint: within common providers' limits. */
const SCAN_RANGE = 10_000n;

/**
 * Reads proposal `id`'s calls from its ProposalCreated event. The API (if reachable) tells the
 * block; otherwise the chain is scanned backwards from the head to the deployment's first block.
 */
export async function readProposalCalls(
  context: ChainContext,
  api: ApiClient,
  out: Output,
  id: bigint,
): Promise<ProposalCalls> {
  const { publicClient, manifest } = context;
  const governor = manifest.contracts.governor;
  // Any trouble with the API (down, behind, not found) only means reading without the hint.
  const hinted = await api
    .query<{ proposal: { creation: { blockNumber: number } } }>(
      "query($id: String!) { proposal(id: $id) { creation { blockNumber } } }",
      { id: id.toString() },
    )
    .catch(() => null);
  const read = async (fromBlock: bigint, toBlock: bigint) => {
    const logs = await publicClient.getLogs({
      address: governor,
      event: PROPOSAL_CREATED,
      fromBlock,
      toBlock,
    });
    return logs.find((log) => log.args.proposalId === id);
  };
  let log = hinted
    ? await read(BigInt(hinted.proposal.creation.blockNumber), BigInt(hinted.proposal.creation.blockNumber))
    : undefined;
  if (!log) {
    const head = await publicClient.getBlockNumber();
    const first = BigInt(manifest.startBlock);
    if (head - first > SCAN_RANGE) out.progress(`Looking for the proposal in blocks ${first} to ${head}…`);
    for (let to = head; to >= first && !log; to -= SCAN_RANGE) {
      const from = to - SCAN_RANGE + 1n > first ? to - SCAN_RANGE + 1n : first;
      log = await read(from, to);
      if (from === first) break;
    }
  }
  if (!log) {
    throw new UsageError(
      `No proposal ${shortProposalId(id)} on chain ${context.chainId} (no ProposalCreated event for it)`,
      "List the proposals with `firm proposals`, and check DEPLOYMENT and RPC_URL.",
    );
  }
  const args = log.args as Required<typeof log.args>;
  const calls: ProposalCalls = {
    id,
    proposer: args.proposer,
    targets: [...args.targets],
    values: [...args.values],
    calldatas: [...args.calldatas],
    description: args.description,
    descriptionHash: keccak256(toBytes(args.description)),
    voteStart: args.voteStart,
    voteEnd: args.voteEnd,
    blockNumber: log.blockNumber,
  };
  if (hashProposal(calls.targets, calls.values, calls.calldatas, calls.description) !== id) {
    throw new UsageError(
      `The ProposalCreated event of ${shortProposalId(id)} does not hash to its id`,
      "Check RPC_URL: the node returned a wrong log.",
    );
  }
  return calls;
}

/** The first line of a description without a leading Markdown "#", as the API's title. */
export function titleOf(description: string): string {
  return stripProposerSuffix((description.split("\n", 1)[0] ?? "").replace(/^#+\s*/, "")).trim();
}

// OpenZeppelin's proposer suffix (CVE-2023-34234): FirmGovernor lets only the named address propose
// a description whose very last characters are "#proposer=0x" and 40 hex digits, in any case. Without
// it, anyone who sees the proposal in the mempool can propose it first under their own name (the
// same id) and cancel it while pending.
const PROPOSER_SUFFIX = /#proposer=(0x[0-9a-fA-F]{40})$/;
// Display also drops the whitespace around it, as the indexer's titles do.
const PROPOSER_SUFFIX_SHOWN = /\s*#proposer=0x[0-9a-fA-F]{40}\s*$/;

/** The address a description's proposer suffix names, if it ends with one the governor honours. */
export function proposerSuffixOf(description: string): Address | undefined {
  const named = PROPOSER_SUFFIX.exec(description)?.[1];
  return named ? getAddress(named.toLowerCase()) : undefined;
}

/** A description (or title) as people read it: without a trailing `#proposer=0x…`. */
export function stripProposerSuffix(description: string): string {
  return description.replace(PROPOSER_SUFFIX_SHOWN, "");
}

/**
 * `description` ending with `#proposer=<proposer>` exactly once: unchanged when it already ends with
 * that suffix, refused when its suffix names someone else (the governor would revert).
 */
export function withProposerSuffix(description: string, proposer: Address): string {
  const named = proposerSuffixOf(description);
  if (named) {
    if (!isAddressEqual(named, proposer)) throw foreignProposer("The description", named, proposer);
    return description;
  }
  return appendProposerSuffix(description, getAddress(proposer));
}

/**
 * What the user wrote for `option` (--title, --description), trimmed, without a trailing suffix that
 * names `proposer`: `firm propose` puts the suffix at the end of the whole description, where the
 * governor reads it, and the user's text is not at the end. A suffix naming anyone else is refused,
 * since its author meant the proposal for someone else to make.
 */
export function withoutOwnProposerSuffix(text: string, option: string, proposer: Address): string {
  const trimmed = text.trim();
  const named = proposerSuffixOf(trimmed);
  if (!named) return trimmed;
  if (!isAddressEqual(named, proposer)) throw foreignProposer(option, named, proposer);
  return stripProposerSuffix(trimmed);
}

function foreignProposer(what: string, named: Address, proposer: Address): UsageError {
  return new UsageError(
    `${what} ends with #proposer=${named}, but you are proposing as ${proposer}: only ${named} may propose it`,
    "Remove the #proposer= suffix (firm propose adds yours), or propose as that account with --as or --keystore.",
  );
}

// verifyMembership's chain reads. The eth_call, Practices.membership(slug, account) at a block, is kept
// per block: a block once mined never changes, so the same call at the same block is the same answer,
// and a client re-checking (a page polling, a door scanning a queue) costs the chain one call per
// block. The latest block, which every check reads first, is shared by the checks that arrive
// together, as long as its read started after each of them arrived (readAfterAsking.ts): no check is
// answered at a block older than the head when it asked.
import { LRUCache } from "lru-cache";
import type { Address, Hex, PublicClient } from "viem";
import { practicesAbi } from "../contracts/abi.ts";
import { readAfterAsking } from "./readAfterAsking.ts";

/** The latest block as a check needs it. */
export interface LatestBlock {
  number: bigint;
  hash: Hex;
  timestamp: bigint;
}

type Membership = Awaited<ReturnType<typeof readMembership>>;

/** Answers kept, across blocks, least recently used dropped first. */
export const MEMBERSHIP_ANSWERS = 10_000;

export interface MembershipReads {
  /** The chain's latest block, read after this call was made (shared with concurrent callers). */
  latest(client: PublicClient): Promise<LatestBlock>;
  /** Practices.membership at `blockNumber`: from memory when this block was asked already. */
  at(
    client: PublicClient,
    practices: Address,
    slug: string,
    account: string,
    blockNumber: bigint,
  ): Promise<Membership>;
}

/**
 * Creates the app's store of answers: 10,000, one for each technician of a 10,000-member firm checked
 * within the same block, so a busy door or directory page reaches the chain once per account and
 * block rather than once per check.
 *
 * @example
 * const reads = createMembershipReads();
 * await reads.at(publicClient, manifest.contracts.practices, "cloud", account, block.number);
 */
export function createMembershipReads(): MembershipReads {
  const answers = new LRUCache<string, Promise<Membership>>({ max: MEMBERSHIP_ANSWERS });
  const latestReaders = new WeakMap<PublicClient, () => Promise<LatestBlock>>();
  return {
    latest(client) {
      let read = latestReaders.get(client);
      if (!read) {
        read = readAfterAsking(async () => {
          const block = await client.getBlock({ blockTag: "latest" });
          return { number: block.number, hash: block.hash, timestamp: block.timestamp };
        });
        latestReaders.set(client, read);
      }
      return read();
    },
    at(client, practices, slug, account, blockNumber) {
      const key = `${blockNumber}:${slug}:${account.toLowerCase()}`;
      let answer = answers.get(key);
      if (!answer) {
        answer = readMembership(client, practices, slug, account, blockNumber);
        answers.set(key, answer);
        // A failed read is not an answer: the next request asks again.
        answer.catch(() => answers.delete(key));
      }
      return answer;
    },
  };
}

function readMembership(
  client: PublicClient,
  practices: Address,
  slug: string,
  account: string,
  blockNumber: bigint,
) {
  return client.readContract({
    address: practices,
    abi: practicesAbi,
    functionName: "membership",
    args: [slug, account as Hex],
    blockNumber,
  });
}

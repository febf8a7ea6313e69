// verifyMembership's eth_call, Practices.membership(slug, account) at a block, kept per block: a block
// once mined never changes, so the same call at the same block is the same answer, and a client
// re-checking (a page polling, a door scanning a queue) costs the chain one call per block.
import { LRUCache } from "lru-cache";
import type { Address, Hex, PublicClient } from "viem";
import { practicesAbi } from "../contracts/abi.ts";

type Membership = Awaited<ReturnType<typeof readMembership>>;

export interface MembershipReads {
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
 * Creates the app's store of answers: 1000, many more than the accounts checked within a few blocks.
 *
 * @example
 * const reads = createMembershipReads();
 * await reads.at(publicClient, manifest.contracts.practices, "cloud", account, block.number);
 */
export function createMembershipReads(): MembershipReads {
  const answers = new LRUCache<string, Promise<Membership>>({ max: 1000 });
  return {
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

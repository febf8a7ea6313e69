// Random firm transactions for the reorg property: each kind picks, from the chain's current state, a
// call that should succeed, and falls back to an admission (always valid) when it finds none. Blocks
// are mined with evm_mine (true parent hashes), never hardhat_mine.
import fc from "fast-check";
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  toBytes,
  zeroAddress,
} from "viem";
import type { Firm } from "../../../scripts/devFirm/deployFirm.ts";
import { PracticeRole, Role } from "../../../scripts/devFirm/enums.ts";

export type FirmTx =
  /** The timelock admits a new associate with a grant that vests in one second. */
  | { kind: "admit"; units: number }
  /** The timelock grants a founder units that vest in one second. */
  | { kind: "grant"; to: number; units: number }
  /** Anyone releases a grant with something releasable (the `pick`-th from the first). */
  | { kind: "release"; pick: number }
  /** A founder proposes (a grant to another founder). */
  | { kind: "propose"; by: number; units: number }
  /** A founder votes on an active proposal they have not voted on (the `pick`-th from the newest). */
  | { kind: "vote"; by: number; support: number; pick: number }
  /** A founder declares a leave with a cover, or ends the leave they are on. */
  | { kind: "leave"; by: number; cover: number }
  /** The timelock creates a practice led by a founder. */
  | { kind: "practice"; lead: number }
  /** The timelock seats a founder in a practice (the `pick`-th from the newest), or makes them its lead. */
  | { kind: "seat"; who: number; pick: number; lead: boolean }
  /** The timelock distributes ETH to the equity holders. */
  | { kind: "distribute"; milliEther: number }
  /** A founder claims a distribution (the `pick`-th from the newest). */
  | { kind: "claim"; by: number; pick: number }
  /** The timelock changes the voting period or the claim window. */
  | { kind: "setting"; which: "votingPeriod" | "claimWindow"; days: number };

export const firmTxArbitrary: fc.Arbitrary<FirmTx> = fc.oneof(
  fc.record({ kind: fc.constant("admit" as const), units: fc.integer({ min: 1, max: 50 }) }),
  fc.record({
    kind: fc.constant("grant" as const),
    to: fc.nat({ max: 4 }),
    units: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({ kind: fc.constant("release" as const), pick: fc.nat({ max: 20 }) }),
  fc.record({
    kind: fc.constant("propose" as const),
    by: fc.nat({ max: 4 }),
    units: fc.integer({ min: 1, max: 1_000 }),
  }),
  fc.record({
    kind: fc.constant("vote" as const),
    by: fc.nat({ max: 4 }),
    support: fc.nat({ max: 2 }),
    pick: fc.nat({ max: 20 }),
  }),
  fc.record({ kind: fc.constant("leave" as const), by: fc.nat({ max: 4 }), cover: fc.nat({ max: 4 }) }),
  fc.record({ kind: fc.constant("practice" as const), lead: fc.nat({ max: 4 }) }),
  fc.record({
    kind: fc.constant("seat" as const),
    who: fc.nat({ max: 4 }),
    pick: fc.nat({ max: 5 }),
    lead: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("distribute" as const), milliEther: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant("claim" as const), by: fc.nat({ max: 4 }), pick: fc.nat({ max: 5 }) }),
  fc.record({
    kind: fc.constant("setting" as const),
    which: fc.constantFrom("votingPeriod" as const, "claimWindow" as const),
    days: fc.integer({ min: 2, max: 30 }),
  }),
);

/** The `pick`-th of `items` counting from the newest (last): pick 0 is the newest. */
function newest<T>(items: readonly T[], pick: number): T {
  return items[items.length - 1 - (pick % items.length)]!;
}

export interface FirmDriver {
  /** Sends `txs` and mines them in ONE new block with evm_mine; returns the block number. */
  mineBlock(txs: readonly FirmTx[]): Promise<bigint>;
  /** Mines an empty block with evm_mine. */
  mineEmpty(): Promise<bigint>;
  /** Proposal ids ever proposed (some may be gone after a reorg). */
  readonly proposalIds: readonly bigint[];
}

/**
 * Drives random firm transactions on `firm`, acting as the timelock (impersonated by the caller
 * beforehand) for governance-only calls.
 */
export function firmDriver(firm: Firm, timelock: Address): FirmDriver {
  const provider = firm.connection.provider;
  const founders = firm.founders.map((f) => getAddress(f));
  const proposalIds: bigint[] = [];
  // Never reused, even across reverts: every admission and proposal is new.
  let counter = 0;
  const { partnership, governor, practices, revenueShare } = firm;
  const slugs: string[] = [];

  const head = async () => BigInt((await provider.request({ method: "eth_blockNumber" })) as Hex);

  async function admit(units: number): Promise<Hex> {
    const account = getAddress(`0x${(0xbeef0000_0000n + BigInt(++counter)).toString(16).padStart(40, "0")}`);
    return partnership.write.admit(
      [
        account,
        Role.Associate,
        "",
        PracticeRole.None,
        { units: BigInt(units), start: 0, cliff: 0, duration: 1 },
      ],
      { account: timelock },
    );
  }

  async function releasableGrants(): Promise<bigint[]> {
    const [, grantCount] = await partnership.read.counts();
    const ids = Array.from({ length: Number(grantCount) }, (_, i) => BigInt(i + 1));
    const amounts = await Promise.all(ids.map((id) => partnership.read.releasable([id])));
    return ids.filter((_, i) => (amounts[i] ?? 0n) > 0n);
  }

  /** Practices created by this driver that the chain (after any reorg) still has. */
  async function existingPractices(): Promise<string[]> {
    const records = await Promise.all(slugs.map((slug) => practices.read.practice([slug])));
    return slugs.filter((_, i) => (records[i]?.[3] ?? 0) !== 0);
  }

  async function activeProposals(voter: Address): Promise<bigint[]> {
    const open: bigint[] = [];
    for (const id of proposalIds) {
      try {
        if ((await governor.read.state([id])) === 1 && !(await governor.read.hasVoted([id, voter])))
          open.push(id);
      } catch {
        // Reorged away: the governor does not know it.
      }
    }
    return open;
  }

  /** Sends one transaction (gas estimated on the pending block, so a call that would revert is not sent). */
  async function send(tx: FirmTx): Promise<Hex> {
    switch (tx.kind) {
      case "admit":
        return admit(tx.units);
      case "grant":
        return partnership.write.createGrant(
          [founders[tx.to]!, { units: BigInt(tx.units), start: 0, cliff: 0, duration: 1 }],
          { account: timelock },
        );
      case "release": {
        const ids = await releasableGrants();
        if (ids.length === 0) return admit(1);
        return partnership.write.release([ids[tx.pick % ids.length]!], { account: founders[0]! });
      }
      case "propose": {
        const to = founders[(tx.by + 1) % founders.length]!;
        const description = `Grant ${tx.units} units (#${++counter})`;
        const call = {
          abi: partnership.abi,
          functionName: "createGrant" as const,
          args: [to, { units: BigInt(tx.units), start: 0, cliff: 0, duration: 1 }] as const,
        };
        const data = encodeFunctionData(call);
        const id = await governor.read.hashProposal([
          [partnership.address],
          [0n],
          [data],
          keccak256(toBytes(description)),
        ]);
        const hash = await governor.write.propose([[partnership.address], [0n], [data], description], {
          account: founders[tx.by]!,
        });
        proposalIds.push(id);
        return hash;
      }
      case "vote": {
        const voter = founders[tx.by]!;
        const open = await activeProposals(voter);
        if (open.length === 0) return admit(2);
        return governor.write.castVote([newest(open, tx.pick), tx.support], { account: voter });
      }
      case "leave": {
        const partner = founders[tx.by]!;
        const [, status] = await partnership.read.memberOf([partner]);
        if (status === 2) {
          // On leave: the colleague asked accepts first (the cover then holds the ballot), and the
          // next time the leave ends early, ending the cover with it.
          const [cover, , , , coverFrom] = await partnership.read.leaveOf([partner]);
          if (coverFrom === 0 && cover !== zeroAddress) {
            return partnership.write.acceptCover([partner], { account: cover });
          }
          return partnership.write.endLeave({ account: partner });
        }
        const block = await firm.publicClient.getBlock();
        const cover = founders[tx.cover === tx.by ? (tx.by + 1) % founders.length : tx.cover]!;
        return partnership.write.declareLeave([Number(block.timestamp) + 10 * 86_400, cover], {
          account: partner,
        });
      }
      case "practice": {
        const slug = `practice-${++counter}`;
        const hash = await practices.write.createPractice([slug, `Practice ${counter}`, founders[tx.lead]!], {
          account: timelock,
        });
        slugs.push(slug);
        return hash;
      }
      case "seat": {
        const existing = await existingPractices();
        if (existing.length === 0) return admit(5);
        const slug = newest(existing, tx.pick);
        const who = founders[tx.who]!;
        return tx.lead
          ? practices.write.changePracticeLead([slug, who], { account: timelock })
          : practices.write.setPracticeMember([slug, who, PracticeRole.Member], { account: timelock });
      }
      case "distribute": {
        const amount = BigInt(tx.milliEther) * 10n ** 15n;
        return revenueShare.write.createDistribution([zeroAddress, amount], {
          account: timelock,
          value: amount,
        });
      }
      case "claim": {
        const count = await revenueShare.read.distributionCount();
        if (count === 0n) return admit(6);
        return revenueShare.write.claim([count - (BigInt(tx.pick) % count)], { account: founders[tx.by]! });
      }
      case "setting":
        return tx.which === "votingPeriod"
          ? governor.write.setVotingPeriod([tx.days * 86_400], { account: timelock })
          : revenueShare.write.setClaimWindow([tx.days * 86_400], { account: timelock });
    }
  }

  async function inOneBlock(work: () => Promise<void>): Promise<bigint> {
    await provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      await work();
      await provider.request({ method: "evm_mine", params: [] });
    } finally {
      await provider.request({ method: "evm_setAutomine", params: [true] });
    }
    return head();
  }

  return {
    proposalIds,
    mineBlock: (txs) =>
      inOneBlock(async () => {
        for (const tx of txs) {
          try {
            await send(tx);
          } catch (error) {
            // Would revert in the pending block (e.g. a cover that already covers): admit instead.
            if (process.env.REORG_TRACE)
              console.log(`[driver] ${tx.kind} fell back:`, (error as Error).message.split("\n")[0]);
            await admit(3);
          }
        }
      }),
    mineEmpty: () => inOneBlock(async () => {}),
  };
}

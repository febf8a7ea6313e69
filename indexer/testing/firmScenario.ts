// A firm's life on the in-process Hardhat chain, through real governance: admissions with grants, a
// practice, a leave whose cover accepted and cast its ballot, releases, a revocation, a retirement
// (an expulsion by supermajority) with a successor and a buy-back, an ETH distribution with claims and
// a reclaim, parameter changes (new proposal rules), a canceled, a defeated and an expired proposal;
// then a constitutional change (leave rules, expulsion quorum, a practice, a listed treasury token),
// a cover that accepts and steps down, the expulsion of a practice's lead (the practice is left
// without one), the expelled partner's withdrawal (rage-quit, after releasing their exit locks) with
// a credit in ETH and in a token and a claim, and an active proposal. Members publish directory
// profiles (one left behind by a retirement, one cleared) and a partner mentors the associate. The mirror's end-to-end, audit,
// API and rollback tests replay its logs. Not a test file.
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, type PublicClient, parseEther, zeroAddress } from "viem";
import type { Manifest } from "../../contracts/manifest.ts";
import { createLogger } from "../../kernel/logger.ts";
import { action } from "../../scripts/devFirm/action.ts";
import { confirmTransaction } from "../../scripts/devFirm/confirmTransaction.ts";
import { deployFirm } from "../../scripts/devFirm/deployFirm.ts";
import { PracticeRole, Role, Support, WorkMode } from "../../scripts/devFirm/enums.ts";
import type { Proposal } from "../../scripts/devFirm/governance.ts";
import { DAY, YEAR } from "../../scripts/devFirm/time.ts";
import { monthOf } from "../handlers/books.ts";
import type { BlockRange, BlockRef, RawLog } from "../store/types.ts";
import { createEnrichRange } from "../sync/enrichRange.ts";

/** Long enough that a proposal can be canceled while still pending, whatever the block timestamps. */
const VOTING_DELAY = 3_600;

/** What the scenario did, for the tests' assertions. */
export interface FirmScenario {
  manifest: Manifest;
  publicClient: PublicClient;
  founders: Address[];
  /** a1: an associate admitted with a vesting grant (later revoked); a2: a partner admitted directly. */
  associate: Address;
  newPartner: Address;
  /** The ERC-20 the treasury holds and governance listed for withdrawals (lowercase). */
  token: Address;
  proposals: Record<
    | "practice"
    | "admissions"
    | "coverVote"
    | "revoke"
    | "retire"
    | "distribution"
    | "settings"
    | "canceled"
    | "defeated"
    | "expired"
    | "rules"
    | "expulsion"
    | "booksSetup"
    | "booksClose"
    | "active",
    Proposal
  >;
  /**
   * The directory: p4 on site near Montreal (BOTH), p1 on site there too but retired (profile never
   * cleared), the associate remote only (mentored by a2), p3's profile cleared.
   */
  directory: Record<"onSite" | "departed" | "remote" | "cleared" | "mentor", Address>;
  /** The books: who paid the invoices, who was paid, and the month closed (yyyymm). */
  books: { client: Address; vendor: Address; month: number };
  /** The block whose state the partial tests stop at: after the cover vote, before the revocation. */
  midBlock: bigint;
  lastBlock: bigint;
}

function startOfNextMonth(unixSeconds: number): number {
  const date = new Date(unixSeconds * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
}

/** Runs the scenario on `connection` and returns what the tests need to check the mirror. */
export async function runFirmScenario(connection: NetworkConnection): Promise<FirmScenario> {
  const firm = await deployFirm(connection, { parameters: { votingDelay: VOTING_DELAY } });
  const {
    governance,
    partnership,
    practices,
    revenueShare,
    governor,
    timelock,
    withdrawals,
    directory,
    networkHelpers,
  } = firm;
  const publicClient = firm.publicClient as unknown as PublicClient;
  const [p1, p2, p3, p4, p5] = firm.founders as [Address, Address, Address, Address, Address];
  const associate = firm.wallets[6]?.account.address as Address;
  const newPartner = firm.wallets[7]?.account.address as Address;
  const send = (hash: Promise<Hex>) => confirmTransaction(publicClient, hash);

  // The treasury's ETH: a plain transfer, which the timelock records with no event.
  await send(firm.deployer.sendTransaction({ to: timelock.address, value: parseEther("5") }));

  const practice = await governance.pass(
    [action(practices, "createPractice", ["cloud", "Cloud Services", p1])],
    "# Create the cloud practice\n\nManaged cloud services, led by p1.",
    [p1, p2, p3],
  );
  const admissions = await governance.pass(
    [
      action(partnership, "admit", [
        associate,
        Role.Associate,
        "cloud",
        PracticeRole.Member,
        { units: 1_000n, start: 0, cliff: YEAR, duration: 4 * YEAR },
      ]),
      action(partnership, "admit", [
        newPartner,
        Role.Partner,
        "",
        PracticeRole.None,
        { units: 500n, start: 0, cliff: 0, duration: 2 * YEAR },
      ]),
    ],
    "Admit two members",
    [p1, p2, p3],
  );
  // Founders' grants (ids 1-5) vested at once; releasing mints their balances.
  for (const grantId of [1n, 2n, 3n, 4n, 5n])
    await send(partnership.write.release([grantId], { account: p1 }));

  // p2 goes on leave asking p3 to cover, p3 accepts; p3's one call casts both ballots on the next
  // proposal. A majority of all six partners (four heads) votes For.
  const leaveUntil = (await networkHelpers.time.latest()) + 30 * DAY;
  await send(partnership.write.declareLeave([leaveUntil, p3], { account: p2 }));
  await send(partnership.write.acceptCover([p2], { account: p3 }));
  const coverVote = await governance.propose(
    [action(partnership, "createGrant", [p4, { units: 200n, start: 0, cliff: 0, duration: YEAR }])],
    "Grant p4 200 units",
    p1,
  );
  await governance.startVoting();
  await governance.vote(coverVote, [p1, p3, p4]);
  await governance.endVoting();
  await governance.queue(coverVote);
  await governance.passTimelock();
  await governance.execute(coverVote);
  await send(partnership.write.endLeave({ account: p2 }));
  const midBlock = await publicClient.getBlockNumber();

  // The talent directory: p1 (who retires below, leaving a live profile and a cloud seat behind) and
  // p4 work on site around Montreal, the associate remotely; p3 publishes a profile and clears it. a2
  // and p2 offer to mentor the associate; p2 withdraws, the associate accepts a2.
  type ProfileFields = Parameters<typeof directory.write.setProfile>[0][0];
  const profile = (fields: Partial<ProfileFields>): ProfileFields => ({
    displayName: "",
    skills: [],
    workMode: WorkMode.OnSite,
    region: "",
    city: "",
    hasCoordinates: false,
    latitudeE2: 0,
    longitudeE2: 0,
    radiusKm: 0,
    contactUrl: "",
    ...fields,
  });
  const onSite = { workMode: WorkMode.OnSite, region: "CA-QC", hasCoordinates: true } as const;
  await send(
    directory.write.setProfile(
      [
        profile({
          ...onSite,
          displayName: "Pat One",
          skills: ["azure", "m365"],
          city: "Montreal",
          latitudeE2: 4550,
          longitudeE2: -7357,
          radiusKm: 50,
          contactUrl: "https://p1.example.com/contact",
        }),
      ],
      { account: p1 },
    ),
  );
  await send(
    directory.write.setProfile(
      [
        profile({
          ...onSite,
          workMode: WorkMode.Both,
          displayName: "Dana Four",
          skills: ["azure", "backup"],
          city: "Laval",
          latitudeE2: 4557,
          longitudeE2: -7375,
          radiusKm: 30,
          contactUrl: "https://p4.example.com",
        }),
      ],
      { account: p4 },
    ),
  );
  await send(
    directory.write.setProfile(
      [profile({ workMode: WorkMode.Remote, displayName: "Alex Associate", skills: ["m365", "c#"] })],
      { account: associate },
    ),
  );
  await send(
    directory.write.setProfile([profile({ displayName: "Sam Three", region: "CA-ON" })], { account: p3 }),
  );
  await send(directory.write.clearProfile({ account: p3 }));
  await send(directory.write.offerMentorship([associate], { account: newPartner }));
  await send(directory.write.offerMentorship([associate], { account: p2 }));
  await send(directory.write.withdrawMentorshipOffer([associate], { account: p2 }));
  await send(directory.write.acceptMentorship([newPartner], { account: associate }));

  // Past the associate's cliff: a partial release, then the grant is revoked (the rest is forfeited).
  await networkHelpers.time.increase(400 * DAY);
  await send(partnership.write.release([6n], { account: associate }));
  const revoke = await governance.pass([action(partnership, "revokeGrant", [6n])], "Revoke grant 6", [
    p1,
    p2,
    p3,
    p4,
  ]);

  // Retiring a partner expels them: three quarters of the other five partners vote For.
  const retire = await governance.pass(
    [action(partnership, "retire", [p1, p4, zeroAddress, parseEther("1")], parseEther("1"))],
    "Retire p1; p4 takes over the cloud practice",
    [p2, p3, p4, p5],
  );
  await send(partnership.write.withdrawBuyback([zeroAddress], { account: p1 }));

  const distribution = await governance.pass(
    [action(revenueShare, "createDistribution", [zeroAddress, parseEther("2")], parseEther("2"))],
    "Distribute 2 ETH of Q3 revenue",
    [p2, p3, p4],
  );
  await send(revenueShare.write.claim([1n], { account: p2 }));
  await send(revenueShare.write.claim([1n], { account: p3 }));

  const settings = await governance.pass(
    [action(governor, "setQuorum", [3_000, 5_000]), action(timelock, "updateDelay", [BigInt(DAY)])],
    "Tune governance",
    [p2, p3, p4],
  );

  const canceled = await governance.propose(
    [action(practices, "sunsetPractice", ["cloud"])],
    "Sunset cloud",
    p2,
  );
  const { targets, values, calldatas, descriptionHash } = canceled;
  await send(governor.write.cancel([targets, values, calldatas, descriptionHash], { account: p2 }));

  const defeated = await governance.propose(
    [action(practices, "changePracticeLead", ["cloud", p3])],
    "Make p3 lead of cloud",
    p2,
  );
  // Passed but never queued: it expires its own grace period (14 days) after the deadline.
  const expired = await governance.propose(
    [action(practices, "setPracticeMember", ["cloud", newPartner, PracticeRole.Technician])],
    "Seat a2 in cloud",
    p4,
  );
  await governance.startVoting();
  await governance.vote(defeated, [p2, p3, p4], Support.Against);
  await governance.vote(expired, [p2, p3, p4]);
  await governance.endVoting();

  // The claim window (30 days) closes: what p4, a1 and a2 did not claim returns to the treasury.
  await networkHelpers.time.increase(31 * DAY);
  await send(revenueShare.write.reclaim([1n], { account: p2 }));

  // The treasury also holds a stablecoin (a transfer the firm's contracts do not see).
  const usd = await firm.viem.deployContract("TestStablecoin");
  await send(usd.write.mint([timelock.address, 1_000_000_000n]));

  // A constitutional change (the expulsion quorum) needs the supermajority, whatever it bundles:
  // longer leaves further apart, expulsions by 80% of equity and 70% of heads, a practice led by p5,
  // and the stablecoin listed so that withdrawals pay a share of it (which moves funds).
  const rules = await governance.pass(
    [
      action(partnership, "setLeaveRules", [2 * DAY, 10 * DAY]),
      action(governor, "setExpulsionQuorum", [8_000, 7_000]),
      action(practices, "createPractice", ["security", "Security", p5]),
      action(withdrawals, "setTreasuryToken", [usd.address, true]),
    ],
    "Constitution: leave rules, expulsion quorum, security practice, treasury token",
    [p2, p3, p4, p5],
  );

  // p3 goes on leave asking p4 to cover; p4 accepts, casts both ballots on the expulsion, then steps
  // down while the leave goes on.
  const coverUntil = (await networkHelpers.time.latest()) + 2 * DAY + 3_600;
  await send(partnership.write.declareLeave([coverUntil, p4], { account: p3 }));
  await send(partnership.write.acceptCover([p3], { account: p4 }));
  // Removing p5 expels them: alone in its proposal, p5 recused, 80% of the other partners' equity
  // and 70% of their heads (the new rule) vote For. Security is left without a lead.
  const expulsion = await governance.propose([action(partnership, "remove", [p5])], "Remove p5", p2);
  await governance.startVoting();
  await governance.vote(expulsion, [p2, p4]);
  await send(partnership.write.resignCover({ account: p4 }));
  await governance.endVoting();
  await governance.queue(expulsion);
  await governance.passTimelock();
  await governance.execute(expulsion);

  // p5 cashes out the units they kept: their For votes on fund-moving proposals are over (executed),
  // so the exit locks are released and they withdraw a share of the ETH and of the stablecoin; they
  // claim the ETH and leave the stablecoin owed.
  await send(withdrawals.write.ragequit([[retire.id, rules.id]], { account: p5 }));
  await send(withdrawals.write.claim([zeroAddress], { account: p5 }));

  // The books: governance allows the stablecoin and gives the firm a monthly budget p2 may spend; a
  // client pays two invoices of cloud (one reference repeated), someone sends the books an untagged
  // transfer that is swept as unattributed; p2 pays a vendor from the budget. Once the month is over,
  // one proposal closes it (the lockstep share goes to a RevenueShare distribution) and pays a fee by
  // proposal; the associate's share of the cloud pool is claimed for them.
  const { books } = firm;
  const client = firm.wallets[8]?.account.address as Address;
  const vendor = firm.wallets[9]?.account.address as Address;
  const booksSetup = await governance.pass(
    [
      action(books, "allowToken", [usd.address, true]),
      action(books, "setBudget", ["", usd.address, 1_000_000_000n, 0, true, [p2]]),
    ],
    "Books: allow USDC, a firm budget of 1,000 USDC a month spent by p2",
    [p2, p4, newPartner],
  );
  await send(usd.write.mint([client, 10_000_000_000n]));
  await send(usd.write.approve([books.address, 10_000_000_000n], { account: client }));
  await send(
    books.write.depositToken([usd.address, 5_000_000_000n, "cloud", "INV-1001"], { account: client }),
  );
  await send(books.write.depositToken([usd.address, 250_000_000n, "cloud", "INV-1001"], { account: client }));
  await send(usd.write.transfer([books.address, 40_000_000n], { account: client }));
  await send(books.write.sweep([usd.address]));
  await send(books.write.pay(["", vendor, 300_000_000n, "B-1", 'Licences, "pro" plan'], { account: p2 }));
  const booksMonth = monthOf(await networkHelpers.time.latest());
  await networkHelpers.time.increaseTo(startOfNextMonth(await networkHelpers.time.latest()) + 60);
  // The next month's first invoice: the close distributes all of last month, this pays the fee.
  await send(books.write.depositToken([usd.address, 100_000_000n, "", "INV-1003"], { account: client }));
  const [, , lockstep] = await books.read.previewClose([booksMonth, usd.address]);
  const booksClose = await governance.pass(
    [
      action(books, "closePeriod", [booksMonth, usd.address, lockstep]),
      action(usd, "approve", [revenueShare.address, lockstep]),
      action(revenueShare, "createDistribution", [usd.address, lockstep]),
      action(books, "payByProposal", ["", usd.address, vendor, 20_000_000n, "AUD-7", "Audit fee"]),
    ],
    "Close the books' month in USDC; pay the audit fee",
    [p2, p4, newPartner],
  );
  await send(books.write.claimPoolFor([1n, associate], { account: p2 }));

  const active = await governance.propose(
    [action(governor, "setVotingPeriod", [5 * DAY])],
    "Longer votes",
    p3,
  );
  await governance.startVoting();
  await governance.vote(active, [p3]);

  return {
    manifest: firm.manifest,
    publicClient,
    founders: firm.founders,
    associate: associate.toLowerCase() as Address,
    newPartner: newPartner.toLowerCase() as Address,
    token: usd.address.toLowerCase() as Address,
    proposals: {
      practice,
      admissions,
      coverVote,
      revoke,
      retire,
      distribution,
      settings,
      canceled,
      defeated,
      expired,
      rules,
      expulsion,
      booksSetup,
      booksClose,
      active,
    },
    books: {
      client: client.toLowerCase() as Address,
      vendor: vendor.toLowerCase() as Address,
      month: booksMonth,
    },
    directory: {
      onSite: p4.toLowerCase() as Address,
      departed: p1.toLowerCase() as Address,
      remote: associate.toLowerCase() as Address,
      cleared: p3.toLowerCase() as Address,
      mentor: newPartner.toLowerCase() as Address,
    },
    midBlock,
    lastBlock: await publicClient.getBlockNumber(),
  };
}

/**
 * The firm's logs and headers from `fromBlock` to `toBlock`, as a sync engine would hand them over: one
 * eth_getLogs over every firm address, and the header of each block with logs and of the last block.
 */
export async function readBlockRange(
  publicClient: PublicClient,
  manifest: Manifest,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<BlockRange> {
  const logs = await publicClient.getLogs({ address: Object.values(manifest.contracts), fromBlock, toBlock });
  const numbers = [...new Set([...logs.map((l) => l.blockNumber as bigint), toBlock])];
  const headers = await Promise.all(numbers.map((blockNumber) => readHeader(publicClient, blockNumber)));
  const rawLogs: RawLog[] = logs.map((log) => ({
    address: log.address,
    blockNumber: log.blockNumber as bigint,
    blockHash: log.blockHash as Hex,
    transactionHash: log.transactionHash as Hex,
    transactionIndex: log.transactionIndex as number,
    logIndex: log.logIndex as number,
    topics: log.topics,
    data: log.data,
  }));
  const last = headers.find((h) => h.number === toBlock) as BlockRef;
  // The indexer's own enrich step, so the mirror holds what a running indexer would (token metadata).
  const enrich = createEnrichRange({
    call: async (to, data, blockNumber) => (await publicClient.call({ to, data, blockNumber })).data ?? "0x",
    books: manifest.contracts.books,
    logger: createLogger({ level: "silent" }),
  });
  return enrich({ fromBlock, toBlock: last, blocks: headers, logs: rawLogs });
}

async function readHeader(publicClient: PublicClient, blockNumber: bigint): Promise<BlockRef> {
  const block = await publicClient.getBlock({ blockNumber });
  return { number: block.number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp };
}

/** Splits `[from, to]` into `parts` contiguous ranges of about equal block counts. */
export function splitBlocks(from: bigint, to: bigint, parts: number): [bigint, bigint][] {
  const size = (to - from + 1n + BigInt(parts) - 1n) / BigInt(parts);
  const ranges: [bigint, bigint][] = [];
  for (let start = from; start <= to; start += size) {
    const end = start + size - 1n;
    ranges.push([start, end < to ? end : to]);
  }
  return ranges;
}

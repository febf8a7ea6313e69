// The demo firm `npm start` shows: deployed with the Ignition module on the dev chain, then given a
// life through real governance proposals only (no impersonation, no back door). The same accounts and
// the same story on every start:
//
//   #1–#5  founding partners; #1, #2, #3 lead accounting, cloud and phones; #4 is on leave, covered by #5
//          (#4 asked, #5 accepted: a cover holds a ballot only once they accept)
//   #6     associate in cloud, grant started 14 months ago (past its 1-year cliff, partly released)
//   #7     associate, technician in phones, grant started at admission (cliff still ahead)
//   #8     affiliate, technician in accounting
//
// Directory: public profiles for #1 (Montréal), #2 (Laval), #3 (Toronto) and #6 (Montréal), with
// coordinates, and a remote-only one for #8 (no region, no coordinates); #3 mentors #7 (offered and
// accepted).
//
// Proposals: the three practices (executed), the admission of #6–#8 (executed), a 2 ETH distribution
// (executed, then claimed by #1, #2 and #6), and an open one creating the Cybersecurity practice.
// With { books: true } (npm start's stack, seedDemoBooks.ts): tUSD allowed on the books with a cloud
// budget and the firm's shared-costs budget (one proposal), two months of invoices and payments, and the
// first month closed into practice pools and a lockstep distribution (a second proposal).
// A proposal passes only with For from a majority of ALL partners, by equity and by headcount, so
// every founder votes For on the executed ones. An expulsion (remove, forced retirement) would have
// to be a proposal of its own with a supermajority; the demo has none.
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, getAddress, type Hex, parseEther, zeroAddress } from "viem";
import type { Manifest } from "../../contracts/manifest.ts";
import { action } from "../devFirm/action.ts";
import { confirmTransaction } from "../devFirm/confirmTransaction.ts";
import { deployFirm, type Firm } from "../devFirm/deployFirm.ts";
import { PracticeRole, Role, Support, WorkMode } from "../devFirm/enums.ts";
import type { Proposal } from "../devFirm/governance.ts";
import type { ProfileFields } from "../devFirm/profiles.ts";
import { DAY, YEAR } from "../devFirm/time.ts";
import { type DemoBooks, seedDemoBooks } from "./seedDemoBooks.ts";

/** Governance with a realistic shape, short enough to walk through with `firm dev advance`. */
export const DEV_PARAMETERS = {
  votingDelay: 60 * 60,
  votingPeriod: 3 * DAY,
  gracePeriod: 14 * DAY,
  equityQuorumBps: 4_000,
  headcountQuorumBps: 5_000,
  timelockDelay: DAY,
  claimWindow: 90 * DAY,
};

/** The dev chain's accounts: Hardhat's well-known mnemonic, whose keys are public (dev only). */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export const DEMO_PRACTICES = [
  { slug: "accounting", name: "Sage & Intuit Accounting" },
  { slug: "cloud", name: "Cloud Services" },
  { slug: "phones", name: "Phone Systems" },
] as const;

/** The practice the open proposal would create. */
export const OPEN_PROPOSAL_PRACTICE = { slug: "security", name: "Cybersecurity" } as const;

const FOUNDER_UNITS = 1_000n;
const ASSOCIATE_UNITS = 1_000n;
/** The first associate's grant began this long before admission: 14 months, past a 1-year cliff. */
const BACKDATED_START = YEAR + 61 * DAY;
/** Well above the governance minimum leave (1 day by default). */
const LEAVE_LENGTH = 60 * DAY;
const REVENUE = parseEther("10");
const DISTRIBUTED = parseEther("2");

/**
 * The directory's demo profiles, by account index: three cities with coordinates rounded to 0.01°
 * (Montréal, Laval, Toronto) and a remote-only affiliate. Example URLs only.
 */
export const DEMO_PROFILES: Record<number, ProfileFields> = {
  1: {
    displayName: "Camille Tremblay",
    skills: ["sage", "quickbooks", "accounting"],
    workMode: WorkMode.OnSite,
    region: "CA-QC",
    city: "Montréal",
    hasCoordinates: true,
    latitudeE2: 4550,
    longitudeE2: -7357,
    radiusKm: 40,
    contactUrl: "https://camille.example.com",
  },
  2: {
    displayName: "Alex Gagnon",
    skills: ["azure", "m365", "aws"],
    workMode: WorkMode.Both,
    region: "CA-QC",
    city: "Laval",
    hasCoordinates: true,
    latitudeE2: 4557,
    longitudeE2: -7369,
    radiusKm: 30,
    contactUrl: "https://alex.example.com",
  },
  3: {
    displayName: "Jordan Singh",
    skills: ["voip", "3cx", "networking"],
    workMode: WorkMode.OnSite,
    region: "CA-ON",
    city: "Toronto",
    hasCoordinates: true,
    latitudeE2: 4365,
    longitudeE2: -7938,
    radiusKm: 60,
    contactUrl: "https://jordan.example.com",
  },
  6: {
    displayName: "Sam Roy",
    skills: ["m365", "intune"],
    workMode: WorkMode.Both,
    region: "CA-QC",
    city: "Montréal",
    hasCoordinates: true,
    latitudeE2: 4552,
    longitudeE2: -7360,
    radiusKm: 25,
    contactUrl: "",
  },
  8: {
    displayName: "Robin Chen",
    skills: ["sage", "payroll"],
    workMode: WorkMode.Remote,
    region: "",
    city: "",
    hasCoordinates: false,
    latitudeE2: 0,
    longitudeE2: 0,
    radiusKm: 0,
    contactUrl: "https://robin.example.com",
  },
};

export type DemoRole = "deployer" | "partner" | "associate" | "affiliate";

/** One dev account and its part in the demo. `index` is its position in the node's eth_accounts,
 * which is what `firm … --as <index>` picks. */
export interface DemoAccount {
  index: number;
  address: Address;
  role: DemoRole;
  /** One line for the start banner, e.g. "lead, Cloud Services". */
  description: string;
}

export interface DemoAccounts {
  /** #0: deployed the contracts (holds no role on the timelock after deployment) and paid in revenue. */
  deployer: DemoAccount;
  /** #1–#5, the founding partners. */
  partners: [DemoAccount, DemoAccount, DemoAccount, DemoAccount, DemoAccount];
  /** #6 (past the cliff) and #7 (before it). */
  associates: [DemoAccount, DemoAccount];
  affiliate: DemoAccount;
  /** The partner on leave (#4) and the partner casting their ballot (#5, who accepted the cover). */
  onLeave: DemoAccount;
  cover: DemoAccount;
  /** Every account above, by index. */
  all: DemoAccount[];
}

export interface DemoFirm {
  /** The deployment, named "dev". */
  manifest: Manifest;
  accounts: DemoAccounts;
  proposals: { practices: Proposal; admission: Proposal; distribution: Proposal; open: Proposal };
  /** The open proposal's id: ACTIVE, with one For ballot (#3, its proposer). */
  openProposalId: bigint;
  distributionId: bigint;
  /** When #4's leave (and #5's cover of it) lapses (unix seconds). */
  leaveUntil: number;
  /** The demo's mentor link: #3 mentors #7. */
  mentorship: { mentor: Address; mentee: Address };
  /** The books' demo (seedDemoBooks), when seeded with them. */
  books?: DemoBooks;
  /** The chain's head when the seed finished. */
  lastBlock: bigint;
}

/**
 * Deploys the firm with the Ignition module and the dev parameters; accounts #1–#5 are the founders.
 *
 * @example
 * const firm = await deployDemoFirm(connection);
 * const demo = await seedDemoFirm(firm);
 */
export async function deployDemoFirm(connection: NetworkConnection): Promise<Firm> {
  return deployFirm(connection, { founders: 5, founderUnits: FOUNDER_UNITS, parameters: DEV_PARAMETERS });
}

/** Gives a freshly deployed firm (deployDemoFirm) its demo history, through governance only. */
export async function seedDemoFirm(
  firm: Firm,
  { books: withBooks = false }: { books?: boolean } = {},
): Promise<DemoFirm> {
  const { governance, partnership, practices, revenueShare, networkHelpers, publicClient } = firm;
  const accounts = demoAccounts(firm);
  const [p1, p2, p3, p4, p5] = accounts.partners.map((a) => a.address) as [
    Address,
    Address,
    Address,
    Address,
    Address,
  ];
  const [associate, junior] = accounts.associates.map((a) => a.address) as [Address, Address];
  const affiliate = accounts.affiliate.address;
  const everyone = [p1, p2, p3, p4, p5];
  const send = (hash: Promise<Hex>) => confirmTransaction(publicClient, hash, "Seed transaction");

  // Client revenue paid into the treasury (the timelock) by a plain transfer.
  await send(firm.deployer.sendTransaction({ to: firm.timelock.address, value: REVENUE }));

  const [accounting, cloud, phones] = DEMO_PRACTICES;
  const practicesProposal = await governance.pass(
    [
      action(practices, "createPractice", [accounting.slug, accounting.name, p1]),
      action(practices, "createPractice", [cloud.slug, cloud.name, p2]),
      action(practices, "createPractice", [phones.slug, phones.name, p3]),
      action(practices, "setPracticeMember", [cloud.slug, p4, PracticeRole.Member]),
      action(practices, "setPracticeMember", [accounting.slug, p5, PracticeRole.Member]),
      action(practices, "setPracticeMember", [phones.slug, p5, PracticeRole.Technician]),
    ],
    "# Open the firm's three practices\n\n" +
      "Sage & Intuit Accounting (accounting), led by #1; Cloud Services (cloud), led by #2; " +
      "Phone Systems (phones), led by #3. #4 joins cloud, #5 joins accounting and phones.",
    everyone,
  );

  const now = await networkHelpers.time.latest();
  const admission = await governance.pass(
    [
      action(partnership, "admit", [
        associate,
        Role.Associate,
        cloud.slug,
        PracticeRole.Member,
        { units: ASSOCIATE_UNITS, start: now - BACKDATED_START, cliff: YEAR, duration: 4 * YEAR },
      ]),
      action(partnership, "admit", [
        junior,
        Role.Associate,
        phones.slug,
        PracticeRole.Technician,
        { units: ASSOCIATE_UNITS, start: 0, cliff: YEAR, duration: 4 * YEAR },
      ]),
      action(partnership, "admit", [
        affiliate,
        Role.Affiliate,
        accounting.slug,
        PracticeRole.Technician,
        { units: 0n, start: 0, cliff: 0, duration: 0 },
      ]),
    ],
    "# Admit two associates and an affiliate\n\n" +
      "#6 joins cloud as an associate (4-year grant of 1,000 units that began 14 months ago, when they " +
      "started with the firm, 1-year cliff); #7 joins phones as a technician (1,000 units over 4 years " +
      "from today, 1-year cliff); #8 joins accounting as an affiliate technician.",
    everyone,
  );

  // Released units are what a distribution pays on: the founders' grants (ids 1–5) vested at
  // deployment, and #6's grant (id 6) is past its cliff.
  for (const [offset, partner] of everyone.entries())
    await send(partnership.write.release([BigInt(offset + 1)], { account: partner }));
  await send(partnership.write.release([6n], { account: associate }));

  const distribution = await governance.pass(
    [action(revenueShare, "createDistribution", [zeroAddress, DISTRIBUTED], DISTRIBUTED)],
    "# Distribute 2 ETH of revenue\n\nShared by released units; claimable for 90 days.",
    everyone,
  );
  const distributionId = 1n;
  for (const holder of [p1, p2, associate])
    await send(revenueShare.write.claim([distributionId], { account: holder }));

  // The books, when asked for (npm start's stack): their months pass here, before the leave and the
  // open proposal whose timing a month's advance would break.
  const books = withBooks
    ? await seedDemoBooks(firm, {
        partners: everyone,
        client: (firm.wallets[9] as { account: { address: Address } }).account.address,
        vendor: (firm.wallets[10] as { account: { address: Address } }).account.address,
      })
    : undefined;

  // #4 asks #5 to cover their leave; #5 holds #4's ballot only from their acceptance on.
  const leaveUntil = (await networkHelpers.time.latest()) + LEAVE_LENGTH;
  await send(partnership.write.declareLeave([leaveUntil, p5], { account: p4 }));
  await send(partnership.write.acceptCover([p4], { account: p5 }));

  // The directory: each member publishes their own profile (one transaction each), and #3, who
  // leads phones, mentors #7, a phones technician, by offer and acceptance.
  for (const [index, fields] of Object.entries(DEMO_PROFILES)) {
    const member = accounts.all.find((a) => a.index === Number(index))?.address as Address;
    await send(firm.directory.write.setProfile([fields], { account: member }));
  }
  await send(firm.directory.write.offerMentorship([junior], { account: p3 }));
  await send(firm.directory.write.acceptMentorship([p3], { account: junior }));

  // Left open: active and votable. Its snapshot falls inside #4's covered leave, so #5's vote also
  // casts #4's ballot.
  const open = await governance.propose(
    [action(practices, "createPractice", [OPEN_PROPOSAL_PRACTICE.slug, OPEN_PROPOSAL_PRACTICE.name, p5])],
    `# Create practice ${OPEN_PROPOSAL_PRACTICE.name} (${OPEN_PROPOSAL_PRACTICE.slug})\n\n` +
      "Security audits, endpoint protection and incident response for our clients, led by #5.",
    p3,
  );
  await governance.startVoting();
  await governance.vote(open, [p3], Support.For);

  return {
    manifest: { ...firm.manifest, name: "dev" },
    accounts,
    proposals: { practices: practicesProposal, admission, distribution, open },
    openProposalId: open.id,
    distributionId,
    books,
    leaveUntil,
    mentorship: { mentor: p3, mentee: junior },
    lastBlock: await publicClient.getBlockNumber(),
  };
}

/** Names the dev accounts by their part in the demo. */
export function demoAccounts(firm: Pick<Firm, "wallets">): DemoAccounts {
  const account = (index: number, role: DemoRole, description: string): DemoAccount => {
    const wallet = firm.wallets[index];
    if (!wallet) throw new Error(`The dev chain has no account #${index}; the demo needs nine.`);
    return { index, address: getAddress(wallet.account.address), role, description };
  };
  const [accounting, cloud, phones] = DEMO_PRACTICES;
  const partners: DemoAccounts["partners"] = [
    account(1, "partner", `lead, ${accounting.name}`),
    account(2, "partner", `lead, ${cloud.name}`),
    account(3, "partner", `lead, ${phones.name}; proposed the open proposal`),
    account(4, "partner", `${cloud.name}; on leave, covered by #5`),
    account(5, "partner", `${accounting.name}, ${phones.name} (technician); covers #4's ballot`),
  ];
  const associates: DemoAccounts["associates"] = [
    account(6, "associate", `${cloud.name}; grant past its 1-year cliff`),
    account(7, "associate", `technician, ${phones.name}; grant before its cliff`),
  ];
  const affiliate = account(8, "affiliate", `technician, ${accounting.name}`);
  const deployer = account(0, "deployer", "deployed the contracts (no role in the firm)");
  return {
    deployer,
    partners,
    associates,
    affiliate,
    onLeave: partners[3],
    cover: partners[4],
    all: [deployer, ...partners, ...associates, affiliate],
  };
}

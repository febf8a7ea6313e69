// Verifies the mirror against the chain: reads the contracts' views at the mirror's block and compares
// them, entity by entity, with what the mirror derived from events alone. An empty `drifts` list means
// every member, practice, grant, balance, leave and cover, proposal (state, eligible bases, what For
// must reach, kind, expiry), withdrawal credit, governance setting, directory profile (its stored
// fields, and its content hash recomputed from the mirrored text) and mentor link the API serves
// matches the contracts.
//
// Reads go through viem's multicall in deployless mode (Multicall3's bytecode executed in the eth_call
// itself), so it works on any chain, including a fresh Hardhat chain with no Multicall3 deployed.

import { asc, eq, sql } from "drizzle-orm";
import {
  type Abi,
  type AbiParameter,
  type Address,
  encodeAbiParameters,
  type Hex,
  keccak256,
  type PublicClient,
  zeroAddress,
} from "viem";
import {
  booksAbi,
  directoryAbi,
  firmGovernorAbi,
  firmTimelockAbi,
  partnershipAbi,
  practicesAbi,
  revenueShareAbi,
  withdrawalsAbi,
} from "../../contracts/abi.ts";
import type { Manifest } from "../../contracts/manifest.ts";
import {
  enumName,
  MEMBER_STATUSES,
  PRACTICE_STATUSES,
  PROPOSAL_STATES,
  ROLES,
  WORK_MODES,
} from "../decode/enums.ts";
import { readMirrorState } from "../store/checkpoint.ts";
import type { Database } from "../store/db.ts";
import { AuditError } from "../store/errors.ts";
import { type ProfileRow, SETTINGS_KEY } from "../store/mirror.ts";
import {
  accounts,
  bookFlows,
  bookMovements,
  bookTokens,
  budgetSpending,
  budgets,
  governanceSettings,
  grants,
  leaves,
  members,
  mentorships,
  practicePools,
  practices,
  profiles,
  proposals,
  treasuryTokens,
  withdrawalPayments,
} from "../store/schema.ts";
import {
  coverHoldsAt,
  coverUntil,
  expiresAt,
  forThresholds,
  memberStatusAt,
  proposalBases,
  proposalStateAt,
  quorumOf,
} from "../store/views.ts";

export interface AuditMirrorParameters {
  db: Database;
  publicClient: PublicClient;
  manifest: Manifest;
  /** The block to audit: must be the mirror's checkpoint (its tables hold that block's state). Default: the checkpoint. */
  blockNumber?: bigint | undefined;
}

/** One value on which the mirror and the chain disagree. Values are printed as strings (null: absent). */
export interface Drift {
  entity:
    | "block"
    | "member"
    | "practice"
    | "grant"
    | "account"
    | "proposal"
    | "leave"
    | "withdrawal"
    | "settings"
    | "profile"
    | "mentorship"
    | "books";
  key: string;
  field: string;
  mirror: string | null;
  chain: string | null;
}

export interface AuditMirrorReturnType {
  blockNumber: bigint;
  drifts: Drift[];
  checked: {
    members: number;
    practices: number;
    grants: number;
    balances: number;
    proposals: number;
    /** Members whose latest leave and current cover were compared. */
    leaves: number;
    /** (member, token) credits of the withdrawal desk, and listed treasury tokens. */
    withdrawals: number;
    /** Mirrored profiles (live or cleared) and mentor links (current or ended). */
    directory: number;
    /** The books' tokens (held and earmarked), budgets in force, and each budget period's spending. */
    books: number;
  };
}

/**
 * Compares the mirror with the contracts' views at the mirror's checkpoint.
 *
 * @example
 * const { drifts, checked } = await auditMirror({ db, publicClient, manifest });
 * if (drifts.length > 0) console.table(drifts);
 */
export async function auditMirror({
  db,
  publicClient,
  manifest,
  blockNumber,
}: AuditMirrorParameters): Promise<AuditMirrorReturnType> {
  const at = await auditedBlock(db, manifest, blockNumber);
  const block = await publicClient.getBlock({ blockNumber: at.number });
  const read: Audit["read"] = (contracts) =>
    publicClient.multicall({
      contracts,
      blockNumber: at.number,
      deployless: true,
      allowFailure: true,
    }) as Promise<CallResult[]>;
  // Each check collects its own drifts, so the report's order does not depend on which read returns first.
  const auditOf = (): Audit => ({ db, manifest, timestamp: Number(block.timestamp), drifts: [], read });
  const blockAudit = auditOf();
  compare(blockAudit, "block", String(at.number), "hash", at.hash, block.hash);
  const checks = [
    auditMembers,
    auditPractices,
    auditGrants,
    auditBalances,
    auditProposals,
    auditLeaves,
    auditWithdrawals,
    auditSettings,
    auditDirectory,
    auditBooks,
  ].map((check) => {
    const audit = auditOf();
    return check(audit).then((checked) => ({ checked, drifts: audit.drifts }));
  });
  const results = await Promise.all(checks);
  const counts = results.map((r) => r.checked);
  return {
    blockNumber: at.number,
    drifts: [...blockAudit.drifts, ...results.flatMap((r) => r.drifts)],
    checked: {
      members: counts[0] ?? 0,
      practices: counts[1] ?? 0,
      grants: counts[2] ?? 0,
      balances: counts[3] ?? 0,
      proposals: counts[4] ?? 0,
      leaves: counts[5] ?? 0,
      withdrawals: counts[6] ?? 0,
      directory: counts[8] ?? 0,
      books: counts[9] ?? 0,
    },
  };
}

/** One result of a multicall with allowFailure. */
type CallResult = { status: "success"; result: unknown } | { status: "failure"; error: Error };
type Call = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] };

interface Audit {
  db: Database;
  manifest: Manifest;
  /** The audited block's timestamp: time-dependent state (leave lapses, proposal states) is read then. */
  timestamp: number;
  drifts: Drift[];
  read(contracts: Call[]): Promise<CallResult[]>;
}

async function auditedBlock(db: Database, manifest: Manifest, requested: bigint | undefined) {
  const state = await readMirrorState(db, manifest.chainId);
  if (!state || state.checkpointBlock === null || state.checkpointHash === null) {
    throw new AuditError("Cannot audit an empty mirror.", {
      hints: ["Apply at least one block range first."],
    });
  }
  const checkpoint = BigInt(state.checkpointBlock);
  if (requested !== undefined && requested !== checkpoint) {
    throw new AuditError(
      `Cannot audit block ${requested}: the mirror holds the state of block ${checkpoint}.`,
      {
        hints: ["Audit at the checkpoint (omit blockNumber), or stop the sync at the block to audit."],
      },
    );
  }
  return { number: checkpoint, hash: state.checkpointHash };
}

function compare(
  audit: Audit,
  entity: Drift["entity"],
  key: string,
  field: string,
  mirror: unknown,
  chain: unknown,
) {
  const m = printed(mirror);
  const c = printed(chain);
  if (m !== c) audit.drifts.push({ entity, key, field, mirror: m, chain: c });
}

/**
 * The mirror's row and the chain's record of one entity when both sides have it; otherwise records
 * which side does (field "exists", a drift unless neither has it) and returns undefined, so the
 * caller skips the entity's fields.
 */
function onBothSides<Row, Record>(
  audit: Audit,
  entity: Drift["entity"],
  key: string,
  mirror: Row | undefined,
  chain: Record | undefined,
  existsOnChain: (chain: Record) => boolean,
): [Row, Record] | undefined {
  const onChain = chain !== undefined && existsOnChain(chain);
  if (mirror !== undefined && onChain) return [mirror, chain as Record];
  compare(audit, entity, key, "exists", mirror ? "yes" : null, onChain ? "yes" : null);
  return undefined;
}

/** Prints a value for comparison: addresses and hashes lowercase, absent and zero times as null. */
function printed(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text.startsWith("0x") ? text.toLowerCase() : text;
}

/** A zero time or address on chain means "none", which the mirror stores as null. */
function orNull(value: bigint | number | string): bigint | number | string | null {
  return value === 0 || value === 0n || value === "0x0000000000000000000000000000000000000000" ? null : value;
}

function resultOf<T>(result: CallResult | undefined): T | undefined {
  return result?.status === "success" ? (result.result as T) : undefined;
}

function call(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Call {
  return { address, abi, functionName, args };
}

async function auditMembers(audit: Audit): Promise<number> {
  const partnership = audit.manifest.contracts.partnership;
  const [counts] = await audit.read([call(partnership, partnershipAbi, "counts")]);
  const memberCount = Number(resultOf<readonly [bigint, bigint, bigint]>(counts)?.[0] ?? 0n);
  const indexes = Array.from({ length: memberCount }, (_, i) => BigInt(i + 1));
  const onChain = await audit.read(indexes.map((i) => call(partnership, partnershipAbi, "memberAt", [i])));
  const mirrored = await audit.db.select().from(members);
  const addresses = new Set([
    ...onChain.map((r) => (resultOf<Address>(r) ?? "").toLowerCase()).filter(Boolean),
    ...mirrored.map((m) => m.address),
  ]);
  const list = [...addresses];
  const records = await audit.read(list.map((a) => call(partnership, partnershipAbi, "memberOf", [a])));
  const byAddress = new Map(mirrored.map((m) => [m.address, m]));
  for (const [i, address] of list.entries()) {
    const chain = resultOf<readonly [number, number, bigint, number, number, number]>(records[i]);
    // A status of None: no such member.
    const both = onBothSides(audit, "member", address, byAddress.get(address), chain, (c) => c[1] !== 0);
    if (!both) continue;
    const [mirror, [role, status, index, since, partnerSince, partnerUntil]] = both;
    compare(audit, "member", address, "role", mirror.role, enumName(ROLES, role, "role"));
    compare(
      audit,
      "member",
      address,
      "status",
      memberStatusAt(mirror, audit.timestamp),
      enumName(MEMBER_STATUSES, status, "status"),
    );
    compare(audit, "member", address, "index", mirror.memberIndex, index);
    compare(audit, "member", address, "since", mirror.admittedAt, since);
    compare(audit, "member", address, "partnerSince", mirror.partnerSince, orNull(partnerSince));
    compare(audit, "member", address, "partnerUntil", mirror.partnerUntil, orNull(partnerUntil));
  }
  return list.length;
}

async function auditPractices(audit: Audit): Promise<number> {
  const address = audit.manifest.contracts.practices;
  const [count] = await audit.read([call(address, practicesAbi, "practiceCount")]);
  const ordinals = Array.from({ length: Number(resultOf<bigint>(count) ?? 0n) }, (_, i) => BigInt(i + 1));
  const slugResults = await audit.read(
    ordinals.map((i) => call(address, practicesAbi, "practiceSlugAt", [i])),
  );
  const mirrored = await audit.db.select().from(practices);
  const slugs = [
    ...new Set([...slugResults.map((r) => resultOf<string>(r) ?? ""), ...mirrored.map((p) => p.slug)]),
  ].filter(Boolean);
  const records = await audit.read(slugs.map((slug) => call(address, practicesAbi, "practice", [slug])));
  const bySlug = new Map(mirrored.map((p) => [p.slug, p]));
  for (const [i, slug] of slugs.entries()) {
    const chain = resultOf<readonly [Hex, string, Address, number, number, bigint]>(records[i]);
    // A status of None: no such practice.
    const both = onBothSides(audit, "practice", slug, bySlug.get(slug), chain, (c) => c[3] !== 0);
    if (!both) continue;
    const [mirror, [id, name, lead, status, createdAt, memberCount]] = both;
    compare(audit, "practice", slug, "id", mirror.practiceId, id);
    compare(audit, "practice", slug, "name", mirror.name, name);
    // A practice whose lead departed with no successor has none: the zero address on chain.
    compare(audit, "practice", slug, "lead", mirror.lead, orNull(lead));
    compare(
      audit,
      "practice",
      slug,
      "status",
      mirror.status,
      enumName(PRACTICE_STATUSES, status, "practice status"),
    );
    compare(audit, "practice", slug, "createdAt", mirror.createdAt, createdAt);
    compare(audit, "practice", slug, "memberCount", mirror.memberCount, memberCount);
  }
  return slugs.length;
}

async function auditGrants(audit: Audit): Promise<number> {
  const partnership = audit.manifest.contracts.partnership;
  const [counts] = await audit.read([call(partnership, partnershipAbi, "counts")]);
  const grantCount = Number(resultOf<readonly [bigint, bigint, bigint]>(counts)?.[1] ?? 0n);
  const mirrored = await audit.db.select().from(grants);
  const ids = [
    ...new Set([
      ...Array.from({ length: grantCount }, (_, i) => BigInt(i + 1)),
      ...mirrored.map((g) => g.grantId),
    ]),
  ];
  const records = await audit.read(ids.map((id) => call(partnership, partnershipAbi, "grantOf", [id])));
  const byId = new Map(mirrored.map((g) => [g.grantId, g]));
  for (const [i, id] of ids.entries()) {
    const key = String(id);
    const chain = resultOf<readonly [Address, bigint, bigint, number, number, number, number]>(records[i]);
    // No beneficiary: no such grant.
    const both = onBothSides(audit, "grant", key, byId.get(id), chain, (c) => orNull(c[0]) !== null);
    if (!both) continue;
    const [mirror, [beneficiary, units, released, start, cliffEnd, end, revokedAt]] = both;
    compare(audit, "grant", key, "beneficiary", mirror.beneficiary, beneficiary);
    compare(audit, "grant", key, "units", mirror.units, units);
    compare(audit, "grant", key, "released", mirror.released, released);
    compare(audit, "grant", key, "start", mirror.startAt, start);
    compare(audit, "grant", key, "cliffEnd", mirror.cliffEnd, cliffEnd);
    compare(audit, "grant", key, "end", mirror.endAt, end);
    compare(audit, "grant", key, "revokedAt", mirror.revokedAt, orNull(revokedAt));
  }
  return ids.length;
}

async function auditBalances(audit: Audit): Promise<number> {
  const partnership = audit.manifest.contracts.partnership;
  const mirrored = await audit.db.select().from(accounts);
  const memberAddresses = (await audit.db.select({ address: members.address }).from(members)).map(
    (m) => m.address,
  );
  const addresses = [...new Set([...mirrored.map((a) => a.address), ...memberAddresses])];
  const reads = addresses.flatMap((a) => [
    call(partnership, partnershipAbi, "balanceOf", [a]),
    call(partnership, partnershipAbi, "getVotes", [a]),
  ]);
  const results = await audit.read(reads);
  const byAddress = new Map(mirrored.map((a) => [a.address, a]));
  addresses.forEach((address, i) => {
    const mirror = byAddress.get(address);
    compare(audit, "account", address, "balance", mirror?.balance ?? 0n, resultOf<bigint>(results[2 * i]));
    compare(audit, "account", address, "votes", mirror?.votes ?? 0n, resultOf<bigint>(results[2 * i + 1]));
  });
  return addresses.length;
}

async function auditProposals(audit: Audit): Promise<number> {
  const governor = audit.manifest.contracts.governor;
  const mirrored = await audit.db
    .select()
    .from(proposals)
    .orderBy(asc(proposals.createdBlock), asc(proposals.proposalId));
  const READS = 5;
  const reads = mirrored.flatMap((p) => [
    call(governor, firmGovernorAbi, "state", [p.proposalId]),
    call(governor, firmGovernorAbi, "proposalVotes", [p.proposalId]),
    call(governor, firmGovernorAbi, "proposalQuorums", [p.proposalId]),
    call(governor, firmGovernorAbi, "proposalThresholds", [p.proposalId]),
    call(governor, firmGovernorAbi, "proposalSubject", [p.proposalId]),
  ]);
  const results = await audit.read(reads);
  for (const [i, proposal] of mirrored.entries()) {
    const key = String(proposal.proposalId);
    const bases = await proposalBases(audit.db, proposal);
    const state = resultOf<number>(results[READS * i]);
    compare(
      audit,
      "proposal",
      key,
      "state",
      proposalStateAt(proposal, bases, audit.timestamp),
      state === undefined ? undefined : enumName(PROPOSAL_STATES, state, "proposal state"),
    );
    const subject = resultOf<Address>(results[READS * i + 4]);
    compare(audit, "proposal", key, "subject", proposal.subject, subject && orNull(subject));
    const tally = resultOf<readonly bigint[]>(results[READS * i + 1]);
    const mirrorTally = [
      proposal.againstEquity,
      proposal.forEquity,
      proposal.abstainEquity,
      proposal.againstHeads,
      proposal.forHeads,
      proposal.abstainHeads,
    ];
    compare(audit, "proposal", key, "tally", mirrorTally.join(","), tally?.join(","));
    // Quorums and thresholds exist once the snapshot is in the past (the votes lookup reverts before).
    const quorums = resultOf<readonly [bigint, bigint, bigint, bigint]>(results[READS * i + 2]);
    if (quorums) {
      compare(
        audit,
        "proposal",
        key,
        "equityQuorum",
        quorumOf(bases.equityBase, proposal.equityQuorumBps),
        quorums[0],
      );
      compare(
        audit,
        "proposal",
        key,
        "headcountQuorum",
        quorumOf(BigInt(bases.headcountBase), proposal.headcountQuorumBps),
        quorums[1],
      );
      compare(audit, "proposal", key, "equityBase", bases.equityBase, quorums[2]);
      compare(audit, "proposal", key, "headcountBase", bases.headcountBase, quorums[3]);
    }
    const thresholds = resultOf<readonly [bigint, bigint, boolean, boolean, bigint]>(results[READS * i + 3]);
    if (thresholds) {
      const needed = forThresholds(proposal, bases);
      compare(audit, "proposal", key, "forEquityNeeded", needed.equity, thresholds[0]);
      compare(audit, "proposal", key, "forHeadcountNeeded", needed.headcount, thresholds[1]);
      compare(audit, "proposal", key, "supermajority", proposal.supermajority, thresholds[2]);
      compare(audit, "proposal", key, "movesFunds", proposal.movesFunds, thresholds[3]);
      compare(audit, "proposal", key, "expiresAt", expiresAt(proposal), thresholds[4]);
    }
  }
  return mirrored.length;
}

/**
 * Each partner's latest leave (Partnership.leaveOf: the cover asked, the window, whether it is in
 * force, and the cover's window), and whom each member covers now (coveringOf).
 */
async function auditLeaves(audit: Audit): Promise<number> {
  const partnership = audit.manifest.contracts.partnership;
  const all = await audit.db.select().from(leaves).orderBy(asc(leaves.leaveId));
  const memberRows = await audit.db
    .select({ address: members.address })
    .from(members)
    .orderBy(asc(members.memberIndex));
  const latest = new Map(all.map((leave) => [leave.partner, leave]));
  const addresses = memberRows.map((m) => m.address);
  const results = await audit.read(
    addresses.flatMap((a) => [
      call(partnership, partnershipAbi, "leaveOf", [a]),
      call(partnership, partnershipAbi, "coveringOf", [a]),
    ]),
  );
  const t = audit.timestamp;
  for (const [i, address] of addresses.entries()) {
    const chain = resultOf<readonly [Address, number, number, boolean, number, number]>(results[2 * i]);
    const leave = latest.get(address);
    const mirror = leave
      ? [
          leave.cover,
          leave.fromAt,
          leave.untilAt,
          t < leave.untilAt,
          leave.coverAcceptedAt ?? 0,
          coverUntil(leave) ?? 0,
        ].join(",")
      : null;
    const onChain = chain && chain[1] !== 0 ? chain.map(printed).join(",") : chain ? null : undefined;
    compare(audit, "leave", address, "latest", mirror, onChain);
    const covering = resultOf<Address>(results[2 * i + 1]);
    const mirrorCovering = all.find((l) => l.cover === address && coverHoldsAt(l, t))?.partner ?? null;
    compare(audit, "leave", address, "covering", mirrorCovering, covering && orNull(covering));
  }
  return addresses.length;
}

/** What the withdrawal desk owes each member in each token (credits less claims), and its token list. */
async function auditWithdrawals(audit: Audit): Promise<number> {
  const desk = audit.manifest.contracts.withdrawals;
  const payments = await audit.db.select().from(withdrawalPayments);
  const owed = new Map<string, { member: string; token: string; amount: bigint }>();
  for (const p of payments) {
    const key = `${p.member}:${p.token}`;
    const entry = owed.get(key) ?? { member: p.member, token: p.token, amount: 0n };
    if (p.kind === "credit") entry.amount += p.amount ?? 0n;
    if (p.kind === "claim") entry.amount -= p.amount ?? 0n;
    owed.set(key, entry);
  }
  const entries = [...owed.values()];
  const results = await audit.read([
    call(desk, withdrawalsAbi, "treasuryTokens"),
    ...entries.map((e) => call(desk, withdrawalsAbi, "owed", [e.member, e.token])),
  ]);
  for (const [i, entry] of entries.entries()) {
    const key = `${entry.member}:${entry.token}`;
    compare(audit, "withdrawal", key, "owed", entry.amount, resultOf<bigint>(results[i + 1]));
  }
  const listed = (await audit.db.select().from(treasuryTokens).where(eq(treasuryTokens.listed, true)))
    .map((row) => row.token)
    .sort();
  const chainTokens = resultOf<readonly Address[]>(results[0]);
  compare(
    audit,
    "withdrawal",
    "treasuryTokens",
    "listed",
    listed.join(","),
    chainTokens
      ?.map((a) => a.toLowerCase())
      .sort()
      .join(","),
  );
  return entries.length + listed.length;
}

/** The parameters in force: the governor's newest rule and delays, the timelock's delay, the claim
 * window and the leave rules. */
async function auditSettings(audit: Audit): Promise<number> {
  const { governor, timelock, revenueShare, partnership } = audit.manifest.contracts;
  const [settings] = await audit.db
    .select()
    .from(governanceSettings)
    .where(eq(governanceSettings.id, SETTINGS_KEY));
  const results = await audit.read([
    call(governor, firmGovernorAbi, "votingDelay"),
    call(governor, firmGovernorAbi, "votingPeriod"),
    call(governor, firmGovernorAbi, "gracePeriod"),
    call(governor, firmGovernorAbi, "quorumBps"),
    call(governor, firmGovernorAbi, "expulsionQuorumBps"),
    call(timelock, firmTimelockAbi, "getMinDelay"),
    call(revenueShare, revenueShareAbi, "claimWindow"),
    call(partnership, partnershipAbi, "leaveRules"),
  ]);
  const pair = (r: CallResult | undefined) => resultOf<readonly [number, number]>(r);
  const field = (name: string, mirror: unknown, chain: unknown) =>
    compare(audit, "settings", "current", name, mirror, chain);
  field("votingDelay", settings?.votingDelay, resultOf<bigint>(results[0]));
  field("votingPeriod", settings?.votingPeriod, resultOf<bigint>(results[1]));
  field("gracePeriod", settings?.gracePeriod, resultOf<bigint>(results[2]));
  field("equityQuorumBps", settings?.equityQuorumBps, pair(results[3])?.[0]);
  field("headcountQuorumBps", settings?.headcountQuorumBps, pair(results[3])?.[1]);
  field("expulsionEquityBps", settings?.expulsionEquityBps, pair(results[4])?.[0]);
  field("expulsionHeadcountBps", settings?.expulsionHeadcountBps, pair(results[4])?.[1]);
  field("timelockDelay", settings?.timelockDelay, resultOf<bigint>(results[5]));
  field("claimWindow", settings?.claimWindow, resultOf<number>(results[6]));
  field("minLeave", settings?.minLeave, pair(results[7])?.[0]);
  field("leaveCooldown", settings?.leaveCooldown, pair(results[7])?.[1]);
  return 11;
}

/**
 * Every mirrored profile against the directory's profileOf, and every mentor link against mentorOf.
 * The chain keeps only a profile's packed fields and the hash of its text: the hash recomputed from
 * the mirror's fields proves the mirror holds the text the member published. A profile counts as live
 * while its owner is active or on leave, as profileOf reads it (a departed member's row stays until
 * someone clears it, and the API hides it).
 */
async function auditDirectory(audit: Audit): Promise<number> {
  const directory = audit.manifest.contracts.directory;
  const [rows, links, statuses] = await Promise.all([
    audit.db.select().from(profiles).orderBy(asc(profiles.member)),
    audit.db.select().from(mentorships).orderBy(asc(mentorships.mentee)),
    audit.db
      .select({ address: members.address, status: members.status, leaveUntil: members.leaveUntil })
      .from(members),
  ]);
  const memberOf = new Map(statuses.map((m) => [m.address, m]));
  const results = await audit.read([
    ...rows.map((row) => call(directory, directoryAbi, "profileOf", [row.member])),
    ...links.map((link) => call(directory, directoryAbi, "mentorOf", [link.mentee])),
  ]);
  for (const [i, row] of rows.entries()) {
    const chain = resultOf<readonly [boolean, number, boolean, number, number, number, number, Hex]>(
      results[i],
    );
    const member = memberOf.get(row.member);
    const present =
      member !== undefined && ["Active", "OnLeave"].includes(memberStatusAt(member, audit.timestamp));
    const field = (name: string, mirror: unknown, onChain: unknown) =>
      compare(audit, "profile", row.member, name, mirror, onChain);
    field("live", row.live && present, chain?.[0]);
    // A cleared profile's stored fields are the chain's business: only a live row is compared field by field.
    if (!row.live) continue;
    field("workMode", row.workMode, chain && enumName(WORK_MODES, chain[1], "work mode"));
    field("hasCoordinates", row.latitude !== null, chain?.[2]);
    field("latitudeE2", e2(row.latitude), chain?.[3]);
    field("longitudeE2", e2(row.longitude), chain?.[4]);
    field("radiusKm", row.radiusKm, chain?.[5]);
    field("updatedAt", row.updatedAt, chain?.[6]);
    field("contentHash", row.contentHash, chain?.[7]);
    field("contentHash (from the mirrored fields)", profileContentHash(row), chain?.[7]);
  }
  for (const [i, link] of links.entries()) {
    const mentor = resultOf<Address>(results[rows.length + i]);
    compare(
      audit,
      "mentorship",
      link.mentee,
      "mentor",
      link.endedAt === null ? link.mentor : null,
      mentor && orNull(mentor),
    );
  }
  return rows.length + links.length;
}

/**
 * The books against Books' views: per token (ETH and every token ever allowed) what the books hold
 * (Σ money in - Σ money out of the movements) and set aside for pools (Σ unclaimed, unreclaimed pool
 * amounts); each practice's latest budget as budgetOf reads it (id, amount, revoked, this period's
 * spending); every mirrored period's spending against spentIn; and every month's flow (what `books`
 * reads) against flowOf.
 */
async function auditBooks(audit: Audit): Promise<number> {
  const books = audit.manifest.contracts.books;
  const [tokenRows, balances, pools, budgetRows, spendingRows, slugs, flowRows] = await Promise.all([
    audit.db.select({ token: bookTokens.token }).from(bookTokens),
    audit.db
      .select({
        token: bookMovements.token,
        held: sql<string>`sum(case when ${bookMovements.direction} = 'IN' then ${bookMovements.amount} else -${bookMovements.amount} end)::text`,
      })
      .from(bookMovements)
      .groupBy(bookMovements.token),
    audit.db
      .select({
        token: practicePools.token,
        earmarked: sql<string>`sum(${practicePools.amount} - ${practicePools.claimed} - coalesce(${practicePools.reclaimed}, 0))::text`,
      })
      .from(practicePools)
      .groupBy(practicePools.token),
    audit.db.select().from(budgets).orderBy(asc(budgets.budgetId)),
    audit.db.select().from(budgetSpending).orderBy(asc(budgetSpending.budgetId), asc(budgetSpending.period)),
    audit.db.select({ practiceId: practices.practiceId, slug: practices.slug }).from(practices),
    audit.db.select().from(bookFlows),
  ]);
  const tokens = [zeroAddress as string, ...tokenRows.map((row) => row.token)];
  const heldOf = new Map(balances.map((row) => [row.token, BigInt(row.held)]));
  const earmarkedOf = new Map(pools.map((row) => [row.token, BigInt(row.earmarked)]));
  // The latest budget of each practice is the one budgetOf reads.
  const latest = new Map<string, (typeof budgetRows)[number]>();
  for (const row of budgetRows) latest.set(row.practiceId, row);
  const slugOf = new Map(slugs.map((row) => [row.practiceId, row.slug]));
  const current = [...latest.values()];
  const results = await audit.read([
    ...tokens.flatMap((token) => [
      call(books, booksAbi, "held", [token]),
      call(books, booksAbi, "earmarked", [token]),
    ]),
    ...current.map((row) => call(books, booksAbi, "budgetOf", [slugOf.get(row.practiceId) ?? ""])),
    ...spendingRows.map((row) => call(books, booksAbi, "spentIn", [row.budgetId, row.period])),
    ...flowRows.map((row) => call(books, booksAbi, "flowOf", [row.month, row.practiceId, row.token])),
  ]);
  for (const [i, token] of tokens.entries()) {
    compare(audit, "books", token, "held", heldOf.get(token) ?? 0n, resultOf<bigint>(results[2 * i]));
    compare(
      audit,
      "books",
      token,
      "earmarked",
      earmarkedOf.get(token) ?? 0n,
      resultOf<bigint>(results[2 * i + 1]),
    );
  }
  let index = 2 * tokens.length;
  for (const row of current) {
    const chain = resultOf<{
      budgetId: bigint;
      amount: bigint;
      revoked: boolean;
      period: number;
      spent: bigint;
    }>(results[index++]);
    const key = `budget of ${slugOf.get(row.practiceId) ?? "(firm)"}`;
    compare(audit, "books", key, "budgetId", row.budgetId, chain?.budgetId);
    compare(audit, "books", key, "amount", row.amount, chain?.amount);
    compare(audit, "books", key, "revoked", row.revoked, chain?.revoked);
    const spent =
      spendingRows.find((s) => s.budgetId === row.budgetId && s.period === chain?.period)?.spent ?? 0n;
    compare(audit, "books", key, "spent", spent, chain?.spent);
  }
  for (const row of spendingRows)
    compare(
      audit,
      "books",
      `budget ${row.budgetId} period ${row.period}`,
      "spent",
      row.spent,
      resultOf<bigint>(results[index++]),
    );
  for (const row of flowRows) {
    const [revenue, expenses] = resultOf<readonly [bigint, bigint]>(results[index++]) ?? [];
    const key = `flow of ${slugOf.get(row.practiceId) ?? "(firm)"} in ${row.month}, token ${row.token}`;
    compare(audit, "books", key, "revenue", row.revenue, revenue);
    compare(audit, "books", key, "expenses", row.expenses, expenses);
  }
  return tokens.length + current.length + spendingRows.length + flowRows.length;
}

/** Degrees back to the contract's hundredths (0 when the member published none). */
function e2(degrees: number | null): number {
  return degrees === null ? 0 : Math.round(degrees * 100);
}

/** IDirectory.ProfileFields, as setProfile takes it: what the content hash encodes. */
const PROFILE_FIELDS = (
  directoryAbi.find((item) => item.type === "function" && item.name === "setProfile") as {
    inputs: readonly AbiParameter[];
  }
).inputs;

/** keccak256(abi.encode(fields)) of the mirrored profile, as Directory.setProfile computes it. */
export function profileContentHash(row: ProfileRow): Hex {
  return keccak256(
    encodeAbiParameters(PROFILE_FIELDS, [
      {
        displayName: row.displayName,
        skills: row.skills,
        workMode: WORK_MODES.indexOf(row.workMode as (typeof WORK_MODES)[number]),
        region: row.region ?? "",
        city: row.city ?? "",
        hasCoordinates: row.latitude !== null,
        latitudeE2: e2(row.latitude),
        longitudeE2: e2(row.longitude),
        radiusKm: row.radiusKm,
        contactUrl: row.contactUrl ?? "",
      },
    ] as never),
  );
}

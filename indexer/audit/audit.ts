// Verifies the mirror against the chain: reads the contracts' views at the mirror's block and compares
// them, entity by entity, with what the mirror derived from events alone. An empty `drifts` list means
// every member, practice, grant, balance and proposal state the API serves matches the contracts.
//
// Reads go through viem's multicall in deployless mode (Multicall3's bytecode executed in the eth_call
// itself), so it works on any chain, including a fresh Hardhat chain with no Multicall3 deployed.

import { eq } from "drizzle-orm";
import type { Abi, Address, Hex, PublicClient } from "viem";
import { firmGovernorAbi, partnershipAbi, practicesAbi } from "../../contracts/abi.ts";
import type { Manifest } from "../../contracts/manifest.ts";
import { enumName, MEMBER_STATUSES, PRACTICE_STATUSES, PROPOSAL_STATES, ROLES } from "../decode/enums.ts";
import { readMirrorState } from "../store/checkpoint.ts";
import type { Database } from "../store/db.ts";
import { AuditError } from "../store/errors.ts";
import { SETTINGS_KEY } from "../store/mirror.ts";
import { accounts, governanceSettings, grants, members, practices, proposals } from "../store/schema.ts";
import { memberStatusAt, proposalBases, proposalStateAt } from "../store/views.ts";

export interface AuditMirrorParameters {
  db: Database;
  publicClient: PublicClient;
  manifest: Manifest;
  /** The block to audit: must be the mirror's checkpoint (its tables hold that block's state). Default: the checkpoint. */
  blockNumber?: bigint | undefined;
}

/** One value on which the mirror and the chain disagree. Values are printed as strings (null: absent). */
export interface Drift {
  entity: "block" | "member" | "practice" | "grant" | "account" | "proposal";
  key: string;
  field: string;
  mirror: string | null;
  chain: string | null;
}

export interface AuditMirrorReturnType {
  blockNumber: bigint;
  drifts: Drift[];
  checked: { members: number; practices: number; grants: number; balances: number; proposals: number };
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
  const checks = [auditMembers, auditPractices, auditGrants, auditBalances, auditProposals].map((check) => {
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
    const mirror = byAddress.get(address);
    if (!chain || chain[1] === 0 || !mirror) {
      compare(
        audit,
        "member",
        address,
        "exists",
        mirror ? "yes" : null,
        chain && chain[1] !== 0 ? "yes" : null,
      );
      continue;
    }
    const [role, status, index, since, partnerSince, partnerUntil] = chain;
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
    const mirror = bySlug.get(slug);
    if (!chain || chain[3] === 0 || !mirror) {
      compare(
        audit,
        "practice",
        slug,
        "exists",
        mirror ? "yes" : null,
        chain && chain[3] !== 0 ? "yes" : null,
      );
      continue;
    }
    const [id, name, lead, status, createdAt, memberCount] = chain;
    compare(audit, "practice", slug, "id", mirror.practiceId, id);
    compare(audit, "practice", slug, "name", mirror.name, name);
    compare(audit, "practice", slug, "lead", mirror.lead, lead);
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
    const mirror = byId.get(id);
    const exists = chain !== undefined && orNull(chain[0]) !== null;
    if (!chain || !exists || !mirror) {
      compare(audit, "grant", key, "exists", mirror ? "yes" : null, exists ? "yes" : null);
      continue;
    }
    const [beneficiary, units, released, start, cliffEnd, end, revokedAt] = chain;
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
  const mirrored = await audit.db.select().from(proposals);
  const [settings] = await audit.db
    .select()
    .from(governanceSettings)
    .where(eq(governanceSettings.id, SETTINGS_KEY));
  const reads = mirrored.flatMap((p) => [
    call(governor, firmGovernorAbi, "state", [p.proposalId]),
    call(governor, firmGovernorAbi, "proposalVotes", [p.proposalId]),
    call(governor, firmGovernorAbi, "proposalQuorums", [p.proposalId]),
  ]);
  const results = await audit.read(reads);
  for (const [i, proposal] of mirrored.entries()) {
    const key = String(proposal.proposalId);
    const bases = await proposalBases(audit.db, proposal);
    const context = { ...bases, gracePeriod: settings?.gracePeriod ?? 0 };
    const state = resultOf<number>(results[3 * i]);
    compare(
      audit,
      "proposal",
      key,
      "state",
      proposalStateAt(proposal, context, audit.timestamp),
      state === undefined ? undefined : enumName(PROPOSAL_STATES, state, "proposal state"),
    );
    const tally = resultOf<readonly bigint[]>(results[3 * i + 1]);
    const mirrorTally = [
      proposal.againstEquity,
      proposal.forEquity,
      proposal.abstainEquity,
      proposal.againstHeads,
      proposal.forHeads,
      proposal.abstainHeads,
    ];
    compare(audit, "proposal", key, "tally", mirrorTally.join(","), tally?.join(","));
    // Quorums exist once the snapshot is in the past (the votes lookup reverts before).
    const quorums = resultOf<readonly [bigint, bigint, bigint, bigint]>(results[3 * i + 2]);
    if (quorums) {
      compare(audit, "proposal", key, "equityBase", bases.equityBase, quorums[2]);
      compare(audit, "proposal", key, "headcountBase", bases.headcountBase, quorums[3]);
    }
  }
  return mirrored.length;
}

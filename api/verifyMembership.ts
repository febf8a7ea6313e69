// verifyMembership: the mirror's answer and the chain's, side by side. The chain is asked
// Practices.membership(slug, account) at its latest block, the one call per request the API makes
// (the eth_call's answer is kept per block: the same call at the same block is the same answer);
// the mirror's answer is computed the way that view computes it. Only agreement on a member counts
// as verified; disagreement is reported (and logged as a warning: the mirror may be behind, or wrong).
import { encodeFunctionData, type Hex, keccak256, toBytes, toHex } from "viem";
import { practicesAbi } from "../contracts/abi.ts";
import { enumName, MEMBER_STATUSES, PRACTICE_ROLES, ROLES } from "../indexer/decode/enums.ts";
import { memberStatusAt } from "../indexer/store/views.ts";
import { redactUrls } from "../kernel/errors.ts";
import type { ApiContext } from "./context.ts";
import { codedError, ERROR_CODES } from "./errors.ts";
import { loadMember, type MemberNode } from "./modules/member/loadMember.ts";
import { loadPractice, type PracticeNode } from "./modules/practice/loadPractice.ts";
import { asSentence, notMemberClause } from "./web/public/words.js";

/** What Practices.membership returns, with enum names ("None" where the contract has 0). */
export interface MembershipRecord {
  isMember: boolean;
  role: string;
  status: string;
  practiceRole: string;
  memberSince: number | null;
  practiceSince: number | null;
}

/** The ABI of the view's return value, for clients decoding the eth_call themselves. */
const MEMBERSHIP_RETURNS =
  "(bool isMember, uint8 role, uint8 status, uint8 practiceRole, uint48 memberSince, uint48 practiceSince)";

/**
 * Checks `address`'s membership of practice `slug` in the mirror and on the chain.
 *
 * @throws CHAIN_UNAVAILABLE when the chain cannot be read (nothing is verified without it).
 */
export async function verifyMembership(ctx: ApiContext, slug: string, address: string) {
  const { manifest } = ctx;
  const registry = manifest.contracts.practices.toLowerCase();
  const data = encodeFunctionData({
    abi: practicesAbi,
    functionName: "membership",
    args: [slug, address as Hex],
  });
  const practiceId = keccak256(toBytes(slug));

  const [chain, mirrorState, practice, member] = await Promise.all([
    readChain(ctx, slug, address),
    ctx.mirror(),
    loadPractice(ctx, practiceId, null),
    loadMember(ctx, address, null),
  ]);
  const mirror = await readMirror(ctx, practice, member, address, chain.timestamp);

  const differences = compare(mirror, chain.record);
  let reason: string | null = null;
  if (differences.length > 0) {
    reason =
      `The mirror and the chain disagree (${differences.join("; ")}): the mirror is at block ` +
      `${mirrorState.checkpointBlock ?? "none"}, the chain was read at block ${chain.blockNumber}.`;
    ctx.log.warn({
      msg: "Membership mirror disagrees with the chain",
      slug,
      address,
      differences,
      mirrorBlock: mirrorState.checkpointBlock,
      chainBlock: chain.blockNumber,
    });
  } else if (!chain.record.isMember) {
    reason = notMemberReason(practice, chain.record, slug);
  }

  const record = chain.record;
  const noneToNull = (name: string) => (name === "None" ? null : name);
  return {
    verified: reason === null,
    reason,
    slug,
    address,
    practice,
    member,
    role: noneToNull(record.role),
    status: record.status,
    practiceRole: noneToNull(record.practiceRole),
    since: record.memberSince,
    practiceSince: record.practiceSince,
    checkedAtBlock: chain.blockNumber,
    checkedAt: chain.timestamp,
    chainId: manifest.chainId,
    registry,
    admission: member
      ? { hash: member.admissionTx, blockNumber: member.admissionBlock, timestamp: member.admittedAt }
      : null,
    mirror: present(mirror),
    chain: present(record),
    mirrorBlock: mirrorState.checkpointBlock,
    howToVerify: {
      method: "eth_call",
      to: registry,
      data,
      block: toHex(chain.blockNumber),
      blockNumber: chain.blockNumber,
      returns: MEMBERSHIP_RETURNS,
      jsonRpc: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "eth_call",
        params: [{ to: registry, data }, toHex(chain.blockNumber)],
      }),
    },
  };
}

/** The chain's answer at its latest block (two calls: the block, shared by concurrent checks, then the view). */
async function readChain(ctx: ApiContext, slug: string, address: string) {
  const client = ctx.publicClient;
  if (!client)
    throw codedError(ERROR_CODES.CHAIN_UNAVAILABLE, "This API has no chain client configured (RPC_URL).");
  try {
    const block = await ctx.latestBlock(client);
    const result = await ctx.membershipReads.at(
      client,
      ctx.manifest.contracts.practices,
      slug,
      address,
      block.number,
    );
    const record: MembershipRecord = {
      isMember: result.isMember,
      role: enumName(ROLES, result.role, "role"),
      status: enumName(MEMBER_STATUSES, result.status, "member status"),
      practiceRole: enumName(PRACTICE_ROLES, result.practiceRole, "practice role"),
      memberSince: result.memberSince === 0 ? null : Number(result.memberSince),
      practiceSince: result.practiceSince === 0 ? null : Number(result.practiceSince),
    };
    return { record, blockNumber: Number(block.number), timestamp: Number(block.timestamp) };
  } catch (error) {
    const short = redactUrls(
      ((error as { shortMessage?: string }).shortMessage ?? (error as Error).message).split("\n")[0] ?? "",
    ).replace(/\.+$/, "");
    ctx.log.warn({ msg: "Membership check could not read the chain", slug, address, error: short });
    throw codedError(
      ERROR_CODES.CHAIN_UNAVAILABLE,
      `Could not read the chain to verify the membership: ${short}. Retry later.`,
    );
  }
}

/** The mirror's answer, computed as Practices.membership computes it, at the chain block's time. */
async function readMirror(
  ctx: ApiContext,
  practice: PracticeNode | null,
  member: MemberNode | null,
  address: string,
  timestamp: number,
): Promise<MembershipRecord> {
  const seats = member ? await ctx.loaders.seatsByAccount.load(address) : [];
  const seat = practice ? seats.find((s) => s.practiceId === practice.practiceId) : undefined;
  const status = member ? memberStatusAt(member, timestamp) : "None";
  const practiceRole = seat?.role ?? "None";
  return {
    isMember:
      practice?.status === "Active" &&
      practiceRole !== "None" &&
      (status === "Active" || status === "OnLeave"),
    role: member?.role ?? "None",
    status,
    practiceRole,
    memberSince: member?.admittedAt ?? null,
    practiceSince: seat?.since ?? null,
  };
}

function compare(mirror: MembershipRecord, chain: MembershipRecord): string[] {
  const fields = ["isMember", "role", "status", "practiceRole", "memberSince", "practiceSince"] as const;
  return fields
    .filter((field) => mirror[field] !== chain[field])
    .map((field) => `${field}: mirror ${String(mirror[field])}, chain ${String(chain[field])}`);
}

function notMemberReason(practice: PracticeNode | null, chain: MembershipRecord, slug: string): string {
  // The page and the CLI give the same reasons in the same words (api/web/public/words.js).
  const clause = notMemberClause({
    slug,
    practiceStatus: practice?.status ?? "None",
    memberStatus: chain.status,
    practiceRole: chain.practiceRole,
  });
  return asSentence(clause ?? "the account is not a member of this practice");
}

/** The record with the contract's None as null, as the schema has it. */
function present(record: MembershipRecord) {
  return {
    ...record,
    role: record.role === "None" ? null : record.role,
    practiceRole: record.practiceRole === "None" ? null : record.practiceRole,
  };
}

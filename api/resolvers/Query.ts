// Query: the entry points. Each validates its arguments (BAD_USER_INPUT), reads through the request's
// loaders or a keyset page query, and answers NOT_FOUND for a single thing the mirror does not have.
import { keccak256, toBytes } from "viem";
import type {
  MemberStatusName,
  PracticeStatusName,
  ProposalStateName,
  RoleName,
} from "../../indexer/decode/enums.ts";
import type { ApiContext } from "../context.ts";
import { parseAddress, parseSlug, parseUintId } from "../domain/inputs.ts";
import { decodeCursor, pageSize, toConnection } from "../domain/pagination.ts";
import { notFound } from "../errors.ts";
import { readIndexingStatus } from "../indexingStatus.ts";
import { type AsOfInput, resolveAsOf } from "../queries/asOf.ts";
import { countDistributions, listDistributions } from "../queries/distributions.ts";
import { countGrants, listGrants } from "../queries/grants.ts";
import { countMembers, listMembers, type MemberOrder } from "../queries/members.ts";
import { countPractices, listPractices } from "../queries/practices.ts";
import {
  countProposals,
  listProposals,
  type ProposalCursor,
  type ProposalOrder,
} from "../queries/proposals.ts";
import { verifyMembership } from "../verifyMembership.ts";
import { loadMember, loadPractice, type PageArgs, type PracticeNode } from "./nodes.ts";
import { proposalState } from "./Proposal.ts";

export const Query = {
  firm: () => ({}),

  async member(_: unknown, { address, asOf }: { address: string; asOf?: AsOfInput | null }, ctx: ApiContext) {
    const account = parseAddress(address);
    const point = asOf ? await resolveAsOf(ctx.db, ctx.manifest.chainId, asOf, await ctx.mirror()) : null;
    const member = await loadMember(ctx, account, point);
    if (!member) throw notFound("member", account, point ? `at block ${point.block}` : undefined);
    return member;
  },

  async members(
    _: unknown,
    {
      first,
      after,
      where,
      orderBy,
    }: PageArgs & {
      where?: { role?: RoleName | null; status?: MemberStatusName | null; practice?: string | null } | null;
      orderBy?: MemberOrder | null;
    },
    ctx: ApiContext,
  ) {
    const size = pageSize(first);
    const order = orderBy ?? "ADMITTED_ASC";
    const list = `members:${order}`;
    const [afterIndex] = decodeCursor(list, after, ["int"]) ?? [];
    const filter = {
      role: where?.role,
      status: where?.status,
      practice: where?.practice ? parseSlug(where.practice, "where.practice") : undefined,
      now: await ctx.now(),
    };
    const rows = await listMembers(ctx.db, {
      filter,
      order,
      after: afterIndex as number | undefined,
      limit: size + 1,
    });
    return toConnection(rows, {
      size,
      after,
      list,
      keyOf: (row) => [row.memberIndex],
      nodeOf: (row) => ({ ...row, asOf: null }),
      count: () => countMembers(ctx.db, filter),
    });
  },

  async practice(_: unknown, { slug, asOf }: { slug: string; asOf?: AsOfInput | null }, ctx: ApiContext) {
    const valid = parseSlug(slug);
    let practice: PracticeNode | null;
    if (asOf) {
      const point = await resolveAsOf(ctx.db, ctx.manifest.chainId, asOf, await ctx.mirror());
      practice = await loadPractice(ctx, keccak256(toBytes(valid)), point);
      if (!practice) throw notFound("practice", valid, `at block ${point.block}`);
    } else {
      const row = await ctx.loaders.practiceBySlug.load(valid);
      practice = row ? { ...row, asOf: null } : null;
      if (!practice) throw notFound("practice", valid);
    }
    return practice;
  },

  async practices(
    _: unknown,
    {
      first,
      after,
      where,
    }: PageArgs & { where?: { status?: PracticeStatusName | null; lead?: string | null } | null },
    ctx: ApiContext,
  ) {
    const size = pageSize(first);
    const list = "practices:SLUG_ASC";
    const [afterSlug] = decodeCursor(list, after, ["string"]) ?? [];
    const filter = {
      status: where?.status,
      lead: where?.lead ? parseAddress(where.lead, "where.lead") : undefined,
    };
    const rows = await listPractices(ctx.db, {
      filter,
      after: afterSlug as string | undefined,
      limit: size + 1,
    });
    return toConnection(rows, {
      size,
      after,
      list,
      keyOf: (row) => [row.slug],
      nodeOf: (row) => ({ ...row, asOf: null }),
      count: () => countPractices(ctx.db, filter),
    });
  },

  async proposal(_: unknown, { id }: { id: string }, ctx: ApiContext) {
    const proposalId = parseUintId(id);
    const row = await ctx.loaders.proposalById.load(proposalId);
    if (!row) throw notFound("proposal", proposalId);
    return row;
  },

  async proposals(
    _: unknown,
    {
      first,
      after,
      where,
      orderBy,
    }: PageArgs & {
      where?: { state?: ProposalStateName | null; proposer?: string | null; kind?: string | null } | null;
      orderBy?: ProposalOrder | null;
    },
    ctx: ApiContext,
  ) {
    const size = pageSize(first);
    const order = orderBy ?? "CREATED_DESC";
    const list = `proposals:${order}`;
    const cursor = decodeCursor(list, after, ["int", "string"]) as ProposalCursor | undefined;
    if (cursor) parseUintId(cursor[1], "cursor");
    const now = await ctx.now();
    const state = where?.state;
    const filter = {
      state,
      proposer: where?.proposer ? parseAddress(where.proposer, "where.proposer") : undefined,
      kind: where?.kind,
      now,
    };
    const accept = async (rows: Parameters<typeof proposalState>[0][]) =>
      Promise.all(rows.map(async (row) => (await proposalState(row, now, ctx)) === state));
    const rows = await listProposals(ctx.db, { filter, order, after: cursor, limit: size + 1, accept });
    return toConnection(rows, {
      size,
      after,
      list,
      keyOf: (row) => [row.createdBlock, row.proposalId.toString()],
      count: async () => {
        if (!state) return countProposals(ctx.db, filter);
        // The exact state needs each candidate's eligible bases: count the candidates that pass.
        const all = await listProposals(ctx.db, {
          filter,
          order,
          after: undefined,
          limit: Number.MAX_SAFE_INTEGER,
          accept,
        });
        return all.length;
      },
    });
  },

  async grant(_: unknown, { id }: { id: string }, ctx: ApiContext) {
    const grantId = parseUintId(id);
    const row = await ctx.loaders.grantById.load(grantId);
    if (!row) throw notFound("grant", grantId);
    return row;
  },

  async grants(
    _: unknown,
    {
      first,
      after,
      where,
    }: PageArgs & { where?: { beneficiary?: string | null; revoked?: boolean | null } | null },
    ctx: ApiContext,
  ) {
    const size = pageSize(first);
    const list = "grants:ID_ASC";
    const [afterId] = decodeCursor(list, after, ["string"]) ?? [];
    if (afterId !== undefined) parseUintId(afterId as string, "cursor");
    const filter = {
      beneficiary: where?.beneficiary ? parseAddress(where.beneficiary, "where.beneficiary") : undefined,
      revoked: where?.revoked,
    };
    const rows = await listGrants(ctx.db, { filter, after: afterId as string | undefined, limit: size + 1 });
    return toConnection(rows, {
      size,
      after,
      list,
      keyOf: (row) => [row.grantId.toString()],
      count: () => countGrants(ctx.db, filter),
    });
  },

  async distributions(_: unknown, { first, after }: PageArgs, ctx: ApiContext) {
    const size = pageSize(first);
    const list = "distributions:ID_ASC";
    const [afterId] = decodeCursor(list, after, ["string"]) ?? [];
    if (afterId !== undefined) parseUintId(afterId as string, "cursor");
    const rows = await listDistributions(ctx.db, { after: afterId as string | undefined, limit: size + 1 });
    return toConnection(rows, {
      size,
      after,
      list,
      keyOf: (row) => [row.distributionId.toString()],
      count: () => countDistributions(ctx.db),
    });
  },

  verifyMembership(
    _: unknown,
    { practice, address }: { practice: string; address: string },
    ctx: ApiContext,
  ) {
    return verifyMembership(ctx, parseSlug(practice, "practice"), parseAddress(address));
  },

  async indexingStatus(_: unknown, __: unknown, ctx: ApiContext) {
    return readIndexingStatus(ctx, await ctx.mirror());
  },
};

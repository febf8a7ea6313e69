// The small types every books node points to: PracticeRef (a practice id; the zero hash is the firm),
// Token (an address; ETH for the zero address) and Transaction (where a row was written).
import { zeroAddress, zeroHash } from "viem";
import type { ApiContext } from "../../../context.ts";
import { decimalsOf } from "../units.ts";

/** How the firm itself appears where a practice would. */
export const FIRM_PRACTICE = { slug: "", name: "The firm" };

export const PracticeRef = {
  async slug(practiceId: string, _: unknown, ctx: ApiContext) {
    if (practiceId === zeroHash) return FIRM_PRACTICE.slug;
    return (await ctx.loaders.practiceById.load(practiceId))?.slug ?? practiceId;
  },
  async name(practiceId: string, _: unknown, ctx: ApiContext) {
    if (practiceId === zeroHash) return FIRM_PRACTICE.name;
    return (await ctx.loaders.practiceById.load(practiceId))?.name ?? practiceId;
  },
};

export const Token = {
  address: (token: string) => token,
  async symbol(token: string, _: unknown, ctx: ApiContext) {
    if (token === zeroAddress) return "ETH";
    return (await ctx.loaders.bookTokenByToken.load(token))?.symbol ?? null;
  },
  decimals: (token: string, _: unknown, ctx: ApiContext) => decimalsOf(ctx, token),
};

export function transactionOf(hash: string, blockNumber: number, timestamp: number) {
  return { hash, blockNumber, timestamp };
}

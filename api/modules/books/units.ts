// Amounts in token units: the books store and the schema's BigInt fields are base units; a person,
// the page and an accounting package read token units. Exact decimal strings from integers, never
// floats: 2^96 base units of a 6-decimal token is beyond a double's precision.
import { zeroAddress } from "viem";
import type { ApiContext } from "../../context.ts";

/** ETH's decimals; the zero address is ETH in the books. */
export const ETH_DECIMALS = 18;

/** An integer amount in base units as a decimal in token units: 1250000000 with 6 → "1250.000000". */
export function formatUnits(amount: bigint, decimals: number | null): string {
  if (decimals === null || decimals === 0) return amount.toString();
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(decimals + 1, "0");
  const text = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** The token's decimals as the indexer read them (18 for ETH); null when the token did not say. */
export async function decimalsOf(ctx: ApiContext, token: string): Promise<number | null> {
  if (token === zeroAddress) return ETH_DECIMALS;
  return (await ctx.loaders.bookTokenByToken.load(token))?.decimals ?? null;
}

type AmountField<Row> = {
  [K in keyof Row]: Row[K] extends bigint | string | null | undefined ? K : never;
}[keyof Row] &
  string;

/**
 * Resolvers for `<field>Formatted`, beside each base-unit `field` of a node that has a `token`: the
 * same amount in token units, or null when the field is null or the token's decimals are unknown
 * (then only the base-unit field has a meaning).
 *
 * @example
 * export const Movement = { ...formattedAmounts<MovementRow>(["amount"]) };
 */
export function formattedAmounts<Row extends { token: string }>(fields: readonly AmountField<Row>[]) {
  const resolvers: Record<string, (row: Row, args: unknown, ctx: ApiContext) => Promise<string | null>> = {};
  for (const field of fields)
    resolvers[`${field}Formatted`] = async (row, _, ctx) => {
      const value = row[field] as bigint | string | null | undefined;
      if (value === null || value === undefined) return null;
      const decimals = await decimalsOf(ctx, row.token);
      return decimals === null ? null : formatUnits(BigInt(value), decimals);
    };
  return resolvers;
}

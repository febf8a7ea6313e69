// The books' arguments: months as "YYYY-MM" (the contract's yyyymm), and a practice slug where "" is the
// firm (practice id 0) and null means every practice. Each parser throws BAD_USER_INPUT naming the
// argument and the expected format.
import { zeroHash } from "viem";
import { addMonths, monthOf } from "../../../indexer/handlers/books.ts";
import type { ApiContext } from "../../context.ts";
import { badUserInput } from "../../errors.ts";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const MONTH_FORMAT = 'a month as "YYYY-MM" (e.g. "2026-11")';

/** "2026-11" → 202611, or undefined when `value` is no month written so. */
export function readMonth(value: unknown): number | undefined {
  const match = typeof value === "string" ? MONTH.exec(value) : null;
  return match ? Number(match[1]) * 100 + Number(match[2]) : undefined;
}

/** "2026-11" → 202611, or BAD_USER_INPUT naming `argument`. */
export function parseMonth(value: string, argument: string): number {
  const month = readMonth(value);
  if (month === undefined) throw badUserInput(argument, value, MONTH_FORMAT);
  return month;
}

/** 202611 → "2026-11". */
export function formatMonth(month: number): string {
  return `${Math.floor(month / 100)}-${String(month % 100).padStart(2, "0")}`;
}

/** The range between two optional months: by default the 12 months up to the one containing `now`. */
export function monthRange(
  from: string | null | undefined,
  to: string | null | undefined,
  now: number,
  defaults: { from: number; to: number } | null = null,
): { from: number; to: number } {
  const last = to == null ? (defaults?.to ?? monthOf(now)) : parseMonth(to, "to");
  const first = from == null ? (defaults?.from ?? addMonths(last, -11)) : parseMonth(from, "from");
  if (first > last)
    throw badUserInput("from", from ?? formatMonth(first), `a month no later than to (${formatMonth(last)})`);
  return { from: first, to: last };
}

/**
 * The practice id a slug names: zeroHash for "" (the firm), undefined for null (all). An unknown slug
 * is the client's mistake, not an empty answer.
 */
export async function practiceIdOf(
  ctx: ApiContext,
  slug: string | null | undefined,
  argument = "practice",
): Promise<string | undefined> {
  if (slug == null) return undefined;
  if (slug === "") return zeroHash;
  const practice =
    typeof slug === "string" && slug.length <= 32 ? await ctx.loaders.practiceBySlug.load(slug) : null;
  if (!practice) throw badUserInput(argument, slug, 'the slug of an existing practice, or "" for the firm');
  return practice.practiceId;
}

// What people type, turned into what the contracts take: durations ("1y6mo"), amounts ("1,000",
// "1.5"), dates ("2027-01-31" or "30d" from now), addresses, ids and enum words. Every parser names
// the option it read and says what it expected, so a typo never reaches the chain.
import { type Address, getAddress, isAddress, parseUnits } from "viem";
import { PRACTICE_SLUG, PRACTICE_SLUG_RULE } from "../../../api/web/public/proposalText.js";
import { UsageError } from "../errors.ts";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Seconds per duration unit. A year is 365 days and a month 30, as the contracts count (MAX_LEAVE). */
export const DURATION_UNITS = {
  y: 365 * DAY,
  mo: 30 * DAY,
  w: 7 * DAY,
  d: DAY,
  h: HOUR,
  m: MINUTE,
  s: 1,
} as const;

const DURATION_EXAMPLES = "a duration such as 1y, 6mo, 2w, 30d, 12h, 90m, 45s or 1y6mo";
const DURATION_PART = /(\d+)(y|mo|w|d|h|m|s)/y;

/**
 * A duration as people write it, in seconds: units y, mo, w, d, h, m (minutes), s, combined
 * largest first ("1y6mo"); a bare "0" is zero.
 *
 * @example parseDuration("1y6mo", "--vesting") // 47_088_000
 */
export function parseDuration(text: string, option: string): number {
  const value = text.trim().toLowerCase();
  if (value === "0") return 0;
  if (value === "")
    throw new UsageError(`${option} "${text}" is not a duration`, `Write ${DURATION_EXAMPLES}.`);
  if (/^\d+$/.test(value)) {
    throw new UsageError(
      `${option} "${text}" has no unit`,
      `Write ${DURATION_EXAMPLES} (m is minutes, mo is months).`,
    );
  }
  let seconds = 0;
  let position = 0;
  let previousSize = Number.POSITIVE_INFINITY;
  DURATION_PART.lastIndex = 0;
  while (position < value.length) {
    DURATION_PART.lastIndex = position;
    const match = DURATION_PART.exec(value);
    if (!match) {
      throw new UsageError(`${option} "${text}" is not a duration`, `Write ${DURATION_EXAMPLES}.`);
    }
    const size = DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS];
    if (size >= previousSize) {
      throw new UsageError(
        `${option} "${text}" repeats a unit or puts a smaller one first`,
        "Write the units largest first, each once: 1y6mo, 2d12h.",
      );
    }
    previousSize = size;
    seconds += Number(match[1]) * size;
    position = DURATION_PART.lastIndex;
  }
  if (!Number.isSafeInteger(seconds)) throw new UsageError(`${option} "${text}" is too long`);
  return seconds;
}

/** A duration that must fit a uint32 field of the contracts (cliff and vesting: about 136 years). */
export function parseUint32Duration(text: string, option: string): number {
  const seconds = parseDuration(text, option);
  if (seconds > 0xffff_ffff)
    throw new UsageError(`${option} "${text}" is longer than the contracts allow (136 years)`);
  return seconds;
}

/** "1,000,000" or "1000000" or "1_000_000" → the digits; commas must group by thousands. */
function stripGrouping(text: string, option: string, what: string): string {
  const value = text.trim();
  if (value.includes(",")) {
    if (!/^\d{1,3}(,\d{3})*(\.\d+)?$/.test(value)) {
      throw new UsageError(
        `${option} "${text}" is not ${what}: commas must separate thousands`,
        "Write 1,000 or 1000.",
      );
    }
    return value.replaceAll(",", "");
  }
  return value.replaceAll("_", "");
}

/**
 * An amount in a currency with `decimals` decimals, as the smallest unit: "1,000", "1.5", "0.25 ETH".
 * Refuses negative numbers, more decimals than the currency has, and zero unless `allowZero`.
 *
 * @example parseAmount("1.5", "--amount", { decimals: 18 }) // 1_500_000_000_000_000_000n
 */
export function parseAmount(
  text: string,
  option: string,
  { decimals, symbol = "ETH", allowZero = false }: { decimals: number; symbol?: string; allowZero?: boolean },
): bigint {
  const withoutSymbol = text.trim().replace(new RegExp(`\\s*${escapeRegExp(symbol)}$`, "i"), "");
  const value = stripGrouping(withoutSymbol, option, "an amount");
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new UsageError(
      `${option} "${text}" is not an amount`,
      `Write a positive number such as 1,000 or 1.5 (in ${symbol}).`,
    );
  }
  const fraction = value.split(".")[1] ?? "";
  if (fraction.length > decimals) {
    throw new UsageError(
      `${option} "${text}" has ${fraction.length} decimals; ${symbol} has ${decimals}`,
      decimals === 0 ? `${symbol} amounts are whole numbers.` : undefined,
    );
  }
  const amount = parseUnits(value, decimals);
  if (amount === 0n && !allowZero) throw new UsageError(`${option} must be more than zero`);
  return amount;
}

const MAX_UINT64 = 2n ** 64n - 1n;

/** Equity units: whole, positive, at most a uint64 ("1,000"). */
export function parseUnitsCount(text: string, option: string): bigint {
  const units = parseAmount(text, option, { decimals: 0, symbol: "units" });
  if (units > MAX_UINT64) throw new UsageError(`${option} "${text}" is more units than the contracts hold`);
  return units;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * A moment, in unix seconds: an ISO date ("2027-01-31", midnight UTC), an ISO date-time with a zone
 * ("2027-01-31T09:00Z"), or a duration from `now` ("30d", "+2w").
 */
export function parseDate(text: string, option: string, now: number): number {
  const value = text.trim();
  const relative = value.startsWith("+") ? value.slice(1) : value;
  if (/^\d+[a-z]/i.test(relative) && !ISO_DATE.test(value)) return now + parseDuration(relative, option);
  const match = ISO_DATE.exec(value);
  const hint =
    "Write an ISO date such as 2027-01-31 (midnight UTC), a date-time with a zone such as 2027-01-31T09:00Z, or a time from now such as 30d.";
  if (!match) throw new UsageError(`${option} "${text}" is not a date`, hint);
  const [, year, month, day, hour = "00", minute = "00", second = "00"] = match;
  const onCalendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    onCalendar.getUTCMonth() !== Number(month) - 1 ||
    onCalendar.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    throw new UsageError(`${option} "${text}" is not a day on the calendar`, hint);
  }
  const ms = Date.parse(match[4] ? value.replace(" ", "T") : `${value}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new UsageError(`${option} "${text}" is not a date`, hint);
  return Math.floor(ms / 1000);
}

/** An account address; mixed case must be a valid EIP-55 checksum (a wrong one is likely a typo). */
export function parseAddress(text: string, option: string): Address {
  const value = text.trim();
  const uniformCase = /^0x([0-9a-f]{40}|[0-9A-F]{40})$/.test(value);
  if (!uniformCase && !isAddress(value, { strict: true })) {
    const hint = /^0x[0-9a-fA-F]{40}$/.test(value)
      ? "Its mixed case is not a valid EIP-55 checksum: check for a typo, or write it in lowercase."
      : "Write a 0x-prefixed address of 40 hex digits.";
    throw new UsageError(`${option} "${text}" is not an address`, hint);
  }
  return getAddress(value.toLowerCase());
}

/** How a proposal was named: its full id, or the start of its decimal id (as `firm proposals` shows). */
export type ProposalRef = { kind: "id"; id: bigint } | { kind: "prefix"; prefix: string };

/** Proposal ids are keccak256 hashes: 77 or 78 decimal digits, all but never fewer than 70. */
const FULL_DECIMAL_DIGITS = 70;
const MIN_PREFIX_DIGITS = 4;
const MAX_UINT256 = 2n ** 256n - 1n;

/**
 * A proposal id in full decimal, 0x-hex, or a unique decimal prefix of 4 or more digits (with or
 * without the "…" that `firm proposals` prints).
 */
export function parseProposalRef(text: string, option = "proposal"): ProposalRef {
  const value = text.trim().replace(/(…|\.\.\.)$/, "");
  const hint = `Give the id in full (decimal or 0x-hex), or its first ${MIN_PREFIX_DIGITS} or more digits as \`firm proposals\` shows them.`;
  if (/^0x[0-9a-fA-F]{1,64}$/.test(value)) return { kind: "id", id: BigInt(value) };
  if (!/^\d+$/.test(value)) throw new UsageError(`${option} "${text}" is not a proposal id`, hint);
  if (value.length >= FULL_DECIMAL_DIGITS) {
    const id = BigInt(value);
    if (id > MAX_UINT256) throw new UsageError(`${option} "${text}" is larger than any proposal id`, hint);
    return { kind: "id", id };
  }
  if (value.length < MIN_PREFIX_DIGITS)
    throw new UsageError(`${option} "${text}" is too short to name a proposal`, hint);
  return { kind: "prefix", prefix: value };
}

/** A grant or distribution number: a positive integer ("#3" is fine). */
export function parsePositiveId(text: string, what: string): bigint {
  const value = text.trim().replace(/^#/, "");
  if (!/^\d{1,78}$/.test(value) || BigInt(value) === 0n) {
    throw new UsageError(`${what} "${text}" is not an id`, `A ${what} is a positive whole number such as 3.`);
  }
  return BigInt(value);
}

/** One of `choices` (case-insensitive), as its index in the list given. */
export function parseChoice<const T extends readonly string[]>(
  text: string,
  option: string,
  choices: T,
): T[number] {
  const value = text.trim().toLowerCase();
  const found = choices.find((choice) => choice === value);
  if (found === undefined) {
    throw new UsageError(
      `${option} "${text}" is not one of ${choices.join(", ")}`,
      `Write one of: ${choices.join(" | ")}.`,
    );
  }
  return found;
}

/** Vote support as the governor counts it (GovernorCountingSimple: Against 0, For 1, Abstain 2). */
export const SUPPORT_CODES = { against: 0, for: 1, abstain: 2 } as const;
/** IPartnership.Role ordinals for the roles a member can be admitted as. */
export const ROLE_CODES = { partner: 1, associate: 2, affiliate: 3 } as const;
/** IPartnership.PracticeRole ordinals a new member can take in a practice. */
export const PRACTICE_ROLE_CODES = { member: 2, technician: 3 } as const;

/** The contract's own slug rule (Practices._validateSlug). */
export function parseSlug(text: string, option: string): string {
  const value = text.trim();
  if (!PRACTICE_SLUG.test(value)) {
    throw new UsageError(`${option} "${text}" is not a practice slug`, PRACTICE_SLUG_RULE);
  }
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

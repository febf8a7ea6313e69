// How commands speak: lines for people on stdout, progress on stderr, or with --json exactly one JSON
// object on stdout for scripts, with one type per field whichever command prints it (see toJson).
import { formatTime } from "../../../api/web/public/revertWords.js";

export class Output {
  readonly json: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr = process.stderr) {
    this.json = json;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** A line of the human answer (nothing with --json). */
  line(text = ""): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** Progress on long work, on stderr so that stdout stays the answer. */
  progress(text: string): void {
    if (!this.json || process.stderr.isTTY) this.stderr.write(`${text}\n`);
  }

  /** The answer for scripts: one JSON object, `ok: true` first. */
  result(data: Record<string, unknown>): void {
    if (this.json) this.stdout.write(`${toJson({ ok: true, ...data })}\n`);
  }
}

/**
 * Fields that are JSON numbers wherever they appear, as the API gives them (Int and Timestamp):
 * headcounts, times (unix seconds), block numbers, indexes and counts. The chain hands them over as
 * bigints and the API's quorum measures as strings; all of them fit a double.
 */
const NUMBER_FIELDS = new Set([
  "headcount",
  "forHeadcountNeeded",
  "block",
  "blockNumber",
  "blockTimestamp",
  "indexedBlock",
  "chainBlock",
  "startBlock",
  "lagBlocks",
  "gasUsed",
  "chainId",
  "memberIndex",
  "index",
  "totalCount",
  "seconds",
  "now",
  "at",
  "from",
  "to",
  "until",
  "since",
  "endedAt",
  "leaveUntil",
  "eta",
  "voteStart",
  "voteEnd",
  "memberSince",
  "partnerSince",
  "partnerUntil",
  "practiceSince",
  "timestamp",
  "start",
  "cliff",
  "end",
]);

/** In a headcount measure ({ base, required, counted }), every count is a headcount too. */
const HEADCOUNT_PARENTS = new Set(["headcount"]);

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DIGITS = /^\d+$/;

/**
 * A value as --json prints it: bigints as decimal strings (units, wei and ids do not fit a JSON
 * number) except the NUMBER_FIELDS, which are numbers; addresses in lowercase, as the API gives them.
 */
export function jsonValue(value: unknown, key = "", parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => jsonValue(item, "", key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v, k, key)]));
  }
  const numeric = NUMBER_FIELDS.has(key) || HEADCOUNT_PARENTS.has(parentKey);
  if (typeof value === "bigint") return numeric ? Number(value) : value.toString();
  if (typeof value === "string") {
    if (ADDRESS.test(value)) return value.toLowerCase();
    if (numeric && DIGITS.test(value)) return Number(value);
  }
  return value;
}

/** JSON of `value` as --json prints it (see jsonValue). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(jsonValue(value), null, indent);
}

/** A unix time as "2026-05-01 12:00:00 UTC": the same function as the revert words'. */
export { formatTime };

const SPAN_UNITS = [
  ["y", 365 * 86_400],
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
] as const;

/** A span of seconds in its two largest units: 93784 → "1d 2h". */
export function formatSpan(seconds: number): string {
  let rest = Math.abs(Math.round(seconds));
  if (rest === 0) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of SPAN_UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(" ");
}

/** "2026-05-01 12:00:00 UTC (in 1d 2h)", relative to the chain's `now`. */
export function formatWhen(seconds: number | bigint, now: number): string {
  const delta = Number(seconds) - now;
  const relative = delta === 0 ? "now" : delta > 0 ? `in ${formatSpan(delta)}` : `${formatSpan(delta)} ago`;
  return `${formatTime(seconds)} (${relative})`;
}

/** "associate" → "Associate". */
export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// Times in the API: unix seconds out; unix seconds or ISO 8601 in. Every value that depends on time
// takes an `at`; when the client leaves it out, "now" is the request's clock (see context.ts `now`).
import { badUserInput } from "../errors.ts";

/** 9999-12-31T23:59:59Z: the last second a four-digit ISO 8601 year can write, far past any vesting end. */
export const MAX_TIMESTAMP = 253_402_300_799;

/**
 * ISO 8601 as clients send it: a date (midnight UTC), or a date-time with seconds optional, a
 * fraction optional and a zone REQUIRED ("Z" or ±hh:mm). A zone-less date-time is refused rather than
 * read in the server's local zone, which would make the same query mean different instants.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2})))?$/;
const DIGITS = /^\d{1,15}$/;

const EXPECTED = `unix seconds from 0 to ${MAX_TIMESTAMP}, or an ISO 8601 date or date-time with a zone such as "2026-05-01T12:00:00Z"`;

/**
 * Reads a time argument: an integer of unix seconds, a string of digits, or an ISO 8601 string.
 * Fractions of a second are dropped (the contracts' clock counts whole seconds).
 *
 * @throws BAD_USER_INPUT for anything else, negative times and times past {@link MAX_TIMESTAMP}.
 * @example
 * parseTimestamp(1767225600) // 1767225600
 * parseTimestamp("2026-01-01T00:00:00Z") // 1767225600
 */
export function parseTimestamp(value: unknown, argument = "at"): number {
  let seconds: number | undefined;
  if (typeof value === "number") {
    if (Number.isInteger(value)) seconds = value;
  } else if (typeof value === "string") {
    const text = value.trim();
    if (DIGITS.test(text)) seconds = Number(text);
    else if (isCalendarValid(text)) {
      const ms = Date.parse(text);
      if (Number.isFinite(ms)) seconds = Math.floor(ms / 1000);
    }
  }
  if (seconds === undefined || seconds < 0 || seconds > MAX_TIMESTAMP)
    throw badUserInput(argument, value, EXPECTED);
  return seconds;
}

/** ISO 8601 whose fields exist on the calendar: Date.parse would read February 30 as March 2. */
function isCalendarValid(text: string): boolean {
  const match = ISO_8601.exec(text);
  if (!match) return false;
  const [, year, month, day, hour = "0", minute = "0", second = "0", zoneHour = "0", zoneMinute = "0"] =
    match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    Number(zoneHour) < 24 &&
    Number(zoneMinute) < 60
  );
}

/** Whole unix seconds of a millisecond clock. */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

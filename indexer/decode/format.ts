// Formatting for one-line human summaries: short addresses, grouped numbers, ETH and durations.
import { formatEther } from "viem";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The contracts' year: MAX_LEAVE and the fixture both use 365 days. */
const YEAR = 365 * DAY;

/** "0xab12…cd34": enough to tell a firm's members apart at a glance. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** 1234567n → "1,234,567". */
export function groupDigits(value: bigint | number): string {
  const text = value.toString();
  const negative = text.startsWith("-");
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? `-${grouped}` : grouped;
}

/** 1500000000000000000n → "1.5 ETH". */
export function formatEth(wei: bigint): string {
  const [whole = "0", fraction] = formatEther(wei).split(".");
  return `${groupDigits(BigInt(whole))}${fraction ? `.${fraction}` : ""} ETH`;
}

/** Seconds in the largest unit that divides them exactly: 126144000 → "4y", 86400 → "1d", 90 → "90s". */
export function formatDuration(seconds: bigint | number): string {
  const s = Number(seconds);
  if (s === 0) return "0s";
  for (const [unit, size] of [
    ["y", YEAR],
    ["d", DAY],
    ["h", HOUR],
    ["m", MINUTE],
  ] as const) {
    if (s % size === 0) return `${groupDigits(s / size)}${unit}`;
  }
  return `${groupDigits(s)}s`;
}

/** Basis points as a percentage: 4000 → "40%", 3333 → "33.33%". */
export function formatBps(bps: bigint | number): string {
  const value = Number(bps) / 100;
  return `${Number.isInteger(value) ? value : value.toFixed(2)}%`;
}

/** A unix time as a UTC date: 1798761600 → "2027-01-01". */
export function formatDate(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
}

// How commands speak: lines for people on stdout, progress on stderr, or with --json exactly one JSON
// object on stdout (bigints as decimal strings) for scripts.
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

/** JSON with bigints as decimal strings (uint256 values do not fit a JSON number). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), indent);
}

/** A unix time as "2026-05-01 12:00:00 UTC". */
export function formatTime(seconds: number | bigint): string {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

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

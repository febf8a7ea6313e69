// Exponential backoff with jitter, shared by RPC retries and the indexer's resume-after-fault loop.
// Jitter spreads the retries of many callers (our own concurrent requests included) so they do not
// hit a recovering endpoint in one burst.

export interface BackoffOptions {
  /** The delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** No delay exceeds this. */
  maxDelayMs: number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry): the exponential step
 * `baseDelayMs * 2^(attempt-1)`, capped at `maxDelayMs`, of which a random half is kept ("equal
 * jitter"), so delays still grow with each attempt but never line up.
 *
 * @example
 * backoffDelay(3, { baseDelayMs: 250, maxDelayMs: 8_000 }) // between 500 and 1000
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return step / 2 + random() * (step / 2);
}

/** `Retry-After` in milliseconds, from seconds or an HTTP date, when a 429 or 503 carries one. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    const headers = (current as { headers?: unknown }).headers;
    if (headers instanceof Headers) {
      const value = headers.get("retry-after");
      if (value === null) return undefined;
      if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
      const date = Date.parse(value);
      return Number.isNaN(date) ? undefined : Math.max(0, date - now);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

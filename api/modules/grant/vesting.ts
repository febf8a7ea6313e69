// Vesting as Partnership._vestedAt computes it: nothing before the cliff, linear from the start to
// the end (integer floor), everything from the end on, and frozen at the revocation time. The API
// answers vestedAt/releasableAt/schedule/nextUnlock for any time with no chain call, so this must be
// the contract's math exactly; vesting.test.ts compares it with the contract's own vestedAt.

/** A grant's terms as the mirror stores them (unix seconds; revokedAt null while not revoked). */
export interface VestingTerms {
  units: bigint;
  start: number;
  cliffEnd: number;
  end: number;
  revokedAt: number | null;
}

export interface VestingPoint {
  at: number;
  vested: bigint;
}

/** Most points a schedule may have: enough for any chart, small enough to keep responses small. */
export const MAX_SCHEDULE_POINTS = 100;

/**
 * Units of `grant` vested at time `t`.
 *
 * @example
 * vestedAt({ units: 1000n, start: 0, cliffEnd: 100, end: 400, revokedAt: null }, 250) // 625n
 */
export function vestedAt(grant: VestingTerms, t: number): bigint {
  const time = grant.revokedAt !== null && t > grant.revokedAt ? grant.revokedAt : t;
  if (time < grant.cliffEnd) return 0n;
  if (time >= grant.end) return grant.units;
  // cliffEnd >= start, so time - start >= 0 here; end > time >= start, so the divisor is positive.
  return (grant.units * BigInt(time - grant.start)) / BigInt(grant.end - grant.start);
}

/** What `release` would mint at `t` given `released` so far; 0 when more was released than had vested by then. */
export function releasableAt(grant: VestingTerms, released: bigint, t: number): bigint {
  const vested = vestedAt(grant, t);
  return vested > released ? vested - released : 0n;
}

/**
 * `points` evenly spaced times from the start to the end, with what has vested at each. A grant that
 * vests at once (end = start) has a single point.
 */
export function vestingSchedule(grant: VestingTerms, points: number): VestingPoint[] {
  const span = grant.end - grant.start;
  if (span <= 0) return [{ at: grant.end, vested: vestedAt(grant, grant.end) }];
  const times = new Set<number>();
  for (let i = 0; i < points; i++) times.add(grant.start + Math.round((span * i) / (points - 1)));
  return [...times].map((at) => ({ at, vested: vestedAt(grant, at) }));
}

/**
 * The first moment after `t` at which more units vest, and the vested total then; null once nothing
 * more will vest (fully vested, or revoked).
 */
export function nextUnlock(grant: VestingTerms, t: number): VestingPoint | null {
  let from = t;
  if (from < grant.cliffEnd) {
    const atCliff = vestedAt(grant, grant.cliffEnd);
    if (atCliff > 0n) return withinRevocation(grant, { at: grant.cliffEnd, vested: atCliff });
    // So few units that none vest at the cliff: search on from the cliff.
    from = grant.cliffEnd;
  }
  const vested = vestedAt(grant, from);
  if (vested >= grant.units) return null;
  const span = grant.end - grant.start;
  if (span <= 0) return withinRevocation(grant, { at: grant.end, vested: grant.units });
  // The least s with floor(units * (s - start) / span) >= vested + 1 is start + ⌈(vested + 1) · span / units⌉.
  const need = (vested + 1n) * BigInt(span);
  const offset = (need + grant.units - 1n) / grant.units;
  let at = grant.start + Number(offset);
  if (at <= from) at = from + 1;
  if (at > grant.end) at = grant.end;
  return withinRevocation(grant, { at, vested: vestedAt(grant, at) });
}

function withinRevocation(grant: VestingTerms, point: VestingPoint): VestingPoint | null {
  return grant.revokedAt !== null && point.at > grant.revokedAt ? null : point;
}

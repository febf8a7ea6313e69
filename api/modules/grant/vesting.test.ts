// The vesting math's properties over random grants and times. Equality with the contract itself is
// checked on a real chain in grant.test.ts ("vests exactly as the contract does").
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextUnlock, releasableAt, type VestingTerms, vestedAt, vestingSchedule } from "./vesting.ts";

const DAY = 86_400;

/** Grants as the contract admits them: uint64 units, cliff within [start, end], optional revocation. */
const grantArbitrary = fc
  .record({
    units: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
    start: fc.integer({ min: 0, max: 2_000_000_000 }),
    cliff: fc.integer({ min: 0, max: 4 * 365 * DAY }),
    extra: fc.integer({ min: 0, max: 4 * 365 * DAY }),
    revokeAfter: fc.option(fc.integer({ min: 0, max: 9 * 365 * DAY }), { nil: undefined }),
  })
  .map(
    ({ units, start, cliff, extra, revokeAfter }): VestingTerms => ({
      units,
      start,
      cliffEnd: start + cliff,
      end: start + cliff + extra,
      revokedAt: revokeAfter === undefined ? null : start + revokeAfter,
    }),
  );

const timeArbitrary = fc.integer({ min: 0, max: 2_400_000_000 });

describe("vestedAt", () => {
  it("follows the contract's worked example", () => {
    const grant = { units: 1_000n, start: 0, cliffEnd: 100, end: 400, revokedAt: null };
    expect([99, 100, 250, 399, 400, 10_000].map((t) => vestedAt(grant, t))).toEqual([
      0n,
      250n,
      625n,
      997n,
      1_000n,
      1_000n,
    ]);
    expect(vestedAt({ ...grant, revokedAt: 250 }, 10_000)).toBe(625n);
  });

  it("is zero before the cliff, all at the end, never more than the units, and never decreases", () => {
    fc.assert(
      fc.property(grantArbitrary, timeArbitrary, timeArbitrary, (grant, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(vestedAt(grant, early)).toBeLessThanOrEqual(vestedAt(grant, late));
        expect(vestedAt(grant, late)).toBeLessThanOrEqual(grant.units);
        if (early < grant.cliffEnd) expect(vestedAt(grant, early)).toBe(0n);
        if (grant.revokedAt === null && late >= grant.end) expect(vestedAt(grant, late)).toBe(grant.units);
      }),
    );
  });

  it("freezes at the revocation", () => {
    fc.assert(
      fc.property(grantArbitrary, timeArbitrary, (grant, t) => {
        if (grant.revokedAt === null || t <= grant.revokedAt) return;
        expect(vestedAt(grant, t)).toBe(vestedAt(grant, grant.revokedAt));
      }),
    );
  });

  it("gives releasable units that never go negative", () => {
    fc.assert(
      fc.property(
        grantArbitrary,
        timeArbitrary,
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        (grant, t, released) => {
          const releasable = releasableAt(grant, released, t);
          expect(releasable >= 0n).toBe(true);
          if (released <= vestedAt(grant, t)) expect(releasable + released).toBe(vestedAt(grant, t));
        },
      ),
    );
  });
});

describe("nextUnlock", () => {
  it("is the first second after `t` at which more has vested", () => {
    fc.assert(
      fc.property(grantArbitrary, timeArbitrary, (grant, t) => {
        const next = nextUnlock(grant, t);
        const now = vestedAt(grant, t);
        if (next === null) {
          // Nothing more will ever vest.
          expect(vestedAt(grant, Math.max(t, grant.end, grant.revokedAt ?? 0) + 1)).toBe(now);
          return;
        }
        expect(next.at).toBeGreaterThan(t);
        expect(next.vested).toBe(vestedAt(grant, next.at));
        expect(next.vested).toBeGreaterThan(now);
        expect(vestedAt(grant, next.at - 1)).toBe(now);
      }),
    );
  });
});

describe("vestingSchedule", () => {
  it("spans start to end with the vested amount at each point", () => {
    const grant = { units: 1_000n, start: 0, cliffEnd: 100, end: 400, revokedAt: null };
    expect(vestingSchedule(grant, 5)).toEqual([
      { at: 0, vested: 0n },
      { at: 100, vested: 250n },
      { at: 200, vested: 500n },
      { at: 300, vested: 750n },
      { at: 400, vested: 1_000n },
    ]);
    expect(vestingSchedule({ ...grant, cliffEnd: 0, end: 0 }, 5)).toEqual([{ at: 0, vested: 1_000n }]);
  });
});

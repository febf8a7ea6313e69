import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createChunker, INITIAL_BACKFILL_BLOCKS, TARGET_LOGS_PER_CALL } from "./chunker.ts";

const operation = fc.oneof(
  fc.record({
    kind: fc.constant("refused" as const),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    suggested: fc.option(fc.bigInt({ min: 1n, max: 20_000n }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant("succeeded" as const),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    logs: fc.integer({ min: 0, max: 4 * TARGET_LOGS_PER_CALL }),
  }),
);

describe("createChunker", () => {
  it("halves on a refusal, or takes a smaller suggestion", () => {
    const chunker = createChunker({ maxBlocks: 10_000 });
    chunker.shrink(10_000n);
    expect(chunker.size()).toBe(5_000n);
    chunker.shrink(5_000n, 1_250n);
    expect(chunker.size()).toBe(1_250n);
    // A "suggestion" as large as the refused range is ignored.
    chunker.shrink(1_250n, 1_250n);
    expect(chunker.size()).toBe(625n);
  });

  it("holds the refused size for 16 calls, then doubles back to the maximum while results are small", () => {
    const chunker = createChunker({ maxBlocks: 1_000 });
    chunker.shrink(1_000n, 100n);
    const sizes: bigint[] = [];
    for (let i = 0; i < 22; i++) {
      sizes.push(chunker.size());
      chunker.succeeded(chunker.size(), 0);
    }
    expect(sizes).toEqual([...Array(16).fill(100n), 200n, 400n, 800n, 1_000n, 1_000n, 1_000n]);
  });

  it("halves before a provider refuses when replies run twice the target size", () => {
    const chunker = createChunker({ maxBlocks: 10_000 });
    chunker.succeeded(10_000n, 2 * TARGET_LOGS_PER_CALL + 1);
    expect(chunker.size()).toBe(5_000n);
  });

  it("cuts a reply far above the target to the size its density says gives the target", () => {
    const chunker = createChunker({ maxBlocks: 10_000, targetLogs: 5_000 });
    // 87,600 logs in 10,000 blocks (the bench chain's first call at the old default): about 571 blocks.
    chunker.succeeded(10_000n, 87_600);
    expect(chunker.size()).toBe(571n);
    // Between half and twice the target, the range stays as it is.
    chunker.succeeded(571n, 6_000);
    expect(chunker.size()).toBe(571n);
  });

  it("starts where asked and doubles up to the maximum while replies are small", () => {
    const chunker = createChunker({ maxBlocks: 10_000, initialBlocks: INITIAL_BACKFILL_BLOCKS });
    const sizes: bigint[] = [];
    for (let i = 0; i < 9; i++) {
      sizes.push(chunker.size());
      chunker.succeeded(chunker.size(), 10);
    }
    expect(sizes).toEqual([100n, 200n, 400n, 800n, 1_600n, 3_200n, 6_400n, 10_000n, 10_000n]);
  });

  it("stays within 1..max, shrinks strictly below any refused span, and recovers (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.array(operation, { maxLength: 80 }),
        (maxBlocks, operations) => {
          const max = BigInt(maxBlocks);
          const chunker = createChunker({ maxBlocks });
          for (const op of operations) {
            // Calls cover at most the current size (the backfill never asks for more).
            const blocks = 1n + BigInt(Math.floor(op.fraction * Number(chunker.size() - 1n)));
            if (op.kind === "refused") {
              chunker.shrink(blocks, op.suggested);
              if (blocks > 1n) expect(chunker.size()).toBeLessThan(blocks);
            } else chunker.succeeded(blocks, op.logs);
            expect(chunker.size()).toBeGreaterThanOrEqual(1n);
            expect(chunker.size()).toBeLessThanOrEqual(max);
          }
          // Whatever happened, empty replies bring the range back to the maximum within 16 calls plus
          // one doubling per bit of the maximum.
          for (let i = 0; i < 16 + 16; i++) chunker.succeeded(chunker.size(), 0);
          expect(chunker.size()).toBe(max);
        },
      ),
      { numRuns: 500 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { BytePool, ByteWriter } from "./bytes.ts";

const MB = 1024 * 1024;

describe("ByteWriter", () => {
  it("writes text as UTF-8 and bytes as they are, growing past its first capacity", () => {
    const writer = new ByteWriter(new BytePool({ keep: 1, maxBytes: MB }), 16);
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`row ${i}\tnaïve ☕ 𝄞\n`);
    for (const line of lines) writer.write(line);
    writer.append(Uint8Array.of(0x41, 0x42));
    const expected = Buffer.concat([Buffer.from(lines.join(""), "utf8"), Buffer.from("AB")]);
    expect(writer.byteLength).toBe(expected.length);
    expect(Buffer.compare(writer.bytes(), expected)).toBe(0);
  });
});

describe("BytePool", () => {
  it("hands the same buffer to range after range, so a long backfill allocates no more than a short one", () => {
    const pool = new BytePool({ keep: 2, maxBytes: 16 * MB });
    const buffers = new Set<ArrayBufferLike>();
    for (let range = 0; range < 200; range++) {
      const writer = new ByteWriter(pool, 256 * 1024);
      // Payloads vary from range to range, as ranges do.
      writer.append(new Uint8Array(100_000 + ((range * 7_919) % 900_000)));
      buffers.add(writer.bytes().buffer);
      writer.release();
    }
    // The first buffer and the one grown to the largest payload; every later range reuses the latter.
    expect(buffers.size).toBeLessThanOrEqual(3);
    expect(pool.heldBytes()).toBeLessThanOrEqual(2 * MB);
  });

  it("gives writers in use at once buffers of their own: nothing written by one shows in another", () => {
    const pool = new BytePool({ keep: 4, maxBytes: MB });
    for (let round = 0; round < 20; round++) {
      const writers = [0, 1, 2, 3, 4, 5].map((w) => {
        const writer = new ByteWriter(pool, 70_000);
        writer.write(`${round}:${w}:`.repeat(10_000));
        return writer;
      });
      writers.forEach((writer, w) => {
        expect(writer.bytes().toString("utf8")).toBe(`${round}:${w}:`.repeat(10_000));
      });
      for (const writer of writers) writer.release();
    }
  });

  it("keeps at most `keep` buffers and none larger than `maxBytes`", () => {
    const pool = new BytePool({ keep: 2, maxBytes: MB });
    for (let i = 0; i < 5; i++) pool.give(Buffer.alloc(100_000));
    expect(pool.heldBytes()).toBe(200_000);
    const small = new BytePool({ keep: 2, maxBytes: MB });
    small.give(Buffer.alloc(2 * MB));
    expect(small.heldBytes()).toBe(0);
  });

  it("drops a kept buffer too small for the request, converging on the largest size in use", () => {
    const pool = new BytePool({ keep: 1, maxBytes: 8 * MB });
    pool.give(Buffer.alloc(100_000));
    const bigger = pool.take(MB);
    expect(bigger.length).toBeGreaterThanOrEqual(MB);
    expect(pool.heldBytes()).toBe(0);
    pool.give(bigger);
    expect(pool.take(500_000)).toBe(bigger);
  });

  it("refuses settings that are not whole numbers in range", () => {
    expect(() => new BytePool({ keep: -1, maxBytes: MB })).toThrow(/keep must be a whole number ≥ 0, got -1/);
    expect(() => new BytePool({ keep: 1, maxBytes: 0 })).toThrow(
      /maxBytes must be a whole number ≥ 1, got 0/,
    );
  });
});

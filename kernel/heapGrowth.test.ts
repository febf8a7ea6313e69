import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { limitHeapGrowth } from "./heapGrowth.ts";

const HELPER = new URL("./heapGrowth.ts", import.meta.url).href;

/**
 * Peak heap (total, MB) of a fresh process that keeps a sliding window of live objects, as a
 * backfill keeps its buffers, after `limitHeapGrowth(percent)`.
 */
function peakHeapMb(percent: number): number {
  const script = `
    const { limitHeapGrowth } = await import(${JSON.stringify(HELPER)});
    limitHeapGrowth(${percent});
    let window = [];
    let peak = 0;
    for (let i = 0; i < 6e6; i++) {
      window.push({ id: "row" + i });
      if (window.length > 400000) window = window.slice(200000);
      if (i % 50000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(Math.round(peak / 1048576));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  return Number(out.trim());
}

describe("limitHeapGrowth", () => {
  it("bounds the heap when set at run time, with live data that stays flat", () => {
    const own = peakHeapMb(0);
    const limited = peakHeapMb(20);
    // This loop's peak on this machine, two runs each: 176 and 175 MB under V8's own factor, 103 and
    // 113 MB at 20 %.
    expect(limited).toBeLessThan(own * 0.75);
  }, 60_000);

  it("refuses a percent that is not a whole number from 0", () => {
    expect(() => limitHeapGrowth(-1)).toThrow(/whole number from 0/);
    expect(() => limitHeapGrowth(2.5)).toThrow(/whole number from 0/);
  });
});

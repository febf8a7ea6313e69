import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createEventRate, createMetrics, serveMetrics } from "./metrics.ts";

describe("metrics", () => {
  it("are served as Prometheus text on /metrics, and nothing else", async () => {
    const metrics = createMetrics();
    metrics.headBlock.set(120);
    metrics.indexedBlock.set(115);
    metrics.rpcErrors.inc({ kind: "rate_limited", method: "eth_getLogs" });
    metrics.reorgDepth.observe(2);
    const server = await serveMetrics(metrics.registry, 0, "127.0.0.1");
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const response = await fetch(`${base}/metrics`);
      expect(response.headers.get("content-type")).toContain("text/plain");
      const text = await response.text();
      expect(text).toContain("firm_indexer_head_block 120");
      expect(text).toContain("firm_indexer_indexed_block 115");
      expect(text).toContain('firm_indexer_rpc_errors_total{kind="rate_limited",method="eth_getLogs"} 1');
      expect(text).toContain('firm_indexer_reorg_depth_blocks_bucket{le="2"} 1');
      expect((await fetch(`${base}/`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it("average applied events per second over a sliding window", async () => {
    const metrics = createMetrics();
    const record = createEventRate(metrics, 10_000);
    record(100, 0);
    record(300, 1_000);
    record(300, 2_000);
    expect((await metrics.eventsPerSecond.get()).values[0]?.value).toBe(300);
    // Ten seconds later only the last samples count.
    record(0, 12_500);
    expect((await metrics.eventsPerSecond.get()).values[0]?.value).toBe(0);
  });
});

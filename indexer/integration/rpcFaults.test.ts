// RPC faults between the real sync engine and a firm's chain: a fault-injecting proxy answers about a
// third of all requests with a JSON-RPC error, an HTTP 429 or 5xx, a delay, a dropped connection or a
// truncated body, through the start-up checks, the backfill and live following. Nothing may be lost
// or repeated: raw_events holds exactly the firm's logs, and the audit finds no drift. On PGlite and
// on a PostgreSQL database of its own.
import { network } from "hardhat";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, type Metrics } from "../metrics.ts";
import { ALL_FAULTS, type FaultKind, type FaultProxy, startFaultProxy } from "../testing/faultProxy.ts";
import { type FirmScenario, runFirmScenario } from "../testing/firmScenario.ts";
import { postgresAvailable } from "../testing/postgres.ts";
import { mineBlocks } from "./support/firmActivity.ts";
import { startIndexer } from "./support/indexer.ts";
import {
  type Backend,
  countRows,
  expectMirrorOfChain,
  type Mirror,
  openMirrorOn,
  waitForChainHead,
} from "./support/mirror.ts";
import { type RpcBridge, serveProvider } from "./support/rpcBridge.ts";

const hasPostgres = await postgresAvailable();
const connection = await network.connect();
let scenario: FirmScenario;
let bridge: RpcBridge;
let proxy: FaultProxy;

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
  // A longer history (true parent hashes), so the backfill makes a few hundred requests.
  await mineBlocks(connection, 120);
  bridge = await serveProvider(connection.provider);
  proxy = await startFaultProxy({
    target: bridge.url,
    seed: 20_261_207,
    faultRate: 0.3,
    faults: ALL_FAULTS,
    delayMs: 40,
  });
});
afterAll(async () => {
  await proxy?.close();
  await bridge?.close();
  await connection.close();
});

/** New firm activity while the indexer follows live: a ballot and a release, each in its own block. */
async function liveActivity(voter: Address, grantId: bigint): Promise<void> {
  const governor = await connection.viem.getContractAt("FirmGovernor", scenario.manifest.contracts.governor);
  const partnership = await connection.viem.getContractAt(
    "Partnership",
    scenario.manifest.contracts.partnership,
  );
  const publicClient = await connection.viem.getPublicClient();
  for (const hash of [
    await governor.write.castVote([scenario.proposals.active.id, 1], { account: voter }),
    await partnership.write.release([grantId], { account: voter }),
  ]) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
  }
  await mineBlocks(connection, 3);
}

describe.each<[Backend, number]>([
  ["pglite", 0],
  ["postgres", 1],
])("the sync engine through a faulty RPC endpoint, on %s", (backend, round) => {
  const skip = backend === "postgres" && !hasPostgres;
  let mirror: Mirror;
  let metrics: Metrics;
  const faults = {} as Record<FaultKind, number>;
  let requests = 0;

  beforeAll(async () => {
    if (skip) return;
    const { manifest, publicClient } = scenario;
    mirror = await openMirrorOn(backend, manifest);
    metrics = createMetrics();
    const before = { ...proxy.stats.faults };
    const requestsBefore = proxy.stats.requests;
    // Small ranges and few attempts per call: calls escalate, the sync pauses and resumes from its
    // checkpoint, over and over.
    const running = startIndexer({
      rpcUrl: proxy.url,
      store: mirror.store,
      manifest,
      metrics,
      config: { maxBlockRange: 4, rpcTimeoutMs: 2_000, rpcMaxAttempts: 3, rpcConcurrency: 3 },
    });
    const failed = () => running.indexer.status().phase === "failed";
    await waitForChainHead(publicClient, () => mirror.store.checkpoint(), failed, 90_000);
    // And while live.
    const [, p2, , p4] = scenario.founders as Address[];
    await liveActivity(round === 0 ? p2! : p4!, round === 0 ? 8n : 7n);
    await waitForChainHead(publicClient, () => mirror.store.checkpoint(), failed, 30_000);
    expect(await running.stop()).toBeUndefined();
    for (const kind of Object.keys(before) as FaultKind[])
      faults[kind] = proxy.stats.faults[kind] - before[kind];
    requests = proxy.stats.requests - requestsBefore;
  }, 150_000);
  afterAll(async () => {
    await mirror?.close();
  });

  it.skipIf(skip)("meets every kind of fault", async () => {
    expect(requests).toBeGreaterThan(150);
    for (const kind of ALL_FAULTS) expect(faults[kind], kind).toBeGreaterThan(0);
    const kinds = new Set((await metrics.rpcErrors.get()).values.map((value) => value.labels.kind));
    for (const kind of ["connection", "node_error", "rate_limited", "server_error", "truncated"])
      expect(kinds, kind).toContain(kind);
  });

  it.skipIf(skip)("loses and repeats nothing: every firm log once, and a clean audit", async () => {
    const audit = await expectMirrorOfChain(mirror.db, scenario.publicClient, scenario.manifest);
    expect(audit.blockNumber).toBe(await scenario.publicClient.getBlockNumber());
    expect(audit.checked.proposals).toBe(15);
    // The live ballot was counted: the active proposal now has two (p3's and this round's).
    const votes = await countRows(mirror.db, "votes");
    const ballotsOnActive = (await mirror.db.query.votes.findMany()).filter(
      (vote) => vote.proposalId === scenario.proposals.active.id,
    );
    expect(ballotsOnActive.length).toBe(round + 2);
    expect(votes).toBeGreaterThan(ballotsOnActive.length);
  });
});

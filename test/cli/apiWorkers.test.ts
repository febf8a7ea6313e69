// `firm serve` with API_WORKERS=2 (api/workers.ts), as an operator runs it: both workers answer on the
// one port, /metrics sums them whichever answers, one webhook delivery worker in all, a worker killed
// is replaced while the other serves on, SIGTERM stops them all, and a worker that cannot start stops
// the API with an error rather than a restart loop. Without REDIS_URL the setting is refused at start.
import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redisAnswers, TEST_REDIS_URL } from "../../api/testing/redis.ts";
import { type ChildIndexer, killChildIndexers } from "../../indexer/testing/childIndexer.ts";
import { emitterManifest, writeManifestFile } from "../../indexer/testing/fixtures.ts";
import { postgresAvailable, type ScratchDatabase } from "../../indexer/testing/postgres.ts";
import { startTestChain, type TestChain } from "../../indexer/testing/testChain.ts";
import { freePort } from "../start/support.ts";
import { isMsg, migratedScratchMirror, startFirmService } from "./support/firmService.ts";

const available = (await postgresAvailable()) && (await redisAnswers());

/** POSTs `{ firm { name } }` on a connection of its own (so the primary hands each to a worker). */
function askOnNewConnection(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/graphql", method: "POST", agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("No answer within 10 s")));
    req.setHeader("content-type", "application/json");
    req.end(JSON.stringify({ query: "{ firm { name } }" }));
  });
}

async function graphqlRequestsCounted(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith('firm_api_requests_total{route="graphql",status="200"}'));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe.runIf(available)("firm serve with API_WORKERS=2", () => {
  let scratch: ScratchDatabase;
  let chain: TestChain;
  let env: Record<string, string>;

  beforeAll(async () => {
    const mirror = await migratedScratchMirror("api_workers");
    scratch = mirror.scratch;
    await mirror.db.close();
    // The API checks the chain's id against the manifest at start: a chain of the manifest's id.
    chain = await startTestChain();
    env = {
      RPC_URL: chain.url,
      DEPLOYMENT: writeManifestFile(emitterManifest(chain.chainId, 1n, [`0x${"1".repeat(40)}`])),
      DATABASE_URL: scratch.url,
      API_WORKERS: "2",
      REDIS_URL: TEST_REDIS_URL,
      WEBHOOKS_ALLOW_PRIVATE: "1",
    };
  }, 60_000);
  afterEach(() => killChildIndexers());
  afterAll(async () => {
    killChildIndexers();
    await chain?.close();
    await scratch?.drop();
  });

  async function serve(extra: Record<string, string> = {}, port?: number): Promise<ChildIndexer> {
    return startFirmService("serve", { ...env, PORT: String(port ?? (await freePort())), ...extra });
  }

  it("serves from both workers, sums their metrics, runs one webhook worker, replaces a dead worker, stops on SIGTERM", async () => {
    const port = await freePort();
    const api = await serve({ WEBHOOKS_WORKER: "1" }, port);
    const listening = async (worker: number, after = 0) =>
      api.waitFor(
        (line) =>
          line.msg === "API worker listening" && line.worker === worker && api.lines.indexOf(line) >= after,
        30_000,
      );
    const [first, second] = await Promise.all([listening(0), listening(1)]);
    expect(first.pid).not.toBe(second.pid);

    const asks = 12;
    for (let i = 0; i < asks; i++)
      expect(await askOnNewConnection(port)).toEqual({
        status: 200,
        body: JSON.stringify({ data: { firm: { name: "MSP IT Partners" } } }),
      });
    // Each worker counts what it answered; whichever answers /metrics gives the sum.
    expect(await graphqlRequestsCounted(port)).toBe(asks);
    expect(await graphqlRequestsCounted(port)).toBe(asks);
    await api.waitFor(isMsg("Webhook delivery worker started"));
    expect(api.lines.filter(isMsg("Webhook delivery worker started"))).toHaveLength(1);

    // Worker 1 dies (a request it held would be lost, as with any process that dies): once the primary
    // has seen it, the other worker answers meanwhile, and a new worker 1 takes its place.
    const before = api.lines.length;
    process.kill(second.pid as number, "SIGKILL");
    await api.waitFor(
      (line) => line.msg === "An API worker died: starting another" && line.worker === 1,
      10_000,
    );
    expect((await askOnNewConnection(port)).status).toBe(200);
    const replacement = await listening(1, before);
    expect(replacement.pid).not.toBe(second.pid);
    for (let i = 0; i < 4; i++) expect((await askOnNewConnection(port)).status).toBe(200);

    api.kill("SIGTERM");
    const stopped = await Promise.race([
      api.exited,
      new Promise((resolve) => setTimeout(() => resolve(api.lines.slice(-6)), 20_000)),
    ]);
    expect(stopped).toEqual({ code: 0, signal: null });
    for (const pid of [first.pid, replacement.pid] as number[])
      expect(() => process.kill(pid, 0), `worker ${pid} still running`).toThrow();
  }, 90_000);

  it("stops, with the workers' error, when a worker cannot start", async () => {
    const url = new URL(scratch.url);
    url.pathname = "/no_such_database_for_api_workers";
    const api = await serve({ DATABASE_URL: url.toString() });
    expect((await api.exited).code).toBe(1);
    expect(api.lines.some(isMsg("An API worker failed to start: stopping the API"))).toBe(true);
    expect(api.lines.some(isMsg("API failed to start"))).toBe(true);
    expect(api.lines.some(isMsg("An API worker died: starting another"))).toBe(false);
  }, 60_000);

  it("is refused without REDIS_URL, saying what the workers share through it", async () => {
    const { REDIS_URL: _, ...withoutRedis } = env;
    const api = startFirmService("serve", { ...withoutRedis, REDIS_URL: "", PORT: String(await freePort()) });
    expect((await api.exited).code).not.toBe(0);
    const log = JSON.stringify(api.lines) + api.stderr();
    expect(log).toContain("API_WORKERS");
    expect(log).toContain("set REDIS_URL");
    expect(log).toContain("Invalid configuration.");
  }, 30_000);
});

// `npm start` as a person runs it: a child process (scripts/start.ts on the project's Node) on free
// ports, in a scratch working folder (so its deployments/dev.json is the test's own), stopped with
// Ctrl-C. And the start-up errors a person can cause: a bad variable, a port in use.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { startWebhookReceiver } from "../../indexer/testing/webhookReceiver.ts";
import { freePort, PROJECT_ROOT, queryApi, spawnStart, tempFolder } from "./support.ts";

/** Lines of a Node stack trace: never shown to a person. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
/** A Standard Webhooks secret, for the webhooks file's endpoint. */
const HOOK_SECRET = `whsec_${Buffer.from("npm-start-webhooks-secret-32by!!").toString("base64")}`;

describe("npm start", () => {
  const folder = tempFolder("npm");
  const dataDir = join(folder, "data", "mirror");

  it("starts the stack, prints the banner, answers GraphQL and stops on Ctrl-C with exit 0", async () => {
    // A mirror left by an earlier start (a PostgreSQL data folder): it must be reset, not resumed.
    mkdirSync(join(dataDir, "base"), { recursive: true });
    writeFileSync(join(dataDir, "PG_VERSION"), "17\n");
    writeFileSync(join(dataDir, "base", "stale-table"), "from an earlier chain");
    const [rpcPort, apiPort] = [await freePort(), await freePort()];
    // A webhooks file, applied at start to the new mirror, its secret from the environment.
    // Its receiver verifies every signature: the firm's own news reaches it from the dev chain.
    const receiver = await startWebhookReceiver(HOOK_SECRET);
    onTestFinished(() => receiver.close());
    const webhooksFile = join(folder, "webhooks.json");
    writeFileSync(
      webhooksFile,
      JSON.stringify({
        endpoints: [{ name: "local", url: receiver.url, secret: { env: "LOCAL_HOOK_SECRET" } }],
      }),
    );
    const start = spawnStart(
      {
        RPC_PORT: String(rpcPort),
        PORT: String(apiPort),
        DATA_DIR: dataDir,
        WEBHOOKS_FILE: webhooksFile,
        WEBHOOKS_ALLOW_PRIVATE: "1",
        LOCAL_HOOK_SECRET: HOOK_SECRET,
        // Hardhat finds the project's config from here although the working folder is elsewhere.
        HARDHAT_CONFIG: join(PROJECT_ROOT, "hardhat.config.ts"),
      },
      folder,
    );
    try {
      await start.waitFor("Ctrl-C stops everything.");
      const out = start.stdout();
      expect(out).toContain("mirror reset");
      expect(out).toMatch(/Ready in \d+\.\d s/);
      expect(out).toContain(`JSON-RPC   http://127.0.0.1:${rpcPort}`);
      expect(out).toContain(`GraphQL    http://127.0.0.1:${apiPort}/graphql`);
      expect(out).toContain(`Web page   http://127.0.0.1:${apiPort}/`);
      expect(out).toContain("#1  0x70997970C51812dc3A010C7d01b50e0d17dc79C8  partner");
      expect(out).toMatch(/npx firm vote \d+ for --as 1/);
      expect(out).toContain("Dev only");
      expect(existsSync(join(dataDir, "base", "stale-table"))).toBe(false);
      expect(existsSync(join(folder, "deployments", "dev.json"))).toBe(true);

      const { firm } = await queryApi(
        `http://127.0.0.1:${apiPort}/graphql`,
        "{ firm { deployment counts { partners activePractices proposals } } }",
      );
      expect(firm).toEqual({ deployment: "dev", counts: { partners: 5, activePractices: 3, proposals: 6 } });
      // The delivery worker runs (WEBHOOKS_WORKER's default here), its metrics on the API's /metrics.
      const metrics = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
      expect(metrics).toContain("# TYPE firm_webhook_attempts_total counter");
      expect(metrics).toContain("# TYPE firm_webhook_attempt_seconds histogram");
      // The indexer announced the dev firm's founders and six proposals; the worker delivered them, signed.
      const created = () => receiver.received.filter((r) => JSON.parse(r.body).type === "proposal.created");
      await expect.poll(() => created().length, { timeout: 60_000 }).toBeGreaterThanOrEqual(6);
      expect(created().every((r) => r.verified)).toBe(true);

      const stoppedAt = Date.now();
      start.child.kill("SIGINT");
      expect(await start.exited).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(start.stdout()).toContain("Stopped: API, indexer, mirror and chain closed.");
      expect(start.stderr()).not.toMatch(STACK_LINE);
      expect(start.stdout() + start.stderr()).not.toContain(HOOK_SECRET);
    } finally {
      start.child.kill("SIGKILL");
    }
  }, 200_000);

  it("refuses bad variables, naming each with what was expected", async () => {
    const start = spawnStart({
      PORT: "abc",
      RPC_PORT: "70000",
      LOG_LEVEL: "loud",
      DATA_DIR: dataDir,
      WEBHOOKS_WORKER: "maybe",
    });
    expect(await start.exited).toBe(2);
    const err = start.stderr();
    expect(err).toContain('PORT is "abc": expected a port number');
    expect(err).toContain('RPC_PORT is "70000"');
    expect(err).toContain('LOG_LEVEL is "loud": expected one of');
    // The webhooks' variables are checked with the others, and said in the same message.
    expect(err).toContain('WEBHOOKS_WORKER is "maybe": expected one of 0, 1');
    expect(err).not.toMatch(STACK_LINE);
    expect(start.stdout()).not.toContain("Starting the dev stack");
  });

  const notAMirror = tempFolder("not-a-mirror");
  it("refuses to reset a DATA_DIR that is not a mirror", async () => {
    writeFileSync(join(notAMirror, "PG_VERSION"), "17\n");
    writeFileSync(join(notAMirror, "thesis.tex"), "years of work");
    const start = spawnStart({ RPC_PORT: "0", PORT: "0", DATA_DIR: notAMirror });
    expect(await start.exited).toBe(2);
    expect(start.stderr()).toContain(`${notAMirror} is not a PGlite mirror (it holds thesis.tex)`);
    expect(existsSync(join(notAMirror, "thesis.tex"))).toBe(true);
    expect(start.stderr()).not.toMatch(STACK_LINE);
  });

  it("says which port is taken and how to pick another", async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, "127.0.0.1", () => resolve((taken.address() as { port: number }).port)),
    );
    onTestFinished(() => {
      taken.close();
    });
    const start = spawnStart({ RPC_PORT: String(port), PORT: String(await freePort()), DATA_DIR: dataDir });
    expect(await start.exited).toBe(2);
    const err = start.stderr();
    expect(err).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(err).toContain(`RPC_PORT=${port + 1} npm start`);
    expect(err).not.toMatch(STACK_LINE);
  });
});

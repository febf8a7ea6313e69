import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../kernel/config.ts";
import { parseConfig } from "./config.ts";
import { temporaryDir } from "./testing/fixtures.ts";

const cwd = temporaryDir("config");
writeFileSync(join(cwd, "dev.json"), "{}");
const minimal = { RPC_URL: "http://127.0.0.1:8545", DEPLOYMENT: "dev.json" };

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    parseConfig(env, cwd);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("parseConfig accepted the environment");
}

describe("parseConfig", () => {
  it("fills in defaults and returns a frozen object", () => {
    const { config, warnings } = parseConfig(minimal, cwd);
    expect(config).toEqual({
      rpcUrl: "http://127.0.0.1:8545",
      deploymentPath: join(cwd, "dev.json"),
      databaseUrl: undefined,
      dataDir: join(cwd, "data/mirror"),
      logLevel: "info",
      finalityDepth: undefined,
      pollIntervalMs: 1_000,
      maxBlockRange: 10_000,
      rpcConcurrency: 4,
      metricsPort: undefined,
      rpcTimeoutMs: 10_000,
      rpcMaxAttempts: 6,
      entityRowsInMemory: 5_000,
      heapGrowthPercent: 50,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("reads every variable", () => {
    const { config } = parseConfig(
      {
        ...minimal,
        DATABASE_URL: "postgres://indexer@db:5432/firm",
        LOG_LEVEL: "DEBUG",
        FINALITY_DEPTH: "12",
        POLL_INTERVAL_MS: "2000",
        MAX_BLOCK_RANGE: "2000",
        RPC_CONCURRENCY: "8",
        METRICS_PORT: "9464",
        RPC_TIMEOUT_MS: "5000",
        RPC_MAX_ATTEMPTS: "3",
        ENTITY_ROWS_IN_MEMORY: "0",
        HEAP_GROWTH_PERCENT: "0",
      },
      cwd,
    );
    expect(config).toMatchObject({
      databaseUrl: "postgres://indexer@db:5432/firm",
      logLevel: "debug",
      finalityDepth: 12,
      pollIntervalMs: 2_000,
      maxBlockRange: 2_000,
      rpcConcurrency: 8,
      metricsPort: 9464,
      rpcTimeoutMs: 5_000,
      rpcMaxAttempts: 3,
      entityRowsInMemory: 0,
      heapGrowthPercent: 0,
    });
  });

  it("rejects every bad variable at once, naming the variable, its value and what was expected", () => {
    expect(
      problemsOf({
        RPC_URL: "ws://node.example.com/v3/SECRET",
        DEPLOYMENT: "missing.json",
        DATABASE_URL: "mysql://root@localhost/firm",
        LOG_LEVEL: "verbose",
        FINALITY_DEPTH: "-1",
        POLL_INTERVAL_MS: "1s",
        MAX_BLOCK_RANGE: "0",
        RPC_CONCURRENCY: "2.5",
        METRICS_PORT: "70000",
        ENTITY_ROWS_IN_MEMORY: "many",
        HEAP_GROWTH_PERCENT: "20%",
      }).replace(cwd, "<cwd>"),
    ).toMatchInlineSnapshot(`
      "Invalid configuration (11 problems).

      - RPC_URL is "ws://node.example.com/…": expected an http(s) URL such as http://127.0.0.1:8545.
      - DEPLOYMENT is "missing.json": expected the path of an existing deployment manifest, e.g. deployments/dev.json (<cwd>/missing.json does not exist; \`npx firm deploy\` writes it).
      - DATABASE_URL is "mysql://localhost/…": expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/firm.
      - LOG_LEVEL is "verbose": expected one of fatal, error, warn, info, debug, trace, silent.
      - FINALITY_DEPTH is "-1": expected a whole number from 0 to 100000.
      - POLL_INTERVAL_MS is "1s": expected a whole number from 10 to 3600000.
      - MAX_BLOCK_RANGE is "0": expected a whole number from 1 to 10000000.
      - RPC_CONCURRENCY is "2.5": expected a whole number from 1 to 256.
      - METRICS_PORT is "70000": expected a port number from 1 to 65535.
      - ENTITY_ROWS_IN_MEMORY is "many": expected a whole number from 0 to 10000000.
      - HEAP_GROWTH_PERCENT is "20%": expected a whole number from 0 to 1000."
    `);
  });

  it("names the required variables that are missing", () => {
    expect(problemsOf({})).toMatchInlineSnapshot(`
      "Invalid configuration (2 problems).

      - RPC_URL is not set: expected an http(s) URL such as http://127.0.0.1:8545.
      - DEPLOYMENT is not set: expected the path of an existing deployment manifest, e.g. deployments/dev.json (\`npx firm deploy\` writes it)."
    `);
  });

  it("reads REDIS_NAMESPACE, refusing what could widen a Redis pattern", () => {
    expect(parseConfig(minimal, cwd).config.redisNamespace).toBeUndefined();
    expect(parseConfig({ ...minimal, REDIS_NAMESPACE: "firm-prod:eu.1" }, cwd).config.redisNamespace).toBe(
      "firm-prod:eu.1",
    );
    for (const bad of ["firm*", "firm prod", ":firm", "a".repeat(101)]) {
      expect(problemsOf({ ...minimal, REDIS_NAMESPACE: bad })).toContain("REDIS_NAMESPACE is");
    }
  });

  it("warns about soft problems instead of failing", () => {
    const { warnings } = parseConfig(
      {
        ...minimal,
        RPC_URL: "http://node.example.com:8545",
        DATABASE_URL: "postgresql://db/firm",
        DATA_DIR: "/var/lib/firm",
        FINALITY_DEPTH: "0",
        POLL_INTERVAL_MS: "50",
      },
      cwd,
    );
    expect(warnings).toMatchInlineSnapshot(`
      [
        "DATA_DIR is ignored because DATABASE_URL is set (the mirror lives in PostgreSQL).",
        "FINALITY_DEPTH=0 turns reorg handling off: any reorg will stop the indexer.",
        "POLL_INTERVAL_MS=50 polls more than 5 times a second; mind the provider's rate limit.",
        "RPC_URL uses plain http to a remote host: requests and any API key in the URL travel unencrypted.",
      ]
    `);
  });
});

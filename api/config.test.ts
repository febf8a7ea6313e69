import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseApiConfig } from "./config.ts";

const dir = mkdtempSync(join(tmpdir(), "api-config-"));
writeFileSync(join(dir, "dev.json"), "{}");
const BASE = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/firm",
  RPC_URL: "http://127.0.0.1:8545",
  DEPLOYMENT: "dev.json",
};

describe("parseApiConfig", () => {
  it("applies the defaults", () => {
    const { config, warnings } = parseApiConfig(BASE, dir);
    expect(config).toEqual({
      port: 4000,
      databaseUrl: BASE.DATABASE_URL,
      dbPoolSize: 16,
      workers: 1,
      deploymentPath: join(dir, "dev.json"),
      rpcUrl: BASE.RPC_URL,
      redisUrl: undefined,
      redisNamespace: undefined,
      corsOrigins: false,
      readyMaxLagBlocks: 10,
      rateLimitPerMinute: 600,
      requestTimeoutMs: 10_000,
      logLevel: "info",
      production: false,
      trustProxy: 0,
      publicOrigin: undefined,
      presenceChallengesPerMinute: 10,
      responseCache: true,
      responseCacheMaxEntries: 10_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(warnings).toEqual([expect.stringContaining("REDIS_URL is not set")]);
  });

  it("reads every variable", () => {
    const { config } = parseApiConfig(
      {
        ...BASE,
        PORT: "8080",
        DB_POOL_SIZE: "4",
        API_WORKERS: "3",
        REDIS_URL: "redis://127.0.0.1:6379",
        REDIS_NAMESPACE: "firm-prod",
        CORS_ORIGINS: "https://portal.example, http://localhost:3000",
        READY_MAX_LAG_BLOCKS: "3",
        RATE_LIMIT_PER_MINUTE: "120",
        REQUEST_TIMEOUT_MS: "2500",
        LOG_LEVEL: "debug",
        NODE_ENV: "production",
        TRUST_PROXY: "1",
        PUBLIC_ORIGIN: "https://firm.example.com",
        PRESENCE_CHALLENGES_PER_MINUTE: "3",
        RESPONSE_CACHE: "off",
        RESPONSE_CACHE_MAX_ENTRIES: "500",
      },
      dir,
    );
    expect(config).toMatchObject({
      port: 8080,
      dbPoolSize: 4,
      workers: 3,
      redisUrl: "redis://127.0.0.1:6379",
      redisNamespace: "firm-prod",
      corsOrigins: ["https://portal.example", "http://localhost:3000"],
      readyMaxLagBlocks: 3,
      rateLimitPerMinute: 120,
      requestTimeoutMs: 2_500,
      logLevel: "debug",
      production: true,
      trustProxy: 1,
      publicOrigin: "https://firm.example.com",
      presenceChallengesPerMinute: 3,
      responseCache: false,
      responseCacheMaxEntries: 500,
    });
  });

  it("refuses API_WORKERS above 1 without REDIS_URL, and outside 1 to 64", () => {
    expect(() => parseApiConfig({ ...BASE, API_WORKERS: "2" }, dir)).toThrow(
      'API_WORKERS is "2": expected 1 without REDIS_URL: workers share the rate limit, the presence challenges and the commit notices through Redis',
    );
    expect(() =>
      parseApiConfig({ ...BASE, API_WORKERS: "0", REDIS_URL: "redis://127.0.0.1:6379" }, dir),
    ).toThrow('API_WORKERS is "0": expected a whole number from 1 to 64.');
    expect(parseApiConfig({ ...BASE, API_WORKERS: "1" }, dir).config.workers).toBe(1);
  });

  it("refuses a response cache setting other than on or off, and a cache of no entries", () => {
    let message = "";
    try {
      parseApiConfig({ ...BASE, RESPONSE_CACHE: "false", RESPONSE_CACHE_MAX_ENTRIES: "0" }, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('RESPONSE_CACHE is "false": expected one of on, off.');
    expect(message).toContain(
      'RESPONSE_CACHE_MAX_ENTRIES is "0": expected a whole number from 1 to 1000000.',
    );
  });

  it("refuses a public origin with a path, and warns when presence challenges are unlimited", () => {
    expect(() => parseApiConfig({ ...BASE, PUBLIC_ORIGIN: "https://firm.example.com/verify" }, dir)).toThrow(
      'PUBLIC_ORIGIN is "https://firm.example.com/…": expected the origin people reach the page at, scheme://host[:port] with no path',
    );
    expect(() => parseApiConfig({ ...BASE, PUBLIC_ORIGIN: "ftp://firm.example.com" }, dir)).toThrow(
      "PUBLIC_ORIGIN",
    );
    const { warnings } = parseApiConfig({ ...BASE, PRESENCE_CHALLENGES_PER_MINUTE: "0" }, dir);
    expect(warnings).toContain(
      "PRESENCE_CHALLENGES_PER_MINUTE=0 lets any client issue presence challenges without limit.",
    );
  });

  it("reports every bad variable at once, with its value and what was expected", () => {
    let message = "";
    try {
      parseApiConfig(
        {
          DATABASE_URL: "mysql://x",
          DB_POOL_SIZE: "0",
          RPC_URL: "ws://node",
          PORT: "eighty",
          CORS_ORIGINS: "https://portal.example/path",
          REDIS_NAMESPACE: "firm *",
          REQUEST_TIMEOUT_MS: "5",
          LOG_LEVEL: "loud",
          PRESENCE_CHALLENGES_PER_MINUTE: "lots",
        },
        dir,
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatchInlineSnapshot(`
      "Invalid configuration (10 problems).

      - PORT is "eighty": expected a port number from 1 to 65535.
      - DATABASE_URL is "mysql://x": expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/firm (the API process cannot open the indexer's embedded PGlite).
      - DB_POOL_SIZE is "0": expected a whole number from 1 to 100.
      - RPC_URL is "ws://node": expected an http(s) URL such as http://127.0.0.1:8545.
      - REDIS_NAMESPACE is "firm *": expected 1 to 100 letters, digits, '.', '_', ':' or '-', starting with a letter or digit (e.g. firm-prod); the same value for \`firm index\` and \`firm serve\`.
      - DEPLOYMENT is not set: expected the path of an existing deployment manifest, e.g. deployments/dev.json (\`npx firm deploy\` writes it).
      - CORS_ORIGINS is "https://portal.example/…": expected "*" or comma-separated origins such as https://portal.example.com ("https://portal.example/path" is not one).
      - REQUEST_TIMEOUT_MS is "5": expected a whole number from 100 to 600000.
      - LOG_LEVEL is "loud": expected one of fatal, error, warn, info, debug, trace, silent.
      - PRESENCE_CHALLENGES_PER_MINUTE is "lots": expected a whole number from 0 to 10000."
    `);
  });
});

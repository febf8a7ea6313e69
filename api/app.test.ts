import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { pino } from "pino";
import type { PublicClient } from "viem";
import { describe, expect, it } from "vitest";
import type { Database } from "../indexer/store/db.ts";
import * as schema from "../indexer/store/schema.ts";
import { buildApp } from "./app.ts";
import { encodeCursor } from "./domain/pagination.ts";
import { data, gql, type TestYoga } from "./testing/client.ts";
import { api, app, bus, db, p4, scenario, useScenarioSuite, yoga } from "./testing/scenarioSuite.ts";

useScenarioSuite();

/** Every code the API may answer with. */
const CODES = [
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "RATE_LIMITED",
  "TIMEOUT",
  "QUERY_TOO_COMPLEX",
  "REQUEST_TOO_LARGE",
  "CHAIN_UNAVAILABLE",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "INTERNAL_SERVER_ERROR",
];

describe("bad inputs", () => {
  const member = (address: string) => `{ member(address: ${JSON.stringify(address)}) { address } }`;
  const grantAt = (at: string) => `{ grant(id: "7") { vestedAt(at: ${at}) } }`;
  const deep = (levels: number) => {
    let inner = "address";
    for (let i = 0; i < levels; i++)
      inner = `practices { practice { members { edges { node { member { ${inner} } } } } } }`;
    return `{ member(address: "${"0x".padEnd(42, "1")}") { ${inner} } }`;
  };
  const aliases = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `a${i}: firm { name }`).join(" ")} }`;
  const cases: [
    name: string,
    code: string,
    body: string | { query: string; variables?: Record<string, unknown> },
  ][] = [
    ["a short address", "BAD_USER_INPUT", member("0x123")],
    ["a word for an address", "BAD_USER_INPUT", member("alice")],
    ["an empty address", "BAD_USER_INPUT", member("")],
    ["41 hex digits", "BAD_USER_INPUT", member(`0x${"a".repeat(41)}`)],
    ["a wrong EIP-55 checksum", "BAD_USER_INPUT", member("0x70997970C51812dc3A010C7d01b50e0d17dc79C9")],
    ["an SQL-looking address", "BAD_USER_INPUT", member("0x' OR '1'='1")],
    ["an unknown member", "NOT_FOUND", member(`0x${"1".repeat(40)}`)],
    ["an uppercase slug", "BAD_USER_INPUT", `{ practice(slug: "Cloud") { name } }`],
    ["a 33-character slug", "BAD_USER_INPUT", `{ practice(slug: "${"a".repeat(33)}") { name } }`],
    [
      "an SQL-looking slug",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud'; DROP TABLE members; --") { name } }`,
    ],
    ["an unknown slug", "NOT_FOUND", `{ practice(slug: "accounting") { name } }`],
    ["a word for a proposal id", "BAD_USER_INPUT", `{ proposal(id: "abc") { id } }`],
    ["a negative proposal id", "BAD_USER_INPUT", `{ proposal(id: "-1") { id } }`],
    ["a proposal id in exponent form", "BAD_USER_INPUT", `{ proposal(id: "1e5") { id } }`],
    ["a proposal id above 2^256", "BAD_USER_INPUT", `{ proposal(id: "${"9".repeat(79)}") { id } }`],
    ["an unknown proposal", "NOT_FOUND", `{ proposal(id: "123") { id } }`],
    ["an SQL-looking grant id", "BAD_USER_INPUT", `{ grant(id: "1 OR 1=1") { id } }`],
    ["an unknown grant", "NOT_FOUND", `{ grant(id: "999") { id } }`],
    ["a negative time", "BAD_USER_INPUT", grantAt("-1")],
    ["a time past year 9999", "BAD_USER_INPUT", grantAt("253402300800")],
    ["a huge time string", "BAD_USER_INPUT", grantAt('"99999999999999999999"')],
    ["a word for a time", "BAD_USER_INPUT", grantAt('"yesterday"')],
    ["an impossible date", "BAD_USER_INPUT", grantAt('"2026-13-45T00:00:00Z"')],
    ["a date-time with no zone", "BAD_USER_INPUT", grantAt('"2026-01-01T00:00:00"')],
    ["a fractional time", "BAD_USER_INPUT", grantAt("1.5")],
    [
      "a time as a variable of the wrong kind",
      "BAD_USER_INPUT",
      { query: 'query($t: Timestamp) { grant(id: "7") { vestedAt(at: $t) } }', variables: { t: { at: 1 } } },
    ],
    [
      "an empty asOf",
      "BAD_USER_INPUT",
      `{ member(address: "${"0x".padEnd(42, "1")}", asOf: {}) { address } }`,
    ],
    [
      "asOf with block and time",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud", asOf: { block: 1, timestamp: 1 }) { name } }`,
    ],
    ["a negative asOf block", "BAD_USER_INPUT", `{ practice(slug: "cloud", asOf: { block: -5 }) { name } }`],
    [
      "an asOf block not indexed yet",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud", asOf: { block: 2000000000 }) { name } }`,
    ],
    [
      "an asOf time not indexed yet",
      "BAD_USER_INPUT",
      `{ practice(slug: "cloud", asOf: { timestamp: 253402300799 }) { name } }`,
    ],
    [
      "an asOf block above Int",
      "GRAPHQL_VALIDATION_FAILED",
      `{ practice(slug: "cloud", asOf: { block: 99999999999 }) { name } }`,
    ],
    ["a page over the maximum", "BAD_USER_INPUT", "{ members(first: 1000) { totalCount } }"],
    ["a negative page", "BAD_USER_INPUT", "{ members(first: -1) { totalCount } }"],
    [
      "a page size as a string variable",
      "BAD_USER_INPUT",
      { query: "query($f: Int) { members(first: $f) { totalCount } }", variables: { f: "ten" } },
    ],
    ["a garbage cursor", "BAD_USER_INPUT", `{ members(after: "garbage!") { totalCount } }`],
    [
      "a base64 cursor of nothing",
      "BAD_USER_INPUT",
      `{ members(after: "${Buffer.from("[1,2,3]").toString("base64url")}") { totalCount } }`,
    ],
    [
      "a forged cursor with SQL",
      "BAD_USER_INPUT",
      `{ grants(after: "${encodeCursor("grants:ID_ASC", ["1; DROP TABLE grants"])}") { totalCount } }`,
    ],
    ["an overlong cursor", "BAD_USER_INPUT", `{ members(after: "${"A".repeat(600)}") { totalCount } }`],
    ["a bad practice filter", "BAD_USER_INPUT", `{ members(where: { practice: "CLOUD" }) { totalCount } }`],
    [
      "an SQL-looking proposer filter",
      "BAD_USER_INPUT",
      `{ proposals(where: { proposer: "robert'); DROP TABLE proposals;--" }) { totalCount } }`,
    ],
    ["a schedule of 1,000 points", "BAD_USER_INPUT", `{ grant(id: "7") { schedule(points: 1000) { at } } }`],
    [
      "a bad slug to verify",
      "BAD_USER_INPUT",
      `{ verifyMembership(practice: "no such!", address: "${p4Placeholder()}") { verified } }`,
    ],
    [
      "a bad address to verify",
      "BAD_USER_INPUT",
      `{ verifyMembership(practice: "cloud", address: "0xnope") { verified } }`,
    ],
    [
      "a bad slug to issue a presence challenge for",
      "BAD_USER_INPUT",
      `mutation { presenceChallenge(practice: "Cloud Services") { code } }`,
    ],
    [
      "a presence code of the wrong length",
      "BAD_USER_INPUT",
      `{ presenceChallengeInfo(code: "7KQ2") { code } }`,
    ],
    [
      "a presence proof's signature that is not hex",
      "BAD_USER_INPUT",
      `{ verifyPresence(message: "hello", signature: "0xzz") { verified } }`,
    ],
    [
      "a presence proof's challenge with a U in it",
      "BAD_USER_INPUT",
      `{ verifyPresence(message: "hello", signature: "0x00", challenge: "UUUU-UUUU") { verified } }`,
    ],
    ["an empty text to draw as a QR code", "BAD_USER_INPUT", `{ qrCode(text: "") }`],
    ...(
      [
        ["a latitude above 90", "latitude: 90.5, longitude: 0, radiusKm: 10"],
        ["a latitude below -90", "latitude: -91, longitude: 0, radiusKm: 10"],
        ["a longitude above 180", "latitude: 45, longitude: 180.01, radiusKm: 10"],
        ["a longitude below -180", "latitude: 45, longitude: -200, radiusKm: 10"],
        ["a radius of 0 km", "latitude: 45, longitude: -73, radiusKm: 0"],
        ["a negative radius", "latitude: 45, longitude: -73, radiusKm: -5"],
        ["a radius over 1,000 km", "latitude: 45, longitude: -73, radiusKm: 1000.5"],
      ] as const
    ).map(
      ([name, near]) =>
        [
          `technicians near ${name}`,
          "BAD_USER_INPUT",
          `{ technicians(practice: "cloud", near: { ${near} }) { totalCount } }`,
        ] as [string, string, string],
    ),
    ["technicians of a bad slug", "BAD_USER_INPUT", `{ technicians(practice: "Cloud!") { totalCount } }`],
    [
      "technicians of an unknown practice",
      "NOT_FOUND",
      `{ technicians(practice: "no-such") { totalCount } }`,
    ],
    [
      "technicians in a bad region",
      "BAD_USER_INPUT",
      `{ technicians(practice: "cloud", region: "Quebec") { totalCount } }`,
    ],
    [
      "technicians with an SQL-looking skill",
      "BAD_USER_INPUT",
      `{ technicians(practice: "cloud", skill: "x' OR 1=1--") { totalCount } }`,
    ],
    [
      "technicians with a 33-character skill",
      "BAD_USER_INPUT",
      `{ technicians(practice: "cloud", skill: "${"a".repeat(33)}") { totalCount } }`,
    ],
    [
      "technicians in an unknown mode",
      "GRAPHQL_VALIDATION_FAILED",
      `{ technicians(practice: "cloud", mode: ANYWHERE) { totalCount } }`,
    ],
    [
      "a technicians cursor of the other order",
      "BAD_USER_INPUT",
      `{ technicians(practice: "cloud", near: { latitude: 45, longitude: -73, radiusKm: 10 }, after: "${encodeCursor("technicians:ADDRESS", ["0xab"])}") { totalCount } }`,
    ],
    ["an unknown field", "GRAPHQL_VALIDATION_FAILED", "{ firm { ceo } }"],
    ["a syntax error", "GRAPHQL_PARSE_FAILED", "{ firm { name "],
    ["a depth bomb", "QUERY_TOO_COMPLEX", deep(4)],
    ["an alias bomb", "QUERY_TOO_COMPLEX", aliases(200)],
    ["a token bomb", "QUERY_TOO_COMPLEX", `{ firm { ${"name ".repeat(2_500)} } }`],
    [
      "a nested-page bomb",
      "QUERY_TOO_COMPLEX",
      "{ members(first: 100) { edges { node { votes(first: 100) { edges { node { proposal { votes(first: 100) { totalCount } } } } } } } } }",
    ],
    ["a huge body", "REQUEST_TOO_LARGE", `{ firm { name } } # ${"x".repeat(200_000)}`],
  ];

  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("%s → HTTP 200 or 400 with %s", async (_, code, body) => {
    const request = typeof body === "string" ? { query: body } : body;
    const { status, body: response } = await gql(yoga, request.query, request.variables);
    expect([200, 400]).toContain(status);
    expect(response.errors?.length).toBeGreaterThan(0);
    for (const error of response.errors ?? []) {
      expect(CODES).toContain(error.extensions?.code);
    }
    expect(response.errors?.map((e) => e.extensions?.code)).toContain(code);
    expect(JSON.stringify(response)).not.toMatch(/\bat .+:\d+:\d+|stack|node_modules/);
  });

  it("refuses a malformed JSON body with a coded 400", async () => {
    const response = await yoga.fetch("http://api.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ not json",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_REQUEST");
  });
});

/** A valid address for queries that must fail on another argument. */
function p4Placeholder(): string {
  return `0x${"4".repeat(40)}`;
}

describe("unexpected errors", () => {
  it("are masked with a request id and logged, never shown", async () => {
    // A database whose every query fails, with the kind of detail a client must never see.
    const client = {
      query: async () => {
        throw new Error("connection to server at 10.0.0.5 refused (password for user firm: hunter2)");
      },
    };
    const broken = Object.assign(drizzlePglite({ client: client as never, schema }), {
      driver: "pglite" as const,
      close: async () => {},
    }) as unknown as Database;
    const logged: Record<string, unknown>[] = [];
    const { yoga: brokenYoga } = buildApp({
      db: broken,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      logger: pino({ level: "error" }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    });
    const { status, headers, body } = await gql(brokenYoga, `{ proposal(id: "1") { id } }`, undefined, {
      headers: { "x-request-id": "req-42" },
    });
    expect(status).toBe(200);
    expect(headers.get("x-request-id")).toBe("req-42");
    expect(body.errors).toEqual([
      {
        message: "Unexpected error. Quote request id req-42 when reporting it.",
        locations: [{ line: 1, column: 3 }],
        path: ["proposal"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-42" },
      },
    ]);
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(
      logged.some((line) => line.requestId === "req-42" && line.msg === "Unexpected error in a resolver"),
    ).toBe(true);
  });
});

describe("endpoints", () => {
  const get = (target: TestYoga, path: string, headers: Record<string, string> = {}) =>
    target.fetch(`http://api.test${path}`, { headers });

  it("answers liveness at /health", async () => {
    expect((await get(yoga, "/health")).status).toBe(200);
  });

  it("is ready only while the mirror is within the configured lag of the head", async () => {
    const ready = await get(yoga, "/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, lagBlocks: 0, maxLagBlocks: 5 });
    app.headBlock = Number(scenario.lastBlock) + 6;
    try {
      const behind = await get(yoga, "/ready");
      expect(behind.status).toBe(503);
      expect(await behind.json()).toMatchObject({ ready: false, lagBlocks: 6 });
    } finally {
      app.headBlock = Number(scenario.lastBlock);
    }
    const { yoga: headless } = buildApp({ db, manifest: scenario.manifest, bus, head: async () => null });
    expect((await get(headless, "/ready")).status).toBe(503);
  });

  it("serves Prometheus metrics: requests, latency, errors by code, loader hits", async () => {
    await gql(yoga, `{ member(address: "0x1") { address } }`);
    await data(
      yoga,
      `{ members(first: 10) { edges { node { practices { practice { lead leadMember { address } } } } } } }`,
    );
    const response = await get(yoga, "/metrics");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/firm_api_requests_total\{route="graphql",status="200"\} \d+/);
    expect(text).toMatch(/firm_api_request_duration_seconds_bucket\{le="0.05",operation="query"\} \d+/);
    expect(text).toMatch(/firm_api_errors_total\{code="BAD_USER_INPUT"\} \d+/);
    expect(text).toMatch(/firm_api_dataloader_loads_total\{loader="members",result="miss"\} \d+/);
    expect(text).toMatch(/firm_api_dataloader_batches_total\{loader="practices"\} \d+/);
  });

  it("serves GraphiQL outside production only", async () => {
    const page = await get(yoga, "/graphql", { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const { yoga: production } = buildApp({
      db,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      options: { graphiql: false },
    });
    const refused = await get(production, "/graphql", { accept: "text/html" });
    expect(refused.headers.get("content-type") ?? "").not.toContain("text/html");
  });

  it("answers CORS preflights for the configured origins only", async () => {
    const preflight = (target: TestYoga, origin: string) =>
      target.fetch("http://api.test/graphql", {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const { yoga: portal } = buildApp({
      db,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      options: { corsOrigins: ["https://portal.example"] },
    });
    expect(
      (await preflight(portal, "https://portal.example")).headers.get("access-control-allow-origin"),
    ).toBe("https://portal.example");
    expect(
      (await preflight(portal, "https://evil.example")).headers.get("access-control-allow-origin"),
    ).not.toBe("https://evil.example");
    // CORS off (the default): no browser origin is allowed.
    expect(
      (await preflight(yoga, "https://portal.example")).headers.get("access-control-allow-origin"),
    ).toBeNull();
  });

  it("limits each client address per minute, and never health checks", async () => {
    const { yoga: limited } = buildApp({
      db,
      manifest: scenario.manifest,
      bus,
      head: async () => null,
      options: { rateLimitPerMinute: 3 },
    });
    for (let i = 0; i < 3; i++)
      expect((await gql(limited, "{ firm { name } }", undefined, { ip: "203.0.113.9" })).status).toBe(200);
    const refused = await gql(limited, "{ firm { name } }", undefined, { ip: "203.0.113.9" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED" });
    expect((await gql(limited, "{ firm { name } }", undefined, { ip: "203.0.113.10" })).status).toBe(200);
    expect((await get(limited, "/health")).status).toBe(200);
  });

  it("stops a request that runs past the timeout", async () => {
    const slow = {
      getBlock: () => new Promise((resolve) => setTimeout(resolve, 5_000)),
    } as unknown as PublicClient;
    const { yoga: impatient } = buildApp({
      db,
      manifest: scenario.manifest,
      publicClient: slow,
      bus,
      head: async () => null,
      options: { requestTimeoutMs: 200 },
    });
    const started = performance.now();
    const { body } = await gql(
      impatient,
      `{ verifyMembership(practice: "cloud", address: "${p4}") { verified } }`,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "TIMEOUT", timeoutMs: 200 });
  });

  it("serves the same over a real socket, with a streamed body limit", async () => {
    const server = api.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      const ok = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ firm { name } }" }),
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(await ok.json()).toEqual({ data: { firm: { name: "MSP IT Partners" } } });
      // No Content-Length (a chunked upload): the limit counts bytes as they arrive.
      const chunk = new TextEncoder().encode(" ".repeat(10_000));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 20) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const chunked = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(400);
      expect(await chunked.json()).toMatchObject({ errors: [{ extensions: { code: "REQUEST_TOO_LARGE" } }] });
      expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

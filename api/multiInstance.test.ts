// Two API instances on one PostgreSQL mirror with Redis, as two processes behind a load balancer
// would run: each has its own connection pool, commit bus and rate-limit client. They must answer
// every query identically, share one rate limit, and both deliver a subscription event when the
// indexer (a third party on the bus) publishes a commit, after which neither answers from its response
// cache what it cached before the commit. A neighbouring deployment on the same Redis
// server (another governor) must neither hear those commits nor share the rate limit.
import { randomBytes } from "node:crypto";
import { network } from "hardhat";
import { Redis } from "ioredis";
import { type Address, getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firmGovernorAbi } from "../contracts/abi.ts";
import { deploymentRedisNamespace } from "../indexer/config.ts";
import type { CommitNotice } from "../indexer/store/types.ts";
import { type FirmScenario, runFirmScenario } from "../indexer/testing/firmScenario.ts";
import { type BuildAppReturnType, buildApp } from "./app.ts";
import { type CommitBus, createCommitBus } from "./createCommitBus.ts";
import { gql, subscribe } from "./testing/client.ts";
import { createFreshPostgres, type FreshPostgres, postgresAnswers } from "./testing/postgres.ts";
import { redisAnswers, TEST_REDIS_URL } from "./testing/redis.ts";
import { mirrorScenario, type ScenarioMirror } from "./testing/scenarioMirror.ts";

/** Both servers run on the project's machines and in CI; elsewhere the suite is skipped, not failed. */
const available = (await postgresAnswers()) && (await redisAnswers());
const connection = await network.connect();

describe.skipIf(!available)("two API instances on PostgreSQL with Redis", () => {
  // One namespace per run (as REDIS_NAMESPACE would set it), so parallel runs on one Redis do not meet.
  const namespace = `firm-test-${randomBytes(4).toString("hex")}`;
  let scenario: FirmScenario;
  let postgres: FreshPostgres;
  let mirror: ScenarioMirror;
  let indexerBus: CommitBus;
  const instances: { api: BuildAppReturnType; bus: CommitBus; redis: Redis }[] = [];
  /** Another deployment on the same Redis server, named by its derived namespace (a random governor
   * keeps parallel runs apart). */
  let neighbour: { api: BuildAppReturnType; bus: CommitBus; redis: Redis; heard: CommitNotice[] };

  beforeAll(async () => {
    scenario = await runFirmScenario(connection);
    postgres = await createFreshPostgres();
    mirror = await mirrorScenario(scenario, await postgres.open());
    indexerBus = await createCommitBus({ redisUrl: TEST_REDIS_URL, namespace });
    for (let i = 0; i < 2; i++) {
      const bus = await createCommitBus({ redisUrl: TEST_REDIS_URL, namespace });
      const redis = new Redis(TEST_REDIS_URL);
      const api = buildApp({
        db: await postgres.open(),
        manifest: scenario.manifest,
        publicClient: scenario.publicClient,
        bus,
        redis,
        redisNamespace: namespace,
        head: async () => ({ blockNumber: Number(scenario.lastBlock) }),
        options: { rateLimitPerMinute: 4 },
      });
      instances.push({ api, bus, redis });
    }
    const manifest = {
      ...scenario.manifest,
      contracts: {
        ...scenario.manifest.contracts,
        governor: getAddress(`0x${randomBytes(20).toString("hex")}`),
      },
    };
    const bus = await createCommitBus({
      redisUrl: TEST_REDIS_URL,
      namespace: deploymentRedisNamespace(manifest),
    });
    const redis = new Redis(TEST_REDIS_URL);
    const api = buildApp({
      db: await postgres.open(),
      manifest,
      bus,
      redis,
      head: async () => ({ blockNumber: Number(scenario.lastBlock) }),
      options: { rateLimitPerMinute: 4 },
    });
    neighbour = { api, bus, redis, heard: [] };
    bus.subscribe((notice) => neighbour.heard.push(notice));
  });

  afterAll(async () => {
    for (const { bus, redis } of [...instances, ...(neighbour ? [neighbour] : [])]) {
      await bus.close();
      redis.disconnect();
    }
    await indexerBus?.close();
    await mirror?.store.close();
    await postgres?.dispose();
  });

  /** Each query through each instance, from a client address of its own (the limit is 4 a minute). */
  async function both(query: string, variables?: Record<string, unknown>) {
    const ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
    return Promise.all(
      instances.map(async ({ api }) => {
        const { status, body } = await gql(api.yoga, query, variables, { ip });
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        return body.data;
      }),
    );
  }

  it("answer every query identically", async () => {
    const lower = (a: string) => a.toLowerCase() as Address;
    const [p1, p2] = scenario.founders.map(lower) as [Address, Address];
    const queries: [string, Record<string, unknown>?][] = [
      [
        `{ firm { chainId parameters { votingPeriod gracePeriod } counts { members activeMembers partners proposals grants } }
           indexingStatus { indexedBlock lagBlocks synced } }`,
      ],
      [
        `{ members(first: 10) { totalCount edges { cursor node { address role status since leaves { cover until }
           practices { role practice { slug } } equity { units votes votingPower } grants { id vestedAt releasableAt } } } } }`,
      ],
      [
        `{ proposals(first: 20) { totalCount edges { node { id kind state title tally { for { equity headcount } }
           quorum { reached equity { base required } headcount { base required } } actions { intent arguments summary } } } } }`,
      ],
      [`{ proposals(where: { state: EXECUTED }, first: 3) { totalCount edges { cursor node { id } } } }`],
      [
        `query($a: String!, $b: Int!) { member(address: $a, asOf: { block: $b }) { status asOfBlock practices { role practice { lead } } equity { votes } } }`,
        { a: p1, b: Number(scenario.midBlock) },
      ],
      [
        `query($b: Int!) { practice(slug: "cloud", asOf: { block: $b }) { lead members { totalCount edges { node { account role } } } } }`,
        { b: Number(scenario.midBlock) },
      ],
      [
        `query($a: String!) { member(address: $a) { votes(first: 20) { totalCount edges { node { castBy support weight proposal { title } } } } } }`,
        { a: p2 },
      ],
      [`{ grants { edges { node { id schedule(points: 4) { at vested } nextUnlock { at vested } } } } }`],
      [`{ distributions { edges { node { id amount claimed reclaimed open } } } }`],
      [
        `query($a: String!) { verifyMembership(practice: "cloud", address: $a) { verified reason mirror { isMember } chain { isMember } } }`,
        { a: scenario.associate },
      ],
    ];
    for (const [query, variables] of queries) {
      const [first, second] = await both(query, variables);
      expect(first).toBeDefined();
      expect(second, query).toEqual(first);
    }
  });

  it("share one rate limit per client address through Redis", async () => {
    const ip = "192.0.2.254";
    const ask = (i: number) => gql(instances[i % 2]!.api.yoga, "{ firm { name } }", undefined, { ip });
    for (let i = 0; i < 4; i++) expect((await ask(i)).status).toBe(200);
    const refused = await ask(4);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // The same address at the neighbouring deployment has its whole allowance.
    for (let i = 0; i < 4; i++) {
      expect((await gql(neighbour.api.yoga, "{ firm { name } }", undefined, { ip })).status).toBe(200);
    }
    expect((await gql(neighbour.api.yoga, "{ firm { name } }", undefined, { ip })).status).toBe(429);
  });

  it("both deliver a subscription event the indexer publishes, and neither serves a cached answer after it", async () => {
    const proposalId = scenario.proposals.active.id.toString();
    const TALLY = "query($id: String!) { proposal(id: $id) { tally { abstain { equity headcount } } } }";
    const hits = async () =>
      Promise.all(
        instances.map(
          async ({ api }) =>
            (await api.metrics.responseCache.get()).values.find((v) => v.labels.result === "hit")?.value ?? 0,
        ),
      );
    // Each instance caches the tally before the vote: the second asking is answered from memory.
    const hitsBefore = await hits();
    for (let i = 0; i < 2; i++) {
      expect(await both(TALLY, { id: proposalId })).toEqual([
        { proposal: { tally: { abstain: { equity: "0", headcount: 0 } } } },
        { proposal: { tally: { abstain: { equity: "0", headcount: 0 } } } },
      ]);
    }
    expect((await hits()).map((after, i) => after - hitsBefore[i]!)).toEqual([1, 1]);
    const streams = await Promise.all(
      instances.map(({ api }) =>
        subscribe(
          api.yoga,
          "subscription($id: String!) { voteCast(proposalId: $id) { voter support weight } }",
          {
            id: proposalId,
          },
        ),
      ),
    );
    try {
      const p4 = scenario.founders[3] as Address;
      const wallet = (await connection.viem.getWalletClients()).find(
        (w) => w.account.address.toLowerCase() === p4.toLowerCase(),
      );
      const hash = await wallet!.writeContract({
        address: scenario.manifest.contracts.governor,
        abi: firmGovernorAbi,
        functionName: "castVote",
        args: [scenario.proposals.active.id, 2],
      });
      await scenario.publicClient.waitForTransactionReceipt({ hash });
      const started = performance.now();
      await indexerBus.publish((await mirror.catchUp())!);
      const events = await Promise.all(streams.map((stream) => stream.next(1_000)));
      expect(performance.now() - started).toBeLessThan(1_000);
      const expected = {
        data: { voteCast: { voter: p4.toLowerCase(), support: "ABSTAIN", weight: "1200" } },
      };
      expect(events).toEqual([expected, expected]);
      // Redis delivers to each subscriber in the order it ran the PUBLISHes: once the neighbour's own
      // notice has reached it, the indexer's would have reached it first had they shared a channel.
      const marker = { chainId: 1, toBlock: 1n, proposalIds: [], members: [], votes: [] };
      const arrived = new Promise<void>((resolve) =>
        neighbour.bus.subscribe((notice) => notice.chainId === marker.chainId && resolve()),
      );
      await neighbour.bus.publish(marker);
      await arrived;
      expect(neighbour.heard).toEqual([marker]);
      // And both now answer the new tally alike, not the one they cached.
      const [a, b] = await both(TALLY, { id: proposalId });
      expect(a).toEqual({ proposal: { tally: { abstain: { equity: "1200", headcount: 1 } } } });
      expect(b).toEqual(a);
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });
});

afterAll(async () => {
  await connection.close();
});

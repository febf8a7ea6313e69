// The response cache (plugins/useResponseCache.ts) on the scenario's mirror: a repeated query is
// answered from it (nothing executed: no DataLoader runs), a write to the mirror is never answered
// with what was cached before it (with its commit notice, and without one), an answer read at "now"
// holds only for its second of the app's clock, the head-reading and side-effecting fields are never
// cached, verifyMembership is cached per chain block (number and hash), and RESPONSE_CACHE=off
// (responseCache: false) turns it all off. Each app here is buildApp over the suite's mirror with a
// clock the tests set.
import { type Address, type PublicClient, zeroAddress } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { firmGovernorAbi, partnershipAbi } from "../contracts/abi.ts";
import { type AppOptions, type BuildAppReturnType, buildApp } from "./app.ts";
import { gql, type Loose } from "./testing/client.ts";
import {
  bus,
  connection,
  db,
  mirror,
  p1,
  p2,
  p4,
  publicClient,
  scenario,
  useScenarioSuite,
} from "./testing/scenarioSuite.ts";

useScenarioSuite();

/** The apps' clock, in milliseconds: tests set it. */
let clockMs = 0;

function cachedApp(options: Partial<AppOptions> = {}, client: PublicClient = publicClient) {
  return buildApp({
    db,
    manifest: scenario.manifest,
    publicClient: client,
    bus,
    head: async () => ({ blockNumber: Number(scenario.lastBlock) }),
    clock: () => clockMs,
    options: { rateLimitPerMinute: 0, ...options },
  });
}

/** The counters a request moves: response cache hits and misses, and every DataLoader load. */
async function counters(app: BuildAppReturnType) {
  const sum = async (
    counter: { get(): Promise<{ values: { value: number; labels: object }[] }> },
    label?: string,
  ) =>
    (await counter.get()).values
      .filter((v) => label === undefined || (v.labels as { result?: string }).result === label)
      .reduce((total, v) => total + v.value, 0);
  return {
    hits: await sum(app.metrics.responseCache, "hit"),
    misses: await sum(app.metrics.responseCache, "miss"),
    loads: await sum(app.metrics.loaderLoads),
  };
}

/** Asks `query` of `app`; returns its data and how the counters moved. */
async function ask(app: BuildAppReturnType, query: string, variables?: Record<string, unknown>) {
  const before = await counters(app);
  const { status, body } = await gql(app.yoga, query, variables);
  expect(status).toBe(200);
  expect(body.errors, query).toBeUndefined();
  const after = await counters(app);
  return {
    data: body.data as Loose,
    hit: after.hits - before.hits,
    miss: after.misses - before.misses,
    loads: after.loads - before.loads,
  };
}

const MEMBERS = `{ members(first: 10) { totalCount edges { node { address role equity { units votes } } } } }`;
const TALLY = `query($id: String!) { proposal(id: $id) { tally { abstain { equity headcount } } } }`;
const STATE = `query($id: String!) { proposal(id: $id) { state } }`;
const STATE_AT = `query($id: String!, $at: Timestamp) { proposal(id: $id) { state(at: $at) } }`;

beforeAll(async () => {
  clockMs = Number((await publicClient.getBlock()).timestamp) * 1000;
});

describe("a repeated query", () => {
  it("is answered from the cache, executing nothing; with the cache off, it is executed every time", async () => {
    const app = cachedApp();
    const first = await ask(app, MEMBERS);
    expect(first).toMatchObject({ hit: 0, miss: 1 });
    expect(first.loads).toBeGreaterThan(0);
    const second = await ask(app, MEMBERS);
    expect(second).toEqual({ data: first.data, hit: 1, miss: 0, loads: 0 });

    const uncached = cachedApp({ responseCache: false });
    for (let i = 0; i < 2; i++) {
      const answer = await ask(uncached, MEMBERS);
      expect(answer).toMatchObject({ data: first.data, hit: 0, miss: 0 });
      expect(answer.loads).toBeGreaterThan(0);
    }
  });

  it("is answered with the same bytes as its first answer, without the cache's headers in the body", async () => {
    const app = cachedApp();
    const active = String(scenario.proposals.active.id);
    const expired = String(scenario.proposals.expired.id);
    const text = async (id: string) => {
      const response = await app.yoga.fetch("http://api.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query: STATE, variables: { id } }),
      });
      return { body: await response.text(), etag: response.headers.get("etag") };
    };
    const first = await text(active);
    const other = await text(expired);
    // The JSON text made on a hit is kept with that entry: each key keeps its own.
    for (const [id, expected] of [
      [active, first],
      [expired, other],
      [active, first],
    ] as const) {
      const hit = await text(id);
      expect(hit).toEqual(expected);
    }
    expect(first.body).not.toEqual(other.body);
    expect(JSON.parse(first.body)).toEqual({ data: { proposal: { state: expect.any(String) } } });
    expect(first.etag).toBeTruthy();
  });

  it("asked by many at once, is executed once; an answer not stored (an error) lets the others execute", async () => {
    const app = cachedApp();
    const before = await counters(app);
    const answers = await Promise.all(Array.from({ length: 8 }, () => gql(app.yoga, MEMBERS)));
    const after = await counters(app);
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(7);
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);

    const BAD = `{ member(address: "not an address") { status } }`;
    const failures = await Promise.all(Array.from({ length: 4 }, () => gql(app.yoga, BAD)));
    for (const failure of failures) expect(failure.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await counters(app)).hits).toBe(after.hits);
  });

  it("is keyed by its variables", async () => {
    const app = cachedApp();
    const [active, expired] = [scenario.proposals.active.id, scenario.proposals.expired.id].map(String);
    const a = await ask(app, STATE, { id: active });
    const b = await ask(app, STATE, { id: expired });
    expect(b.miss).toBe(1);
    expect(b.data).not.toEqual(a.data);
    expect(await ask(app, STATE, { id: active })).toMatchObject({ data: a.data, hit: 1 });
  });
});

describe("a write to the mirror", () => {
  it("is never answered with what was cached before it, with or without its commit notice", async () => {
    const app = cachedApp();
    const id = scenario.proposals.active.id.toString();
    const before = await ask(app, TALLY, { id });
    expect(before.data).toEqual({ proposal: { tally: { abstain: { equity: "0", headcount: 0 } } } });
    expect((await ask(app, TALLY, { id })).hit).toBe(1);

    // p4 abstains; the indexer commits the block but its notice is lost (a Redis bus drops notices
    // while disconnected): the new revision alone keeps the old answer from being served.
    await castVote(p4, scenario.proposals.active.id, 2);
    expect(await mirror.catchUp()).toBeDefined();
    const after = await ask(app, TALLY, { id });
    expect(after).toMatchObject({
      data: { proposal: { tally: { abstain: { equity: "1200", headcount: 1 } } } },
      hit: 0,
      miss: 1,
    });
    expect((await ask(app, TALLY, { id })).hit).toBe(1);

    // A commit notice drops every entry, whatever it names.
    await bus.publish({
      chainId: scenario.manifest.chainId,
      toBlock: 0n,
      proposalIds: [],
      members: [],
      votes: [],
    });
    expect(await ask(app, TALLY, { id })).toMatchObject({ data: after.data, hit: 0, miss: 1 });
  });
});

describe("a conditional request (If-None-Match)", () => {
  it("is answered 304 while the mirror is unchanged, and in full once the indexer has written", async () => {
    const app = cachedApp();
    const conditional = (etag: string) =>
      gql(app.yoga, MEMBERS, undefined, { headers: { "if-none-match": etag } });
    await ask(app, MEMBERS);
    const { headers } = await gql(app.yoga, MEMBERS);
    const etag = headers.get("etag");
    expect(etag).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect((await conditional(etag!)).status).toBe(304);

    // A new block, committed with no notice: the entry is still in memory, but of an older revision.
    await connection.networkHelpers.mine();
    expect(await mirror.catchUp()).toBeDefined();
    const fresh = await conditional(etag!);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("etag")).not.toBe(etag);
  });
});

describe("an answer read at now", () => {
  it("of a member's status holds until their leave runs out; of one not on leave, until the mirror changes", async () => {
    const app = cachedApp();
    const STATUS = `query($a: String!) { member(address: $a) { status } }`;
    // A partner goes on leave for three days, no cover.
    const until = Number((await publicClient.getBlock()).timestamp) + 3 * 86_400;
    const onLeave = await declareLeave([p2, p4, p1], until);
    expect(await mirror.catchUp()).toBeDefined();

    clockMs = (until - 60) * 1000;
    expect(await ask(app, STATUS, { a: onLeave })).toMatchObject({
      data: { member: { status: "ON_LEAVE" } },
      miss: 1,
    });
    clockMs = until * 1000 - 1;
    expect(await ask(app, STATUS, { a: onLeave })).toMatchObject({
      data: { member: { status: "ON_LEAVE" } },
      hit: 1,
    });
    clockMs = until * 1000;
    expect(await ask(app, STATUS, { a: onLeave })).toMatchObject({
      data: { member: { status: "ACTIVE" } },
      miss: 1,
    });
    // Not on leave (p1 retired): the status cannot change without a write, however long the clock runs.
    const retired = await ask(app, STATUS, { a: p1 });
    expect(retired).toMatchObject({ data: { member: { status: "RETIRED" } }, miss: 1 });
    clockMs += 365 * 86_400_000;
    expect(await ask(app, STATUS, { a: p1 })).toMatchObject({ data: retired.data, hit: 1 });
    // A field that reads now without saying how long its answer holds: for the second only.
    const both = `query($a: String!) { member(address: $a) { status leave { until } } }`;
    expect((await ask(app, both, { a: p1 })).miss).toBe(1);
    clockMs += 1000;
    expect((await ask(app, both, { a: p1 })).miss).toBe(1);
  });

  it("holds for its second of the app's clock; an answer at a given time holds until the mirror changes", async () => {
    const app = cachedApp();
    const id = scenario.proposals.active.id.toString();
    // Ahead of the mirror's last block, whose time "now" never goes below (context.ts).
    const status = await ask(app, "{ indexingStatus { indexedTimestamp } }");
    const startOfSecond = (status.data.indexingStatus.indexedTimestamp + 60) * 1000;
    clockMs = startOfSecond;
    const now = await ask(app, STATE, { id });
    expect(now.data).toEqual({ proposal: { state: "ACTIVE" } });
    clockMs = startOfSecond + 999;
    expect((await ask(app, STATE, { id })).hit).toBe(1);
    clockMs = startOfSecond + 1000;
    expect(await ask(app, STATE, { id })).toMatchObject({ data: now.data, hit: 0, miss: 1 });

    // A year on, the vote is long over: the cached ACTIVE is not served.
    const at = startOfSecond / 1000;
    const pinned = await ask(app, STATE_AT, { id, at });
    clockMs = startOfSecond + 366 * 86_400_000;
    const later = await ask(app, STATE, { id });
    expect(later.miss).toBe(1);
    expect(later.data).not.toEqual(now.data);
    // The state at a given time does not depend on the clock: still answered from the cache.
    expect(await ask(app, STATE_AT, { id, at })).toMatchObject({ data: pinned.data, hit: 1 });
    clockMs = startOfSecond;
  });
});

describe("a stalled read of the mirror", () => {
  it("is waited on no longer than the request's time limit: the request answers TIMEOUT, then a fresh answer", async () => {
    const app = cachedApp({ requestTimeoutMs: 200 });
    const { readMirrorState } = app.services;
    // The mirror's database stalls (a lock, a saturated pool): the read answers after five seconds.
    app.services.readMirrorState = () =>
      new Promise((resolve) => setTimeout(() => resolve(readMirrorState()), 5_000));
    const started = performance.now();
    const { body } = await gql(app.yoga, MEMBERS);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "TIMEOUT", timeoutMs: 200 });
    app.services.readMirrorState = readMirrorState;
    expect((await ask(app, MEMBERS)).miss).toBe(1);
  });
});

describe("what is never cached", () => {
  it("mutations: each presence challenge is a new one", async () => {
    const app = cachedApp({ presenceChallengesPerMinute: 0 });
    const challenge = `mutation { presenceChallenge(practice: "cloud") { code } }`;
    const first = await ask(app, challenge);
    const second = await ask(app, challenge);
    expect(second.data).not.toEqual(first.data);
    expect([first.hit + first.miss, second.hit + second.miss]).toEqual([0, 0]);
  });

  it("indexingStatus and any query selecting it: the chain's head moves without the mirror", async () => {
    let head = Number(scenario.lastBlock);
    const app = buildApp({
      db,
      manifest: scenario.manifest,
      bus,
      head: async () => ({ blockNumber: head }),
      clock: () => clockMs,
      options: { rateLimitPerMinute: 0 },
    });
    const query = `{ firm { name } indexingStatus { headBlock } }`;
    const first = await ask(app, query);
    head += 5;
    const second = await ask(app, query);
    expect(second).toMatchObject({ hit: 0, miss: 1, data: { indexingStatus: { headBlock: head } } });
    expect(second.data).not.toEqual(first.data);
  });
});

describe("verifyMembership", () => {
  /** A client whose readContract (the eth_call) and getBlock (the latest block) calls are counted. */
  function countedClient() {
    const calls = { readContract: 0, getBlock: 0, failBlocks: false };
    const client = new Proxy(publicClient, {
      get(target, name, receiver) {
        if (name === "readContract")
          return (...args: Parameters<PublicClient["readContract"]>) => {
            calls.readContract += 1;
            return target.readContract(...args);
          };
        if (name === "getBlock")
          return (...args: Parameters<PublicClient["getBlock"]>) => {
            calls.getBlock += 1;
            if (calls.failBlocks) return Promise.reject(new Error("connection refused"));
            return target.getBlock(...args);
          };
        return Reflect.get(target, name, receiver);
      },
    });
    return { calls, client };
  }
  const query = `query($a: String!) { verifyMembership(practice: "cloud", address: $a) { verified checkedAtBlock } }`;

  it("is answered from the cache within a block, and asked again at the next block", async () => {
    const { calls, client } = countedClient();
    const app = cachedApp({}, client);
    const first = await ask(app, query, { a: scenario.associate });
    expect(first).toMatchObject({ hit: 0, miss: 1 });
    const second = await ask(app, query, { a: scenario.associate });
    expect(second).toEqual({ data: first.data, hit: 1, miss: 0, loads: 0 });
    // Every request reads the latest block (a hit too: it is in the key); the eth_call is made once.
    expect(calls).toMatchObject({ getBlock: 2, readContract: 1 });
    await connection.networkHelpers.mine();
    const third = await ask(app, query, { a: scenario.associate });
    expect(third).toMatchObject({ hit: 0, miss: 1 });
    expect(third.data.verifyMembership.checkedAtBlock).toBe(first.data.verifyMembership.checkedAtBlock + 1);
    expect(calls.readContract).toBe(2);
  });

  it("is not answered from a block that a reorganization replaced at the same height", async () => {
    const app = cachedApp();
    const snapshot = await connection.networkHelpers.takeSnapshot();
    await connection.networkHelpers.mine();
    const before = await ask(app, query, { a: scenario.associate });
    expect(before.miss).toBe(1);
    await snapshot.restore();
    // Another block at the same height: a later timestamp gives it another hash.
    await connection.networkHelpers.time.increase(13);
    const after = await ask(app, query, { a: scenario.associate });
    expect(after.data.verifyMembership.checkedAtBlock).toBe(before.data.verifyMembership.checkedAtBlock);
    expect(after).toMatchObject({ hit: 0, miss: 1 });
  });

  it("is answered 304 to its ETag within its block, in full at the next; a malformed ETag is no match", async () => {
    const app = cachedApp();
    const conditional = (etag: string) =>
      gql(app.yoga, query, { a: scenario.associate }, { headers: { "if-none-match": etag } });
    const first = await gql(app.yoga, query, { a: scenario.associate });
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^\d+:[0-9a-f]{64}:\d+\/0x[0-9a-f]{64}$/);
    expect((await conditional(etag!)).status).toBe(304);
    for (const malformed of [`${etag}:x`, etag!.replace(/:\d+\//, ":x/"), etag!.replace(/\/.*/, "")]) {
      const answer = await conditional(malformed);
      expect(answer.status, malformed).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    await connection.networkHelpers.mine();
    const fresh = await conditional(etag!);
    expect(fresh.status).toBe(200);
    expect(fresh.body.data?.verifyMembership.checkedAtBlock).toBe(
      first.body.data?.verifyMembership.checkedAtBlock + 1,
    );
  });

  it("bypasses the cache while the chain cannot be read: the failure is reported, then a fresh answer", async () => {
    const { calls, client } = countedClient();
    const app = cachedApp({}, client);
    const cached = await ask(app, query, { a: scenario.associate });
    calls.failBlocks = true;
    const { body } = await gql(app.yoga, query, { a: scenario.associate });
    expect(body.errors?.[0]?.extensions?.code).toBe("CHAIN_UNAVAILABLE");
    calls.failBlocks = false;
    const again = await ask(app, query, { a: scenario.associate });
    expect(again).toMatchObject({ data: cached.data, hit: 1 });
  });
});

/** The first of `partners` that may go on leave declares one until `until`, with no cover; returns it. */
async function declareLeave(partners: Address[], until: number): Promise<Address> {
  const wallets = await connection.viem.getWalletClients();
  for (const partner of partners) {
    const wallet = wallets.find((w) => w.account.address.toLowerCase() === partner.toLowerCase())!;
    const call = {
      address: scenario.manifest.contracts.partnership,
      abi: partnershipAbi,
      functionName: "declareLeave",
      args: [until, zeroAddress],
      account: wallet.account,
    } as const;
    try {
      await publicClient.simulateContract(call);
    } catch {
      continue;
    }
    await publicClient.waitForTransactionReceipt({ hash: await wallet.writeContract(call) });
    return partner;
  }
  throw new Error(`None of ${partners.join(", ")} may go on leave now`);
}

/** `voter` votes `support` (0 against, 1 for, 2 abstain) on proposal `id`. */
async function castVote(voter: Address, id: bigint, support: number) {
  const wallet = (await connection.viem.getWalletClients()).find(
    (w) => w.account.address.toLowerCase() === voter.toLowerCase(),
  );
  const hash = await wallet!.writeContract({
    address: scenario.manifest.contracts.governor,
    abi: firmGovernorAbi,
    functionName: "castVote",
    args: [id, support],
  });
  await publicClient.waitForTransactionReceipt({ hash });
}

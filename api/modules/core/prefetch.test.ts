// The API benchmark's hot queries (scripts/bench/api/queries.ts: member, practice, proposals), exactly
// as the bench sends them, each answered in ONE statement (core/prefetch.ts), on PGlite and on
// PostgreSQL, over the scenario's mirror (api/testing/scenarioMirror.ts). The statements are counted
// at the database's client (api/testing/countStatements.ts). Their answers must be the ones the same
// fields give when the loaders read them one by one: a member or a practice as a node of the members
// or practices list (no prefetch), and the active proposals as the unfiltered list reads their state.

import { type SQL, sql } from "drizzle-orm";
import { network } from "hardhat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../../../indexer/store/db.ts";
import { members } from "../../../indexer/store/schema.ts";
import { type FirmScenario, runFirmScenario } from "../../../indexer/testing/firmScenario.ts";
import { OUR_QUERIES } from "../../../scripts/bench/api/queries.ts";
import { buildApp } from "../../app.ts";
import { type AppServices, createContext } from "../../context.ts";
import { createCommitBus } from "../../createCommitBus.ts";
import { data, type Loose, type TestYoga } from "../../testing/client.ts";
import { countStatements, type StatementCounter } from "../../testing/countStatements.ts";
import { createFreshPostgres, type FreshPostgres, postgresAnswers } from "../../testing/postgres.ts";
import { mirrorScenario } from "../../testing/scenarioMirror.ts";
import { type PrefetchPart, prefetch } from "./prefetch.ts";

const connection = await network.connect();
const postgresAvailable = await postgresAnswers();
let scenario: FirmScenario;
let postgres: FreshPostgres | undefined;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
  if (postgresAvailable) postgres = await createFreshPostgres();
});

afterAll(async () => {
  for (const close of closers) await close();
  await postgres?.dispose();
  await connection.close();
});

/** The bench's query with a smaller page, to walk pages of the scenario's few rows. */
const withPage = (query: string, from: number, to: number) => {
  expect(query).toContain(`first: ${from}`);
  return query.replace(`first: ${from}`, `first: ${to}`);
};

describe.each([
  { store: "PGlite", skip: false },
  { store: "PostgreSQL", skip: !postgresAvailable },
])("the bench's hot queries on $store", ({ store, skip }) => {
  let yoga: TestYoga;
  let services: AppServices;
  let counter: StatementCounter;

  /** The answer and the statements it took. */
  async function ask(query: string, variables: Record<string, unknown>) {
    counter.reset();
    const answer = await data(yoga, query, variables);
    return { answer, statements: [...counter.statements] };
  }

  beforeAll(async () => {
    if (skip) return;
    let db: Database;
    if (store === "PGlite") {
      db = await createDatabase({ dataDir: "memory://" });
      closers.push(() => db.close());
    } else {
      db = await (postgres as FreshPostgres).open();
    }
    await mirrorScenario(scenario, db);
    const bus = await createCommitBus();
    closers.push(() => bus.close());
    ({ yoga, services } = buildApp({
      db,
      manifest: scenario.manifest,
      publicClient: scenario.publicClient,
      bus,
      head: async () => ({ blockNumber: Number(scenario.lastBlock) }),
      // Off, so each request reaches the resolvers: with it on, a miss adds the cache's own
      // revision read (api/responseCache.test.ts) and a hit runs only that.
      options: { rateLimitPerMinute: 0, responseCache: false },
    }));
    counter = countStatements(db);
  });

  it.skipIf(skip)("member: one statement, the answer the loaders give", async () => {
    const address = scenario.associate.toLowerCase();
    const { answer, statements } = await ask(OUR_QUERIES.member, { address });
    expect(statements).toHaveLength(1);
    expect(answer.member.practices.length).toBeGreaterThan(0);
    expect(answer.member.grants.length).toBeGreaterThan(0);

    const fields = /member\(address: \$address\) (\{[\s\S]*\})\s*\}\s*$/.exec(OUR_QUERIES.member)?.[1];
    expect(fields).toBeDefined();
    const { members } = await data(yoga, `{ members(first: 100) { edges { node ${fields} } } }`);
    const listed = members.edges.map((e: Loose) => e.node).find((m: Loose) => m.address === address);
    expect(answer.member).toEqual(listed);
  });

  it.skipIf(skip)(
    "member, asked of each member in turn: each answer is its own (one statement per shape, values bound)",
    async () => {
      const fields = /member\(address: \$address\) (\{[\s\S]*\})\s*\}\s*$/.exec(OUR_QUERIES.member)?.[1];
      const { members } = await data(yoga, `{ members(first: 100) { edges { node ${fields} } } }`);
      expect(members.edges.length).toBeGreaterThan(2);
      for (const { node } of members.edges) {
        const { answer, statements } = await ask(OUR_QUERIES.member, { address: node.address });
        expect(statements).toHaveLength(1);
        expect(answer.member).toEqual(node);
      }
    },
  );

  describe("a prefetch with a shape", () => {
    const part = (select: () => SQL): PrefetchPart => ({
      table: members,
      select,
      orderBy: [],
      prime: () => {},
    });
    const request = () => createContext(services, { requestId: "prefetch-test" });

    it.skipIf(skip)("is refused when its statement holds a value it did not bind", async () => {
      const address = scenario.associate.toLowerCase();
      await expect(
        prefetch(request(), () => [part(() => sql`SELECT * FROM members WHERE address = ${address}`)], {
          shape: `test-unbound-${store}`,
        }),
      ).rejects.toThrow(/reads 1 value\(s\) not bound: bind each/);
      await expect(
        prefetch(request(), () => [part(() => sql`SELECT * FROM members WHERE address = ${address}`)], {
          shape: `test-unbound-again-${store}`,
        }),
      ).rejects.not.toThrow(address);
      // Bound, the same statement is accepted.
      await prefetch(
        request(),
        (_, bind) => {
          const bound = bind("address", address);
          return [part(() => sql`SELECT * FROM members WHERE address = ${bound}`)];
        },
        { shape: `test-bound-${store}` },
      );
    });

    it.skipIf(skip)(
      "is refused when it binds a value only while its SQL is built (reused, it would lack it)",
      async () => {
        const address = scenario.associate.toLowerCase();
        const lazilyBound = () =>
          prefetch(
            request(),
            (_, bind) => [part(() => sql`SELECT * FROM members WHERE address = ${bind("address", address)}`)],
            { shape: `test-lazy-${store}` },
          );
        await lazilyBound();
        await expect(lazilyBound()).rejects.toThrow(/binds address only while building its SQL/);
      },
    );

    it.skipIf(skip)(
      "is refused, under the tests, when its shape misses what the SQL depends on",
      async () => {
        const shape = `test-narrow-${store}`;
        await prefetch(request(), () => [part(() => sql`SELECT * FROM members`)], { shape });
        await expect(
          prefetch(request(), () => [part(() => sql`SELECT * FROM members WHERE role = 'Partner'`)], {
            shape,
          }),
        ).rejects.toThrow(/misses something the SQL depends on/);
      },
    );

    it.skipIf(skip)(
      "marks each response that compares with now as read at now, its statement built or reused",
      async () => {
        const shape = `test-now-${store}`;
        // Without the check (as in production), a reused statement's selects are not built at all.
        for (let i = 0; i < 2; i++) {
          const ctx = request();
          await prefetch(
            ctx,
            (reading) => [part(() => sql`SELECT * FROM members WHERE admitted_at <= ${reading.now}`)],
            { shape, checkShape: false },
          );
          expect(ctx.nowRead(), `request ${i + 1}`).toBeGreaterThan(0);
        }
        const without = request();
        await prefetch(without, () => [part(() => sql`SELECT * FROM members`)], {
          shape: `test-no-now-${store}`,
        });
        expect(without.nowRead()).toBeUndefined();
      },
    );
  });

  it.skipIf(skip)("practice: one statement per page, the pages the loaders give", async () => {
    const { answer, statements } = await ask(OUR_QUERIES.practice, { slug: "cloud", after: null });
    expect(statements).toHaveLength(1);
    const seats = answer.practice.members.edges;
    expect(seats.length).toBeGreaterThan(1);

    // Page by page (one seat each), each page's cursor leading to the next, as the bench walks them.
    const onePerPage = withPage(OUR_QUERIES.practice, 50, 1);
    const fields = /practice\(slug: \$slug\) (\{[\s\S]*\})\s*\}\s*$/.exec(onePerPage)?.[1];
    expect(fields).toBeDefined();
    const listQuery = `query($after: String) { practices { edges { node ${fields} } } }`;
    let after: string | null = null;
    const walked: Loose[] = [];
    for (let page = 0; page < seats.length; page++) {
      const { answer: one, statements: sent } = await ask(onePerPage, { slug: "cloud", after });
      expect(sent).toHaveLength(1);
      const { practices } = await data(yoga, listQuery, { after });
      expect(one.practice).toEqual(practices.edges.find((e: Loose) => e.node.slug === "cloud").node);
      walked.push(...one.practice.members.edges);
      expect(one.practice.members.pageInfo.hasNextPage).toBe(page < seats.length - 1);
      after = one.practice.members.pageInfo.endCursor;
    }
    expect(walked).toEqual(seats);
  });

  it.skipIf(skip)("proposals: one statement per page, the active ones those the state says", async () => {
    const { answer, statements } = await ask(OUR_QUERIES.proposals, { after: null });
    expect(statements).toHaveLength(1);
    const { proposals } = await data(
      yoga,
      `{ proposals(first: 100) { edges { node { id title proposer voteStart voteEnd state
        tally { for { equity headcount } against { equity headcount } abstain { equity headcount } } } } } }`,
    );
    const all = proposals.edges.map((e: Loose) => e.node);
    const withoutState = ({ state: _, ...p }: Loose) => p;
    const active = all.filter((p: Loose) => p.state === "ACTIVE").map(withoutState);
    expect(active.length).toBeGreaterThan(0);
    expect(answer.proposals.edges.map((e: Loose) => e.node)).toEqual(active.slice(0, 10));

    // Every proposal, two per page (the scenario has one active proposal: walk the unfiltered list).
    const twoPerPage = withPage(OUR_QUERIES.proposals, 10, 2).replace(", where: { state: ACTIVE }", "");
    expect(twoPerPage).not.toContain("ACTIVE");
    let after: string | null = null;
    const walked: Loose[] = [];
    for (let page = 0; page < Math.ceil(all.length / 2); page++) {
      const { answer: two, statements: sent } = await ask(twoPerPage, { after });
      expect(sent).toHaveLength(1);
      walked.push(...two.proposals.edges.map((e: Loose) => e.node));
      after = two.proposals.pageInfo.endCursor;
    }
    expect(walked).toEqual(all.map(withoutState));
  });
});

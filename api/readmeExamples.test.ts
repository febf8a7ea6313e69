// Every GraphQL example in the README runs: a reader who pastes one into GraphiQL gets data, not a
// validation error. Each ```graphql block holds one or more operations, each introduced by a `#`
// comment line; the README's `0x…` placeholder stands for a member of the scenario's firm.
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FirmScenario, runFirmScenario } from "../indexer/audit/scenario.ts";
import { createDatabase, type Database } from "../indexer/store/db.ts";
import { buildApp } from "./app.ts";
import { type CommitBus, createCommitBus } from "./createCommitBus.ts";
import { gql, type TestYoga } from "./testing/client.ts";
import { mirrorScenario, type ScenarioMirror } from "./testing/scenarioMirror.ts";

interface Example {
  /** The comment line that introduces it, as the README reads. */
  title: string;
  query: string;
}

/** The README's GraphQL examples, in order. */
function readmeExamples(): Example[] {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const examples: Example[] = [];
  for (const [, block] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    let current: Example | undefined;
    for (const line of (block ?? "").split("\n")) {
      if (line.startsWith("#")) {
        current = { title: line.replace(/^#\s*/, ""), query: "" };
        examples.push(current);
      } else if (line.trim() !== "") {
        if (!current) {
          current = { title: "(untitled)", query: "" };
          examples.push(current);
        }
        current.query += `${line}\n`;
      }
    }
  }
  return examples;
}

const examples = readmeExamples();
const connection = await network.connect();
let scenario: FirmScenario;
let db: Database;
let mirror: ScenarioMirror;
let bus: CommitBus;
let yoga: TestYoga;

beforeAll(async () => {
  scenario = await runFirmScenario(connection);
  db = await createDatabase({ dataDir: "memory://" });
  mirror = await mirrorScenario(scenario, db);
  bus = await createCommitBus();
  yoga = buildApp({
    db,
    manifest: scenario.manifest,
    publicClient: scenario.publicClient,
    bus,
    head: async () => ({ blockNumber: Number(scenario.lastBlock) }),
    options: { rateLimitPerMinute: 0 },
  }).yoga;
});

afterAll(async () => {
  await mirror?.store.close();
  await bus?.close();
  await db?.close();
  await connection.close();
});

describe("the README's GraphQL examples", () => {
  it("finds the examples for each audience", () => {
    expect(examples.map((e) => e.title)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Partners/),
        expect.stringMatching(/^New entrants/),
        expect.stringMatching(/^Clients/),
      ]),
    );
  });

  it.each(examples.map((e) => [e.title, e.query]))("runs %s", async (_title, query) => {
    // The scenario's technician in the cloud practice, who also holds a grant.
    const runnable = query.replaceAll("0x…", scenario.newPartner);
    const { body } = await gql(yoga, runnable);
    expect(body.errors).toBeUndefined();
    for (const [field, value] of Object.entries(body.data ?? {})) expect(value, field).not.toBeNull();
  });
});

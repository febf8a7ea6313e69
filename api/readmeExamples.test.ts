// Every GraphQL example in the README runs: a reader who pastes one into GraphiQL gets data, not a
// validation error. Each ```graphql block holds one or more operations, each introduced by a `#`
// comment line; the README's `0x…` placeholder stands for a member of the scenario's firm.
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql } from "./testing/client.ts";
import { type ScenarioApp, startScenarioApp } from "./testing/scenarioApp.ts";

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
let app: ScenarioApp;

beforeAll(async () => {
  app = await startScenarioApp(connection);
});

afterAll(async () => {
  await app?.close();
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
    const runnable = query.replaceAll("0x…", app.scenario.newPartner);
    const { body } = await gql(app.yoga, runnable);
    expect(body.errors).toBeUndefined();
    for (const [field, value] of Object.entries(body.data ?? {})) expect(value, field).not.toBeNull();
  });
});

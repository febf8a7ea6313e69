// The API app on the scenario's mirror (indexer/testing/firmScenario.ts on Hardhat's in-process chain), as
// the API tests, the README's examples and the socket server (./scenarioServer.ts) use it: one place
// that runs the scenario, mirrors it into an in-memory PGlite and builds the app. Not a test file.
import type { NetworkConnection } from "hardhat/types/network";
import type { Logger } from "pino";
import { createDatabase, type Database } from "../../indexer/store/db.ts";
import { type FirmScenario, runFirmScenario } from "../../indexer/testing/firmScenario.ts";
import { type AppOptions, type BuildAppReturnType, buildApp } from "../app.ts";
import { type CommitBus, createCommitBus } from "../createCommitBus.ts";
import type { TestYoga } from "./client.ts";
import { mirrorScenario, type ScenarioMirror } from "./scenarioMirror.ts";

export interface ScenarioApp {
  scenario: FirmScenario;
  db: Database;
  mirror: ScenarioMirror;
  bus: CommitBus;
  api: BuildAppReturnType;
  yoga: TestYoga;
  /** The chain head the app is told about (no RPC in the readiness path): the scenario's last block. */
  headBlock: number;
  /** Mirrors the blocks the chain gained since, tells the subscribers and moves the head; false if none. */
  commit(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Runs the scenario on `connection` and builds the app over its mirror, with the scenario's chain as
 * verifyMembership's live check and no rate limit unless `options` sets one.
 *
 * @example
 * const app = await startScenarioApp(connection);
 * await gql(app.yoga, "{ firm { name } }");
 */
export async function startScenarioApp(
  connection: NetworkConnection,
  { options = {}, logger }: { options?: Partial<AppOptions>; logger?: Logger } = {},
): Promise<ScenarioApp> {
  const scenario = await runFirmScenario(connection);
  const db = await createDatabase({ dataDir: "memory://" });
  const mirror = await mirrorScenario(scenario, db);
  const bus = await createCommitBus();
  const api = buildApp({
    db,
    manifest: scenario.manifest,
    publicClient: scenario.publicClient,
    bus,
    head: async () => ({ blockNumber: app.headBlock }),
    ...(logger ? { logger } : {}),
    options: { rateLimitPerMinute: 0, ...options },
  });
  const app: ScenarioApp = {
    scenario,
    db,
    mirror,
    bus,
    api,
    yoga: api.yoga,
    headBlock: Number(scenario.lastBlock),
    async commit() {
      const notice = await mirror.catchUp();
      if (!notice) return false;
      app.headBlock = Number(notice.toBlock);
      await bus.publish(notice);
      return true;
    },
    async close() {
      await mirror.store.close();
      await bus.close();
      await db.close();
    },
  };
  return app;
}

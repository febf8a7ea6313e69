// One API test file's fixture: the scenario app (./scenarioApp.ts) on the file's own in-process chain,
// with the helpers the API's tests share (the contracts' views, the chain's time, the founders). Each
// test file calls useScenarioSuite() once; its beforeAll hook sets the bindings below, which tests
// read as plain names (ES module exports are live bindings). Every test file runs in its own process,
// so no two files share an app or a chain. Not a test file.
import { network } from "hardhat";
import { pino } from "pino";
import type { Address, PublicClient } from "viem";
import { afterAll, beforeAll } from "vitest";
import { firmGovernorAbi, partnershipAbi, practicesAbi, withdrawalsAbi } from "../../contracts/abi.ts";
import type { Database } from "../../indexer/store/db.ts";
import type { FirmScenario } from "../../indexer/testing/firmScenario.ts";
import type { BuildAppReturnType } from "../app.ts";
import type { CommitBus } from "../createCommitBus.ts";
import type { TestYoga } from "./client.ts";
import { type ScenarioApp, startScenarioApp } from "./scenarioApp.ts";
import type { ScenarioMirror } from "./scenarioMirror.ts";

export const connection = await network.connect();
/** The app; its headBlock is the chain head the app is told about (no RPC in the readiness path). */
export let app: ScenarioApp;
export let scenario: FirmScenario;
export let db: Database;
export let mirror: ScenarioMirror;
export let bus: CommitBus;
export let api: BuildAppReturnType;
export let yoga: TestYoga;
export let publicClient: PublicClient;
/** The scenario's founders, lowercase (as the API answers addresses). */
export let p1: Address;
export let p2: Address;
export let p3: Address;
export let p4: Address;
export let p5: Address;
/** Warnings the app logged (verifyMembership's disagreements). */
export const warnings: Record<string, unknown>[] = [];

export const lower = (address: string) => address.toLowerCase() as Address;

/** Runs the scenario and builds the app before the file's tests (ready within 5 blocks); closes both after. */
export function useScenarioSuite(): void {
  beforeAll(async () => {
    const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    app = await startScenarioApp(connection, { options: { readyMaxLagBlocks: 5 }, logger });
    ({ scenario, db, mirror, bus, api, yoga } = app);
    publicClient = scenario.publicClient;
    [p1, p2, p3, p4, p5] = scenario.founders.map(lower) as [Address, Address, Address, Address, Address];
  });

  afterAll(async () => {
    await app?.close();
    await connection.close();
  });
}

/** The contracts' view of something, at the latest block. */
export function read<T>(
  contract: "partnership" | "governor" | "practices" | "withdrawals",
  functionName: string,
  args: unknown[],
): Promise<T> {
  const abi = {
    partnership: partnershipAbi,
    governor: firmGovernorAbi,
    practices: practicesAbi,
    withdrawals: withdrawalsAbi,
  }[contract];
  return publicClient.readContract({
    address: scenario.manifest.contracts[contract],
    abi,
    functionName,
    args,
  } as never) as Promise<T>;
}

export async function chainNow(): Promise<number> {
  return Number((await publicClient.getBlock()).timestamp);
}

import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { data } from "../../testing/client.ts";
import {
  app,
  lower,
  publicClient,
  read,
  scenario,
  useScenarioSuite,
  yoga,
} from "../../testing/scenarioSuite.ts";

useScenarioSuite();

describe("firm and indexing status", () => {
  it("describes the deployment, its parameters in force and its counts", async () => {
    const { firm } = await data(
      yoga,
      `{ firm { name deployment chainId startBlock contracts { partnership practices revenueShare governor timelock withdrawals directory books }
         parameters { votingDelay votingPeriod gracePeriod equityQuorumBps headcountQuorumBps timelockDelay claimWindow
           expulsionEquityBps expulsionHeadcountBps minLeave leaveCooldown }
         treasuryTokens
         counts { members activeMembers onLeave partners practices activePractices proposals grants distributions } } }`,
    );
    const { manifest } = scenario;
    const [leaveRules, expulsionBps, listed] = await Promise.all([
      read<[number, number]>("partnership", "leaveRules", []),
      read<[number, number]>("governor", "expulsionQuorumBps", []),
      read<Address[]>("withdrawals", "treasuryTokens", []),
    ]);
    expect(firm).toEqual({
      name: "MSP IT Partners",
      deployment: manifest.name,
      chainId: manifest.chainId,
      startBlock: manifest.startBlock,
      contracts: Object.fromEntries(Object.entries(manifest.contracts).map(([k, v]) => [k, lower(v)])),
      parameters: {
        votingDelay: Number(await read("governor", "votingDelay", [])),
        votingPeriod: Number(await read("governor", "votingPeriod", [])),
        gracePeriod: 14 * 86_400,
        // "Tune governance" set these.
        equityQuorumBps: 3_000,
        headcountQuorumBps: 5_000,
        timelockDelay: 86_400,
        claimWindow: 30 * 86_400,
        // The constitutional proposal set these.
        expulsionEquityBps: expulsionBps[0],
        expulsionHeadcountBps: expulsionBps[1],
        minLeave: leaveRules[0],
        leaveCooldown: leaveRules[1],
      },
      treasuryTokens: listed.map(lower),
      counts: {
        members: 7,
        // p1 retired, p5 removed.
        activeMembers: 5,
        onLeave: 0,
        partners: 4,
        practices: 2,
        activePractices: 2,
        proposals: 15,
        grants: 8,
        distributions: 2,
      },
    });
    expect(firm.parameters).toMatchObject({
      expulsionEquityBps: 8_000,
      expulsionHeadcountBps: 7_000,
      minLeave: 2 * 86_400,
      leaveCooldown: 10 * 86_400,
    });
    expect(firm.treasuryTokens).toEqual([scenario.token]);
  });

  it("reports the indexed block against the injected head", async () => {
    app.headBlock = Number(scenario.lastBlock) + 3;
    const { indexingStatus } = await data(
      yoga,
      "{ indexingStatus { chainId headBlock indexedBlock indexedTimestamp finalizedBlock lagBlocks synced maxLagBlocks } }",
    );
    const block = await publicClient.getBlock({ blockNumber: scenario.lastBlock });
    expect(indexingStatus).toEqual({
      chainId: scenario.manifest.chainId,
      headBlock: Number(scenario.lastBlock) + 3,
      indexedBlock: Number(scenario.lastBlock),
      indexedTimestamp: Number(block.timestamp),
      finalizedBlock: null,
      lagBlocks: 3,
      synced: true,
      maxLagBlocks: 5,
    });
    app.headBlock = Number(scenario.lastBlock);
  });
});

import { describe, expect, it } from "vitest";
import { data } from "../../testing/client.ts";
import { useScenarioSuite, yoga } from "../../testing/scenarioSuite.ts";

useScenarioSuite();

describe("grants and distributions", () => {
  it("lists distributions with claims, the reclaim and the proposal", async () => {
    const { distributions } = await data(
      yoga,
      `{ distributions { totalCount edges { node { id token amount snapshotId supplyAtSnapshot claimDeadline claimed claims
         reclaimed reclaimedAt createdAt creation { hash } proposal { title } open openEarlier: open(at: 0) } } } }`,
    );
    expect(distributions.totalCount).toBe(2);
    const [{ node }] = distributions.edges;
    expect(node).toMatchObject({
      id: "1",
      token: "0x0000000000000000000000000000000000000000",
      amount: "2000000000000000000",
      claims: 2,
      proposal: { title: "Distribute 2 ETH of Q3 revenue" },
      open: false,
      openEarlier: false,
    });
    expect(BigInt(node.claimed) + BigInt(node.reclaimed)).toBe(2_000_000_000_000_000_000n);
  });
});

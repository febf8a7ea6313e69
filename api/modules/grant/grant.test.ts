import { describe, expect, it } from "vitest";
import { data } from "../../testing/client.ts";
import { chainNow, p4, read, scenario, useScenarioSuite, yoga } from "../../testing/scenarioSuite.ts";

useScenarioSuite();

describe("grants and distributions", () => {
  it("vests exactly as the contract does, at any time", async () => {
    const now = await chainNow();
    const { grants } = await data(
      yoga,
      "{ grants(first: 100) { totalCount edges { node { id start cliff end revokedAt } } } }",
    );
    expect(grants.totalCount).toBe(8);
    for (const { node } of grants.edges) {
      const times = [
        node.start - 1,
        node.start,
        node.cliff - 1,
        node.cliff,
        (node.start + node.end) >> 1,
        node.end - 1,
        node.end,
        now,
      ];
      const fields = times.map((t, i) => `v${i}: vestedAt(at: ${Math.max(t, 0)})`).join(" ");
      const { grant } = await data(yoga, `query($id: String!) { grant(id: $id) { ${fields} } }`, {
        id: node.id,
      });
      const expected = await Promise.all(
        times.map((t) => read<bigint>("partnership", "vestedAt", [BigInt(node.id), BigInt(Math.max(t, 0))])),
      );
      expect(Object.values(grant), `grant ${node.id}`).toEqual(expected.map(String));
    }
  });

  it("gives releasable units, a schedule and the next unlock", async () => {
    const now = await chainNow();
    const { grant } = await data(
      yoga,
      `{ grant(id: "7") { id beneficiary beneficiaryMember { role } units released revoked forfeited releasableAt
         schedule(points: 5) { at vested } nextUnlock { at vested } createdBy { title } revokedBy { id } creation { hash timestamp } } }`,
    );
    const releasable = await read<bigint>("partnership", "releasable", [7n]);
    expect(grant).toMatchObject({
      id: "7",
      beneficiary: scenario.newPartner,
      beneficiaryMember: { role: "PARTNER" },
      units: "500",
      released: "0",
      revoked: false,
      forfeited: null,
      releasableAt: releasable.toString(),
      createdBy: { title: "Admit two members" },
      revokedBy: null,
    });
    expect(grant.schedule).toHaveLength(5);
    expect(grant.schedule.at(-1).vested).toBe("500");
    // The next unlock is the first second at which one more unit has vested.
    const { at, vested } = grant.nextUnlock;
    const [before, after, current] = await Promise.all(
      [at - 1, at, now].map((t) => read<bigint>("partnership", "vestedAt", [7n, BigInt(t)])),
    );
    expect(BigInt(vested)).toBe(after);
    expect(before).toBe(current);
    expect(after).toBeGreaterThan(current as bigint);

    const revoked = await data(
      yoga,
      `{ grant(id: "6") { revoked revokedAt forfeited nextUnlock { at } revokedBy { title } } }`,
    );
    expect(revoked.grant).toMatchObject({
      revoked: true,
      nextUnlock: null,
      revokedBy: { title: "Revoke grant 6" },
    });
  });

  it("filters grants by beneficiary and revocation", async () => {
    const q = `query($w: GrantWhere) { grants(where: $w) { totalCount edges { node { id } } } }`;
    expect((await data(yoga, q, { w: { beneficiary: p4 } })).grants.edges).toEqual([
      { node: { id: "4" } },
      { node: { id: "8" } },
    ]);
    // Grant 6 was revoked by proposal; grant 1 ended with p1's retirement, grant 5 with p5's removal.
    expect((await data(yoga, q, { w: { revoked: true } })).grants.edges).toEqual([
      { node: { id: "1" } },
      { node: { id: "5" } },
      { node: { id: "6" } },
    ]);
    expect((await data(yoga, q, { w: { revoked: false } })).grants.totalCount).toBe(5);
  });
});

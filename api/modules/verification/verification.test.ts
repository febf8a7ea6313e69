// verifyMembership (the mirror's answer and the chain's, side by side), against a mirror built from a real
// chain: the firm's life (indexer/testing/firmScenario.ts) on Hardhat's in-process chain, served by buildApp and
// queried through yoga.fetch with no port (api/testing/scenarioSuite.ts). Answers are checked against the
// contracts' own views where they have one. The last test tampers with the mirror, and restores it.
import { sql } from "drizzle-orm";
import { decodeFunctionResult, type Hex, type PublicClient } from "viem";
import { describe, expect, it } from "vitest";
import { practicesAbi } from "../../../contracts/abi.ts";
import { buildApp } from "../../app.ts";
import { data, gql } from "../../testing/client.ts";
import {
  bus,
  db,
  lower,
  p1,
  p4,
  publicClient,
  scenario,
  useScenarioSuite,
  warnings,
  yoga,
} from "../../testing/scenarioSuite.ts";

useScenarioSuite();

describe("verifyMembership", () => {
  const VERIFY = `query($s: String!, $a: String!) { verifyMembership(practice: $s, address: $a) {
    verified reason slug address role status practiceRole since practiceSince checkedAtBlock checkedAt chainId registry mirrorBlock
    practice { slug } member { address } admission { hash blockNumber }
    mirror { isMember role status practiceRole memberSince practiceSince }
    chain { isMember role status practiceRole memberSince practiceSince }
    howToVerify { method to data block blockNumber returns jsonRpc } } }`;

  it("verifies an active member, with an eth_call anyone can rerun", async () => {
    const { verifyMembership } = await data(yoga, VERIFY, { s: "cloud", a: scenario.associate });
    expect(verifyMembership).toMatchObject({
      verified: true,
      reason: null,
      slug: "cloud",
      address: scenario.associate,
      role: "ASSOCIATE",
      status: "ACTIVE",
      practiceRole: "MEMBER",
      chainId: scenario.manifest.chainId,
      registry: lower(scenario.manifest.contracts.practices),
      practice: { slug: "cloud" },
      member: { address: scenario.associate },
      mirror: { isMember: true },
      chain: { isMember: true },
    });
    expect(verifyMembership.mirror).toEqual(verifyMembership.chain);
    const { to, data: calldata, blockNumber, jsonRpc } = verifyMembership.howToVerify;
    const raw = await publicClient.call({ to, data: calldata, blockNumber: BigInt(blockNumber) });
    const decoded = decodeFunctionResult({
      abi: practicesAbi,
      functionName: "membership",
      data: raw.data as Hex,
    });
    expect(decoded.isMember).toBe(true);
    expect(JSON.parse(jsonRpc)).toMatchObject({
      method: "eth_call",
      params: [{ to, data: calldata }, verifyMembership.howToVerify.block],
    });
  });

  it("does not verify a retired partner, and says why", async () => {
    const { verifyMembership } = await data(yoga, VERIFY, { s: "cloud", a: p1 });
    expect(verifyMembership).toMatchObject({
      verified: false,
      reason: "The account has left the firm (retired).",
      status: "RETIRED",
      // The retirement emptied the seat: the reason names the departure, not a missing seat.
      practiceRole: null,
      mirror: { isMember: false },
      chain: { isMember: false },
    });
  });

  it("does not verify when the chain cannot be read", async () => {
    const failing = {
      getBlock: async () => {
        throw new Error("connect ECONNREFUSED https://user:secret@rpc.example/key");
      },
    } as unknown as PublicClient;
    const { yoga: offline } = buildApp({
      db,
      manifest: scenario.manifest,
      publicClient: failing,
      bus,
      head: async () => null,
    });
    const { body } = await gql(offline, VERIFY, { s: "cloud", a: p4 });
    expect(body.errors?.[0]?.extensions?.code).toBe("CHAIN_UNAVAILABLE");
    expect(JSON.stringify(body)).not.toContain("secret");
  });

  it("checks that arrive together share one read of the head, and a later check sees a newer block", async () => {
    let headReads = 0;
    const counting = {
      ...publicClient,
      getBlock: (...args: Parameters<PublicClient["getBlock"]>) => {
        headReads++;
        return publicClient.getBlock(...args);
      },
    } as PublicClient;
    const { yoga: shared } = buildApp({
      db,
      manifest: scenario.manifest,
      publicClient: counting,
      bus,
      head: async () => null,
    });
    const ASK = `query($s: String!, $a: String!) { verifyMembership(practice: $s, address: $a) { verified checkedAtBlock } }`;
    const burst = await Promise.all(
      Array.from({ length: 16 }, () => data(shared, ASK, { s: "cloud", a: scenario.associate })),
    );
    // One read for the first check, at most one more for all who arrived while it ran.
    expect(headReads).toBeLessThanOrEqual(2);
    const blocks = new Set(burst.map((answer) => answer.verifyMembership.checkedAtBlock));
    expect(blocks.size).toBe(1);
    expect(burst.every((answer) => answer.verifyMembership.verified)).toBe(true);
    const [before] = [...blocks] as number[];
    await publicClient.request({ method: "evm_mine" } as never);
    const after = await data(shared, ASK, { s: "cloud", a: scenario.associate });
    expect(after.verifyMembership.checkedAtBlock).toBe((before as number) + 1);
  });

  it("does not verify when the mirror was tampered with, and warns", async () => {
    await db.execute(sql`UPDATE practice_members SET role = 'None' WHERE account = ${scenario.associate}`);
    try {
      const { verifyMembership } = await data(yoga, VERIFY, { s: "cloud", a: scenario.associate });
      expect(verifyMembership).toMatchObject({
        verified: false,
        mirror: { isMember: false },
        chain: { isMember: true },
      });
      expect(verifyMembership.reason).toMatch(
        /^The mirror and the chain disagree \(isMember: mirror false, chain true; practiceRole: mirror None, chain Member/,
      );
      expect(warnings).toContainEqual(
        expect.objectContaining({
          msg: "Membership mirror disagrees with the chain",
          slug: "cloud",
          address: scenario.associate,
        }),
      );
    } finally {
      await db.execute(
        sql`UPDATE practice_members SET role = 'Member' WHERE account = ${scenario.associate}`,
      );
    }
  });
});

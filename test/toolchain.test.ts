// Smoke test for the toolchain: vitest runs on Node 22 and reaches Hardhat's in-process EDR chain
// through hardhat-viem.
import { network } from "hardhat";
import { afterAll, describe, expect, it } from "vitest";

const connection = await network.connect();
const { viem } = connection;

afterAll(async () => {
  await connection.close();
});

describe("toolchain", () => {
  it("connects vitest to the in-process Hardhat chain", async () => {
    const publicClient = await viem.getPublicClient();

    expect(await publicClient.getChainId()).toBe(31337);
    expect(typeof (await publicClient.getBlockNumber())).toBe("bigint");
  });
});

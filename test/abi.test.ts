import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseManifest } from "../contracts/manifest.ts";
// @ts-expect-error: a plain ESM script without type declarations.
import { renderAbiModule } from "../scripts/toolchain/export-abis.mjs";

describe("contracts/abi.ts", () => {
  it("matches the compiled artifacts (run `npm run build` after changing a contract)", () => {
    expect(readFileSync(new URL("../contracts/abi.ts", import.meta.url), "utf8")).toBe(renderAbiModule());
  });
});

describe("deployment manifest", () => {
  const valid = {
    version: 2,
    name: "dev",
    chainId: 31337,
    startBlock: 1,
    contracts: {
      timelock: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      partnership: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      practices: "0x9f1ac54BEF0DD2f6f3462EA0fa94fC62300d3a8e",
      revenueShare: "0xCafac3dD18aC6c6e92c921884f9E4176737C052c",
      governor: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      withdrawals: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
    },
  };

  it("accepts a valid manifest and checksums its addresses", () => {
    const lower = {
      ...valid,
      contracts: { ...valid.contracts, governor: valid.contracts.governor.toLowerCase() },
    };
    expect(parseManifest(JSON.stringify(lower)).contracts.governor).toBe(valid.contracts.governor);
  });

  it.each([
    ["not JSON", "{", /is not valid JSON/],
    [
      "a wrong version",
      JSON.stringify({ ...valid, version: 1 }),
      /has version 1, expected 2 .*predates the withdrawal desk/,
    ],
    ["a bad chain id", JSON.stringify({ ...valid, chainId: "1" }), /"chainId" must be a positive integer/],
    [
      "a negative start block",
      JSON.stringify({ ...valid, startBlock: -1 }),
      /"startBlock" must be a block number/,
    ],
    [
      "a bad address",
      JSON.stringify({ ...valid, contracts: { ...valid.contracts, timelock: "0x12" } }),
      /"contracts.timelock" must be an address/,
    ],
  ])("rejects %s with a message naming the field", (_, text, message) => {
    expect(() => parseManifest(text, "dev.json")).toThrow(message);
  });
});

// contracts/abi.ts and the reviewed list of the contracts' events and errors against the compiled
// artifacts (vitest's global setup has just built them), and the enums derived from the Solidity
// against the GraphQL schema's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, parse, printSchema } from "graphql/index.js";
import type { Abi, AbiParameter } from "viem";
import { describe, expect, it } from "vitest";
import { createApiSchema } from "../api/modules/index.ts";
import * as generated from "../contracts/abi.ts";
import { parseManifest } from "../contracts/manifest.ts";
import { SUPPORTS } from "../indexer/decode/enums.ts";
import { renderAbiModule } from "../scripts/toolchain/abiModule.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("contracts/abi.ts", () => {
  it("is rewritten by every build (scripts/toolchain/abiModulePlugin.ts)", () => {
    expect(readFileSync(join(root, "contracts/abi.ts"), "utf8")).toBe(
      renderAbiModule({ root, artifacts: join(root, "artifacts") }),
    );
  });
});

describe("contracts/abi.signatures.txt", () => {
  // Every ABI the module exports, by contract: partnershipAbi → Partnership.
  const abis = Object.fromEntries(
    Object.entries(generated).flatMap(([name, value]) =>
      name.endsWith("Abi")
        ? [[`${name[0]?.toUpperCase()}${name.slice(1, -"Abi".length)}`, value as Abi]]
        : [],
    ),
  );

  it("lists every event and error of the firm's contracts", async () => {
    await expect(
      renderSignatures(abis),
      "An event or error of a contract changed: the indexer, the API and clients decode them. Review the diff, then record it with `npx vitest run test/abi.test.ts -u` and commit contracts/abi.signatures.txt.",
    ).toMatchFileSnapshot("../contracts/abi.signatures.txt");
  });
});

describe("ENUMS", () => {
  it("hold the values of the GraphQL enums of the same name (less NONE where the API has none)", () => {
    const schema = parse(printSchema(createApiSchema()));
    const graphqlEnums = new Map(
      schema.definitions.flatMap((d) =>
        d.kind === Kind.ENUM_TYPE_DEFINITION
          ? [[d.name.value, (d.values ?? []).map((v) => v.name.value)]]
          : [],
      ),
    );
    const compared: string[] = [];
    for (const [name, members] of Object.entries({ ...generated.ENUMS, Support: SUPPORTS })) {
      const values = graphqlEnums.get(name);
      if (!values) continue;
      compared.push(name);
      // "OnLeave" is ON_LEAVE in GraphQL (api/modules/core/scalars.ts maps one to the other).
      const expected = members
        .map((member) => member.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase())
        .filter((value) => value !== "NONE" || values.includes("NONE"));
      expect([...values].sort(), name).toEqual(expected.sort());
    }
    expect(compared.sort()).toEqual([
      "MemberStatus",
      "PracticeRole",
      "PracticeStatus",
      "ProposalState",
      "Role",
      "Support",
      "WorkMode",
    ]);
  });
});

/** One line per event and error, by contract, with parameter names and `indexed`: what decoding needs. */
function renderSignatures(abis: Record<string, Abi>): string {
  const lines = [
    "# The events and errors of the firm's contracts, as the indexer, the API and clients decode them.",
    "# Checked against the artifacts by test/abi.test.ts; after reviewing a change, record it with",
    "# `npx vitest run test/abi.test.ts -u`.",
  ];
  for (const [contract, abi] of Object.entries(abis).sort(([a], [b]) => a.localeCompare(b))) {
    const items = abi.flatMap((item) =>
      item.type === "event" || item.type === "error"
        ? [`${contract} ${item.type} ${item.name}(${item.inputs.map(formatParameter).join(", ")})`]
        : [],
    );
    lines.push(...items.sort());
  }
  return `${lines.join("\n")}\n`;
}

function formatParameter(parameter: AbiParameter & { indexed?: boolean }): string {
  return [formatType(parameter), parameter.indexed ? "indexed" : "", parameter.name ?? ""]
    .filter(Boolean)
    .join(" ");
}

/** "tuple[]" with components → "(uint64,uint48)[]", as in a canonical signature. */
function formatType(parameter: AbiParameter): string {
  if (!parameter.type.startsWith("tuple") || !("components" in parameter)) return parameter.type;
  return `(${parameter.components.map(formatType).join(",")})${parameter.type.slice("tuple".length)}`;
}

describe("deployment manifest", () => {
  const valid = {
    version: 4,
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
      directory: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
      books: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
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
      /has version 1, expected 4 .*predates the withdrawal desk/,
    ],
    [
      "a manifest from before the directory",
      JSON.stringify({ ...valid, version: 2 }),
      /has version 2, expected 4 .*version 2 the talent directory/,
    ],
    [
      "a manifest from before the books",
      JSON.stringify({ ...valid, version: 3 }),
      /has version 3, expected 4 .*version 3 the books: redeploy/,
    ],
    [
      "a manifest without the books",
      JSON.stringify({ ...valid, contracts: { ...valid.contracts, books: undefined } }),
      /"contracts.books" must be an address/,
    ],
    [
      "a manifest without the directory",
      JSON.stringify({ ...valid, contracts: { ...valid.contracts, directory: undefined } }),
      /"contracts.directory" must be an address/,
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

// The project's layering, checked on every file's imports: scripts → api → indexer → contracts, with
// kernel/ below them all, and product code never importing test code. Biome's noImportCycles keeps
// cycles out; this keeps the direction, which a cycle check alone does not see.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** What each product folder may import, besides itself and npm packages. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  kernel: [],
  contracts: ["kernel"],
  // The Ignition module that deploys the contracts: part of the contracts' layer, one folder apart
  // because Hardhat Ignition looks for it there.
  ignition: ["contracts", "kernel"],
  indexer: ["contracts", "kernel"],
  api: ["indexer", "contracts", "kernel"],
  scripts: ["api", "indexer", "ignition", "contracts", "kernel"],
};

/** Tools under scripts/: they may import test helpers, and product code may not import them. */
const TOOLS = ["scripts/bench/", "scripts/preview/"];

function isTestCode(path: string): boolean {
  return (
    path.startsWith("test/") ||
    path.endsWith(".test.ts") ||
    path.includes("/testing/") ||
    path.startsWith("indexer/integration/")
  );
}

function layerOf(path: string): string | undefined {
  return Object.keys(MAY_IMPORT).find((layer) => path.startsWith(`${layer}/`));
}

/** Every relative import of a file, as a path from the project's root. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(root, file), "utf8");
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)];
  return specifiers.map(([, specifier]) => normalize(join(dirname(file), specifier as string)));
}

const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "*.ts"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter((file) => file && !file.startsWith("bench/ponder/") && !file.endsWith(".d.ts"));

const productFiles = files.filter(
  (file) => layerOf(file) && !isTestCode(file) && !TOOLS.some((tool) => file.startsWith(tool)),
);

describe("layering", () => {
  it("reads the product files of every layer", () => {
    for (const layer of Object.keys(MAY_IMPORT)) {
      expect(
        productFiles.some((file) => layerOf(file) === layer),
        layer,
      ).toBe(true);
    }
  });

  it("has every product file import only its own layer and the layers below it", () => {
    const wrong = productFiles.flatMap((file) => {
      const layer = layerOf(file) as string;
      const allowed = [layer, ...(MAY_IMPORT[layer] ?? [])];
      return importsOf(file)
        .filter((target) => !allowed.includes(layerOf(target) ?? ""))
        .map((target) => `${file} → ${relative(root, join(root, target))}`);
    });
    expect(wrong).toEqual([]);
  });

  it("has no product file import test code or a tool", () => {
    const wrong = productFiles.flatMap((file) =>
      importsOf(file)
        .filter((target) => isTestCode(target) || TOOLS.some((tool) => target.startsWith(tool)))
        .map((target) => `${file} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });
});

// Vitest global setup: runs once in the main process before any test file.
//
// vitest does not trigger Hardhat's Solidity build, so without this step tests could run against
// artifacts from an older version of the contracts (or a contracts/abi.ts older than them: every
// build rewrites it, scripts/toolchain/abiModulePlugin.ts). `hardhat build` is incremental: when
// nothing changed it only checks the cache, which takes a moment.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

export default function setup(): void {
  // Hardhat's CLI, next to its entry point (the package's `exports` hide package.json and the bin).
  const hardhatCli = join(dirname(createRequire(import.meta.url).resolve("hardhat")), "cli.js");
  // process.execPath is the Node running vitest (the project's pinned Node 22 when started through npm
  // or npx), so Hardhat runs on the same version rather than whatever `node` is first on PATH.
  execFileSync(process.execPath, [hardhatCli, "build", "--quiet"], {
    cwd: projectRoot,
    stdio: "inherit",
  });
}

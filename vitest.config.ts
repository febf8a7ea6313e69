// Vitest configuration: which tests run, in which kind of worker, with what time limits.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Tests live beside the code they exercise.
    include: [
      "test/**/*.test.ts",
      "kernel/**/*.test.ts",
      "indexer/**/*.test.ts",
      "api/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/.git/**", "artifacts/**", "cache/**", "bench/ponder/**"],
    // Compiles the contracts once per run, so no test reads stale artifacts (vitest does not trigger
    // Hardhat's Solidity build on its own).
    globalSetup: ["test/setup/global-setup.ts"],
    // Child processes rather than worker threads: EDR is a native (N-API) addon, and a process per
    // worker keeps each file's chains, memory and any native crash apart from the others.
    pool: "forks",
    // Chain set-up (deployments, mining thousands of blocks) and database start-up take time; a hung
    // test still fails within a minute.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A flaky test is a bug to fix, not to hide.
    retry: 0,
  },
});

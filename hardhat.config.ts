import { createRequire } from "node:module";
import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatViem, hardhatIgnitionViem, hardhatNetworkHelpers],
  solidity: {
    // Must equal the version of the `solc` npm package: Hardhat loads that WebAssembly build from disk
    // instead of downloading a compiler, which this project's machines cannot do.
    version: "0.8.30",
    // Absolute on purpose: Hardhat imports the path as a module, and a relative one fails.
    path: require.resolve("solc/soljson.js"),
    settings: {
      // Cancun, not Prague or Osaka: every chain the firm could deploy to (Ethereum and the common
      // L2s) runs it, and it brings what the contracts rely on, transient storage for the reentrancy
      // guard and MCOPY. Nothing from later forks is used.
      evmVersion: "cancun",
      optimizer: {
        enabled: true,
        // 200 keeps Partnership (the registry, equity ledger and grant book in one contract, so that a
        // vote and a release each cost one contract call) under the 24,576-byte limit.
        runs: 200,
      },
      // The legacy pipeline: every contract fits the stack without the IR pipeline, which compiles
      // several times slower in WebAssembly.
      viaIR: false,
    },
  },
  paths: {
    sources: "./contracts",
    tests: { solidity: "./test/contracts" },
  },
  networks: {
    // The in-process chain the tests and benchmarks use. Timestamps matter (the equity clock is
    // ERC-6372 timestamp mode), so blocks are mined one per transaction as on a real chain.
    default: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: "cancun",
      allowUnlimitedContractSize: false,
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.RPC_URL ?? "http://127.0.0.1:8545",
    },
  },
});

// Hardhat 3 configuration: the Solidity compilers (solc from npm, no download), the chains the tests,
// benchmarks and `firm deploy` use, and the paths of sources and Solidity tests.
import { createRequire } from "node:module";
import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { configVariable, defineConfig } from "hardhat/config";
import { abiModulePlugin } from "./scripts/toolchain/abiModulePlugin.ts";

const require = createRequire(import.meta.url);
const SOLC_PATH = require.resolve("solc/soljson.js");

const GOVERNOR_COMPILER = {
  version: "0.8.30",
  path: SOLC_PATH,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 10_000 }, viaIR: true },
};

export default defineConfig({
  // abiModulePlugin: every successful build rewrites contracts/abi.ts from the new artifacts.
  plugins: [hardhatViem, hardhatIgnitionViem, hardhatNetworkHelpers, abiModulePlugin],
  solidity: {
    compilers: [
      {
        // Must equal the version of the `solc` npm package: Hardhat loads that WebAssembly build from
        // disk instead of downloading a compiler, which this project's machines cannot do.
        version: "0.8.30",
        // Absolute on purpose: Hardhat imports the path as a module, and a relative one fails.
        path: SOLC_PATH,
        settings: {
          // Cancun, not Prague or Osaka: every chain the firm could deploy to (Ethereum and the common
          // L2s) runs it, and it brings what the contracts rely on, transient storage for the
          // reentrancy guard and MCOPY. Nothing from later forks is used.
          evmVersion: "cancun",
          optimizer: {
            enabled: true,
            // 200 keeps Partnership (the registry, equity ledger and grant book in one contract, so
            // that a vote and a release each cost one contract call) under the 24,576-byte limit.
            runs: 200,
          },
          // The legacy pipeline compiles several times faster in WebAssembly; only the governor
          // needs the IR pipeline (below).
          viaIR: false,
        },
      },
    ],
    overrides: {
      // The governor takes proposals as calldata arrays (hashed and emitted with no copy into memory),
      // which needs more stack than the legacy pipeline gives. Its hot paths (castVote, propose,
      // queue, execute) run for every decision of the firm, so it is optimized for runtime gas.
      "contracts/FirmGovernor.sol": GOVERNOR_COMPILER,
      // The benchmark's OpenZeppelin governor gets the same settings, so the comparison is like for like.
      "contracts/reference/RefGovernor.sol": GOVERNOR_COMPILER,
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
    // Any chain, configured from the environment alone, so deploying to a real chain needs no edit
    // here: the same RPC_URL the indexer, the API and the CLI read, and the deployer's key. `firm
    // deploy --network external` checks both before connecting and replaces the key with the
    // account of a keystore when given one (--keystore or FIRM_KEYSTORE). Configuration variables
    // are read only when a connection is made, so other networks do not need them set.
    external: {
      type: "http",
      chainType: "l1",
      url: configVariable("RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});

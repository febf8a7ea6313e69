// Ponder, configured to index the firm's five contracts: the peer the indexer benchmark measures
// ours against (scripts/bench/indexer/runPonder.ts starts it). Everything comes from the environment,
// which runPonder fills from the deployment manifest:
//
//   PONDER_RPC_URL      the chain's JSON-RPC URL
//   PONDER_RPC_MODE     "default": the URL once, as a user would configure it (Ponder's client-side
//                       rate limiter starts at 20 requests/s per URL and ramps up slowly);
//                       "best": the same URL listed 25 times, each its own transport with its own
//                       limiter, which lifts the limit (the best Ponder can do against one node)
//   PONDER_CHAIN_ID     the chain id
//   PONDER_START_BLOCK  the manifest's startBlock
//   PONDER_TIMELOCK, PONDER_PARTNERSHIP, PONDER_PRACTICES, PONDER_REVENUE_SHARE, PONDER_GOVERNOR
//                       the contract addresses
//   PONDER_DATABASE     "pglite" (then PONDER_PGLITE_DIR, an absolute path) or "postgres" (then
//                       DATABASE_URL)
//   PONDER_POLLING_MS   optional: the realtime polling interval (Ponder's default is 1,000 ms)
import { createConfig } from "ponder";
import {
  firmGovernorAbi,
  firmTimelockAbi,
  partnershipAbi,
  practicesAbi,
  revenueShareAbi,
} from "../../contracts/abi.ts";

/** Transports in "best" mode: enough that the per-URL limiter no longer binds (measured here). */
const BEST_MODE_TRANSPORTS = 25;

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`bench/ponder: environment variable ${name} is missing (see ponder.config.ts)`);
  }
  return value;
}

function integer(name: string): number {
  const raw = required(name);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`bench/ponder: ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function address(name: string): `0x${string}` {
  const value = required(name);
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new Error(`bench/ponder: ${name} must be a 20-byte hex address, got ${JSON.stringify(value)}`);
  }
  return value as `0x${string}`;
}

function oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = process.env[name] ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`bench/ponder: ${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

const rpcUrl = required("PONDER_RPC_URL");
const mode = oneOf("PONDER_RPC_MODE", ["default", "best"], "default");
const store = oneOf("PONDER_DATABASE", ["pglite", "postgres"], "pglite");
const startBlock = integer("PONDER_START_BLOCK");

export default createConfig({
  database:
    store === "postgres"
      ? { kind: "postgres", connectionString: required("DATABASE_URL") }
      : { kind: "pglite", directory: required("PONDER_PGLITE_DIR") },
  chains: {
    firm: {
      id: integer("PONDER_CHAIN_ID"),
      rpc: mode === "best" ? Array.from({ length: BEST_MODE_TRANSPORTS }, () => rpcUrl) : rpcUrl,
      ...(process.env.PONDER_POLLING_MS ? { pollingInterval: integer("PONDER_POLLING_MS") } : {}),
    },
  },
  contracts: {
    Timelock: { chain: "firm", abi: firmTimelockAbi, address: address("PONDER_TIMELOCK"), startBlock },
    Partnership: { chain: "firm", abi: partnershipAbi, address: address("PONDER_PARTNERSHIP"), startBlock },
    Practices: { chain: "firm", abi: practicesAbi, address: address("PONDER_PRACTICES"), startBlock },
    RevenueShare: { chain: "firm", abi: revenueShareAbi, address: address("PONDER_REVENUE_SHARE"), startBlock },
    Governor: { chain: "firm", abi: firmGovernorAbi, address: address("PONDER_GOVERNOR"), startBlock },
  },
});

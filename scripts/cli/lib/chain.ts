// The chain as the CLI sees it: a viem client on RPC_URL, checked against the deployment manifest
// (same chain id) before anything is read or sent, with a clear message when the node is not there.
import { type Chain, createPublicClient, defineChain, http, type PublicClient } from "viem";
import type { Manifest } from "../../../contracts/manifest.ts";
import { ChainIdMismatchError, redactUrl } from "../../../kernel/errors.ts";
import { UsageError } from "../errors.ts";
import { type CliEnv, loadManifest } from "./env.ts";

/** Hardhat's dev chain id: the only chain where `--as` and `firm dev` work. */
export const DEV_CHAIN_ID = 31337;

export interface ChainContext {
  env: CliEnv;
  manifest: Manifest;
  chain: Chain;
  publicClient: PublicClient;
  chainId: number;
  isDevChain: boolean;
}

/** Connects to RPC_URL and checks that it serves the manifest's chain. */
export async function connectChain(env: CliEnv): Promise<ChainContext> {
  const manifest = loadManifest(env);
  const chain = defineChain({
    id: manifest.chainId,
    name: manifest.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [env.rpcUrl] } },
  });
  // One attempt: a CLI should say at once that the node is down rather than retry for seconds.
  const publicClient = createPublicClient({
    chain,
    transport: http(env.rpcUrl, { retryCount: 0, timeout: 15_000 }),
  }) as PublicClient;
  const chainId = await readChainId(publicClient, env.rpcUrl);
  if (chainId !== manifest.chainId) {
    throw new ChainIdMismatchError({ expected: manifest.chainId, actual: chainId, rpcUrl: env.rpcUrl });
  }
  return { env, manifest, chain, publicClient, chainId, isDevChain: chainId === DEV_CHAIN_ID };
}

async function readChainId(publicClient: PublicClient, rpcUrl: string): Promise<number> {
  try {
    return await publicClient.getChainId();
  } catch (error) {
    throw new UsageError(
      `Cannot reach the chain at ${redactUrl(rpcUrl)} (${firstLine(error)})`,
      "Start the dev stack with `npm start`, or set RPC_URL to a node of your firm's chain.",
    );
  }
}

/** Refuses dev-only features (unlocked accounts, moving time) on any other chain. */
export function requireDevChain(context: ChainContext, what: string): void {
  if (!context.isDevChain) {
    throw new UsageError(
      `${what} works only on the dev chain (chain id ${DEV_CHAIN_ID}); RPC_URL serves chain ${context.chainId}`,
      "On a real chain, sign with --keystore <file>, and let time pass by itself.",
    );
  }
}

/** The latest block's number and time: the chain's "now", which a dev chain can move ahead of the wall clock. */
export async function chainNow(
  publicClient: PublicClient,
): Promise<{ blockNumber: bigint; timestamp: number }> {
  const block = await publicClient.getBlock({ blockTag: "latest" });
  return { blockNumber: block.number, timestamp: Number(block.timestamp) };
}

/**
 * The time the next block will most likely carry: the pending block's, which a dev chain moved ahead
 * with `firm dev advance` keeps in step; or, where a node does not serve the pending block, the later
 * of the latest block's time and the wall clock. What a transaction sent now sees as `block.timestamp`,
 * give or take the seconds before it is mined.
 */
export async function nextBlockTime(publicClient: PublicClient): Promise<number> {
  const latest = await chainNow(publicClient);
  const pending = await publicClient
    .getBlock({ blockTag: "pending" })
    .then((block) => Number(block.timestamp))
    .catch(() => 0);
  return Math.max(pending, latest.timestamp, pending === 0 ? Math.floor(Date.now() / 1000) : 0);
}

/**
 * Why a request failed, briefly: the network code deepest in the cause chain (ECONNREFUSED,
 * ENOTFOUND, …) when there is one, else the first line of the message.
 */
export function firstLine(error: unknown): string {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  }
  const message =
    (error as { shortMessage?: string }).shortMessage ??
    (error instanceof Error ? error.message : String(error));
  return (message.split("\n", 1)[0] ?? "").replace(/\.$/, "");
}

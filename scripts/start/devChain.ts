// The dev chain of `npm start`: Hardhat's in-process EDR chain (the project's default network, with
// the standard dev accounts unlocked), served over JSON-RPC for the CLI, wallets and the indexer.
//
// Hardhat's network.createServer makes the chain and serves it, but keeps its connection to itself.
// The seed needs that very connection, in process (fast, and Ignition keeps no deployment journal
// for an in-process chain), so a newConnection hook hands it over as it is created.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { NetworkHooks } from "hardhat/types/hooks";
import type { NetworkConnection } from "hardhat/types/network";
import { originOf } from "../../api/origin.ts";
import { abiModuleFile } from "../toolchain/abiModule.ts";
import { portError, type WantedPort } from "./ports.ts";

export interface DevChain {
  /** The in-process connection to the served chain, with Hardhat's viem, ignition and helpers. */
  connection: NetworkConnection;
  /** http://host:port */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartDevChainParameters extends WantedPort {
  /** Called before compiling; `firstBuild` when there are no artifacts at all (a fresh clone). */
  onCompiling?: (firstBuild: boolean) => void;
  /** Called after compiling; not called when the artifacts are newer than every source. */
  onCompiled?: (durationMs: number) => void;
}

/** The contracts the firm deploys, whose artifacts the Ignition module reads. */
const FIRM_CONTRACTS = [
  "Books",
  "Directory",
  "FirmGovernor",
  "FirmTimelock",
  "Partnership",
  "Practices",
  "RevenueShare",
  "Withdrawals",
];

/** Closing waits for clients to hang up (a wallet's websocket may never): after this, stop anyway. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Compiles the contracts if anything changed, starts the chain and serves it on `host:port`.
 *
 * @example
 * const chain = await startDevChain({ host: "127.0.0.1", port: 8545, purpose: "the dev chain", setting: "RPC_PORT" });
 * await deployDemoFirm(chain.connection);
 */
export async function startDevChain({
  onCompiling,
  onCompiled,
  ...wanted
}: StartDevChainParameters): Promise<DevChain> {
  // Imported here: loading Hardhat is a start-up stage of its own.
  const { default: hre } = await import("hardhat");
  const staleness = artifactsStaleness(hre.config.paths);
  if (staleness !== "fresh") {
    onCompiling?.(staleness === "missing");
    const compileStart = performance.now();
    // Only what the firm deploys: a fresh clone compiles no test or benchmark contract to start.
    await hre.tasks.getTask("build").run({
      quiet: true,
      noTests: true,
      files: FIRM_CONTRACTS.map((name) => join(hre.config.paths.root, "contracts", `${name}.sol`)),
    });
    onCompiled?.(performance.now() - compileStart);
  }

  let served: NetworkConnection | undefined;
  const capture: Partial<NetworkHooks> = {
    async newConnection(context, next) {
      const connection = await next(context);
      served = connection as unknown as NetworkConnection;
      return connection;
    },
  };
  hre.hooks.registerHandlers("network", capture);
  let server: Awaited<ReturnType<typeof hre.network.createServer>>;
  try {
    server = await hre.network.createServer("default", wanted.host, wanted.port);
  } finally {
    hre.hooks.unregisterHandlers("network", capture);
  }
  const connection = served;
  if (!connection) throw new Error("Hardhat created the dev chain without announcing its connection.");

  // Hardhat's server has no listener for listen errors, which would crash the process: catch them
  // on the process for the duration of the listen and report them as a port problem.
  let listenFailure: ((error: unknown) => void) | undefined;
  const onUncaught = (error: unknown) => listenFailure?.(error);
  process.on("uncaughtException", onUncaught);
  let address: { port: number };
  try {
    address = await new Promise((resolve, reject) => {
      listenFailure = (error) => reject(portError(wanted, error));
      server.listen().then(resolve, reject);
    });
  } catch (error) {
    await connection.close();
    throw error;
  } finally {
    process.off("uncaughtException", onUncaught);
  }

  return {
    connection,
    url: originOf(wanted.host, address.port),
    port: address.port,
    async close() {
      await Promise.race([
        server.close(),
        new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref()),
      ]);
      await connection.close();
    },
  };
}

/**
 * Whether the firm's artifacts are older than anything that compiles into them, or contracts/abi.ts
 * (which every build writes) is missing. Hardhat's own cache check is exact but loads the compiler
 * (seconds); file times answer the common cases, editing a contract or pulling new ones, and a
 * doubtful answer only costs that check.
 */
function artifactsStaleness(paths: { root: string; artifacts: string }): "fresh" | "stale" | "missing" {
  const artifactTimes: number[] = [];
  for (const name of FIRM_CONTRACTS) {
    const artifact = join(paths.artifacts, "contracts", `${name}.sol`, `${name}.json`);
    if (!existsSync(artifact)) return "missing";
    artifactTimes.push(statSync(artifact).mtimeMs);
  }
  if (!existsSync(abiModuleFile(paths))) return "stale";
  const built = Math.min(...artifactTimes);
  const inputs = [
    ...solidityFiles(join(paths.root, "contracts")),
    join(paths.root, "hardhat.config.ts"),
    join(paths.root, "package-lock.json"),
  ];
  return inputs.some((file) => existsSync(file) && statSync(file).mtimeMs > built) ? "stale" : "fresh";
}

function solidityFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sol"))
    .map((file) => join(folder, file));
}

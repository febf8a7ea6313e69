// Starts `hardhat node` as a child process: the benchmark chain is a real JSON-RPC server, so every
// indexer (ours, Ponder) pays the same HTTP costs a production deployment pays.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** How long a cold `hardhat node` may take to load its config and open the port (measured: ~8 s). */
const START_TIMEOUT_MS = 60_000;

export interface StartHardhatNodeParameters {
  port: number;
  /** Where the node's console output goes. It logs every request, so the default drops it. */
  logFile?: string;
}

export interface StartHardhatNodeReturnType {
  rpcUrl: string;
  /** The node's process id, for RSS sampling by the caller. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a Hardhat JSON-RPC node with the repository's config on `port` and resolves once it listens.
 *
 * @example
 * const node = await startHardhatNode({ port: 18545 });
 * // … node.rpcUrl …
 * await node.stop();
 */
export async function startHardhatNode({
  port,
  logFile,
}: StartHardhatNodeParameters): Promise<StartHardhatNodeReturnType> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("hardhat/package.json")), "dist/src/cli.js");
  // process.execPath, not `npx hardhat`: the node must run on the same pinned Node 22 as this script
  // (EDR needs it), whatever `node` the PATH finds first.
  const child = spawn(process.execPath, [cli, "node", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const sink = logFile ? createWriteStream(logFile) : null;
  let output = "";
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hardhat node did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      // The output must keep being read: a full pipe would block the node.
      sink?.write(chunk);
      if (output.length < 20_000) output += chunk.toString();
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with code ${code} before listening:\n${output}`));
    });
  });
  try {
    await started;
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

/** Ends `child` with SIGTERM, then SIGKILL after 5 s, and resolves when it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

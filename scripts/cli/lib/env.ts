// The CLI's settings, from the environment, each with a default that matches `npm start`: the dev
// chain at 127.0.0.1:8545, its manifest in deployments/dev.json, the API at 127.0.0.1:4000.
import { existsSync } from "node:fs";
import { type Manifest, readManifest } from "../../../contracts/manifest.ts";
import { createConfigReader } from "../../../kernel/config.ts";
import { DEFAULT_API_URL, DEFAULT_DEPLOYMENT, DEFAULT_RPC_URL } from "../../../kernel/defaults.ts";
import { UsageError } from "../errors.ts";

export interface CliEnv {
  rpcUrl: string;
  /** Absolute path of the deployment manifest. */
  deploymentPath: string;
  /** Whether DEPLOYMENT was left to its default (the dev stack's manifest). */
  defaultDeployment: boolean;
  apiUrl: string;
}

/**
 * `env` with the CLI's defaults for RPC_URL and DEPLOYMENT filled in. Every command goes through it,
 * including those that hand the environment to the indexer or the API (`firm index`, `firm serve`,
 * `firm audit`), whose own parsers require both: `firm --help` promises one default for all.
 */
export function withCliDefaults(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const read = createConfigReader(env);
  return {
    ...env,
    RPC_URL: read.string("RPC_URL") ?? DEFAULT_RPC_URL,
    DEPLOYMENT: read.string("DEPLOYMENT") ?? DEFAULT_DEPLOYMENT,
  };
}

/** Reads RPC_URL, DEPLOYMENT and FIRM_API_URL; reports every bad one at once. */
export function readCliEnv(given: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CliEnv {
  const defaultDeployment = createConfigReader(given).string("DEPLOYMENT") === undefined;
  const read = createConfigReader(withCliDefaults(given), { cwd });
  const rpcUrl = read.url("RPC_URL", { kind: "http", example: DEFAULT_RPC_URL, required: true });
  const apiUrl = read.url("FIRM_API_URL", { kind: "http", example: DEFAULT_API_URL }) ?? DEFAULT_API_URL;
  const deploymentPath = read.path("DEPLOYMENT", DEFAULT_DEPLOYMENT);
  const { config } = read.finish<CliEnv>({
    rpcUrl,
    apiUrl,
    deploymentPath,
    defaultDeployment,
  });
  return config;
}

/** The deployment manifest DEPLOYMENT names, with a hint on how to get one when it is missing. */
export function loadManifest(env: CliEnv): Manifest {
  if (!existsSync(env.deploymentPath)) {
    throw new UsageError(
      `No deployment manifest at ${env.deploymentPath}`,
      env.defaultDeployment
        ? `Start the dev stack with \`npm start\` (it writes ${DEFAULT_DEPLOYMENT}), or set DEPLOYMENT to your firm's manifest.`
        : "Set DEPLOYMENT to the manifest `firm deploy` wrote, e.g. deployments/base-sepolia.json.",
    );
  }
  return readManifest(env.deploymentPath);
}

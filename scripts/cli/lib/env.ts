// The CLI's settings, from the environment, each with a default that matches `npm start`: the dev
// chain at 127.0.0.1:8545, its manifest in deployments/dev.json, the API at 127.0.0.1:4000.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Manifest, readManifest } from "../../../contracts/manifest.ts";
import { ConfigError, type ConfigProblem } from "../../../kernel/errors.ts";
import { UsageError } from "../errors.ts";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_DEPLOYMENT = "deployments/dev.json";
export const DEFAULT_API_URL = "http://127.0.0.1:4000/graphql";

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
  return {
    ...env,
    RPC_URL: env.RPC_URL?.trim() || DEFAULT_RPC_URL,
    DEPLOYMENT: env.DEPLOYMENT?.trim() || DEFAULT_DEPLOYMENT,
  };
}

/** Reads RPC_URL, DEPLOYMENT and FIRM_API_URL; reports every bad one at once. */
export function readCliEnv(given: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CliEnv {
  const env = withCliDefaults(given);
  const problems: ConfigProblem[] = [];
  const url = (name: string, fallback: string, example: string): string => {
    const value = env[name]?.trim() || fallback;
    if (!URL.canParse(value) || !["http:", "https:"].includes(new URL(value).protocol)) {
      problems.push({ variable: name, value, expected: `an http(s) URL such as ${example}` });
    }
    return value;
  };
  const rpcUrl = url("RPC_URL", DEFAULT_RPC_URL, DEFAULT_RPC_URL);
  const apiUrl = url("FIRM_API_URL", DEFAULT_API_URL, DEFAULT_API_URL);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    rpcUrl,
    apiUrl,
    deploymentPath: resolve(cwd, env.DEPLOYMENT as string),
    defaultDeployment: !given.DEPLOYMENT?.trim(),
  };
}

/** The deployment manifest DEPLOYMENT names, with a hint on how to get one when it is missing. */
export function loadManifest(env: CliEnv): Manifest {
  if (!existsSync(env.deploymentPath)) {
    throw new UsageError(
      `No deployment manifest at ${env.deploymentPath}`,
      env.defaultDeployment
        ? "Start the dev stack with `npm start` (it writes deployments/dev.json), or set DEPLOYMENT to your firm's manifest."
        : "Set DEPLOYMENT to the manifest `firm deploy` wrote, e.g. deployments/base-sepolia.json.",
    );
  }
  return readManifest(env.deploymentPath);
}

// `npm start`'s environment, validated before anything starts; every bad variable is reported at once,
// with its value and what was expected (a ConfigError, like the indexer's and the API's).
//
// Two modes: with neither RPC_URL nor DEPLOYMENT, the dev stack (its own chain, seeded, mirror reset);
// with both, the indexer and the API against that chain, the mirror kept and resumed.
import { isIP } from "node:net";
import { resolve } from "node:path";
import { ConfigError, type ConfigProblem } from "../../kernel/errors.ts";
import { LOG_LEVELS, type LogLevel } from "../../kernel/logger.ts";

/** Where the dev stack listens and writes, unless told otherwise. */
export const DEV_DEFAULTS = {
  rpcPort: 8545,
  apiPort: 4000,
  host: "127.0.0.1",
  /** The mirror's PGlite folder, as for `firm index`. */
  dataDir: "data/mirror",
  /** The CLI's default DEPLOYMENT. */
  manifestPath: "deployments/dev.json",
} as const;

export interface StartConfig {
  mode: "dev" | "chain";
  /** The dev chain's JSON-RPC port (dev mode; 0 = any free port). */
  rpcPort: number;
  /** The API and web page's port (0 = any free port). */
  apiPort: number;
  host: string;
  /** The PGlite folder (absolute); in chain mode the indexer's config decides (DATABASE_URL wins). */
  dataDir: string;
  logLevel: LogLevel;
  /** Soft problems, to print as warnings. */
  warnings: string[];
}

/** The dev stack is read on a terminal: the indexer's and API's own logs stay quiet unless asked. */
const DEV_LOG_LEVEL: LogLevel = "warn";
/** Against a real chain, a backfill can take a while: show its progress. */
const CHAIN_LOG_LEVEL: LogLevel = "info";
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Reads RPC_PORT, PORT, HOST, DATA_DIR and LOG_LEVEL, and picks the mode from RPC_URL and DEPLOYMENT.
 *
 * @throws {ConfigError} listing every variable that is malformed.
 */
export function parseStartConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): StartConfig {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const raw = (name: string) => env[name]?.trim() || undefined;
  const port = (name: string, fallback: number) => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(parsed) && parsed <= 65_535) return parsed;
    problems.push({ variable: name, value, expected: "a port number from 1 to 65535 (0: any free port)" });
    return fallback;
  };

  const hasRpcUrl = raw("RPC_URL") !== undefined;
  const hasDeployment = raw("DEPLOYMENT") !== undefined;
  if (hasRpcUrl !== hasDeployment) {
    const [set, missing] = hasRpcUrl ? ["RPC_URL", "DEPLOYMENT"] : ["DEPLOYMENT", "RPC_URL"];
    problems.push({
      variable: missing,
      value: undefined,
      expected:
        `to be set with ${set}: npm start runs against a real chain only with both RPC_URL and DEPLOYMENT ` +
        `(the manifest \`firm deploy\` wrote). Unset ${set} to start the dev chain instead`,
    });
  }
  const mode = hasRpcUrl && hasDeployment ? "chain" : "dev";

  const rpcPort = port("RPC_PORT", DEV_DEFAULTS.rpcPort);
  const apiPort = port("PORT", DEV_DEFAULTS.apiPort);
  const host = raw("HOST") ?? DEV_DEFAULTS.host;
  if (isIP(host) === 0 && !HOSTNAME.test(host)) {
    problems.push({
      variable: "HOST",
      value: host,
      expected:
        "an IP address or host name to listen on, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
    });
  }
  const dataDir = resolve(cwd, raw("DATA_DIR") ?? DEV_DEFAULTS.dataDir);
  const level = raw("LOG_LEVEL")?.toLowerCase() ?? (mode === "dev" ? DEV_LOG_LEVEL : CHAIN_LOG_LEVEL);
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push({
      variable: "LOG_LEVEL",
      value: raw("LOG_LEVEL"),
      expected: `one of ${LOG_LEVELS.join(", ")}`,
    });
  }

  if (problems.length > 0) throw new ConfigError(problems);

  if (mode === "dev" && raw("DATABASE_URL")) {
    warnings.push(
      "DATABASE_URL is ignored by the dev stack: its mirror is reset at each start, so it lives in PGlite (DATA_DIR).",
    );
  }
  if (mode === "chain" && raw("RPC_PORT")) {
    warnings.push("RPC_PORT is ignored: with RPC_URL set, npm start runs no chain of its own.");
  }
  return { mode, rpcPort, apiPort, host, dataDir, logLevel: level as LogLevel, warnings };
}

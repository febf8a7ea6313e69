// `npm start`'s environment, validated before anything starts; every bad variable is reported at once,
// with its value and what was expected (a ConfigError, like the indexer's and the API's).
//
// Two modes: with neither RPC_URL nor DEPLOYMENT, the dev stack (its own chain, seeded, mirror reset);
// with both, the indexer and the API against that chain, the mirror kept and resumed.
import { DEFAULT_DATA_DIR, mirrorDataDir } from "../../indexer/config.ts";
import { createConfigReader, type ParsedConfig } from "../../kernel/config.ts";
import {
  DEFAULT_API_PORT,
  DEFAULT_DEPLOYMENT,
  DEFAULT_HOST,
  DEFAULT_RPC_PORT,
} from "../../kernel/defaults.ts";
import { LOG_LEVELS, type LogLevel } from "../../kernel/logger.ts";

/** Where the dev stack listens and writes, unless told otherwise. */
export const DEV_DEFAULTS = {
  rpcPort: DEFAULT_RPC_PORT,
  apiPort: DEFAULT_API_PORT,
  host: DEFAULT_HOST,
  /** The mirror's PGlite folder, as for `firm index`. */
  dataDir: DEFAULT_DATA_DIR,
  /** The CLI's default DEPLOYMENT. */
  manifestPath: DEFAULT_DEPLOYMENT,
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
}

/** The dev stack is read on a terminal: the indexer's and API's own logs stay quiet unless asked. */
const DEV_LOG_LEVEL: LogLevel = "warn";
/** Against a real chain, a backfill can take a while: show its progress. */
const CHAIN_LOG_LEVEL: LogLevel = "info";

/**
 * Reads RPC_PORT, PORT, HOST, DATA_DIR and LOG_LEVEL, and picks the mode from RPC_URL and DEPLOYMENT.
 *
 * @throws {ConfigError} listing every variable that is malformed.
 */
export function parseStartConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ParsedConfig<StartConfig> {
  const read = createConfigReader(env, { cwd });
  const hasRpcUrl = read.string("RPC_URL") !== undefined;
  const hasDeployment = read.string("DEPLOYMENT") !== undefined;
  if (hasRpcUrl !== hasDeployment) {
    const [set, missing] = hasRpcUrl ? ["RPC_URL", "DEPLOYMENT"] : ["DEPLOYMENT", "RPC_URL"];
    read.problem({
      variable: missing,
      value: undefined,
      expected:
        `to be set with ${set}: npm start runs against a real chain only with both RPC_URL and DEPLOYMENT ` +
        `(the manifest \`firm deploy\` wrote). Unset ${set} to start the dev chain instead`,
    });
  }
  const mode = hasRpcUrl && hasDeployment ? "chain" : "dev";

  const rpcPort = read.port("RPC_PORT", { anyFree: true }) ?? DEV_DEFAULTS.rpcPort;
  const apiPort = read.port("PORT", { anyFree: true }) ?? DEV_DEFAULTS.apiPort;
  const host = read.host("HOST", DEV_DEFAULTS.host);
  const dataDir = mirrorDataDir(env, cwd);
  const logLevel = read.oneOf("LOG_LEVEL", LOG_LEVELS, mode === "dev" ? DEV_LOG_LEVEL : CHAIN_LOG_LEVEL);
  read.throwIfProblems();

  if (mode === "dev" && read.string("DATABASE_URL")) {
    read.warn(
      "DATABASE_URL is ignored by the dev stack: its mirror is reset at each start, so it lives in PGlite (DATA_DIR).",
    );
  }
  if (mode === "chain" && read.string("RPC_PORT")) {
    read.warn("RPC_PORT is ignored: with RPC_URL set, npm start runs no chain of its own.");
  }
  return read.finish<StartConfig>({ mode, rpcPort, apiPort, host, dataDir, logLevel });
}

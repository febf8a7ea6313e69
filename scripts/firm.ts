#!/usr/bin/env node
// The `firm` command line. Each command lives in scripts/cli/; this file only parses arguments.
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { auditCommand } from "./cli/audit.ts";
import { deployCommand } from "./cli/deploy.ts";
import { reportError, UsageError } from "./cli/errors.ts";

const USAGE = `Usage: firm <command> [options]

Commands:
  deploy --network <name> [--parameters <file>] [--out <file>] [--name <label>]
      Deploy the firm's contracts with the Ignition module and write the deployment manifest.
  index
      Run the indexer: mirror the chain into PostgreSQL (PGlite in DATA_DIR unless DATABASE_URL is set).
      Configured from the environment: RPC_URL, DEPLOYMENT, DATABASE_URL, DATA_DIR, LOG_LEVEL, ...
  serve
      Run the GraphQL API (http://127.0.0.1:$PORT/graphql) over a PostgreSQL mirror.
      Configured from the environment: DATABASE_URL, DEPLOYMENT, RPC_URL, REDIS_URL, PORT, ...
  audit [--json]
      Compare the mirror with the chain at the indexed block; exits 1 on any drift.

Options for every command:
  --json     print one JSON object for scripts
  --help     show this help`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  switch (command) {
    case "deploy": {
      const { values } = parseArgs({
        args: rest,
        options: {
          network: { type: "string" },
          parameters: { type: "string" },
          out: { type: "string" },
          name: { type: "string" },
          json: { type: "boolean", default: false },
        },
        strict: true,
      });
      if (!values.network)
        throw new UsageError(
          "deploy needs --network <name>",
          "Networks are defined in hardhat.config.ts, e.g. --network localhost.",
        );
      mkdirSync("deployments", { recursive: true });
      await deployCommand({ ...values, network: values.network, json: values.json ?? false });
      return;
    }
    case "index": {
      // Imported here: the indexer's dependencies are not needed by the other commands.
      const { indexCommand } = await import("./cli/index.ts");
      process.exitCode = await indexCommand();
      return;
    }
    case "serve": {
      // The API's entry point starts the server when imported.
      await import("../api/server.ts");
      return;
    }
    case "audit": {
      const { values } = parseArgs({
        args: rest,
        options: { json: { type: "boolean", default: false } },
        strict: true,
      });
      process.exitCode = await auditCommand({ json: values.json ?? false });
      return;
    }
    default:
      throw new UsageError(`Unknown command "${command}"`, "Run `firm --help` for the list of commands.");
  }
}

const json = process.argv.includes("--json");
try {
  await main(process.argv.slice(2));
} catch (error) {
  // parseArgs reports unknown or malformed options as TypeErrors with a code: they are usage errors.
  const code = (error as { code?: string }).code;
  const usageError = code?.startsWith("ERR_PARSE_ARGS")
    ? new UsageError((error as Error).message, "Run `firm --help`.")
    : error;
  process.exitCode = reportError(usageError, json);
}

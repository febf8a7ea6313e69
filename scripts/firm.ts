#!/usr/bin/env node
// The `firm` command line: finds the command and loads only its module (scripts/cli/); the commands
// and their usage are listed in scripts/cli/commands.ts.
import { COMMANDS, commandUsage, overallUsage } from "./cli/commands.ts";
import { reportError, UsageError } from "./cli/errors.ts";
import { speedUpModuleLoading } from "./cli/lib/moduleLoading.ts";
import { Output } from "./cli/lib/output.ts";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${overallUsage()}\n`);
    return 0;
  }
  const command = COMMANDS.find((entry) => entry.name === name);
  if (!command)
    throw new UsageError(`Unknown command "${name}"`, "Run `firm --help` for the list of commands.");
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${commandUsage(command, rest)}\n`);
    return 0;
  }
  speedUpModuleLoading();
  const { run } = await command.load();
  return (await run(rest, new Output(rest.includes("--json")))) ?? 0;
}

const json = process.argv.includes("--json");
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // parseArgs reports unknown or malformed options as TypeErrors with a code: they are usage errors.
  const code = (error as { code?: string }).code;
  const usageError = code?.startsWith("ERR_PARSE_ARGS")
    ? new UsageError((error as Error).message, `Run \`firm ${process.argv[2] ?? ""} --help\`.`)
    : error;
  process.exitCode = reportError(usageError, json);
}

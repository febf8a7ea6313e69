// Argument parsing shared by every command: node:util parseArgs (strict: an unknown option is an
// error, not ignored), with --json added, and a check of how many positionals came.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { UsageError } from "../errors.ts";

const COMMON_OPTIONS = {
  json: { type: "boolean", default: false },
} as const;

/**
 * Parses `args` against `options` (plus --json), requiring between `min` and `max` positionals.
 * `usage` is the command's one-line form, for the error message.
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(
  args: string[],
  options: O,
  { min = 0, max = 0, usage }: { min?: number; max?: number; usage: string },
) {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, ...options },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length < min || positionals.length > max) {
    const problem =
      positionals.length < min
        ? "is missing an argument"
        : `has ${positionals.length - max} argument(s) too many (${positionals.slice(max).join(" ")})`;
    throw new UsageError(`\`firm ${commandName(usage)}\` ${problem}`, `Usage: firm ${usage}`);
  }
  return { values, positionals };
}

/** A required option's value, or a usage error naming it. */
export function required<T>(value: T | undefined, option: string, usage: string): T {
  if (value === undefined) throw new UsageError(`${option} is required`, `Usage: firm ${usage}`);
  return value;
}

/** "vote <proposal> for|against" → "vote"; "propose practice --slug <s>" → "propose practice". */
function commandName(usage: string): string {
  const words = usage.split(" ");
  const end = words.findIndex((word) => !/^[a-z][a-z-]*$/.test(word));
  return words.slice(0, end === -1 ? words.length : end).join(" ");
}

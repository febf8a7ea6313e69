// The CLI's error type and how the CLI reports errors. A UsageError is the project's BaseError with
// one hint line: a short message that says what was wrong, and how to fix it. Anything that escapes
// a command and is not of the project's error family is reported as an internal error, without a
// stack trace unless FIRM_DEBUG=1.
import { BaseError } from "../../kernel/errors.ts";
import { toJson } from "./lib/output.ts";

/** A failure the user can act on. */
export class UsageError extends BaseError {
  override name = "UsageError";
  /** Machine-readable facts for --json (a decoded revert's name and arguments, say). */
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, { hints: hint === undefined ? [] : [hint] });
    this.details = details;
  }
}

/** Prints `error` for a person (or as JSON) and returns the exit code. */
export function reportError(error: unknown, json: boolean): number {
  // The project's errors (BaseError and its kin: UsageError, ConfigError, ManifestError, ...) already
  // say what was wrong and how to fix it; only anything else is an internal error.
  const usage = error instanceof BaseError;
  // A UsageError's hint goes on a line of its own (and into --json's "hint"); the others print
  // their hints inside their message.
  const message =
    error instanceof UsageError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  const hint = error instanceof UsageError && error.hints.length > 0 ? error.hints.join("\n") : undefined;
  if (json) {
    const details = error instanceof UsageError ? error.details : undefined;
    process.stdout.write(`${toJson({ ok: false, error: message, hint: hint ?? null, ...details })}\n`);
  } else {
    process.stderr.write(`error: ${usage ? message : `internal error: ${message}`}\n`);
    if (hint) process.stderr.write(`  ${hint}\n`);
  }
  if (process.env.FIRM_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return usage ? 2 : 1;
}

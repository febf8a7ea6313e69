import { BaseError } from "../../kernel/errors.ts";
import { toJson } from "./lib/output.ts";

// The CLI's one error type: a short message that says what was wrong and how to fix it. Anything
// else that escapes a command is reported as an internal error, without a stack trace unless
// FIRM_DEBUG=1.

/** A failure the user can act on. */
export class UsageError extends Error {
  readonly hint: string | undefined;
  /** Machine-readable facts for --json (a decoded revert's name and arguments, say). */
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "UsageError";
    this.hint = hint;
    this.details = details;
  }
}

/** Prints `error` for a person (or as JSON) and returns the exit code. */
export function reportError(error: unknown, json: boolean): number {
  // The indexer's errors (BaseError and its kin) and manifest errors already say what was wrong and
  // how to fix it; only anything else is an internal error.
  const usage =
    error instanceof UsageError ||
    error instanceof BaseError ||
    (error instanceof Error && error.name === "ManifestError");
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof UsageError ? error.hint : undefined;
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

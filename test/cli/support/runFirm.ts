// Runs the `firm` CLI as a user would: a child process of the project's Node on scripts/firm.ts, with
// the environment pointing at a test stack. Asynchronous, so a chain or API served by the test's own
// process keeps answering while the child runs. Not a test file.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface FirmResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON object `--json` prints. */
  json<T = Record<string, unknown>>(): T;
}

/**
 * Runs `firm ...args` with `env` added to this process's environment (and `nodeArgs` given to Node
 * itself), from `cwd` (the project by default); never rejects on a non-zero exit.
 */
export function runFirm(
  args: string[],
  env: Record<string, string | undefined> = {},
  { nodeArgs = [], cwd = PROJECT_ROOT }: { nodeArgs?: string[]; cwd?: string } = {},
): Promise<FirmResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--disable-warning=ExperimentalWarning", ...nodeArgs, join(PROJECT_ROOT, "scripts/firm.ts"), ...args],
      { cwd, env: { ...process.env, FIRM_DEBUG: undefined, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : Number.NaN) : 0;
        if (error && Number.isNaN(code)) return reject(error);
        resolve({
          code,
          stdout,
          stderr,
          json<T>() {
            try {
              return JSON.parse(stdout) as T;
            } catch {
              throw new Error(`firm ${args.join(" ")} printed no JSON (exit ${code}):\n${stdout}\n${stderr}`);
            }
          },
        });
      },
    );
  });
}

/** A binding of runFirm to one environment: `firm("status", "--json")`. */
export function firmAt(env: Record<string, string | undefined>) {
  return (...args: string[]) => runFirm(args, env);
}

/** Fails with the command's output when it did not exit as expected. */
export function expectExit(result: FirmResult, code: number): FirmResult {
  if (result.code !== code) {
    throw new Error(
      `expected exit ${code}, got ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result;
}

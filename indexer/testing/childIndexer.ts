// Runs indexer/testing/runIndexer.ts (or another stage's runner, such as runDeliveryWorker.ts) in a
// child process and reads its JSON log, so tests can kill it (SIGKILL mid-write, SIGTERM for a
// graceful stop) and start it again on the same store.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const RUNNER = fileURLToPath(new URL("./runIndexer.ts", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Children still running, so a failed test cannot leave an indexer polling in the background. */
const running = new Set<ChildProcess>();

/** SIGKILLs every child indexer still running (call it in afterAll). */
export function killChildIndexers(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** One line of the child's JSON log. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ChildIndexer {
  readonly child: ChildProcess;
  /** Every log line so far. */
  readonly lines: readonly LogLine[];
  /** Resolves with the first line (past or future) that matches; rejects after `timeoutMs` or when the child exits. */
  waitFor(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the child wrote to stderr (for failure messages). */
  stderr(): string;
}

/**
 * Starts the indexer in a child process with `env` added to this process's environment.
 *
 * @example
 * const child = startChildIndexer({ RPC_URL: chain.url, DEPLOYMENT: manifestPath, DATA_DIR: dir });
 * await child.waitFor((line) => line.msg === "Following new blocks");
 * child.kill("SIGKILL");
 */
export function startChildIndexer(env: Record<string, string>): ChildIndexer {
  return startChildRunner(RUNNER, env);
}

/**
 * Starts the script `runner` (a TypeScript file logging JSON lines to stdout) in a child process, with
 * `env` added to this process's environment and `args` after it: the indexer's runner, another
 * stage's, or the `firm` CLI itself (scripts/firm.ts with ["index"]).
 *
 * @example
 * const child = startChildRunner(fileURLToPath(new URL("./runDeliveryWorker.ts", import.meta.url)), env);
 */
export function startChildRunner(
  runner: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): ChildIndexer {
  // process.execPath is the Node running the tests (the project's pinned Node 22), which runs
  // TypeScript by stripping types.
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", runner, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: "debug", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const lines: LogLine[] = [];
  const waiters = new Set<{ predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  let stderr = "";
  let partial = "";

  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const text = partial + chunk;
    const complete = text.split("\n");
    partial = complete.pop() ?? "";
    for (const raw of complete) {
      if (!raw.trim()) continue;
      const line = JSON.parse(raw) as LogLine;
      lines.push(line);
      for (const waiter of waiters) if (waiter.predicate(line)) waiter.resolve(line);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    kill: (signal) => void child.kill(signal),
    waitFor(predicate, timeoutMs = 30_000) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (line: LogLine) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(line);
          },
        };
        const fail = (why: string) => {
          waiters.delete(waiter);
          const tail = lines
            .slice(-5)
            .map((l) => JSON.stringify(l))
            .join("\n");
          reject(new Error(`${why}\nLast log lines:\n${tail}\nstderr:\n${stderr.slice(-2000)}`));
        };
        const timer = setTimeout(() => fail(`No matching log line within ${timeoutMs} ms`), timeoutMs);
        waiters.add(waiter);
        exited.then(({ code, signal }) => {
          if (waiters.has(waiter)) {
            clearTimeout(timer);
            fail(`The child process exited (code ${code}, signal ${signal}) before a matching log line`);
          }
        });
      });
    },
  };
}

// Helpers of the `npm start` tests: GraphQL over real HTTP (as the CLI and the web page call it), free
// ports, and `npm start` as a child process with its output collected. Not a test file.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Response data as the tests read it: shaped by the query, checked by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: a GraphQL response is typed by its query, not by TypeScript.
export type Loose = any;

/** POSTs a query to a GraphQL endpoint and returns its data; fails on any error. */
export async function queryApi(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Loose> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Loose; errors?: unknown[] };
  if (response.status !== 200 || body.errors?.length || !body.data)
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

// The benchmarks' helper: a port nothing listens on right now (the OS picks it).
export { freePort } from "../../scripts/bench/indexer/runPonder.ts";

/** Whether something accepts connections on 127.0.0.1:`port`. */
export async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** A new folder under the system's temporary folder, deleted when the current test file ends. */
export function tempFolder(label: string): string {
  const folder = mkdtempSync(join(tmpdir(), `firm-start-${label}-`));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

export interface StartProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text`; rejects if the process exits first or after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Runs `npm start` (scripts/start.ts on the project's Node) with `env` added to a clean environment. */
export function spawnStart(env: Record<string, string>, cwd = PROJECT_ROOT): StartProcess {
  const inherited = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const child = spawn(
    join(PROJECT_ROOT, "node_modules/.bin/node"),
    [join(PROJECT_ROOT, "scripts/start.ts")],
    { cwd, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  const watchers: (() => void)[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const watcher of [...watchers]) watcher();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, timeoutMs = 150_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`No "${text}" within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const check = () => {
          if (!out.includes(text)) return;
          clearTimeout(timer);
          watchers.splice(watchers.indexOf(check), 1);
          resolve();
        };
        watchers.push(check);
        check();
        void exited.then((code) => {
          clearTimeout(timer);
          if (!out.includes(text))
            reject(
              new Error(`npm start exited (${code}) before "${text}".\nstdout:\n${out}\nstderr:\n${err}`),
            );
        });
      });
    },
  };
}

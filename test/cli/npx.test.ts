// `npx firm …` as a partner runs it: npm and Node from the machine (Node 20 here, below the
// project's engines), not the project's node_modules/.bin. npx installs the project into its cache on
// first use, which is when npm warned about the engine; a fresh cache makes every run a first use.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SLOW = 120_000;
const cache = mkdtempSync(join(tmpdir(), "firm-npx-cache-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

/** PATH as a user's shell has it: without any node_modules/.bin. */
const userPath = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((dir) => !dir.includes("node_modules"))
  .join(delimiter);
const systemNpx = userPath.split(delimiter).find((dir) => existsSync(join(dir, "npx")));

/** This process's environment without what an enclosing `npm test` passes down to its scripts. */
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== "FIRM_DEBUG"),
);

function runUser(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: PROJECT_ROOT,
        env: { ...userEnv, PATH: userPath, npm_config_cache: cache },
        timeout: SLOW,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe.skipIf(!systemNpx)("npx firm with the machine's npm", () => {
  it(
    "prints only the command's output, even on the first run that installs the project in npx's cache",
    async () => {
      const { code, stdout, stderr } = await runUser("npx", ["firm", "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: firm <command> \[options\]/);
      expect(stderr).not.toContain("EBADENGINE");
      expect(stderr).toBe("");
    },
    SLOW,
  );

  it(
    "still shows npm's errors",
    async () => {
      const { code, stderr } = await runUser("npm", ["run", "no-such-script"]);
      expect(code).not.toBe(0);
      expect(stderr).toContain('npm error Missing script: "no-such-script"');
    },
    SLOW,
  );
});

// One process per PGlite folder (./folderLock.ts): a mirror folder held by a live process is refused
// to every other process (the same opening path in this process, `firm audit` and `firm index` as a
// user runs them), with a message that names the holder and says what to do; a holder killed with
// SIGKILL leaves a stale lock that the next opener takes over; close() releases the lock.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetMirrorFolder } from "../../scripts/start/devStack.ts";
import { runFirm } from "../../test/cli/support/runFirm.ts";
import { openMirrorDatabase } from "../openMirror.ts";
import { emitterManifest, temporaryDir, writeManifestFile } from "../testing/fixtures.ts";
import type { Database } from "./db.ts";
import { DataFolderInUseError } from "./errors.ts";
import { folderLockPath, lockDataFolder } from "./folderLock.ts";

/**
 * Opens `DATA_DIR` as `firm index` and `firm audit` do (openMirrorDatabase), prints one JSON line,
 * then holds it until "close" arrives on stdin (HOLD=1), or closes and exits at once.
 */
const OPENER_SCRIPT = `
const { openMirrorDatabase } = await import(process.env.OPEN_MIRROR_MODULE);
const say = (line) => process.stdout.write(JSON.stringify(line) + "\\n");
let db;
try {
  db = await openMirrorDatabase({ databaseUrl: undefined, dataDir: process.env.DATA_DIR });
} catch (error) {
  say({ opened: false, name: error.name, message: error.message });
  process.exit(3);
}
say({ opened: true });
if (process.env.HOLD !== "1") {
  await db.close();
  process.exit(0);
}
process.stdin.setEncoding("utf8");
process.stdin.on("data", async (chunk) => {
  if (!chunk.includes("close")) return;
  await db.close();
  say({ closed: true });
});
`;

interface Opener {
  child: ChildProcess;
  /** The child's JSON lines, in order, as they arrive. */
  next(): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/** A real second process (the project's Node) that opens `dataDir` through openMirrorDatabase. */
function startOpener(dataDir: string, { hold }: { hold: boolean }): Opener {
  const child = spawn(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", "--input-type=module", "--eval", OPENER_SCRIPT],
    {
      env: {
        ...process.env,
        OPEN_MIRROR_MODULE: new URL("../openMirror.ts", import.meta.url).href,
        DATA_DIR: dataDir,
        HOLD: hold ? "1" : "0",
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  let buffered = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
      const line = JSON.parse(buffered.slice(0, end)) as Record<string, unknown>;
      buffered = buffered.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    next: () => {
      const line = lines.shift();
      if (line) return Promise.resolve(line);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve)),
        exited.then((code) => {
          throw new Error(`The opener exited (${code}) before answering:\n${stderr}`);
        }),
      ]);
    },
  };
}

function lockOwner(dataDir: string): { pid: number; lockedAt: string } | undefined {
  const path = folderLockPath(dataDir);
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

describe("one process per PGlite folder", () => {
  let root: string;
  let dataDir: string;
  let holder: Opener;
  let opened: Database | undefined;

  beforeAll(async () => {
    root = temporaryDir("folder-lock");
    dataDir = join(root, "mirror");
    holder = startOpener(dataDir, { hold: true });
    // The first mirror of an install makes the PGlite templates (child processes, 5–15 s).
    expect(await holder.next()).toEqual({ opened: true });
  }, 180_000);

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  });

  it("refuses a second opener while the holder lives, naming the holder and what to do", async () => {
    const owner = lockOwner(dataDir);
    expect(owner?.pid).toBe(holder.child.pid);
    const error = await openMirrorDatabase({ databaseUrl: undefined, dataDir }).then(
      () => expect.fail("the second opener was let in"),
      (error: unknown) => error,
    );
    expect(error).toBeInstanceOf(DataFolderInUseError);
    const message = (error as Error).message;
    expect(message).toContain(
      `The PGlite folder ${dataDir} is in use by another process: pid ${holder.child.pid}, since ${owner?.lockedAt}`,
    );
    expect(message).toContain(`kill ${holder.child.pid}`);
    expect(message).toContain("DATA_DIR");
    expect(message).toContain("firm audit");
    expect(message).toContain(folderLockPath(dataDir));
    // The refusal left the holder's lock alone.
    expect(lockOwner(dataDir)).toEqual(owner);
  });

  it("`npm start` does not reset (delete) a folder another process holds", () => {
    expect(() => resetMirrorFolder(dataDir)).toThrow(DataFolderInUseError);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
  });

  it("`firm audit` and `firm index` refuse it too, without a stack trace", async () => {
    const env = {
      RPC_URL: "http://127.0.0.1:9",
      DEPLOYMENT: writeManifestFile(
        emitterManifest(31337, 1n, ["0x0000000000000000000000000000000000000001"]),
      ),
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      LOG_LEVEL: "info",
    };
    const [audit, index] = await Promise.all([runFirm(["audit"], env), runFirm(["index"], env)]);

    expect(audit.code).toBe(2);
    expect(audit.stderr).toMatch(
      new RegExp(
        `^error: The PGlite folder \\S+ is in use by another process: pid ${holder.child.pid}, since `,
      ),
    );
    expect(audit.stderr).toContain(`kill ${holder.child.pid}`);
    expect(audit.stderr).not.toMatch(/\n\s+at /);
    expect(audit.stdout).toBe("");

    expect(index.code).toBe(1);
    const fatal = `${index.stdout}${index.stderr}`
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map(
        (line) =>
          JSON.parse(line) as { msg: string; err?: { type: string; message: string; stack?: string } },
      )
      .find((line) => line.msg === "Cannot start the indexer");
    expect(fatal?.err?.type).toBe("DataFolderInUseError");
    expect(fatal?.err?.message).toContain(`in use by another process: pid ${holder.child.pid}`);
    expect(fatal?.err?.stack).toBeUndefined();
    expect(`${index.stdout}${index.stderr}`).not.toContain("Following new blocks");
  });

  it("takes over the lock of a holder killed with SIGKILL", async () => {
    holder.child.kill("SIGKILL");
    await holder.exited;
    // The dead holder's lock is still there: stale, not deleted.
    expect(lockOwner(dataDir)?.pid).toBe(holder.child.pid);

    opened = await openMirrorDatabase({ databaseUrl: undefined, dataDir });
    expect(lockOwner(dataDir)?.pid).toBe(process.pid);
    const { rows } = (await opened.execute(sql`select 1 as one`)) as unknown as { rows: unknown[] };
    expect(rows).toEqual([{ one: 1 }]);

    // And it is held now: another process is refused.
    const second = startOpener(dataDir, { hold: false });
    expect(await second.next()).toMatchObject({
      opened: false,
      name: "DataFolderInUseError",
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    expect(await second.exited).toBe(3);
  });

  it("releases the lock on close, while the process that held it lives on", async () => {
    const first = startOpener(dataDir, { hold: true });
    expect(await first.next()).toEqual({ opened: true });
    expect(lockOwner(dataDir)?.pid).toBe(first.child.pid);
    first.child.stdin?.write("close\n");
    expect(await first.next()).toEqual({ closed: true });
    expect(lockOwner(dataDir)).toBeUndefined();
    expect(first.child.exitCode).toBeNull();

    opened = await openMirrorDatabase({ databaseUrl: undefined, dataDir });
    expect(lockOwner(dataDir)?.pid).toBe(process.pid);
    await opened.close();
    opened = undefined;
    expect(lockOwner(dataDir)).toBeUndefined();
    first.child.kill("SIGKILL");
  });
});

describe("lockDataFolder", () => {
  let root: string;
  beforeAll(() => {
    root = temporaryDir("folder-lock-unit");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is per process: another thread of the holding process is let in", async () => {
    const dataDir = join(root, "threads");
    const lock = lockDataFolder(dataDir);
    const worker = new Worker(
      `import(${JSON.stringify(new URL("./folderLock.ts", import.meta.url).href)}).then(async ({ lockDataFolder }) => {
        const { parentPort } = await import("node:worker_threads");
        try {
          lockDataFolder(${JSON.stringify(dataDir)}).release();
          parentPort.postMessage({ ok: true });
        } catch (error) {
          parentPort.postMessage({ ok: false, message: error.message });
        }
      });`,
      { eval: true },
    );
    const answer = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(answer).toEqual({ ok: true });
    // The thread's release did not drop the lock this thread took.
    expect(lockOwner(dataDir)?.pid).toBe(process.pid);
    lock.release();
    expect(lockOwner(dataDir)).toBeUndefined();
  });

  it("counts opens in one thread: the lock goes with the last release", () => {
    const dataDir = join(root, "twice");
    const [a, b] = [lockDataFolder(dataDir), lockDataFolder(dataDir)];
    a.release();
    a.release();
    expect(lockOwner(dataDir)?.pid).toBe(process.pid);
    b.release();
    expect(lockOwner(dataDir)).toBeUndefined();
  });

  it("does not take over a lock from another host, and says how to clear it", () => {
    const dataDir = join(root, "shared");
    mkdirSync(root, { recursive: true });
    const lockedAt = "2025-01-01T00:00:00.000Z";
    writeFileSync(
      folderLockPath(dataDir),
      JSON.stringify({
        pid: 4242,
        hostname: `not-${hostname()}`,
        lockedAt,
        command: "scripts/firm.ts index",
      }),
    );
    expect(() => lockDataFolder(dataDir)).toThrow(
      `in use by another process: pid 4242 on host not-${hostname()}, since ${lockedAt} (scripts/firm.ts index)`,
    );
    expect(() => lockDataFolder(dataDir)).toThrow(`if it is not, delete ${folderLockPath(dataDir)}`);
  });

  it.runIf(existsSync("/proc/self/stat"))(
    "takes over a lock whose pid now belongs to another process",
    () => {
      const dataDir = join(root, "reused");
      // The parent process is alive, but started at another time than the lock says.
      writeFileSync(
        folderLockPath(dataDir),
        JSON.stringify({ pid: process.ppid, hostname: hostname(), processStartTicks: "1", lockedAt: "x" }),
      );
      const lock = lockDataFolder(dataDir);
      expect(lockOwner(dataDir)?.pid).toBe(process.pid);
      lock.release();
    },
  );
});

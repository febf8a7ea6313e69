// One process per PGlite folder. PGlite is PostgreSQL in WebAssembly without a postmaster: two
// processes on one data folder each run their own server over the same files, so the second one
// reads pages the first has not flushed (a stale mirror) and both may write (a corrupt one). Every
// opening of a folder (./db.ts) therefore first takes this lock, and the database's close() releases it.
//
// The lock is a file beside the folder, `<folder>.lock` (beside rather than inside: PGlite and
// initdb own the folder's contents, and a new folder must stay empty for its template). It is
// created with O_EXCL (the `wx` flag), so exactly one process makes it, and holds who made it: pid,
// host, the process's start, the lock's time and the command. A lock whose process is gone (killed
// with SIGKILL, a crash, a power cut) is stale and taken over by the next opener: a dead process
// never locks a folder for good.
//
// The lock is per process, not per thread: `npm start` opens the mirror on a worker thread, and
// another thread of the process that holds the lock is let in (the process is the unit PGlite's
// safety is about; within one, the code opens a folder once).
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { redactUrls } from "../../kernel/errors.ts";
import { DataFolderInUseError } from "./errors.ts";
import type { FolderLockOwner } from "./folderLockOwner.ts";

/** A held lock on a PGlite folder. */
export interface FolderLock {
  /** The lock file. */
  readonly path: string;
  /** Gives the lock up (deletes the file when this thread made it); safe to call twice. */
  release(): void;
}

/** The lock file of a PGlite data folder: `<folder>.lock`, beside it. */
export function folderLockPath(dataDir: string): string {
  const absolute = resolve(dataDir);
  // Two spellings of one folder (a symbolic link, `..`) must name one lock file.
  try {
    return `${realpathSync(absolute)}.lock`;
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), `${basename(absolute)}.lock`);
    } catch {
      return `${absolute}.lock`;
    }
  }
}

/**
 * Takes the lock on `dataDir` for this process, or throws DataFolderInUseError naming the live
 * process that holds it. A stale lock (its process is gone) is taken over.
 *
 * @example
 * const lock = lockDataFolder("data/mirror");
 * const client = await PGlite.create("data/mirror");
 * // …
 * await client.close();
 * lock.release();
 */
export function lockDataFolder(dataDir: string): FolderLock {
  const path = folderLockPath(dataDir);
  const mine = heldHere.get(path);
  if (mine) {
    mine.count++;
    return handle(path, true);
  }
  mkdirSync(dirname(path), { recursive: true });
  const self = ownerOfThisProcess();
  const text = `${JSON.stringify(self, null, 2)}\n`;
  // Each round either creates the file, or finds a live holder (and throws), or removes a stale
  // lock; only a race with other openers sends it round again.
  for (let round = 0; round < 5; round++) {
    try {
      writeFileSync(path, text, { flag: "wx" });
      heldHere.set(path, { count: 1, text });
      releaseOnExit();
      return handle(path, true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const found = readLock(path);
    if (found === undefined) continue; // released meanwhile
    const state = found.owner ? holderState(found.owner, self) : "stale";
    if (state === "this process") return handle(path, false);
    if (state !== "stale") throw inUse(dataDir, path, found.owner, state);
    removeStale(path, found.text);
  }
  // Other openers kept taking and dropping it: report whoever holds it now.
  const found = readLock(path);
  throw inUse(dataDir, path, found?.owner, "alive");
}

/**
 * Throws DataFolderInUseError when another live process holds `dataDir`, without taking the lock:
 * for code that is about to delete or replace the folder (npm start's reset).
 */
export function assertDataFolderFree(dataDir: string): void {
  const path = folderLockPath(dataDir);
  const found = readLock(path);
  if (!found?.owner) return;
  const state = holderState(found.owner, ownerOfThisProcess());
  if (state === "alive" || state === "other host") throw inUse(dataDir, path, found.owner, state);
}

function inUse(
  dataDir: string,
  lockPath: string,
  owner: FolderLockOwner | undefined,
  state: HolderState,
): DataFolderInUseError {
  return new DataFolderInUseError({ dataDir, lockPath, owner, otherHost: state === "other host" });
}

// ---------------------------------------------------------------------------------------------

/** Locks this thread made, by path, with how many opens hold each. */
const heldHere = new Map<string, { count: number; text: string }>();

function handle(path: string, counted: boolean): FolderLock {
  let released = !counted;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      const entry = heldHere.get(path);
      if (!entry || --entry.count > 0) return;
      heldHere.delete(path);
      unlinkIfOurs(path, entry.text);
    },
  };
}

/** Deletes the lock file if it is still the one written as `text` (not a later owner's). */
function unlinkIfOurs(path: string, text: string): void {
  try {
    if (readFileSync(path, "utf8") === text) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}

let exitHookInstalled = false;

/**
 * A process (or worker thread) that ends without closing its database drops its locks: the
 * PGlite instances end with it, so the folder is free. (Without this the lock would be stale, and
 * taken over anyway.)
 */
function releaseOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [path, { text }] of heldHere) unlinkIfOurs(path, text);
    heldHere.clear();
  });
}

type HolderState = "this process" | "alive" | "other host" | "stale";

function holderState(owner: FolderLockOwner, self: FolderLockOwner): HolderState {
  if (owner.hostname !== self.hostname) return "other host";
  if (owner.pid === self.pid) return sameProcess(owner, self) ? "this process" : "stale";
  if (!isAlive(owner.pid)) return "stale";
  // A live process with the dead owner's pid is another process.
  const ticks = processStartTicks(owner.pid);
  if (owner.processStartTicks && ticks && ticks !== owner.processStartTicks) return "stale";
  return "alive";
}

/** Whether a lock naming this pid was written by this very process (not an earlier one with its pid). */
function sameProcess(owner: FolderLockOwner, self: FolderLockOwner): boolean {
  if (owner.processStartTicks && self.processStartTicks)
    return owner.processStartTicks === self.processStartTicks;
  return Math.abs(Date.parse(owner.processStartedAt) - Date.parse(self.processStartedAt)) < 1000;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Moves a stale lock aside and deletes it, unless another opener replaced it meanwhile: then that
 * opener's lock is put back (a hard link cannot overwrite) and the next round sees it.
 */
function removeStale(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first
  }
  try {
    if (readFileSync(aside, "utf8") !== staleText) {
      try {
        writeFileSync(path, readFileSync(aside), { flag: "wx" });
      } catch {
        // A third opener created a lock meanwhile: it holds the folder now.
      }
    }
  } finally {
    rmSync(aside, { force: true });
  }
}

/** The lock file's text and owner; undefined when there is none. A file being written is waited for. */
function readLock(path: string): { text: string; owner: FolderLockOwner | undefined } | undefined {
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
    const owner = parseOwner(text);
    // The maker writes right after creating it; a file still unreadable after 0.5 s is from a
    // process that died in between, and so is stale.
    if (owner || attempt >= 10) return { text, owner };
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

function parseOwner(text: string): FolderLockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<FolderLockOwner>;
    if (typeof owner.pid === "number" && typeof owner.hostname === "string") {
      return {
        pid: owner.pid,
        hostname: owner.hostname,
        processStartedAt: String(owner.processStartedAt ?? ""),
        processStartTicks: owner.processStartTicks,
        lockedAt: String(owner.lockedAt ?? ""),
        command: String(owner.command ?? ""),
      };
    }
  } catch {}
  return undefined;
}

function ownerOfThisProcess(): FolderLockOwner {
  const command = redactUrls(process.argv.slice(1).join(" "));
  return {
    pid: process.pid,
    hostname: hostname(),
    processStartedAt: new Date(Math.round(Date.now() - process.uptime() * 1000)).toISOString(),
    processStartTicks: processStartTicks(process.pid),
    lockedAt: new Date().toISOString(),
    command: command.length > 200 ? `${command.slice(0, 199)}…` : command,
  };
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot (Linux only). */
function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

// New PGlite databases without running initdb, or the migrations, in the calling process. PGlite
// creates a cluster by running PostgreSQL's initdb in WebAssembly inside the caller: about 6 s and a
// 700 MB memory peak before the first query (a second PGlite instance and the initdb module sit
// beside the main one), and the mirror's migrations then take another second. Both results are the
// same for every new database of one PGlite version and one set of migrations, so they are made
// once, in short-lived child processes, kept as templates under node_modules/.cache, and copied:
// a new data folder is then a file copy plus a reopen.
//
// - the base template: a fresh cluster (a folder, and the same as a tarball for memory:// databases);
// - the mirror template: the base with this code's migrations applied, keyed by their content.
//
// Anything unexpected (no writable cache, a failed child) leaves the folder empty, and PGlite runs
// initdb itself as before (and the migrations run as before): slower, never wrong.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MIGRATIONS_FOLDER } from "./migrate.ts";

/** The file initdb writes first and PGlite looks for to decide a folder already holds a cluster. */
const CLUSTER_MARKER = "PG_VERSION";
/** initdb under load on a 2-core machine takes 6–15 s; past this the child is stuck. */
const CHILD_TIMEOUT_MS = 180_000;
/** Where PGlite's entry module is: the base template's child imports it, and its version names the cache. */
const PGLITE_ENTRY = import.meta.resolve("@electric-sql/pglite");
/** The module whose createDatabase and migrateDatabase make the mirror template (in a child). */
const DB_MODULE = import.meta.resolve("./db.ts");

export interface BaseTemplate {
  /** A data folder holding a cluster that has never held data, shut down cleanly. */
  dataDir: string;
  /** The same folder as an uncompressed tarball, for `PGlite.create({ loadDataDir })` (memory://). */
  tarball: string;
}

export type TemplateKind = "base" | "mirror";

/**
 * Fills `dataDir` with a copy of a template when `dataDir` is missing or empty: the bare cluster
 * ("base"), or one already migrated to this code's schema ("mirror"). Returns whether it did; a
 * folder that already holds files is left alone.
 *
 * @example
 * await seedPgliteDataDir("data/mirror", "mirror");
 * const client = await PGlite.create("data/mirror"); // reopens the copied cluster: no initdb
 */
export async function seedPgliteDataDir(dataDir: string, kind: TemplateKind = "base"): Promise<boolean> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  const template = kind === "mirror" ? await mirrorTemplate() : (await baseTemplate())?.dataDir;
  if (!template) return false;
  mkdirSync(dataDir, { recursive: true });
  // A copy-on-write clone where the filesystem offers one (btrfs, xfs), a plain copy elsewhere.
  cpSync(template, dataDir, { recursive: true, mode: constants.COPYFILE_FICLONE });
  return true;
}

let baseOnce: Promise<BaseTemplate | undefined> | undefined;
let mirrorOnce: Promise<string | undefined> | undefined;

/** The base template of this PGlite version, made on first use; undefined when it cannot be made. */
export function baseTemplate(): Promise<BaseTemplate | undefined> {
  baseOnce ??= inCache(`pglite-${pgliteVersion()}`, "base", async (home) => {
    const template = { dataDir: join(home, "data"), tarball: join(home, "data.tar") };
    if (existsSync(join(template.dataDir, CLUSTER_MARKER)) && existsSync(template.tarball)) return template;
    await makeAtomically(home, (scratch) =>
      runChild(BASE_SCRIPT, {
        PGLITE_ENTRY,
        TEMPLATE_DIR: join(scratch, "data"),
        TEMPLATE_TAR: join(scratch, "data.tar"),
      }),
    );
    return template;
  });
  return baseOnce;
}

/**
 * Makes the mirror template now if it is missing (it is otherwise made by the first new mirror):
 * for a benchmark, so that the one-time cost of an install is not measured as a start-up. Returns
 * whether new mirror folders will start from it.
 */
export async function prepareMirrorTemplate(): Promise<boolean> {
  return (await mirrorTemplate()) !== undefined;
}

/** The base template with this code's migrations applied, made on first use; undefined on failure. */
function mirrorTemplate(): Promise<string | undefined> {
  mirrorOnce ??= (async () => {
    if (!(await baseTemplate())) return undefined;
    return inCache(`pglite-${pgliteVersion()}`, `mirror-${mirrorTemplateKey()}`, async (home) => {
      if (existsSync(join(home, CLUSTER_MARKER))) return home;
      // Templates of older migrations are of no further use: a new database starts from this one.
      for (const entry of readdirSync(dirname(home)))
        if (entry.startsWith("mirror-")) rmSync(join(dirname(home), entry), { recursive: true, force: true });
      await makeAtomically(home, (scratch) => runChild(MIRROR_SCRIPT, { DB_MODULE, TEMPLATE_DIR: scratch }));
      return home;
    });
  })();
  return mirrorOnce;
}

/**
 * Runs `find` on the folder `name` under the first usable cache root: node_modules/.cache/msp-firm
 * (the convention of build caches), else the system's temporary folder. Undefined if neither works.
 */
async function inCache<T>(
  group: string,
  name: string,
  find: (home: string) => Promise<T>,
): Promise<T | undefined> {
  const nodeModules = fileURLToPath(PGLITE_ENTRY).split("/node_modules/")[0];
  const roots = [join(tmpdir(), "msp-firm-cache")];
  if (nodeModules) roots.unshift(join(nodeModules, "node_modules", ".cache", "msp-firm"));
  for (const root of roots) {
    try {
      mkdirSync(join(root, group), { recursive: true });
      return await find(join(root, group, name));
    } catch {
      // The next root, then none: PGlite runs initdb itself.
    }
  }
  return undefined;
}

/**
 * Builds into a scratch folder next to `home`, then moves it into place in one rename, so a
 * concurrent process sees either no template or a whole one. When two processes race, the loser's
 * rename fails and its scratch folder is dropped: the winner's template is as good.
 */
async function makeAtomically(home: string, build: (scratch: string) => Promise<void>): Promise<void> {
  const scratch = `${home}.partial-${process.pid}-${Date.now().toString(36)}`;
  try {
    mkdirSync(scratch, { recursive: true });
    await build(scratch);
    try {
      renameSync(scratch, home);
    } catch (error) {
      if (!existsSync(home)) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Creates the cluster (PGlite runs initdb), closes it, and writes it as a tarball too. */
const BASE_SCRIPT = `
const { PGlite } = await import(process.env.PGLITE_ENTRY);
const { writeFileSync } = await import("node:fs");
const db = await PGlite.create(process.env.TEMPLATE_DIR);
const tarball = await db.dumpDataDir("none");
writeFileSync(process.env.TEMPLATE_TAR, Buffer.from(await tarball.arrayBuffer()));
await db.close();
`;

/**
 * Copies the base template (createDatabase does) and applies the migrations, as the mirror does.
 * Then drops template0 and template1: a mirror lives in the database "postgres" and never creates
 * another, and those two are 14 of the cluster's 41 MB and 600 of its 1,206 files, copied for every
 * new mirror (on this machine that copy took from 0.03 to 1.4 s, with the disk's other writes).
 * DROP DATABASE refuses a transaction block, so each statement goes alone.
 */
const MIRROR_SCRIPT = `
const { createDatabase, migrateDatabase } = await import(process.env.DB_MODULE);
const db = await createDatabase({ dataDir: process.env.TEMPLATE_DIR });
await migrateDatabase(db);
for (const name of ["template0", "template1"]) {
  await db.$client.exec(\`ALTER DATABASE \${name} IS_TEMPLATE false\`);
  await db.$client.exec(\`DROP DATABASE \${name}\`);
}
await db.close();
`;

function runChild(script: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--disable-warning=ExperimentalWarning", "--input-type=module", "--eval", script],
      { env: { ...process.env, ...env }, timeout: CHILD_TIMEOUT_MS },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`Making a PGlite template failed: ${stderr || error.message}`));
        else resolve();
      },
    );
  });
}

/** PGlite's version (its package.json is not in its exports map, so it is read beside its entry). */
function pgliteVersion(): string {
  const packageJson = join(dirname(fileURLToPath(PGLITE_ENTRY)), "..", "package.json");
  return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

/**
 * A digest of every file of the migrations folder and of the script that applies them: a new or
 * edited migration, or a new way of making the template, makes a new template.
 */
function mirrorTemplateKey(): string {
  const hash = createHash("sha256").update(MIRROR_SCRIPT).update("\0");
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        hash
          .update(`${path.slice(MIGRATIONS_FOLDER.length)}\0`)
          .update(readFileSync(path))
          .update("\0");
    }
  };
  walk(MIGRATIONS_FOLDER);
  return hash.digest("hex").slice(0, 16);
}

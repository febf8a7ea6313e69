import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HELPER = new URL("./moduleLoading.ts", import.meta.url).href;
const FIRM = fileURLToPath(new URL("../../firm.ts", import.meta.url));
/** Every drizzle-orm entry point the project imports. */
const DRIZZLE_ENTRIES = [
  "drizzle-orm",
  "drizzle-orm/pg-core",
  "drizzle-orm/pglite",
  "drizzle-orm/node-postgres",
  "drizzle-orm/migrator",
];

describe("speedUpModuleLoading", () => {
  it("resolves each of drizzle-orm's files exactly as Node's own resolver does", () => {
    // In a fresh process, Node's resolver answers every import and the shortcut is asked beside it.
    const script = `
      import { registerHooks } from "node:module";
      const { resolveInsideDrizzle } = await import(${JSON.stringify(HELPER)});
      let shortcuts = 0;
      const mismatches = [];
      registerHooks({
        resolve(specifier, context, nextResolve) {
          const resolved = nextResolve(specifier, context);
          const ours = resolveInsideDrizzle(specifier, context.parentURL);
          if (ours !== undefined) {
            shortcuts++;
            if (ours !== resolved.url || resolved.format !== "module")
              mismatches.push({ specifier, parent: context.parentURL, node: resolved, ours });
          }
          return resolved;
        },
      });
      for (const entry of ${JSON.stringify(DRIZZLE_ENTRIES)}) await import(entry);
      console.log(JSON.stringify({ shortcuts, mismatches }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      encoding: "utf8",
    });
    const { shortcuts, mismatches } = JSON.parse(out.trim()) as { shortcuts: number; mismatches: unknown[] };
    expect(mismatches).toEqual([]);
    // About 440 files on drizzle-orm 0.45: the shortcut covers the imports that cost the time.
    expect(shortcuts).toBeGreaterThan(300);
  }, 60_000);

  it("leaves every other import to Node", async () => {
    const { resolveInsideDrizzle } = await import("./moduleLoading.ts");
    const inDrizzle = "file:///app/node_modules/drizzle-orm/pg-core/table.js";
    expect(resolveInsideDrizzle("./columns/index.js", inDrizzle)).toBe(
      "file:///app/node_modules/drizzle-orm/pg-core/columns/index.js",
    );
    // A bare specifier, another extension, a file outside the package or in a package nested in it.
    expect(resolveInsideDrizzle("drizzle-orm", inDrizzle)).toBeUndefined();
    expect(resolveInsideDrizzle("./table.cjs", inDrizzle)).toBeUndefined();
    expect(resolveInsideDrizzle("../../pg/lib/index.js", inDrizzle)).toBeUndefined();
    expect(
      resolveInsideDrizzle("./x.js", "file:///app/node_modules/drizzle-orm/node_modules/pg/lib/index.js"),
    ).toBeUndefined();
    // A project file importing drizzle's files by path is the project's business.
    expect(resolveInsideDrizzle("./x.js", "file:///app/indexer/store/db.ts")).toBeUndefined();
    expect(resolveInsideDrizzle("./x.js", undefined)).toBeUndefined();
  });

  it("keeps a command's modules loading: `firm index` gets as far as reading its deployment", () => {
    // index.ts imports the mirror's store, drizzle-orm and all; the error is the command's own.
    const run = spawnSync(process.execPath, [FIRM, "index"], {
      env: { ...process.env, DEPLOYMENT: "/nonexistent/deployment.json", RPC_URL: "http://127.0.0.1:9" },
      encoding: "utf8",
    });
    expect(run.stderr).toMatch(/No deployment manifest at \/nonexistent\/deployment\.json/);
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|SyntaxError/);
    expect(run.status).not.toBe(0);
  }, 60_000);
});

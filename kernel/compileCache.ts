// Node compiles every module of a command at each start: for `firm index`, some 900 files (viem
// alone is 344), about a fifth of the time before the first block is read. Node's compile cache
// keeps the compiled code on disk and reuses it while the file is unchanged.
//
// Kept under node_modules/.cache (the convention of build caches, as the PGlite templates are), so
// it goes with the install. NODE_COMPILE_CACHE set by the user wins (Node enables it before any of
// this runs), and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { existsSync } from "node:fs";
import * as nodeModule from "node:module";
import { fileURLToPath } from "node:url";

const CACHE_DIR = fileURLToPath(
  new URL("../node_modules/.cache/msp-firm/node-compile-cache", import.meta.url),
);

/**
 * Turns on Node's compile cache for the modules this process loads from now on. Call it before the
 * command's own modules are imported: modules loaded earlier are not cached. A cache that cannot be
 * written (a read-only install) only means no cache.
 *
 * @example
 * enableModuleCompileCache();
 * const { run } = await import("./cli/index.ts");
 */
export function enableModuleCompileCache(): void {
  // Node 22.1 and later; older versions are refused by `engines` anyway.
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (!enable) return;
  try {
    enable(existsSync(fileURLToPath(new URL("../node_modules", import.meta.url))) ? CACHE_DIR : undefined);
  } catch {
    // No cache: the command starts as it would without one.
  }
}

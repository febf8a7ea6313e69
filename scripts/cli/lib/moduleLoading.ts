// Start-up of every `firm` command is mostly loading modules (about 0.6 s for `firm index`), and
// two parts of it are avoidable.
//
// - drizzle-orm's package.json carries a 178 KB "exports" map, and Node 22 parses it again for every
//   file it resolves inside the package: the getter meant to parse it lazily (deserializePackageJSON
//   in Node's package_json_reader) sits inside an object spread, which calls it. `firm index` loads
//   about 440 of drizzle-orm's files, so that is about 0.2 s of JSON parsing. Its files import each
//   other by relative paths with their extension, under one package.json ("type": "module"), so
//   those imports resolve by joining URLs, without reading package.json again.
// - V8's compiled code for the modules is cached on disk (Node's compile cache, as tsc does), so a
//   later start skips compiling. NODE_COMPILE_CACHE moves the cache, NODE_DISABLE_COMPILE_CACHE=1
//   turns it off (Node's own variables).
import { enableCompileCache, registerHooks } from "node:module";

/** Inside drizzle-orm's one package, where every relative import names a file of the same type. */
const DRIZZLE_FILE = /\/node_modules\/drizzle-orm\/(?:(?!node_modules\/)[^/]+\/)*[^/]+\.js$/;

let registered = false;

/**
 * Makes the modules loaded after this call cheaper to load. Call it before the command's own
 * modules are imported; calling it again does nothing.
 *
 * @example
 * speedUpModuleLoading();
 * const { run } = await import("./cli/index.ts");
 */
export function speedUpModuleLoading(): void {
  if (registered) return;
  registered = true;
  enableCompileCache();
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const url = resolveInsideDrizzle(specifier, context.parentURL);
      return url === undefined
        ? nextResolve(specifier, context)
        : { url, format: "module", shortCircuit: true };
    },
  });
}

/**
 * The URL of a relative `.js` import from one of drizzle-orm's files to another, as Node's resolver
 * would give it; undefined for any other import, which Node resolves itself.
 *
 * @example
 * resolveInsideDrizzle("./sql.js", "file:///app/node_modules/drizzle-orm/index.js");
 * // "file:///app/node_modules/drizzle-orm/sql.js"
 */
export function resolveInsideDrizzle(specifier: string, parentURL: string | undefined): string | undefined {
  if (parentURL === undefined || !DRIZZLE_FILE.test(parentURL)) return undefined;
  if (!(specifier.startsWith("./") || specifier.startsWith("../")) || !specifier.endsWith(".js"))
    return undefined;
  const url = new URL(specifier, parentURL).href;
  return DRIZZLE_FILE.test(url) ? url : undefined;
}

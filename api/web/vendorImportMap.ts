// The page's browser wallet encodes calls with viem, the same library and ABIs the CLI uses, loaded
// from the installed packages rather than a CDN or a bundle: this walks viem's dependencies in
// node_modules as Node resolves them (a nested copy, such as viem's own @noble/curves, included) and
// writes the import map that lets the browser resolve their bare specifiers ("viem", "ox/Hex",
// "@noble/hashes/sha3") to files served under /assets/vendor. Only those packages' .js files are
// served, so node_modules is never exposed as a whole.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** The packages the page imports; their dependencies come along. */
const PAGE_PACKAGES = ["viem"] as const;

/** Export conditions a browser module loader meets, in the order a bundler for the web tries them. */
const BROWSER_CONDITIONS = new Set(["browser", "import", "module", "default"]);

export interface ImportMap {
  imports: Record<string, string>;
  scopes: Record<string, Record<string, string>>;
}

export interface VendorPackages {
  /** The node_modules folder every package lies under; /assets/vendor/x is node_modules/x. */
  root: string;
  /** Each package's folder, relative to root with "/" ("viem", "viem/node_modules/@noble/curves"). */
  folders: string[];
  importMap: ImportMap;
}

interface PackageJson {
  name: string;
  main?: string;
  module?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
}

function readPackage(folder: string): PackageJson {
  return JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as PackageJson;
}

/** Where Node finds package `name` from `folder`: its node_modules, then each parent's. */
function findPackage(name: string, folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The file an export target names for a browser: the first condition it meets, depth first. */
function browserTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) return target.map(browserTarget).find(Boolean);
  if (target && typeof target === "object") {
    for (const [condition, value] of Object.entries(target)) {
      if (!BROWSER_CONDITIONS.has(condition)) continue;
      const found = browserTarget(value);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Each specifier of the package in `folder` ("ox", "ox/Hex") and the URL of its file. Subpath
 * patterns ("./*") are left out: an import map cannot add the suffix they need, and viem's graph does
 * not use them.
 */
function packageEntries(pkg: PackageJson, folder: string, url: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const exports =
    typeof pkg.exports === "string" || Array.isArray(pkg.exports) ? { ".": pkg.exports } : pkg.exports;
  if (exports && typeof exports === "object") {
    const subpaths = Object.keys(exports).some((key) => key.startsWith("."))
      ? (exports as Record<string, unknown>)
      : { ".": exports };
    for (const [subpath, target] of Object.entries(subpaths)) {
      const file = browserTarget(target);
      // A pattern, a file of no module, or one the package names but does not ship (ox lists its
      // type tests): nothing to map.
      if (subpath.includes("*") || !file || !/\.m?js$/.test(file) || !existsSync(join(folder, file)))
        continue;
      entries[join(pkg.name, subpath).split(sep).join("/")] = `${url}${file.replace(/^\.\//, "")}`;
    }
  } else {
    entries[pkg.name] = `${url}${(pkg.module ?? pkg.main ?? "index.js").replace(/^\.\//, "")}`;
    entries[`${pkg.name}/`] = url;
  }
  return entries;
}

/**
 * The page's packages and their dependencies under `from`'s node_modules, and their import map with
 * URLs under `base` ("/assets/vendor/"). A package at the top of node_modules is in "imports"; a
 * nested copy is mapped in the scope of the package that depends on it.
 */
export function vendorPackages(from: string, base: string): VendorPackages {
  const first = findPackage(PAGE_PACKAGES[0], from);
  if (!first) throw new Error(`viem is not installed under ${from}: run npm install.`);
  const root = dirname(first);
  const urlOf = (folder: string) => `${base}${relative(root, folder).split(sep).join("/")}/`;
  const importMap: ImportMap = { imports: {}, scopes: {} };
  const seen = new Set<string>();
  const visit = (folder: string, scopeUrl: string | undefined) => {
    const pkg = readPackage(folder);
    const entries = packageEntries(pkg, folder, urlOf(folder));
    if (scopeUrl) importMap.scopes[scopeUrl] = { ...importMap.scopes[scopeUrl], ...entries };
    else Object.assign(importMap.imports, entries);
    if (seen.has(folder)) return;
    seen.add(folder);
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      const dependency = findPackage(name, folder);
      if (!dependency) continue; // an optional dependency not installed: nothing imports it here
      const nested = relative(root, dependency).split(sep).includes("node_modules");
      visit(dependency, nested ? urlOf(folder) : undefined);
    }
  };
  for (const name of PAGE_PACKAGES) {
    const folder = findPackage(name, from);
    if (folder) visit(folder, undefined);
  }
  const folders = [...seen].map((folder) => relative(root, folder).split(sep).join("/"));
  return { root, folders, importMap };
}

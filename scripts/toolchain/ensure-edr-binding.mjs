#!/usr/bin/env node
// Why this exists: npm checks the `engines` field of OPTIONAL dependencies against the Node that runs
// npm itself. On a machine whose system Node is 20, npm silently skips EDR's native binding
// (`@nomicfoundation/edr-<platform>`, engines >= 22) even though this project pins Node 22 through
// the `node` package. Hardhat then fails with HHE27 "couldn't load the native binding".
// This step notices the missing binding and unpacks exactly the version EDR asks for.
// On a machine where npm already installed it (Node 22+ everywhere), it does nothing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The npm package name of EDR's binding for this platform, as EDR's own loader names it. */
function bindingPackageName() {
  const { platform, arch } = process;
  if (platform === "linux") {
    // glibc vs musl: the report header names glibc when the runtime is glibc-based.
    const header = process.report?.getReport?.().header ?? {};
    const libc = header.glibcVersionRuntime ? "gnu" : "musl";
    return `@nomicfoundation/edr-linux-${arch}-${libc}`;
  }
  if (platform === "darwin") return `@nomicfoundation/edr-darwin-${arch}`;
  if (platform === "win32") return `@nomicfoundation/edr-win32-${arch}-msvc`;
  return undefined;
}

function main() {
  let edrPackageJson;
  try {
    // EDR's `exports` hides package.json, so resolve its entry point and step to the folder.
    edrPackageJson = join(dirname(require.resolve("@nomicfoundation/edr")), "package.json");
  } catch {
    return; // EDR is not installed (a production install without Hardhat): nothing to fix.
  }
  const edr = JSON.parse(readFileSync(edrPackageJson, "utf8"));
  const name = bindingPackageName();
  if (!name) return;
  const version = edr.optionalDependencies?.[name];
  if (!version) return;

  const nodeModules = dirname(dirname(dirname(edrPackageJson)));
  const target = join(nodeModules, ...name.split("/"));
  if (existsSync(join(target, "package.json"))) {
    const installed = JSON.parse(readFileSync(join(target, "package.json"), "utf8")).version;
    if (installed === version) return; // npm installed it itself: the usual case on Node 22+.
  }

  process.stdout.write(
    `ensure-edr-binding: installing ${name}@${version} (npm skips it when npm itself runs on Node < 22)\n`,
  );
  const work = mkdtempSync(join(tmpdir(), "edr-binding-"));
  try {
    execFileSync("npm", ["pack", `${name}@${version}`, "--silent", "--pack-destination", work], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack produced no tarball for ${name}@${version}`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", target, "--strip-components=1"]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(
    `ensure-edr-binding: could not install Hardhat's native EDR binding: ${error.message}\n` +
      "  Fix: run the install with Node 22 or newer (for example `npx -p node@22 npm ci`).\n",
  );
  process.exit(1);
}

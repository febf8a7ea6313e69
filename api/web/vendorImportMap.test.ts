// The import map that lets the page load viem from node_modules: every URL it names is a file that is
// there and that the vendor route serves, and a nested copy of a package (viem's own @noble/curves)
// is mapped in the scope of the package that depends on it, as Node resolves it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { vendorPackages } from "./vendorImportMap.ts";

const PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));
const BASE = "/assets/vendor/";
const vendor = vendorPackages(PUBLIC_DIR, BASE);

/** The file under node_modules a vendor URL names. */
const fileOf = (url: string) => join(vendor.root, url.slice(BASE.length));

describe("the page's import map", () => {
  it("maps viem and its dependencies to files that exist, in packages the route serves", () => {
    const { imports, scopes } = vendor.importMap;
    expect(imports.viem).toBe(`${BASE}viem/_esm/index.js`);
    for (const name of ["abitype", "ox", "@noble/hashes/sha3", "@scure/bip32"]) {
      expect(imports[name], name).toBeDefined();
    }
    const urls = [
      ...Object.values(imports),
      ...Object.values(scopes).flatMap((scope) => Object.values(scope)),
    ];
    for (const url of urls) {
      expect(existsSync(fileOf(url)), url).toBe(true);
      const path = url.slice(BASE.length);
      expect(
        vendor.folders.some((folder) => path.startsWith(`${folder}/`)),
        url,
      ).toBe(true);
    }
  });

  it("picks a package's browser build over its Node one", () => {
    // isows: the browser's WebSocket, not the ws package; @noble/hashes: WebCrypto, not node:crypto.
    expect(vendor.importMap.imports.isows).toBe(`${BASE}isows/_esm/native.js`);
    expect(vendor.importMap.imports["@noble/hashes/crypto"]).toBe(`${BASE}@noble/hashes/esm/crypto.js`);
  });

  it("maps a nested copy in the scope of the package that depends on it", () => {
    const nested = vendor.folders.filter((folder) => folder.includes("/node_modules/"));
    for (const folder of nested) {
      const [owner, name] = folder.split("/node_modules/") as [string, string];
      const scope = vendor.importMap.scopes[`${BASE}${owner}/`];
      expect(scope?.[name], folder).toMatch(new RegExp(`^${BASE}${folder}/`));
    }
  });
});

// The web page (api/web/public): verify a member (also in person, and the technician's answer),
// find a technician, vesting, proposals. Plain files with no build step,
// served by the API's own express app so the page reads /graphql from the same origin (no CORS).
// Each view has a path of its own, so a view with its inputs in the query string is a link to share.
// The browser wallet's viem comes from node_modules through an import map (vendorImportMap.ts), and
// the ABIs it encodes with from contracts/abi.ts, as the CLI's.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { type Request, type Response, type Router } from "express";
import * as contractAbis from "../../contracts/abi.ts";
import { vendorPackages } from "./vendorImportMap.ts";

const PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));

/** The page's views: each path serves index.html, whose script shows the view the path names. */
export const WEB_VIEWS = [
  "/",
  "/verify",
  "/vesting",
  "/proposals",
  "/presence",
  "/answer",
  "/technicians",
  "/books",
] as const;

/** Where the page's script, style sheet and icon are served from. */
export const WEB_ASSETS_PATH = "/assets";

/** Where viem and its dependencies are served from, each package at its path under node_modules. */
const VENDOR_PATH = `${WEB_ASSETS_PATH}/vendor/`;

const VENDOR = vendorPackages(PUBLIC_DIR, VENDOR_PATH);

/**
 * The import map, inline in index.html before any module script: Chromium reads no external import
 * map, so the page's policy admits this one script by its hash, computed here from its exact text.
 */
const IMPORT_MAP_SCRIPT = JSON.stringify(VENDOR.importMap);
const IMPORT_MAP_HASH = `'sha256-${createHash("sha256").update(IMPORT_MAP_SCRIPT).digest("base64")}'`;

/** index.html as served: the file with the import map in its head, read once at start. */
const INDEX_HTML = readFileSync(`${PUBLIC_DIR}index.html`, "utf8").replace(
  "<!-- import map -->",
  `<script type="importmap">${IMPORT_MAP_SCRIPT}</script>`,
);

/** Every ABI of contracts/abi.ts and its enums, for the page's wallet: /assets/abi.json. */
const ABI_JSON = JSON.stringify(contractAbis);

/**
 * The page has no inline script or style and loads nothing from elsewhere, so everything else is
 * refused: an injected <script> or <style> would not run even if escaping ever failed.
 * form-action: the forms submit to the page's own views (GET, for links to share).
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The policy of the page itself: the same, admitting its one inline script, the import map, by hash. */
export const WEB_PAGE_CONTENT_SECURITY_POLICY = WEB_CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  `script-src 'self' ${IMPORT_MAP_HASH}`,
);

function setSecurityHeaders(res: Response, policy = WEB_CONTENT_SECURITY_POLICY): void {
  res.setHeader("Content-Security-Policy", policy);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
}

/** The routes of the page; anything it does not serve falls through to the next handler (yoga). */
export function createWebRouter(): Router {
  const router = express.Router();
  router.get([...WEB_VIEWS], (_req, res) => {
    setSecurityHeaders(res, WEB_PAGE_CONTENT_SECURITY_POLICY);
    // Revalidate every time: the files carry no content hash, so a deploy must not leave stale copies.
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(INDEX_HTML);
  });
  router.get(`${WEB_ASSETS_PATH}/abi.json`, (_req, res) => {
    setSecurityHeaders(res);
    res.setHeader("Cache-Control", "no-cache");
    res.type("json").send(ABI_JSON);
  });
  // Only the modules of the vendored packages: node_modules is not served as a whole.
  router.use(
    VENDOR_PATH,
    (req: Request, res: Response, next) => {
      let path: string;
      try {
        path = decodeURIComponent(req.path).slice(1);
      } catch {
        path = ""; // malformed %-encoding: no such module
      }
      const known = VENDOR.folders.some((folder) => path.startsWith(`${folder}/`));
      if (!known || !/\.m?js$/.test(path) || path.includes("..")) {
        res.status(404).type("text/plain").send("Not a module of the page's packages.");
        return;
      }
      next();
    },
    express.static(VENDOR.root, {
      index: false,
      cacheControl: false,
      setHeaders(res) {
        setSecurityHeaders(res);
        res.setHeader("Cache-Control", "no-cache");
      },
    }),
  );
  router.use(
    WEB_ASSETS_PATH,
    express.static(PUBLIC_DIR, {
      index: false,
      cacheControl: false,
      setHeaders(res) {
        setSecurityHeaders(res);
        res.setHeader("Cache-Control", "no-cache");
      },
    }),
  );
  return router;
}

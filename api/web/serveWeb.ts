// The web page (api/web/public): verify a member (also in person, and the technician's answer),
// find a technician, vesting, proposals. Plain files with no build step,
// served by the API's own express app so the page reads /graphql from the same origin (no CORS).
// Each view has a path of its own, so a view with its inputs in the query string is a link to share.
import { fileURLToPath } from "node:url";
import express, { type Response, type Router } from "express";

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

function setSecurityHeaders(res: Response): void {
  res.setHeader("Content-Security-Policy", WEB_CONTENT_SECURITY_POLICY);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
}

/** The routes of the page; anything it does not serve falls through to the next handler (yoga). */
export function createWebRouter(): Router {
  const router = express.Router();
  router.get([...WEB_VIEWS], (_req, res) => {
    setSecurityHeaders(res);
    // Revalidate every time: the files carry no content hash, so a deploy must not leave stale copies.
    res.sendFile("index.html", { root: PUBLIC_DIR, headers: { "Cache-Control": "no-cache" } }, (error) => {
      // A client gone mid-file is no fault; a missing file is, and says where the page should be.
      if (error && !res.headersSent) {
        res.status(500).type("text/plain").send(`The web page is missing: no index.html in ${PUBLIC_DIR}.`);
      }
    });
  });
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

// GraphiQL from our own origin, under a Content-Security-Policy as strict as the web page's.
//
// graphql-yoga's built-in GraphiQL loads its script and styles from a CDN (unpkg), so it shows
// "Loading __TITLE__..." on a machine that cannot reach it and sends every visitor's browser to a
// third party. @graphql-yoga/render-graphiql bundles the same GraphiQL, but its own renderer inlines
// the ~9 MB of script and style into the HTML and starts Monaco's workers from blob: URLs, which
// needs 'unsafe-inline' and blob: in the policy. So this plugin serves each part the package
// exports as a file of its own under `${endpoint}/graphiql/` (content-hashed names, cached for
// good), and the HTML carries only references and a JSON data block (never executed).
//
// The policy is the page's (api/web/serveWeb.ts) with two additions, both measured in Chromium:
// - style-src 'unsafe-inline': React and Monaco write style attributes and <style> elements as they
//   render (no nonce hook), and refusing them leaves the editors unusable. Scripts stay 'self' only,
//   so an injected <script> still cannot run.
// - data: in img-src and font-src: GraphiQL's style sheet embeds its fonts and icons as data: URLs.
// No other origin is admitted.
import { createHash } from "node:crypto";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";
import { WEB_CONTENT_SECURITY_POLICY } from "../web/serveWeb.ts";

/** The page's policy, plus what GraphiQL's own rendering needs (see the top of the file). */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = WEB_CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
)
  .replace("img-src 'self'", "img-src 'self' data:")
  .concat("; font-src 'self' data:");

interface Asset {
  body: Uint8Array<ArrayBuffer> | string;
  type: string;
}

interface Assets {
  /** Public path of each part, by role. */
  paths: {
    start: string;
    script: string;
    style: string;
    favicon: string;
    workers: { editorWorkerService: string; json: string; graphql: string };
  };
  byPath: Map<string, Asset>;
}

/**
 * Runs before GraphiQL's bundle: Monaco reads MonacoEnvironment when it loads, and asks it for each
 * worker's URL (our files, where yoga's renderer makes blob: URLs). Rendering waits for
 * DOMContentLoaded, by when the bundle (the next classic script) has run.
 */
const START_SCRIPT = `"use strict";
(() => {
  const { options, workers } = JSON.parse(document.getElementById("graphiql-config").textContent);
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
  document.addEventListener("DOMContentLoaded", () => {
    self.YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), options);
  });
})();
`;

const JS = "text/javascript; charset=utf-8";

/** Loads the bundle (9 MB of strings) on first use only: production turns GraphiQL off. */
async function loadAssets(base: string): Promise<Assets> {
  const bundle = await import("@graphql-yoga/render-graphiql/graphiql");
  const byPath = new Map<string, Asset>();
  const add = (name: string, extension: string, asset: Asset) => {
    const hash = createHash("sha256").update(asset.body).digest("hex").slice(0, 12);
    const path = `${base}/${name}-${hash}.${extension}`;
    byPath.set(path, asset);
    return path;
  };
  const favicon = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
  return {
    paths: {
      start: add("start", "js", { body: START_SCRIPT, type: JS }),
      script: add("graphiql", "js", { body: bundle.js, type: JS }),
      style: add("graphiql", "css", { body: bundle.css, type: "text/css; charset=utf-8" }),
      favicon: favicon
        ? add("favicon", "ico", {
            body: new Uint8Array(Buffer.from(favicon[2]!, "base64")),
            type: favicon[1]!,
          })
        : "",
      workers: {
        editorWorkerService: add("editor-worker", "js", { body: bundle.editorWorkerService, type: JS }),
        json: add("json-worker", "js", { body: bundle.jsonWorker, type: JS }),
        graphql: add("graphql-worker", "js", { body: bundle.graphqlWorker, type: JS }),
      },
    },
    byPath,
  };
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
/** JSON that cannot end its <script> element early, whatever the strings in it hold. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

export interface UseGraphiQLReturnType {
  /** For createYoga's `renderGraphiQL`. */
  render(options: GraphiQLOptions): Promise<string>;
  /** Serves the assets and sets the policy on GraphiQL's page. */
  plugin: Plugin;
}

/**
 * GraphiQL served from this origin.
 *
 * @example
 * const graphiql = useGraphiQL({ endpoint: "/graphql" });
 * createYoga({ graphiql: { title: "API" }, renderGraphiQL: graphiql.render, plugins: [graphiql.plugin] });
 */
export function useGraphiQL({ endpoint }: { endpoint: string }): UseGraphiQLReturnType {
  const base = `${endpoint}/graphiql`;
  let assets: Promise<Assets> | undefined;
  const getAssets = () => {
    assets ??= loadAssets(base);
    return assets;
  };
  return {
    async render(options) {
      const { paths } = await getAssets();
      const favicon = options.favicon ?? paths.favicon;
      return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? "GraphiQL")}</title>
    ${favicon ? `<link rel="icon" href="${escapeHtml(favicon)}" />` : ""}
    <link rel="stylesheet" href="${paths.style}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-config">${scriptJson({ options, workers: paths.workers })}</script>
    <script src="${paths.start}"></script>
    <script src="${paths.script}"></script>
  </body>
</html>
`;
    },
    plugin: {
      async onRequest({ request, url, endResponse, fetchAPI }) {
        if (!url.pathname.startsWith(`${base}/`)) return;
        if (request.method !== "GET" && request.method !== "HEAD") return;
        const asset = (await getAssets()).byPath.get(url.pathname);
        if (!asset) {
          endResponse(new fetchAPI.Response("Not found.", { status: 404 }));
          return;
        }
        endResponse(
          new fetchAPI.Response(request.method === "HEAD" ? null : asset.body, {
            headers: {
              "content-type": asset.type,
              // The name carries the content's hash: a new version is a new URL.
              "cache-control": "public, max-age=31536000, immutable",
              "x-content-type-options": "nosniff",
            },
          }),
        );
      },
      onResponse({ request, response }) {
        const { pathname } = new URL(request.url);
        if (pathname !== endpoint && pathname !== `${endpoint}/`) return;
        if (!response.headers.get("content-type")?.startsWith("text/html")) return;
        response.headers.set("content-security-policy", GRAPHIQL_CONTENT_SECURITY_POLICY);
        response.headers.set("x-content-type-options", "nosniff");
        response.headers.set("referrer-policy", "no-referrer");
      },
    },
  };
}

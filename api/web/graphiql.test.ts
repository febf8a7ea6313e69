// GraphiQL in a real headless Chromium with every request to another origin refused, as on a machine
// with no internet: it must load from the API's own origin, run a query typed into its editor, and
// raise no Content-Security-Policy violation (api/plugins/useGraphiQL.ts).
import { network } from "hardhat";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRAPHIQL_CONTENT_SECURITY_POLICY } from "../plugins/useGraphiQL.ts";
import { data } from "../testing/client.ts";
import { launchChromium } from "../testing/launchChromium.ts";
import { type ScenarioServer, serveScenario } from "../testing/scenarioServer.ts";
import { WEB_CONTENT_SECURITY_POLICY } from "./serveWeb.ts";

const connection = await network.connect();
let served: ScenarioServer;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium("GraphiQL");
  served = await serveScenario(connection);
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await connection.close();
});

/**
 * A browser context that lets through only requests to the server's origin (workers' included) and
 * records every request it sees, refused or not.
 */
async function offlineContext(): Promise<{ context: BrowserContext; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(served.url).origin;
  const requests: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    requests.push(url);
    if (new URL(url).origin === origin) await route.continue();
    else await route.abort("internetdisconnected");
  });
  context.on("request", (request) => requests.push(request.url()));
  return { context, requests };
}

describe("GraphiQL", () => {
  it("serves its page under the web page's policy, relaxed for inline styles only, with nothing from another origin", async () => {
    const response = await fetch(`${served.url}/graphql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const policy = response.headers.get("content-security-policy");
    expect(policy).toBe(GRAPHIQL_CONTENT_SECURITY_POLICY);
    // Every directive of the page's policy holds, and the only additions are data: fonts and images.
    const directives = (text: string) => new Map(text.split("; ").map((d) => [d.split(" ")[0], d] as const));
    const page = directives(WEB_CONTENT_SECURITY_POLICY);
    const ours = directives(policy ?? "");
    for (const [name, directive] of page) {
      expect(ours.get(name)?.startsWith(directive), name).toBe(true);
    }
    // Inline styles are the one relaxation (React and Monaco write them); scripts stay this origin's.
    expect(ours.get("script-src")).toBe("script-src 'self'");
    expect(ours.get("style-src")).toBe("style-src 'self' 'unsafe-inline'");
    expect(policy?.replace("'unsafe-inline'", "")).not.toMatch(/unsafe-|blob:|https?:|\*/);
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source).toMatch(/^\/graphql\/graphiql\//);
      const asset = await fetch(`${served.url}${source}`);
      expect(asset.status, source).toBe(200);
      expect(asset.headers.get("cache-control")).toContain("immutable");
    }
    expect((await fetch(`${served.url}/graphql/graphiql/no-such-file.js`)).status).toBe(404);
  });

  it("loads with the internet cut off, runs a query typed into it, and asks no other origin", async () => {
    const { context, requests } = await offlineContext();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      await page.goto(`${served.url}/graphql`);
      await expect(page.title()).resolves.toBe("MSP IT Partners API");

      const editor = page.locator(".graphiql-query-editor .monaco-editor").first();
      await editor.waitFor({ timeout: 30_000 });
      await editor.click();
      await page.keyboard.press("ControlOrMeta+A");
      await page.keyboard.press("Delete");
      const query = "{ firm { name chainId counts { members proposals } } }";
      await page.keyboard.insertText(query);
      // GraphiQL sends the query with its spaces squeezed out.
      const squeezed = (text: string) => text.replace(/\s+/g, "");
      const posted = page.waitForRequest(
        (request) =>
          request.method() === "POST" &&
          new URL(request.url()).pathname === "/graphql" &&
          squeezed(JSON.parse(request.postData() ?? "{}").query ?? "") === squeezed(query),
      );
      await page.getByRole("button", { name: /execute/i }).click();
      await posted;

      const expected = await data(served.api.yoga, query);
      const response = page.locator(".graphiql-response .monaco-editor .view-lines");
      const shown = async () => JSON.parse(((await response.textContent()) ?? "").replace(/\u00a0/g, " "));
      await expect.poll(shown, { timeout: 20_000 }).toEqual({ data: expected });
      expect(expected.firm.name).toBe("MSP IT Partners");

      const origin = new URL(served.url).origin;
      const ours = (name: string) =>
        requests.some((url) => url.startsWith(`${origin}/graphql/graphiql/${name}-`));
      // The bundle and Monaco's workers came from this server, not from a CDN or blob: URLs.
      for (const name of ["graphiql", "editor-worker", "graphql-worker"]) expect(ours(name), name).toBe(true);
      expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:"))).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

// The web page in a real headless Chromium, against the API on a real socket over the scenario's
// mirror (indexer/testing/firmScenario.ts on Hardhat's in-process chain, with that chain behind
// verifyMembership's live check). Every figure the page shows is compared with the API's own answer.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import type { Browser, Page } from "playwright-core";
import { type Address, createWalletClient, custom, encodeFunctionData, getAddress, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { booksAbi, ENUMS, firmGovernorAbi, partnershipAbi } from "../../contracts/abi.ts";
import { addMonths } from "../../indexer/handlers/books.ts";
import { CSV_HEADER } from "../modules/books/csv.ts";
import { formatMonth } from "../modules/books/inputs.ts";
import { data, type Loose } from "../testing/client.ts";
import { launchChromium } from "../testing/launchChromium.ts";
import { type ScenarioServer, serveScenario } from "../testing/scenarioServer.ts";
import { formatAmount } from "./public/books.js";
import { PRACTICE_SLUG_RULE } from "./public/proposalText.js";
import { describeRevert } from "./public/revertWords.js";
import { WEB_CONTENT_SECURITY_POLICY, WEB_PAGE_CONTENT_SECURITY_POLICY } from "./serveWeb.ts";

/** A phone's width in CSS pixels (iPhone SE / small Android). */
const PHONE_WIDTH = 360;

/** Waits for a value in the page, with room for a loaded machine (expect.poll gives up after 1 s). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000 });

const connection = await network.connect();
let served: ScenarioServer;
let browser: Browser;
/** An active partner, lead of the cloud practice after p1 retired (EIP-55 checksummed, as pasted). */
let lead: Address;

beforeAll(async () => {
  browser = await launchChromium("the page");
  served = await serveScenario(connection);
  lead = served.scenario.founders[3] as Address;
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await connection.close();
});

/**
 * Opens `path` in a fresh page and records what the browser complains about (script errors, console
 * errors such as a Content-Security-Policy refusal); `problems` must stay empty.
 */
async function open(path: string, { width = 1100 } = {}) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${served.url}${path}`);
  return { page, problems };
}

/** A definition list as { term: text of its definition }. */
function readFacts(page: Page, selector: string): Promise<Record<string, string>> {
  return page.locator(selector).evaluate((list) => {
    const facts: Record<string, string> = {};
    for (const term of list.querySelectorAll(":scope > dt")) {
      facts[term.textContent ?? ""] = term.nextElementSibling?.textContent ?? "";
    }
    return facts;
  });
}

const VERIFY = `query($practice: String!, $address: String!) { verifyMembership(practice: $practice, address: $address) {
  verified reason role status practiceRole since checkedAtBlock registry admission { hash blockNumber }
  howToVerify { to data blockNumber jsonRpc } } }`;

describe("serving", () => {
  it("serves every view with a Content-Security-Policy and leaves the API's routes as they were", async () => {
    for (const path of [
      "/",
      "/verify",
      "/vesting?address=0x1",
      "/proposals",
      "/presence",
      "/answer?code=X",
      "/technicians",
    ]) {
      const response = await fetch(`${served.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.headers.get("content-security-policy")).toBe(WEB_PAGE_CONTENT_SECURITY_POLICY);
      expect(await response.text()).toContain('<script type="module" src="/assets/app.js">');
    }
    const script = await fetch(`${served.url}/assets/app.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(WEB_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(WEB_CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");

    expect((await fetch(`${served.url}/health`)).status).toBe(200);
    expect((await fetch(`${served.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${served.url}/assets/no-such-file.js`)).status).toBe(404);
    const graphql = await fetch(`${served.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ firm { name } }" }),
    });
    expect(await graphql.json()).toEqual({ data: { firm: { name: "MSP IT Partners" } } });
    // GraphiQL has its own policy: the page's plus inline styles and data: fonts, which its editor needs.
    const graphiql = await fetch(`${served.url}/graphql`, { headers: { accept: "text/html" } });
    expect(graphiql.headers.get("content-security-policy")).not.toBe(WEB_CONTENT_SECURITY_POLICY);
  });

  it("serves viem from the installed packages through an import map its policy admits by hash, and the ABIs", async () => {
    const html = await (await fetch(`${served.url}/proposals`)).text();
    const [, importMap] = /<script type="importmap">(.*?)<\/script>/s.exec(html) ?? [];
    expect(importMap).toBeDefined();
    const hash = createHash("sha256")
      .update(importMap as string)
      .digest("base64");
    expect(WEB_PAGE_CONTENT_SECURITY_POLICY).toContain(`script-src 'self' 'sha256-${hash}'`);
    const { imports } = JSON.parse(importMap as string) as { imports: Record<string, string> };
    expect(imports.viem).toBe("/assets/vendor/viem/_esm/index.js");
    for (const url of Object.values(imports)) expect(url).toMatch(/^\/assets\/vendor\//);
    const viem = await fetch(`${served.url}${imports.viem}`);
    expect(viem.status).toBe(200);
    expect(viem.headers.get("content-type")).toMatch(/javascript/);
    // Only the vendored packages' modules: not their other files, not node_modules as a whole.
    for (const path of [
      "/assets/vendor/viem/package.json",
      "/assets/vendor/express/index.js",
      "/assets/vendor/viem/%2e%2e/express/index.js",
    ]) {
      expect((await fetch(`${served.url}${path}`)).status, path).toBe(404);
    }
    const abis = (await (await fetch(`${served.url}/assets/abi.json`)).json()) as Record<string, unknown>;
    expect(abis.firmGovernorAbi).toEqual(JSON.parse(JSON.stringify(firmGovernorAbi)));
    expect(abis.ENUMS).toEqual(JSON.parse(JSON.stringify(ENUMS)));
  });

  it("shows the firm's name and the indexing status in the header", async () => {
    const { page, problems } = await open("/");
    await eventually(() => page.locator("#indexing").textContent()).toMatch(/^Synced · block/);
    expect(await page.locator("#indexing").textContent()).toBe(
      `Synced · block ${Number(served.scenario.lastBlock).toLocaleString("en-US")}`,
    );
    expect(await page.locator("#firm-name").textContent()).toBe("MSP IT Partners");
    expect(await page.locator("#deployment").textContent()).toContain(
      `chain ${served.scenario.manifest.chainId}`,
    );
    expect(problems).toEqual([]);
  });
});

describe("verify a member", () => {
  it("verifies an active member picked from the practice list, with the evidence, and the link re-runs it", async () => {
    const { page, problems } = await open("/");
    const practice = page.getByRole("combobox", { name: "Practice" });
    await eventually(() => practice.locator("option[value=cloud]").count()).toBe(1);
    await practice.selectOption("cloud");
    await page.getByRole("textbox", { name: "Address" }).fill(lead);
    await page.getByRole("textbox", { name: "Address" }).press("Enter");
    await page.waitForURL(/\/verify\?/);
    const link = new URL(page.url());
    expect(link.searchParams.get("practice")).toBe("cloud");
    expect(link.searchParams.get("address")).toBe(lead);

    const { verifyMembership: expected } = await data(served.api.yoga, VERIFY, {
      practice: "cloud",
      address: lead,
    });
    expect(expected).toMatchObject({
      verified: true,
      role: "PARTNER",
      status: "ACTIVE",
      practiceRole: "LEAD",
    });

    for (const shown of [page, (await open(link.pathname + link.search)).page]) {
      await eventually(() => shown.locator("#verdict-title").textContent()).toBe("Verified");
      const facts = await readFacts(shown, "#verify-facts");
      expect(facts).toMatchObject({
        Address: lead.toLowerCase(),
        Practice: "Cloud Services (cloud)",
        "Firm role": "Partner",
        "Role in the practice": "Lead",
      });
      expect(facts.Status).toMatch(/^Active since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
      expect(await shown.locator("#verify-facts time").first().getAttribute("datetime")).toBe(
        new Date(expected.since * 1000).toISOString(),
      );
      const evidence = await readFacts(shown, "#verify-evidence");
      expect(evidence["Checked at block"]).toMatch(new RegExp(`^${expected.checkedAtBlock} \\(`));
      expect(evidence["Contract (Practices registry)"]).toBe(
        `${expected.registry} on chain ${served.scenario.manifest.chainId}`,
      );
      expect(evidence["Admission transaction"]).toContain(expected.admission.hash);
      expect(evidence["Admission transaction"]).toContain(`in block ${expected.admission.blockNumber}`);
      // The commands to check it yourself carry the exact call.
      const commands = await shown.locator(".how-to-verify pre").allTextContents();
      expect(commands[0]).toContain(`cast call --block ${expected.howToVerify.blockNumber}`);
      expect(commands[0]).toContain(expected.howToVerify.to);
      expect(commands[1]).toContain(`--data '${expected.howToVerify.jsonRpc}'`);
    }
    expect(problems).toEqual([]);
  });

  it("says an unknown address is not verified, and why", async () => {
    const unknown = "0x000000000000000000000000000000000000dEaD";
    const { page, problems } = await open(`/verify?practice=cloud&address=${unknown}`);
    await eventually(() => page.locator("#verdict-title").textContent()).toBe("Not verified");
    const { verifyMembership: expected } = await data(served.api.yoga, VERIFY, {
      practice: "cloud",
      address: unknown,
    });
    expect(expected.reason).toBe("The account is not a member of the firm.");
    expect(await page.locator(".verdict-detail").textContent()).toBe(expected.reason);
    expect((await readFacts(page, "#verify-facts")).Status).toBe("Not a member of the firm");
    expect(await page.locator("[data-verified]").getAttribute("data-verified")).toBe("false");
    expect(problems).toEqual([]);
  });

  it("says a malformed address is not an address, quoting it as text", async () => {
    const { page } = await open("/verify?practice=cloud");
    await page.getByRole("textbox", { name: "Address" }).fill("0xnope");
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    const alert = page.locator("#verify-result [role=alert]");
    await eventually(() => alert.textContent()).toMatch(/^That is not an address: “0xnope”\./);

    // Markup in the input is shown, never parsed.
    const hostile = "<img src=x onerror=document.title='pwned'>";
    const second = await open(`/verify?practice=cloud&address=${encodeURIComponent(hostile)}`);
    const secondAlert = second.page.locator("#verify-result [role=alert]");
    await eventually(() => secondAlert.textContent()).toBe(
      `That is not an address: “${hostile}”. An address is 0x followed by 40 hexadecimal digits; ` +
        "in mixed case it must also carry a valid EIP-55 checksum.",
    );
    expect(await second.page.locator("#verify-result img").count()).toBe(0);
    expect(await second.page.title()).not.toBe("pwned");
  });

  it("shows a practice whose lead departed as having no lead, never the departed member", async () => {
    const removed = served.scenario.founders[4] as Address;
    const { page, problems } = await open(`/verify?practice=security&address=${removed}`);
    await eventually(() => page.locator("#verdict-title").textContent()).toBe("Not verified");
    const facts = await readFacts(page, "#verify-facts");
    expect(facts).toMatchObject({
      Practice: "Security (security)",
      "Practice lead": "No lead (its lead departed)",
    });
    expect(facts.Status).toMatch(/^Removed since /);
    expect(await page.locator("#verify-facts [data-lead=none]").count()).toBe(1);
    // The practice list says so too; cloud names its lead as an address.
    const option = page.locator("#verify-practice option[value=security]");
    expect(await option.textContent()).toBe("Security (security), no lead");
    const cloud = await open(`/verify?practice=cloud&address=${lead}`);
    await eventually(() => cloud.page.locator("#verdict-title").textContent()).toBe("Verified");
    expect((await readFacts(cloud.page, "#verify-facts"))["Practice lead"]).toBe(lead.toLowerCase());
    expect(problems).toEqual([]);
  });

  it("says the API cannot be reached when requests to it fail", async () => {
    const page = await browser.newPage();
    await page.route("**/graphql", (route) => route.abort("connectionrefused"));
    await page.goto(`${served.url}/verify?practice=cloud&address=${lead}`);
    const alert = page.locator("#verify-result [role=alert]");
    await eventually(() => alert.textContent()).toBe(
      `Cannot reach the API at ${served.url}/graphql. Check that it is running, then try again.`,
    );
    expect(await page.locator("#indexing").textContent()).toMatch(/^Cannot reach the API/);
  });
});

describe("vesting", () => {
  /** The page's figures for each grant, read from the <data> values (exact, not the formatted text). */
  function readGrants(page: Page) {
    return page.locator("article.grant").evaluateAll((cards) =>
      cards.map((card) => {
        const value = (field: string) =>
          card.querySelector(`[data-field=${field}] data`)?.getAttribute("value") ?? null;
        const polyline = card.querySelector("svg[data-chart=vesting] polyline.schedule");
        const points = (polyline?.getAttribute("points") ?? "")
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((pair) => pair.split(",").map(Number) as [number, number]);
        return {
          id: card.getAttribute("data-grant"),
          vested: value("vested"),
          released: value("released"),
          releasable: value("releasable"),
          points,
          marks: [...card.querySelectorAll("svg [data-mark]")].map((mark) => mark.getAttribute("data-mark")),
        };
      }),
    );
  }

  const GRANTS = `query($address: String!, $at: Timestamp!) { grants(where: { beneficiary: $address }) { edges { node {
    id released vestedAt(at: $at) releasableAt(at: $at) schedule(points: 61) { at } } } } }`;

  it("draws each grant's schedule with the cliff and now marked, and figures that match the API", async () => {
    const { associate, newPartner } = served.scenario;
    const { page, problems } = await open("/vesting");
    await page.getByRole("textbox", { name: "Address" }).fill(associate);
    await page.getByRole("button", { name: "Show grants", exact: true }).click();
    await page.waitForURL(/\/vesting\?address=/);
    await page.locator("svg[data-chart=vesting]").first().waitFor();
    const at = Number(await page.locator("#vesting-at").getAttribute("data-at"));
    expect(at).toBeGreaterThan(0);

    const [associateGrant] = await readGrants(page);
    const { grants } = await data(served.api.yoga, GRANTS, { address: associate, at });
    const [expected] = grants.edges.map((edge: Loose) => edge.node);
    expect(associateGrant).toMatchObject({
      id: expected.id,
      vested: expected.vestedAt,
      released: expected.released,
      releasable: expected.releasableAt,
      // A one-year cliff on a four-year grant.
      marks: ["cliff", "now"],
    });
    // The schedule's points, and one at the cliff (nothing vests before it).
    expect(associateGrant?.points).toHaveLength(expected.schedule.length + 1);
    expect(problems).toEqual([]);

    // The link shows the same on a fresh page; a grant with no cliff has only the "now" mark.
    const partnerPage = (await open(`/vesting?address=${newPartner}`)).page;
    await partnerPage.locator("svg[data-chart=vesting]").first().waitFor();
    const partnerAt = Number(await partnerPage.locator("#vesting-at").getAttribute("data-at"));
    const [partnerGrant] = await readGrants(partnerPage);
    const [partnerExpected] = (
      await data(served.api.yoga, GRANTS, { address: newPartner, at: partnerAt })
    ).grants.edges.map((edge: Loose) => edge.node);
    expect(partnerGrant).toMatchObject({
      vested: partnerExpected.vestedAt,
      releasable: partnerExpected.releasableAt,
      marks: ["now"],
    });
    expect(BigInt(partnerGrant?.vested ?? 0)).toBeGreaterThan(0n);
    const points = partnerGrant?.points ?? [];
    expect(points.length).toBeGreaterThan(2);
    // Time runs left to right and vested units never go down (SVG's y grows downwards).
    for (let i = 1; i < points.length; i++) {
      expect(points[i]?.[0]).toBeGreaterThan(points[i - 1]?.[0] as number);
      expect(points[i]?.[1]).toBeLessThanOrEqual(points[i - 1]?.[1] as number);
    }
    const totals = await partnerPage
      .locator("#vesting-totals [data-total=releasable] data")
      .getAttribute("value");
    expect(totals).toBe(partnerExpected.releasableAt);
  });

  it("says so when an address has no grants, and when it is not an address", async () => {
    const none = await open("/vesting?address=0x000000000000000000000000000000000000dEaD");
    await eventually(() => none.page.locator("#vesting-result [role=status]").textContent()).toBe(
      "No equity grants to 0x000000000000000000000000000000000000dEaD.",
    );
    const bad = await open("/vesting?address=0x123");
    await eventually(() => bad.page.locator("#vesting-result [role=alert]").textContent()).toMatch(
      /^That is not an address: “0x123”\./,
    );
  });
});

describe("proposals", () => {
  it("lists open and recent proposals with both tallies and both quorum bars", async () => {
    const { page, problems } = await open("/proposals");
    const active = served.scenario.proposals.active.id.toString();
    const card = page.locator(`#open-proposals article[data-proposal="${active}"]`);
    await card.waitFor();
    const { proposal } = await data(
      served.api.yoga,
      `query($id: String!) { proposal(id: $id) { title tally { for { equity headcount } }
        quorum { equity { counted reached } headcount { counted reached } } } }`,
      { id: active },
    );
    expect(await card.locator("h4").textContent()).toBe(proposal.title);
    const equityFor = card.locator("tr[data-measure=equity] td data").first();
    const headcountFor = card.locator("tr[data-measure=headcount] td data").first();
    expect(await equityFor.getAttribute("value")).toBe(proposal.tally.for.equity);
    expect(await headcountFor.getAttribute("value")).toBe(String(proposal.tally.for.headcount));
    for (const measure of ["equity", "headcount"] as const) {
      const bar = card.locator(`.quorum[data-measure=${measure}]`);
      expect(await bar.getAttribute("data-reached")).toBe(String(proposal.quorum[measure].reached));
      expect(await bar.locator("[role=meter]").getAttribute("aria-valuenow")).toBe(
        String(proposal.quorum[measure].counted),
      );
      // Ballots were cast, so the bar is filled in part.
      expect(
        await bar.locator(".fill").evaluate((fill) => fill.getBoundingClientRect().width),
      ).toBeGreaterThan(0);
    }
    // The executed proposals are among the recent ones, with their quorums reached.
    const recent = page.locator("#recent-proposals article.proposal");
    expect(await recent.count()).toBeGreaterThan(0);
    expect(await page.locator('#recent-proposals .quorum[data-reached="true"]').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("says what For must reach: a majority of all partners, or an expulsion's supermajority", async () => {
    const { page, problems } = await open("/proposals");
    const { active, expulsion } = served.scenario.proposals;
    const QUORUM = `query($id: String!) { proposal(id: $id) { quorum { supermajority forEquityNeeded forHeadcountNeeded forReached } } }`;
    const activeCard = page.locator(`#open-proposals article[data-proposal="${active.id}"]`);
    const expulsionCard = page.locator(`#recent-proposals article[data-proposal="${expulsion.id}"]`);
    await expulsionCard.waitFor();
    for (const [card, id] of [
      [activeCard, active.id],
      [expulsionCard, expulsion.id],
    ] as const) {
      const { proposal } = await data(served.api.yoga, QUORUM, { id: id.toString() });
      const rule = card.locator(".passing-rule");
      expect(await rule.getAttribute("data-supermajority")).toBe(String(proposal.quorum.supermajority));
      expect(await rule.getAttribute("data-for-reached")).toBe(String(proposal.quorum.forReached));
      const needed = `Needs ${Number(proposal.quorum.forEquityNeeded).toLocaleString("en-US")} units and ${proposal.quorum.forHeadcountNeeded} partners For`;
      expect(await rule.textContent()).toContain(needed);
    }
    expect(await expulsionCard.locator(".passing-rule").textContent()).toMatch(
      /^Supermajority required: 80% of the eligible equity and 70% of the eligible partners/,
    );
    expect(await activeCard.locator(".passing-rule").textContent()).toMatch(
      /^Majority required: more than half of all eligible partners.*not reached\.$/,
    );
    expect(problems).toEqual([]);
  });
});

describe("find a technician", () => {
  const TECHNICIANS = `query($near: NearInput) { technicians(practice: "cloud", near: $near) {
    edges { node { distanceKm member { address } profile { displayName contactUrl } } } } }`;

  it("lists the on-site technician near a place with the API's distance, a contact link and a verify-in-person link", async () => {
    const { directory } = served.scenario;
    const { page, problems } = await open("/");
    await page.getByRole("link", { name: "Find a technician" }).click();
    await page.waitForURL(/\/technicians$/);
    const practice = page.getByRole("combobox", { name: "Practice" });
    await eventually(() => practice.locator("option[value=cloud]").count()).toBe(1);
    await practice.selectOption("cloud");
    await page.getByRole("textbox", { name: "Place" }).fill("45.50,-73.57");
    await page.getByRole("spinbutton", { name: "Within (km)" }).fill("50");
    await page.getByRole("button", { name: "Find" }).click();
    await page.waitForURL(/\/technicians\?/);
    const items = page.locator("#technicians-list > li");
    await eventually(() => items.count()).toBe(1);

    const { technicians } = await data(served.api.yoga, TECHNICIANS, {
      near: { latitude: 45.5, longitude: -73.57, radiusKm: 50 },
    });
    const [{ node }] = technicians.edges;
    const item = items.first();
    expect(await item.getAttribute("data-address")).toBe(directory.onSite);
    expect(await item.locator("h3").textContent()).toBe("Dana Four");
    expect(await item.locator(".distance").textContent()).toBe(`${node.distanceKm.toFixed(1)} km`);
    expect(await item.locator(".skills li").allTextContents()).toEqual(["azure", "backup"]);
    expect(await item.getByRole("link", { name: "Contact" }).getAttribute("href")).toBe(
      node.profile.contactUrl,
    );
    const verify = new URL(
      (await item.getByRole("link", { name: "Verify in person" }).getAttribute("href")) as string,
      served.url,
    );
    expect(verify.pathname).toBe("/presence");
    expect(Object.fromEntries(verify.searchParams)).toEqual({ practice: "cloud", address: directory.onSite });
    // The retired member near the same place is not listed.
    expect(await page.locator("#technicians-result").textContent()).not.toContain("Pat One");
    expect(problems).toEqual([]);
  });

  it("lists remote members from a link, and explains a place it cannot read", async () => {
    const { directory } = served.scenario;
    const remote = await open("/technicians?practice=cloud&mode=remote");
    const items = remote.page.locator("#technicians-list > li");
    await eventually(() => items.count()).toBe(2);
    expect(await items.evaluateAll((list) => list.map((li) => li.getAttribute("data-address")))).toEqual(
      [directory.onSite, directory.remote].sort(),
    );
    expect(await remote.page.locator("#technicians-summary").textContent()).toBe(
      "2 technicians of cloud working remotely.",
    );

    // A region code instead of a point: on-site members of that region, with no distance.
    const region = await open("/technicians?practice=cloud&place=CA-QC&mode=onsite");
    const inRegion = region.page.locator("#technicians-list > li");
    await eventually(() => inRegion.count()).toBe(1);
    expect(await inRegion.first().getAttribute("data-address")).toBe(directory.onSite);
    expect(await inRegion.first().locator(".distance").count()).toBe(0);
    expect(await region.page.locator("#technicians-summary").textContent()).toBe(
      "1 technician of cloud on site in CA-QC.",
    );

    const hostile = "<img src=x onerror=document.title='pwned'>";
    const bad = await open(`/technicians?practice=cloud&place=${encodeURIComponent(hostile)}`);
    const alert = bad.page.locator("#technicians-result [role=alert]");
    await eventually(() => alert.textContent()).toMatch(/is not a place: write a latitude and a longitude/);
    expect(await bad.page.locator("#technicians-result img").count()).toBe(0);
    expect([...remote.problems, ...region.problems, ...bad.problems]).toEqual([]);
  });

  it("shows a member's mentor, and a mentor's mentees, on the verify view", async () => {
    const { directory } = served.scenario;
    const mentee = await open(`/verify?practice=cloud&address=${directory.remote}`);
    await eventually(() => mentee.page.locator("#verdict-title").textContent()).toBe("Verified");
    const facts = await readFacts(mentee.page, "#verify-facts");
    expect(facts.Name).toBe("Alex Associate");
    expect(facts.Mentor).toBe(directory.mentor);
    expect(await mentee.page.locator("[data-mentor]").getAttribute("data-mentor")).toBe(directory.mentor);

    // a2 has no seat in cloud: the verify view still shows the member's record, with the mentee.
    const mentor = await open(`/verify?practice=cloud&address=${directory.mentor}`);
    await eventually(() => mentor.page.locator("#verdict-title").textContent()).toBe("Not verified");
    expect(await mentor.page.locator("[data-mentee]").getAttribute("data-mentee")).toBe(directory.remote);
    expect([...mentee.problems, ...mentor.problems]).toEqual([]);
  });
});

describe("on a phone", () => {
  it("fits every view in a phone's width, with nothing scrolling sideways", async () => {
    const { presenceChallenge } = await data(
      served.api.yoga,
      `mutation { presenceChallenge(practice: "cloud") { code } }`,
    );
    const paths = [
      `/verify?practice=cloud&address=${lead}`,
      `/vesting?address=${served.scenario.associate}`,
      "/proposals",
      "/presence?practice=cloud",
      `/answer?code=${presenceChallenge.code}`,
      "/technicians?practice=cloud&mode=remote",
    ];
    for (const path of paths) {
      const { page, problems } = await open(path, { width: PHONE_WIDTH });
      await page.locator(".result .card").first().waitFor();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, path).toBeLessThanOrEqual(PHONE_WIDTH);
      expect(problems, path).toEqual([]);
    }
  });
});

describe("books", () => {
  const BOOKS = `query($from: String, $to: String) { books(from: $from, to: $to) { from to
    rows { month practice { slug } token { address } revenue expenses }
    closes { month token { address } pools { id practice { name } amount totalWeight
      shares { member { address } role weight amount claimed } } } } }`;
  /** The scenario's stablecoin (contracts/mocks/TestStablecoin.sol), as the indexer read it. */
  const USD = { symbol: "tUSD", decimals: 6 };
  const usd = (amount: string) => `${formatAmount(amount, USD.decimals)} ${USD.symbol}`;
  /** The scenario's books month M and the month after, as the view's links write them. */
  const range = () => ({
    from: formatMonth(served.scenario.books.month),
    to: formatMonth(addMonths(served.scenario.books.month, 1)),
  });

  /** Every bar of the charts: its token, month, practice, flow, exact amount, height and tooltip. */
  function readBars(page: Page) {
    return page.locator("figure.books-chart rect.bar").evaluateAll((rects) =>
      rects.map((rect) => ({
        token: rect.closest("figure")?.getAttribute("data-token"),
        month: rect.getAttribute("data-month"),
        practice: rect.getAttribute("data-practice"),
        flow: rect.classList.contains("revenue") ? "revenue" : "expenses",
        amount: rect.getAttribute("data-amount"),
        height: Number(rect.getAttribute("height")),
        title: rect.querySelector("title")?.textContent,
      })),
    );
  }

  it("opens from the menu on the API's default months, and draws a bar per practice, month and flow with the mirror's figures", async () => {
    const menu = await open("/");
    await menu.page.getByRole("link", { name: "Books", exact: true }).click();
    await menu.page.waitForURL(/\/books$/);
    const { books: recent } = await data(served.api.yoga, BOOKS, {});
    await eventually(() => menu.page.locator("#books-result h3").first().textContent()).toBe(
      `Revenue and expenses, ${recent.from} to ${recent.to}`,
    );

    const { page, problems } = await open(`/books?from=${range().from}&to=${range().to}`);
    await eventually(() => page.locator("figure.books-chart rect.bar").count()).toBeGreaterThan(0);
    const { books } = await data(served.api.yoga, BOOKS, range());
    expect(books.rows.length).toBeGreaterThan(1);
    const bars = await readBars(page);
    const key = (bar: {
      token?: string | null;
      month: string | null;
      practice: string | null;
      flow: string;
    }) => `${bar.token}|${bar.month}|${bar.practice}|${bar.flow}`;
    expect(Object.fromEntries(bars.map((bar) => [key(bar), bar.amount]))).toEqual(
      Object.fromEntries(
        books.rows.flatMap((row: Loose) =>
          (["revenue", "expenses"] as const).map((flow) => [
            key({ token: row.token.address, month: row.month, practice: row.practice.slug, flow }),
            row[flow],
          ]),
        ),
      ),
    );
    expect(bars).toHaveLength(books.rows.length * 2);
    // Lengths are to scale: the largest amount fills half the chart less its margin (80 - 4 pixels).
    const largest = bars.reduce(
      (max, bar) => (BigInt(bar.amount ?? 0) > max ? BigInt(bar.amount ?? 0) : max),
      0n,
    );
    for (const bar of bars)
      expect(bar.height, key(bar)).toBeCloseTo((Number(bar.amount) / Number(largest)) * 76, 2);

    // The tooltip says the figure in words, in the stablecoin's units: the indexer read its symbol()
    // and decimals() when the vote allowed it.
    const cloud = bars.find(
      (bar) => bar.month === range().from && bar.practice === "cloud" && bar.flow === "revenue",
    );
    expect(cloud?.title).toBe(`${range().from} cloud: revenue 5,250 ${USD.symbol}`);
    expect(await page.locator("figure.books-chart figcaption").first().textContent()).toContain(
      `In ${USD.symbol}:`,
    );
    expect([...menu.problems, ...problems]).toEqual([]);
  });

  it("shows each budget's use and what is left, as budget(practice) answers", async () => {
    // p2 spends 50 USDC of the firm's budget in the chain's current month (the scenario spent it in
    // an earlier one), so the meter has something to show. The other books tests read only months
    // M and M + 1 and compare with the API's answer of the moment, so they hold either way.
    const { publicClient, manifest, founders } = served.scenario;
    const [wallet] = await connection.viem.getWalletClients({ account: founders[1] as Address });
    const hash = await wallet?.writeContract({
      address: manifest.contracts.books,
      abi: booksAbi,
      functionName: "pay",
      args: ["", served.scenario.books.vendor, 50_000_000n, "B-2", "Backup licences"],
    });
    expect((await publicClient.waitForTransactionReceipt({ hash: hash as Hex })).status).toBe("success");
    await served.catchUp();

    const { page, problems } = await open(`/books?from=${range().from}&to=${range().to}`);
    const items = page.locator("ul.budgets > li.budget");
    await eventually(() => items.count()).toBeGreaterThan(0);
    const { budgets } = await data(served.api.yoga, "{ budgets { practice { slug } } }");
    expect(await items.count()).toBe(budgets.length);
    for (const item of await items.all()) {
      const practice = (await item.getAttribute("data-practice")) as string;
      const { budget } = await data(
        served.api.yoga,
        `query($practice: String) { budget(practice: $practice) { id used remaining allowance } }`,
        { practice },
      );
      expect(await item.getAttribute("data-budget")).toBe(budget.id);
      expect(await item.getAttribute("data-used")).toBe(budget.used);
      expect(await item.getAttribute("data-remaining")).toBe(budget.remaining);
      expect(await item.locator(".muted").textContent()).toBe(
        `used ${usd(budget.used)} · remaining ${usd(budget.remaining)} of ${usd(budget.allowance)}`,
      );
      const percent = (Number(budget.used) * 100) / Number(budget.allowance);
      const shown = Number(await item.getByRole("meter").getAttribute("aria-valuenow"));
      expect(Math.abs(shown - percent)).toBeLessThanOrEqual(0.5);
      const [meter, used] = await Promise.all([
        item.locator(".meter").evaluate((el) => el.getBoundingClientRect().width),
        item.locator(".meter .used").evaluate((el) => el.getBoundingClientRect().width),
      ]);
      expect(used / meter).toBeCloseTo(percent / 100, 1);
    }
    // The firm's budget is the scenario's (1,000 USDC a month, spent by p2), with p2's payment.
    const firm = items.first();
    expect(await firm.locator("strong").textContent()).toBe("The firm (shared costs)");
    expect(await firm.getAttribute("data-used")).toBe("50000000");
    expect(
      await firm.locator(".meter .used").evaluate((el) => el.getBoundingClientRect().width),
    ).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("lists the latest close with each practice pool's member shares", async () => {
    const { page, problems } = await open(`/books?from=${range().from}&to=${range().to}`);
    const { books } = await data(served.api.yoga, BOOKS, range());
    const [close] = books.closes;
    expect(close.month).toBe(range().from);
    const section = page.locator(`section.close[data-month="${close.month}"]`);
    await section.waitFor();
    expect(await section.locator("h4").textContent()).toBe(`${close.month} in ${USD.symbol}`);
    expect(close.pools.length).toBeGreaterThan(0);
    for (const pool of close.pools) {
      const table = section.locator(`table.pool[data-pool="${pool.id}"]`);
      expect(await table.locator("caption").textContent()).toMatch(
        new RegExp(`^${pool.practice.name}: ${usd(pool.amount)} \\(claimed `),
      );
      const shown = await table.locator("tbody tr").evaluateAll((rows) =>
        rows.map((row) => ({
          member: row.getAttribute("data-member"),
          amount: row.getAttribute("data-amount"),
          cells: [...row.querySelectorAll("td")].map((cell) => cell.textContent),
        })),
      );
      expect(shown).toEqual(
        pool.shares.map((share: Loose) => ({
          member: share.member.address,
          amount: share.amount,
          cells: [
            share.member.address,
            share.role.charAt(0) + share.role.slice(1).toLowerCase(),
            `${share.weight}/${pool.totalWeight}`,
            usd(share.amount),
            share.claimed ? "yes" : "no",
          ],
        })),
      );
    }
    // The associate's share was claimed for them (claimPoolFor in the scenario).
    expect(
      await section.locator(`tr[data-member="${served.scenario.associate}"] td`).last().textContent(),
    ).toBe("yes");
    expect(problems).toEqual([]);
  });

  it("links the CSV export with the view's months, and downloads it with the documented header", async () => {
    const { page, problems } = await open(`/books?from=${range().from}&to=${range().to}`);
    const link = page.locator("#books-csv");
    await eventually(() => link.getAttribute("href")).toBe(
      `/books.csv?from=${range().from}&to=${range().to}`,
    );
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.url()).toBe(`${served.url}/books.csv?from=${range().from}&to=${range().to}`);
    const text = readFileSync(await download.path(), "utf8");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER);
    // The same file the API serves, with a row per movement of the two months.
    expect(text).toBe(await (await fetch(download.url())).text());
    // Unix seconds: the first second of month M, and of the month after the view's last.
    const startOf = (month: number) => Date.UTC(Math.floor(month / 100), (month % 100) - 1, 1) / 1000;
    const { revenue, expenses } = await data(
      served.api.yoga,
      `query($from: Timestamp, $to: Timestamp) { revenue(filter: { from: $from, to: $to }) { totalCount }
        expenses(filter: { from: $from, to: $to }) { totalCount } }`,
      {
        from: startOf(served.scenario.books.month),
        to: startOf(addMonths(served.scenario.books.month, 2)),
      },
    );
    expect(revenue.totalCount + expenses.totalCount).toBeGreaterThan(3);
    // Beyond money in and out, the file carries the close's lockstep transfer and the associate's
    // pool claim; every row is dated within the two months.
    expect(lines).toHaveLength(1 + revenue.totalCount + expenses.totalCount + 2);
    for (const line of lines.slice(1)) expect([range().from, range().to]).toContain(line.slice(0, 7));
    expect(problems).toEqual([]);
  });

  it("fits a phone's width, chart, meters and share tables included", async () => {
    const { page, problems } = await open(`/books?from=${range().from}&to=${range().to}`, {
      width: PHONE_WIDTH,
    });
    await page.locator("section.close table.pool").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_WIDTH);
    expect(problems).toEqual([]);
  });

  it("says when nothing moved or closed in the months asked, and when a month is not a month", async () => {
    const { page, problems } = await open("/books?from=2001-01&to=2001-02");
    await eventually(() => page.locator("#books-result h3").first().textContent()).toBe(
      "Revenue and expenses, 2001-01 to 2001-02",
    );
    const said = await page.locator("#books-result p.muted").allTextContents();
    expect(said).toContain("Nothing moved in these months.");
    expect(said).toContain("No month closed in this range.");
    expect(await page.locator("#books-result rect.bar").count()).toBe(0);
    expect(await page.locator("#books-csv").getAttribute("href")).toBe("/books.csv?from=2001-01&to=2001-02");

    const bad = await open("/books?from=2026-13");
    await eventually(() => bad.page.locator("#books-result [role=alert]").textContent()).toBe(
      `"2026-13" is not a month: write YYYY-MM, e.g. 2026-11.`,
    );
    expect([...problems, ...bad.problems]).toEqual([]);
  });
});

// Last: it changes the chain (a leave of the cloud practice's lead) and mirrors it.
describe("a leave's cover", () => {
  it("shows the cover asked and not accepted, then holding the ballot once accepted", async () => {
    const { publicClient, manifest, founders } = served.scenario;
    const cover = getAddress(founders[1] as Address);
    const wallets = await connection.viem.getWalletClients();
    const walletOf = (who: Address) =>
      wallets.find((w) => w.account.address.toLowerCase() === who.toLowerCase());
    const send = async (
      who: Address,
      functionName: "declareLeave" | "acceptCover",
      args: readonly unknown[],
    ) => {
      const hash = await walletOf(who)?.writeContract({
        address: manifest.contracts.partnership,
        abi: partnershipAbi,
        functionName,
        args,
      } as never);
      const receipt = await publicClient.waitForTransactionReceipt({ hash: hash as `0x${string}` });
      expect(receipt.status).toBe("success");
      await served.catchUp();
    };
    const now = Number((await publicClient.getBlock()).timestamp);
    await send(lead, "declareLeave", [now + 3 * 86_400, cover]);

    const asked = await open(`/verify?practice=cloud&address=${lead}`);
    await eventually(() => asked.page.locator("#verdict-title").textContent()).toBe("Verified");
    const status = asked.page.locator("#verify-facts [data-cover]");
    expect(await status.getAttribute("data-cover")).toBe("asked");
    expect(await status.textContent()).toMatch(
      new RegExp(`cover asked of ${cover.toLowerCase()}, not accepted yet: votes themself$`),
    );

    await send(cover, "acceptCover", [lead]);
    const holding = await open(`/verify?practice=cloud&address=${lead}`);
    await eventually(() => holding.page.locator("#verdict-title").textContent()).toBe("Verified");
    const held = holding.page.locator("#verify-facts [data-cover]");
    expect(await held.getAttribute("data-cover")).toBe("holding");
    expect(await held.textContent()).toMatch(new RegExp(`covered by ${cover.toLowerCase()} since \\d{4}-`));
    expect([...asked.problems, ...holding.problems]).toEqual([]);
  });
});

describe("verify in person", () => {
  /** Hardhat's dev accounts (its default mnemonic): the key of account #4, cloud's lead. */
  const leadKey = mnemonicToAccount("test test test test test test test test test test test junk", {
    addressIndex: 4,
  });

  /** A page with an injected EIP-1193 wallet (as a browser extension injects one) holding `account`. */
  async function withWallet(account: typeof leadKey) {
    const page = await browser.newPage({ viewport: { width: PHONE_WIDTH, height: 800 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    // The key stays in the test: the page reaches it only through this function, as a wallet's popup.
    await page.exposeFunction("devWalletSign", (raw: Hex) => account.signMessage({ message: { raw } }));
    await page.addInitScript((address: string) => {
      const sign = (window as unknown as { devWalletSign(raw: string): Promise<string> }).devWalletSign;
      (window as unknown as { ethereum: unknown }).ethereum = {
        async request({ method, params }: { method: string; params?: string[] }) {
          if (method === "eth_requestAccounts" || method === "eth_accounts") return [address];
          if (method === "personal_sign") {
            if (params?.[1]?.toLowerCase() !== address.toLowerCase()) throw new Error("unknown account");
            return sign(params[0] as string);
          }
          throw Object.assign(new Error(`${method} is not supported`), { code: 4200 });
        },
      };
    }, account.address);
    return { page, problems };
  }

  it("issues a code on the client's page, the technician signs it with a browser wallet, and the client sees one verdict", async () => {
    expect(leadKey.address.toLowerCase()).toBe(lead.toLowerCase());
    // The verify view leads there, with the practice chosen and the address typed.
    const start = await open(`/verify?practice=cloud`);
    await eventually(() => start.page.locator("#verify-practice").inputValue()).toBe("cloud");
    await start.page.getByRole("textbox", { name: "Address" }).fill(lead);
    const inPerson = start.page.getByRole("link", { name: "The person is here with me" });
    await eventually(() => inPerson.getAttribute("href")).toBe(`/presence?practice=cloud&address=${lead}`);
    await inPerson.click();

    const client = start.page;
    await client.waitForURL(/\/presence\?/);
    await eventually(() => client.locator("#presence-code").textContent()).toMatch(
      /^[0-9A-Z]{4}-[0-9A-Z]{4}$/,
    );
    const code = (await client.locator("#presence-code").textContent()) as string;
    expect(await client.locator("#presence-countdown").textContent()).toMatch(/^Valid for (9:5\d|10:00)$/);
    expect(await client.locator("#presence-qr svg path").count()).toBeGreaterThan(0);
    const answerUrl = (await client.locator("#presence-answer-link").textContent()) as string;
    expect(answerUrl).toBe(`${served.url}/answer?code=${code}`);
    expect(await client.locator(".copyable pre").first().textContent()).toBe(
      `firm prove --practice cloud --code ${code}`,
    );

    // The technician, on their phone, opens the answer page and signs with their wallet.
    const technician = await withWallet(leadKey);
    await technician.page.goto(answerUrl);
    await eventually(() => technician.page.locator("#answer-result .presence-code").textContent()).toBe(code);
    await technician.page.getByRole("button", { name: "Sign with my wallet" }).click();
    const proofLink = technician.page.locator("#answer-proof-link");
    await eventually(() => proofLink.textContent()).toMatch(/\/presence\?proof=/);
    const link = (await proofLink.textContent()) as string;
    expect(
      link.startsWith(`${served.url}/presence?proof=${code.replace("-", "")}.${lead.toLowerCase()}.0x`),
    ).toBe(true);
    expect(await technician.page.locator("#answer-qr svg path").count()).toBeGreaterThan(0);
    expect(
      await technician.page.getByRole("link", { name: "Open it on this device" }).getAttribute("href"),
    ).toBe(link);

    // The client pastes it: one verdict, with the role.
    await client.getByRole("textbox", { name: "Their proof (link or text)" }).fill(link);
    await client.getByRole("button", { name: "Check the proof" }).click();
    const card = client.locator("#presence-verdict-card");
    await eventually(() => card.getAttribute("data-verified")).toBe("true");
    expect(await client.locator("#presence-verdict-title").textContent()).toBe("Verified in person");
    expect(await client.locator("#presence-verdict-card .verdict-detail").textContent()).toMatch(
      // The name is the lead's directory profile (firmScenario publishes "Dana Four" for p4).
      /^Dana Four is here in person: a partner of the firm, lead of Cloud Services \(cloud\), checked on the chain at block \d+\.$/,
    );
    expect(await readFacts(client, "#presence-facts")).toMatchObject({
      Signer: lead.toLowerCase(),
      "Firm role": "Partner",
      "Role in the practice": "Lead",
      Code: code,
    });
    // Issued on this device: no warning about the code.
    expect(await card.locator(".notice").count()).toBe(0);

    // Opening the same proof again is a replay: refused, in plain words.
    const replay = await open(link.slice(served.url.length));
    const refused = replay.page.locator("#presence-verdict-card");
    await eventually(() => refused.getAttribute("data-verified")).toBe("false");
    expect(await refused.getAttribute("data-reason")).toBe("NONCE_USED");
    expect(await replay.page.locator("#presence-verdict-title").textContent()).toBe("Not verified");
    expect(await replay.page.locator("#presence-verdict-card .verdict-detail").textContent()).toContain(
      "this proof is a replay",
    );
    expect([...start.problems, ...technician.problems, ...replay.problems]).toEqual([]);
  });

  it("refuses a non-member's proof with the reason, and says when there is no wallet", async () => {
    const client = await open("/presence?practice=cloud");
    await eventually(() => client.page.locator("#presence-code").textContent()).toMatch(/-/);
    const answerUrl = (await client.page.locator("#presence-answer-link").textContent()) as string;

    const stranger = mnemonicToAccount("test test test test test test test test test test test junk", {
      addressIndex: 9,
    });
    const technician = await withWallet(stranger);
    await technician.page.goto(answerUrl);
    await technician.page.getByRole("button", { name: "Sign with my wallet" }).click();
    await eventually(() => technician.page.locator("#answer-proof-link").textContent()).toMatch(/proof=/);
    const link = (await technician.page.locator("#answer-proof-link").textContent()) as string;

    await client.page.getByRole("textbox", { name: "Their proof (link or text)" }).fill(link);
    await client.page.getByRole("button", { name: "Check the proof" }).click();
    const card = client.page.locator("#presence-verdict-card");
    await eventually(() => card.getAttribute("data-reason")).toBe("NOT_MEMBER");
    expect(await card.getAttribute("data-verified")).toBe("false");
    expect(await client.page.locator("#presence-verdict-card .verdict-detail").textContent()).toContain(
      `${stranger.address.toLowerCase()} signed, but is not confirmed as a member of practice cloud`,
    );

    // A phone with no wallet is told how else to answer.
    const noWallet = await open(answerUrl.slice(served.url.length));
    await noWallet.page.getByRole("button", { name: "Sign with my wallet" }).click();
    await eventually(() => noWallet.page.locator("#answer-proof [role=alert]").textContent()).toContain(
      "No browser wallet here",
    );
    expect(await noWallet.page.locator("#answer-proof pre").textContent()).toMatch(
      /^firm prove --practice cloud --code /,
    );
    expect([...client.problems, ...technician.problems, ...noWallet.problems]).toEqual([]);
  });
});

describe("vote from the page with a browser wallet", () => {
  /** Hardhat's dev accounts (its default mnemonic), by index: #2, #3 and #4 are founders p2 to p4. */
  const devKey = (index: number) =>
    mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: index });
  const devAccount = (index: number) => getAddress(devKey(index).address);

  /**
   * The wallet's signature: the transaction the page asks for, filled (nonce, fees, gas) and signed
   * here with the dev account's key, then sent raw to the node, as an extension sends it.
   */
  async function signAndSend(index: number, request: { to: Address; data?: Hex; value?: Hex; gas?: Hex }) {
    const wallet = createWalletClient({ account: devKey(index), transport: custom(connection.provider) });
    try {
      return await wallet.sendTransaction({
        to: request.to,
        data: request.data,
        value: request.value === undefined ? undefined : BigInt(request.value),
        gas: request.gas === undefined ? undefined : BigInt(request.gas),
        chain: null,
      });
    } catch (error) {
      return { error: { code: -32_603, message: (error as Error).message } };
    }
  }

  interface WalletOptions {
    /** The chain the wallet starts on (the firm's unless said). */
    chainId?: number;
    /** Whether it declines every transaction, as a person who clicks "Reject" (EIP-1193 code 4001). */
    rejects?: boolean;
    /** Another wallet that announces itself too (it declines everything), as when two are installed. */
    other?: string;
  }

  /**
   * The proposals view with an injected EIP-1193 wallet that announces itself by EIP-6963, as a
   * browser extension does, holding dev account `index`. The page reaches the chain only through it:
   * each request goes to this test, which answers the account and chain itself, signs a transaction
   * with the dev mnemonic's key (signAndSend) and forwards the rest to Hardhat's node. The key never
   * enters the page.
   */
  /**
   * A request to Hardhat's node; its failure as an EIP-1193 error (code, message and the revert
   * data), which exposeFunction cannot carry as a thrown error.
   */
  async function forward(method: string, params: unknown[]) {
    try {
      return await connection.provider.request({ method, params });
    } catch (error) {
      const {
        code = -32_603,
        message = String(error),
        data,
      } = error as { code?: number; message?: string; data?: unknown };
      return {
        error: {
          code,
          message,
          data: typeof data === "object" && data !== null && "data" in data ? data.data : data,
        },
      };
    }
  }

  async function withWallet(index: number, { chainId, rejects = false, other }: WalletOptions = {}) {
    const address = devAccount(index);
    let chain = chainId ?? served.scenario.manifest.chainId;
    const { page, problems } = await open("/proposals", { width: 1100 });
    await page.exposeFunction("devWalletRequest", async (method: string, params: unknown[] = []) => {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [address];
        case "eth_chainId":
          return `0x${chain.toString(16)}`;
        case "wallet_switchEthereumChain":
          chain = Number((params[0] as { chainId: string }).chainId);
          return null;
        case "eth_sendTransaction":
          if (rejects) return { error: { code: 4001, message: "User rejected the request." } };
          if ((params[0] as { from?: string }).from?.toLowerCase() !== address.toLowerCase())
            return { error: { code: 4100, message: "Unknown account" } };
          return signAndSend(index, params[0] as { to: Address });
        default:
          if (chain !== served.scenario.manifest.chainId)
            return { error: { code: -32_000, message: `The test wallet is on chain ${chain}` } };
          return forward(method, params);
      }
    });
    await page.addInitScript((otherName?: string) => {
      type Listener = (value: unknown) => void;
      const call = (window as unknown as { devWalletRequest(m: string, p?: unknown[]): Promise<unknown> })
        .devWalletRequest;
      const listeners = new Map<string, Set<Listener>>();
      const emit = (event: string, value: unknown) => {
        for (const listener of listeners.get(event) ?? []) listener(value);
      };
      const provider = {
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const answer = (await call(method, params)) as {
            error?: { code: number; message: string; data?: unknown };
          } | null;
          if (answer && typeof answer === "object" && "error" in answer && answer.error) {
            const { code, message, data } = answer.error;
            throw Object.assign(new Error(message), { code, data });
          }
          if (method === "wallet_switchEthereumChain") {
            emit("chainChanged", (params?.[0] as { chainId?: string } | undefined)?.chainId);
          }
          return answer;
        },
        on(event: string, listener: Listener) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)?.add(listener);
        },
        removeListener(event: string, listener: Listener) {
          listeners.get(event)?.delete(listener);
        },
      };
      const detail = Object.freeze({
        info: {
          uuid: "6d3e4c1a-dev0-4000-8000-000000000001",
          name: "Dev wallet",
          icon: "",
          rdns: "test.dev",
        },
        provider,
      });
      const declining = Object.freeze({
        info: { uuid: "6d3e4c1a-dev0-4000-8000-000000000002", name: otherName, icon: "", rdns: "test.other" },
        provider: {
          async request() {
            throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          },
        },
      });
      const announce = () => {
        window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
        if (otherName)
          window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: declining }));
      };
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
    }, other);
    // The init script runs on the next load: load the view again with the wallet in place.
    await page.reload();
    await page.getByRole("button", { name: "Connect wallet" }).click();
    return { page, problems, address };
  }

  const PROPOSAL = `query($id: String!) { proposal(id: $id) {
    id state proposer description eta title
    tally { for { equity headcount } }
    votes { edges { node { voter castBy support reason } } }
  } }`;
  const proposalOf = async (id: string) => (await data(served.api.yoga, PROPOSAL, { id })).proposal as Loose;
  const card = (page: Page, id: string) => page.locator(`article[data-proposal="${id}"]`);

  /** Sends a call from dev account `index` straight to the chain (the other partners' votes). */
  async function sendAs(index: number, to: Address, dataHex: Hex) {
    const hash = (await connection.provider.request({
      method: "eth_sendTransaction",
      params: [{ from: devAccount(index), to, data: dataHex }],
    })) as Hex;
    const receipt = await served.scenario.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
  }

  /** Moves the chain's clock on by `seconds` (one block) and has the mirror catch up. */
  async function advance(seconds: number) {
    await connection.networkHelpers.time.increase(seconds);
    await served.catchUp();
  }

  it("shows a wrong chain with an offer to switch, and switches", async () => {
    const { page, problems } = await withWallet(2, { chainId: 1 });
    const offer = page.locator("#wallet-wrong-chain");
    await eventually(() => offer.textContent()).toContain("Your wallet is on chain 1");
    const chainId = served.scenario.manifest.chainId;
    await page.getByRole("button", { name: `Switch to chain ${chainId}` }).click();
    await eventually(() => page.locator("#wallet-account").getAttribute("data-partner")).toBe("true");
    expect(await offer.count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("asks which wallet to connect when several announce themselves (EIP-6963)", async () => {
    const { page, problems } = await withWallet(2, { other: "Other wallet" });
    await page.getByRole("button", { name: "Connect Other wallet" }).click();
    await eventually(() => page.locator("#wallet-status [role=alert]").textContent()).toBe(
      "You declined to connect in your wallet: nothing was shared.",
    );
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Connect Dev wallet" }).click();
    await eventually(() => page.locator("#wallet-account").getAttribute("data-partner")).toBe("true");
    expect(problems).toEqual([]);
  });

  it("tells a non-partner they cannot vote or propose", async () => {
    const { page, problems, address } = await withWallet(9);
    await eventually(() => page.locator("#wallet-account").getAttribute("data-partner")).toBe("false");
    expect(await page.locator("#wallet-status [role=alert]").textContent()).toBe(
      `${address} is not an active partner of the firm: only partners vote and propose. Choose a partner's account in your wallet. Anyone may still queue and execute a passed proposal.`,
    );
    expect(await page.locator("#propose-practice").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("proposes a practice, votes For with a reason, queues and executes it, and the API shows each step", async () => {
    const { manifest, founders } = served.scenario;
    const [p2, p3, p4] = [founders[1], founders[2], founders[3]].map((a) => getAddress(a as Address));
    const governor = manifest.contracts.governor;
    // p2 covers p4's leave (the test of a leave's cover set it up; here again if it ran alone).
    const covering = await served.scenario.publicClient.readContract({
      address: manifest.contracts.partnership,
      abi: partnershipAbi,
      functionName: "coveringOf",
      args: [p2 as Address],
    });
    if (covering.toLowerCase() !== (p4 as string).toLowerCase()) {
      const now = Number((await served.scenario.publicClient.getBlock()).timestamp);
      await sendAs(
        4,
        manifest.contracts.partnership,
        encodeFunctionData({
          abi: partnershipAbi,
          functionName: "declareLeave",
          args: [now + 3 * 86_400, p2 as Address],
        }),
      );
      await sendAs(
        2,
        manifest.contracts.partnership,
        encodeFunctionData({
          abi: partnershipAbi,
          functionName: "acceptCover",
          args: [p4 as Address],
        }),
      );
    }

    // Propose, as p2, a practice led by p3: the description ends with p2's #proposer= suffix.
    const wallet = await withWallet(2);
    const { page } = wallet;
    await eventually(() => page.locator("#wallet-account").getAttribute("data-partner")).toBe("true");
    // The CLI's checks and its dry run first: a slug that is not one, then one already taken.
    const refused = page.locator("#wallet-propose [role=alert]");
    await page.getByRole("textbox", { name: "Slug" }).fill("Print!");
    await page.getByRole("textbox", { name: "Name" }).fill("Managed Print");
    await page.getByRole("textbox", { name: "Lead" }).fill(p3 as string);
    await page.getByRole("button", { name: "Propose" }).click();
    await eventually(() => refused.textContent()).toBe(
      `The slug "Print!" is not a practice slug. ${PRACTICE_SLUG_RULE}`,
    );
    await page.getByRole("textbox", { name: "Slug" }).fill("cloud");
    await page.getByRole("button", { name: "Propose" }).click();
    await eventually(() => refused.getAttribute("data-error")).toBe("PracticeSlugTaken");
    expect(await refused.locator("p").first().textContent()).toBe(
      `Cannot propose this: ${describeRevert("PracticeSlugTaken", ["cloud"], ENUMS).message} (its action createPractice would revert if executed now)`,
    );
    await page.getByRole("textbox", { name: "Slug" }).fill("print");
    await page.getByRole("button", { name: "Propose" }).click();
    const proposed = page.locator("#wallet-propose .sent");
    await eventually(() => proposed.textContent()).toMatch(
      /created: Create practice Managed Print \(print\): transaction 0x/,
    );
    await served.catchUp();
    const LIST = `{ proposals(first: 5) { edges { node { id title proposer description state } } } }`;
    const listed = ((await data(served.api.yoga, LIST)).proposals as Loose).edges.map((e: Loose) => e.node);
    const practice = listed.find((p: Loose) => p.title === "Create practice Managed Print (print)");
    expect(practice).toMatchObject({ proposer: (p2 as string).toLowerCase(), state: "PENDING" });
    expect(practice.description).toBe(
      `Create practice Managed Print (print)\n\nA new practice, Managed Print (slug "print"), led by ${p3}.\n\n#proposer=${p2}`,
    );
    // The page draws the list again once the API has indexed the block: the new card is there.
    await eventually(() => card(page, practice.id).count()).toBe(1);
    await eventually(() => card(page, practice.id).locator(".ballots").textContent()).toMatch(
      /^Voting opens \d{4}-\d\d-\d\d \d\d:\d\d UTC: the ballots you hold at its snapshot are yours to cast then\.$/,
    );

    // Voting opens after the delay; p2 holds their own ballot and p4's as cover.
    await advance(3_601);
    await page.reload();
    await page.getByRole("button", { name: "Connect wallet" }).click();
    const ballots = card(page, practice.id).locator(".ballots");
    await eventually(() => ballots.textContent()).toMatch(
      new RegExp(
        `^Your ballots: your own \\([\\d,]+ units\\); as cover for ${p4}, on leave \\([\\d,]+ units\\)\\.$`,
      ),
    );
    await card(page, practice.id)
      .getByRole("textbox", { name: "Reason (optional)" })
      .fill("Print is half our tickets");
    await card(page, practice.id).getByRole("button", { name: "Vote For" }).click();
    await eventually(() => card(page, practice.id).locator(".sent").textContent()).toMatch(
      /^Voted For on proposal/,
    );
    await served.catchUp();
    const voted = await proposalOf(practice.id);
    expect(voted.tally.for.headcount).toBe(2);
    expect(voted.votes.edges.map((e: Loose) => e.node)).toEqual(
      expect.arrayContaining([
        {
          voter: (p2 as string).toLowerCase(),
          castBy: (p2 as string).toLowerCase(),
          support: "FOR",
          reason: "Print is half our tickets",
        },
        {
          voter: (p4 as string).toLowerCase(),
          castBy: (p2 as string).toLowerCase(),
          support: "FOR",
          reason: "Print is half our tickets",
        },
      ]),
    );
    await eventually(() => card(page, practice.id).locator(".ballots").getAttribute("data-voted")).toBe(
      "true",
    );

    // p3 votes For from a terminal's account; the vote ends, and it passed: "Queue" on the page.
    await sendAs(
      3,
      governor,
      encodeFunctionData({ abi: firmGovernorAbi, functionName: "castVote", args: [BigInt(practice.id), 1] }),
    );
    const period = await served.scenario.publicClient.readContract({
      address: governor,
      abi: firmGovernorAbi,
      functionName: "votingPeriod",
    });
    await advance(Number(period) + 1);
    expect((await proposalOf(practice.id)).state).toBe("SUCCEEDED");
    await page.reload();
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await card(page, practice.id).getByRole("button", { name: "Queue" }).click();
    await eventually(() => card(page, practice.id).locator(".sent").textContent()).toMatch(
      /^Queued proposal/,
    );
    await served.catchUp();
    const queued = await proposalOf(practice.id);
    expect(queued.state).toBe("QUEUED");

    // After the timelock's delay, "Execute"; the practice exists.
    const now = Number((await served.scenario.publicClient.getBlock()).timestamp);
    await advance(Number(queued.eta) - now + 1);
    await page.reload();
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await card(page, practice.id).getByRole("button", { name: "Execute" }).click();
    await eventually(() => card(page, practice.id).locator(".sent").textContent()).toMatch(
      /^Executed proposal/,
    );
    await served.catchUp();
    expect((await proposalOf(practice.id)).state).toBe("EXECUTED");
    const { practice: created } = await data(served.api.yoga, `{ practice(slug: "print") { slug name } }`);
    expect(created).toMatchObject({ slug: "print", name: "Managed Print" });
    expect(wallet.problems).toEqual([]);
  });

  it("says a recused member's vote in the CLI's words, and a declined signature plainly", async () => {
    const { manifest, newPartner, founders } = served.scenario;
    const p2 = getAddress(founders[1] as Address);
    // p2 proposes to retire a2 from a terminal's account: a2 is its subject, recused.
    const retire = encodeFunctionData({
      abi: partnershipAbi,
      functionName: "retire",
      args: [
        newPartner,
        "0x0000000000000000000000000000000000000000",
        "0x0000000000000000000000000000000000000000",
        0n,
      ],
    });
    const description = `Retire a2\n\n#proposer=${p2}`;
    await sendAs(
      2,
      manifest.contracts.governor,
      encodeFunctionData({
        abi: firmGovernorAbi,
        functionName: "propose",
        args: [[manifest.contracts.partnership], [0n], [retire], description],
      }),
    );
    await advance(3_601);
    const LIST = `{ proposals(first: 1) { edges { node { id title } } } }`;
    const [latest] = ((await data(served.api.yoga, LIST)).proposals as Loose).edges.map((e: Loose) => e.node);
    expect(latest.title).toBe("Retire a2");

    const recused = await withWallet(7);
    const slot = card(recused.page, latest.id);
    await slot.getByRole("button", { name: "Vote Against" }).click();
    const refusal = slot.locator("[role=alert]");
    await eventually(() => refusal.getAttribute("data-error")).toBe("GovernorVoterRecused");
    expect(await refusal.locator("p").first().textContent()).toBe(
      `Cannot vote on proposal ${latest.id.slice(0, 6)}…${latest.id.slice(-6)}: ${describeRevert("GovernorVoterRecused", [BigInt(latest.id), getAddress(newPartner)], ENUMS).message}`,
    );
    expect(await refusal.locator(".hint").textContent()).toBe(
      describeRevert("GovernorVoterRecused", [], ENUMS).hint,
    );
    // Connected, with the propose form, a vote and a refusal: still no sideways scrolling on a phone.
    await recused.page.setViewportSize({ width: PHONE_WIDTH, height: 800 });
    expect(await recused.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE_WIDTH,
    );

    // p3 declines in their wallet: nothing is sent, and the page says so.
    const declined = await withWallet(3, { rejects: true });
    await card(declined.page, latest.id).getByRole("button", { name: "Vote For" }).click();
    await eventually(() => card(declined.page, latest.id).locator("[role=alert]").textContent()).toBe(
      `You declined in your wallet: nothing was sent (vote on proposal ${latest.id.slice(0, 6)}…${latest.id.slice(-6)}).`,
    );
    expect((await proposalOf(latest.id)).tally.for.headcount).toBe(0);
    expect([...recused.problems, ...declined.problems]).toEqual([]);
  });
});

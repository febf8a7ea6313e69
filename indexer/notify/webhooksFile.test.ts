import { describe, expect, it } from "vitest";
import { parseWebhooksFile, WebhooksFileInvalidError, type WebhooksFileProblem } from "./webhooksFile.ts";

const SECRET = `whsec_${Buffer.from("a-webhooks-file-test-secret-32b!").toString("base64")}`;
const GOOD = {
  name: "ops-slack",
  url: "https://203.0.114.7/services/T/B/token-in-path",
  format: "slack",
  events: ["proposal.created", "member.admitted"],
  secret: SECRET,
};

function parse(file: unknown, { env = {}, allowPrivate = false } = {}) {
  return parseWebhooksFile(typeof file === "string" ? file : JSON.stringify(file), {
    file: "webhooks.json",
    allowPrivate,
    env,
  });
}

async function problemsOf(
  file: unknown,
  options?: Parameters<typeof parse>[1],
): Promise<WebhooksFileProblem[]> {
  try {
    await parse(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhooksFileInvalidError);
    return [...(error as WebhooksFileInvalidError).problems];
  }
  throw new Error("The file was accepted");
}

describe("a webhooks file", () => {
  it("reads endpoints with their defaults, events sorted, a secret from the environment", async () => {
    const { endpoints, warnings } = await parse(
      {
        endpoints: [
          GOOD,
          { name: "audit", url: "https://203.0.114.8/hook", secret: { env: "AUDIT_SECRET" }, enabled: false },
        ],
      },
      { env: { AUDIT_SECRET: SECRET } },
    );
    expect(warnings).toEqual([]);
    expect(endpoints).toEqual([
      { ...GOOD, events: ["member.admitted", "proposal.created"], enabled: true },
      {
        name: "audit",
        url: "https://203.0.114.8/hook",
        format: "raw",
        events: ["*"],
        secret: SECRET,
        enabled: false,
      },
    ]);
  });

  it("reports every problem at once, each with its JSON path and fix, and never quotes a secret", async () => {
    const problems = await problemsOf({
      endpoints: [
        { ...GOOD, events: ["proposal.created", "proposal.vetoed"] },
        { ...GOOD, url: "not a url" },
        { ...GOOD, name: "ftp", url: "ftp://example.com/hook" },
        { ...GOOD, name: "local", url: "http://127.0.0.1:8080/hook" },
        { ...GOOD, name: "fmt", format: "discord" },
        { ...GOOD, name: "env", secret: { env: "MISSING_SECRET" } },
        { ...GOOD, name: "weak", secret: "whsec_short-and-secret" },
        { ...GOOD, name: "extra", colour: "red" },
        { ...GOOD, name: "off", enabled: "no" },
        { url: GOOD.url, secret: SECRET },
        "not an object",
      ],
    });
    expect(problems).toEqual([
      {
        path: "$.endpoints[0].events",
        problem: "has unknown kinds: proposal.vetoed.",
        fix: expect.stringContaining('Give "*" or an array of kinds: proposal.created,'),
      },
      {
        path: "$.endpoints[1].name",
        problem: '"ops-slack" is also the name of $.endpoints[0].',
        fix: "Give each endpoint a name of its own.",
      },
      {
        path: "$.endpoints[1].url",
        problem: "is not an http(s) URL.",
        fix: expect.stringContaining("Give the full URL the receiver documents"),
      },
      { path: "$.endpoints[2].url", problem: "is not an http(s) URL.", fix: expect.any(String) },
      {
        path: "$.endpoints[3].url",
        problem: "The webhook host 127.0.0.1 resolves to 127.0.0.1, which is not a public address.",
        fix: expect.stringContaining("set WEBHOOKS_ALLOW_PRIVATE=1"),
      },
      {
        path: "$.endpoints[4].format",
        problem: '"discord" is not a format.',
        fix: "Use one of raw, slack, teams (raw when left out).",
      },
      {
        path: "$.endpoints[5].secret.env",
        problem: "names MISSING_SECRET, which is not set.",
        fix: "Set MISSING_SECRET to the receiver's whsec_… secret.",
      },
      {
        path: "$.endpoints[6].secret",
        problem: "is not a Standard Webhooks secret.",
        fix: expect.stringContaining('"whsec_…"'),
      },
      {
        path: "$.endpoints[7].colour",
        problem: "is not a field of an endpoint.",
        fix: "Remove it; the fields are name, url, format, events, secret, enabled.",
      },
      { path: "$.endpoints[8].enabled", problem: '"no" is not true or false.', fix: "Write true or false." },
      {
        path: "$.endpoints[9].name",
        problem: "is missing.",
        fix: expect.stringContaining("1 to 64 letters"),
      },
      { path: "$.endpoints[10]", problem: "is not an object.", fix: expect.any(String) },
    ]);
    expect(JSON.stringify(problems)).not.toContain("short-and-secret");
    expect(JSON.stringify(problems)).not.toContain("token-in-path");
  });

  it("admits a private target when the operator allows it", async () => {
    const local = { ...GOOD, url: "http://127.0.0.1:8080/hook" };
    expect((await parse({ endpoints: [local] }, { allowPrivate: true })).endpoints).toHaveLength(1);
  });

  it("says what is wrong with a file that is not JSON, or has no endpoints array", async () => {
    expect(await problemsOf("{ endpoints: [")).toEqual([
      { path: "$", problem: expect.stringMatching(/^is not JSON \(/), fix: 'Write { "endpoints": [ … ] }.' },
    ]);
    expect((await problemsOf({ hooks: [] }))[0]).toMatchObject({
      path: "$.endpoints",
      problem: "is missing or not an array.",
    });
    await expect(parse({ endpoints: [GOOD, { ...GOOD, name: "x", url: 3 }] })).rejects.toThrow(
      "The webhooks file webhooks.json has a problem; nothing was applied.",
    );
  });
});

// `firm webhooks add|list|remove|test` as a user runs it, on a PGlite mirror folder of its own, with a
// real receiver on 127.0.0.1 that verifies the signature with the secret `add` printed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../indexer/testing/webhookReceiver.ts";
import { expectExit, firmAt } from "./support/runFirm.ts";

const dir = mkdtempSync(join(tmpdir(), "firm-cli-webhooks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** The receiver is on loopback, which only an operator's WEBHOOKS_ALLOW_PRIVATE=1 admits. */
const firm = firmAt({ DATA_DIR: join(dir, "mirror"), DATABASE_URL: undefined, WEBHOOKS_ALLOW_PRIVATE: "1" });

describe("firm webhooks", () => {
  it("adds an endpoint, lists it without its secret or token, tests it signed, and removes it", async () => {
    // The receiver must know the secret before the test request: add with a secret chosen here.
    const secret = `whsec_${Buffer.from("cli-test-secret-of-24-bytes!").toString("base64")}`;
    const receiver = await startWebhookReceiver(secret);
    receivers.push(receiver);

    const added = expectExit(
      await firm(
        "webhooks",
        "add",
        receiver.url,
        "--format",
        "slack",
        "--events",
        "proposal.created,member.admitted",
        "--secret",
        secret,
        "--json",
      ),
      0,
    ).json<{ id: number; secret: string; format: string; events: string[] }>();
    expect(added).toMatchObject({ format: "slack", events: ["proposal.created", "member.admitted"], secret });

    const listed = expectExit(await firm("webhooks", "list", "--json"), 0);
    expect(listed.json()).toEqual({
      ok: true,
      endpoints: [
        {
          id: added.id,
          name: null,
          url: `${new URL(receiver.url).origin}/…`,
          format: "slack",
          events: ["proposal.created", "member.admitted"],
          enabled: true,
          deliveries: { pending: 0, delivered: 0, dead: 0 },
        },
      ],
    });
    expect(listed.stdout).not.toContain(secret);
    expect(listed.stdout).not.toContain("receiver-token");

    const tested = expectExit(await firm("webhooks", "test", String(added.id)), 0);
    expect(tested.stdout).toMatch(/answered HTTP 200\./);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.verified).toBe(true);
    expect(JSON.parse(receiver.received[0]?.body ?? "{}").text).toContain("Test notification");

    expectExit(await firm("webhooks", "remove", String(added.id)), 0);
    expect(expectExit(await firm("webhooks", "list", "--json"), 0).json()).toEqual({
      ok: true,
      endpoints: [],
    });
  });

  it("prints a new secret once when none is given", async () => {
    const added = expectExit(await firm("webhooks", "add", "http://127.0.0.1:9/hook", "--json"), 0).json<{
      secret: string;
      events: string[];
      format: string;
    }>();
    expect(added.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(added).toMatchObject({ events: ["*"], format: "raw" });
  });

  it("refuses a private target without the operator's setting, bad input, and an unknown id (exit 2)", async () => {
    const refused = expectExit(
      await firmAt({
        DATA_DIR: join(dir, "mirror"),
        DATABASE_URL: undefined,
        WEBHOOKS_ALLOW_PRIVATE: undefined,
      })("webhooks", "add", "http://127.0.0.1:9/hook"),
      2,
    );
    expect(refused.stderr).toContain("resolves to 127.0.0.1, which is not a public address");
    expect(expectExit(await firm("webhooks", "add", "ftp://example.com/x"), 2).stderr).toContain(
      "http(s) URL",
    );
    expect(
      expectExit(await firm("webhooks", "add", "http://127.0.0.1:9/x", "--events", "nope"), 2).stderr,
    ).toContain("Unknown event kinds: nope.");
    expect(expectExit(await firm("webhooks", "remove", "999"), 2).stderr).toContain(
      "No webhook endpoint 999",
    );
    expect(expectExit(await firm("webhooks", "frobnicate"), 2).stderr).toContain(
      'Unknown webhooks action "frobnicate"',
    );
  });

  it("applies a webhooks file by name: twice is a no-op, secrets from the environment never printed", async () => {
    const secret = `whsec_${Buffer.from("cli-apply-secret-of-24-bytes").toString("base64")}`;
    const receiver = await startWebhookReceiver(secret);
    receivers.push(receiver);
    const file = join(dir, "webhooks.json");
    const local = {
      name: "local",
      url: receiver.url,
      format: "teams",
      events: ["proposal.created"],
      secret: { env: "LOCAL_SECRET" },
    };
    const second = { name: "second", url: receiver.url, events: "*", secret, enabled: false };
    writeFileSync(file, JSON.stringify({ endpoints: [local, second] }));
    const apply = (...flags: string[]) =>
      firmAt({
        DATA_DIR: join(dir, "mirror"),
        DATABASE_URL: undefined,
        WEBHOOKS_ALLOW_PRIVATE: "1",
        LOCAL_SECRET: secret,
      })("webhooks", "apply", "--file", file, ...flags);

    const dry = expectExit(await apply("--dry-run"), 0);
    expect(dry.stdout).toContain("local: would be added");
    expect(dry.stdout).toContain("Dry run: 2 change(s) planned, nothing written.");
    const first = expectExit(await apply("--json"), 0).json<{
      changed: number;
      endpoints: { name: string; change: string; id: number }[];
    }>();
    expect(first.changed).toBe(2);
    expect(first.endpoints.map(({ name, change }) => [name, change])).toEqual([
      ["local", "add"],
      ["second", "add"],
    ]);
    const again = expectExit(await apply(), 0);
    expect(again.stdout).toContain("local (");
    expect(again.stdout).toContain("Nothing to change: the mirror already matches the file.");
    for (const output of [dry, again]) {
      expect(output.stdout + output.stderr).not.toContain(secret);
      expect(output.stdout + output.stderr).not.toContain("receiver-token");
    }

    const listed = expectExit(await firm("webhooks", "list", "--json"), 0).json<{
      endpoints: { id: number; name: string | null; enabled: boolean }[];
    }>();
    const localListed = listed.endpoints.find((endpoint) => endpoint.name === "local");
    expect(localListed).toMatchObject({ enabled: true });
    expect(listed.endpoints.find((endpoint) => endpoint.name === "second")).toMatchObject({ enabled: false });

    // The endpoint works with the secret that came from the environment.
    expectExit(await firm("webhooks", "test", String(localListed?.id)), 0);
    expect(receiver.received.at(-1)?.verified).toBe(true);

    // --prune with a file that dropped "second" removes it, and only it.
    writeFileSync(file, JSON.stringify({ endpoints: [local] }));
    const pruned = expectExit(await apply("--prune", "--json"), 0).json<{
      endpoints: { name: string; change: string }[];
    }>();
    expect(pruned.endpoints.map(({ name, change }) => [name, change])).toEqual([
      ["local", "unchanged"],
      ["second", "remove"],
    ]);
  });

  it("reports every problem of a bad file with its JSON path, and writes nothing (exit 2)", async () => {
    const file = join(dir, "bad-webhooks.json");
    writeFileSync(
      file,
      JSON.stringify({
        endpoints: [
          {
            name: "a",
            url: "http://127.0.0.1:9/x",
            events: ["proposal.vetoed"],
            secret: { env: "NOT_SET_ANYWHERE" },
          },
          { name: "a", url: "gopher://example.com", secret: "whsec_tooShortToBeReal" },
        ],
      }),
    );
    const before = expectExit(await firm("webhooks", "list", "--json"), 0).stdout;
    const refused = expectExit(await firm("webhooks", "apply", "--file", file), 2);
    expect(refused.stderr).toContain("has 5 problems; nothing was applied.");
    for (const line of [
      "$.endpoints[0].events: has unknown kinds: proposal.vetoed.",
      "$.endpoints[0].secret.env: names NOT_SET_ANYWHERE, which is not set.",
      '$.endpoints[1].name: "a" is also the name of $.endpoints[0].',
      "$.endpoints[1].url: is not an http(s) URL.",
      "$.endpoints[1].secret: is not a Standard Webhooks secret.",
    ])
      expect(refused.stderr).toContain(line);
    expect(refused.stderr).not.toContain("tooShortToBeReal");
    const json = expectExit(await firm("webhooks", "apply", "--file", file, "--json"), 2).json<{
      ok: boolean;
      problems: { path: string }[];
    }>();
    expect(json.ok).toBe(false);
    expect(json.problems.map((problem) => problem.path)).toContain("$.endpoints[1].url");
    expect(expectExit(await firm("webhooks", "list", "--json"), 0).stdout).toBe(before);
    expect(expectExit(await firm("webhooks", "apply"), 2).stderr).toContain(
      "Give --file <path> or set WEBHOOKS_FILE",
    );
  });

  it("disables an endpoint (its pending deliveries wait) and enables it again; an unknown id is refused", async () => {
    const added = expectExit(await firm("webhooks", "add", "http://127.0.0.1:9/hook", "--json"), 0).json<{
      id: number;
    }>();
    const id = String(added.id);
    const disabled = expectExit(await firm("webhooks", "disable", id, "--json"), 0).json();
    expect(disabled).toEqual({ ok: true, id: added.id, enabled: false, changed: true, pending: 0 });
    const again = expectExit(await firm("webhooks", "disable", id), 0);
    expect(again.stdout).toContain(
      `Disabled webhook endpoint ${id} (it already was): it gets no new notifications`,
    );
    const listed = expectExit(await firm("webhooks", "list", "--json"), 0).json<{
      endpoints: { id: number; enabled: boolean }[];
    }>();
    expect(listed.endpoints.find((endpoint) => endpoint.id === added.id)?.enabled).toBe(false);
    const enabled = expectExit(await firm("webhooks", "enable", id), 0);
    expect(enabled.stdout).toContain(
      `Enabled webhook endpoint ${id}: 0 pending deliveries go out as they fall due`,
    );
    for (const action of ["enable", "disable"]) {
      const unknown = expectExit(await firm("webhooks", action, "999999"), 2);
      expect(unknown.stderr).toContain("No webhook endpoint 999999");
      expect(unknown.stderr).toContain("`firm webhooks list` shows the endpoints there are.");
      expect(expectExit(await firm("webhooks", action), 2).stderr).toContain(
        `Usage: firm webhooks ${action} <id>`,
      );
    }
  });
});

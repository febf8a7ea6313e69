// `firm webhooks add|list|remove|test` as a user runs it, on a PGlite mirror folder of its own, with a
// real receiver on 127.0.0.1 that verifies the signature with the secret `add` printed.
import { mkdtempSync, rmSync } from "node:fs";
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
});

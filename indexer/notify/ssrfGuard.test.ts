import { describe, expect, it } from "vitest";
import { assertPublicWebhookUrl, isNonPublicAddress, WebhookUrlRefusedError } from "./ssrfGuard.ts";

const refuse = { allowPrivate: false };

describe("isNonPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.254",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "admits %s",
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe("assertPublicWebhookUrl", () => {
  it("refuses anything but http(s)", async () => {
    for (const url of ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com", "not a url"]) {
      await expect(assertPublicWebhookUrl(url, refuse)).rejects.toThrow(WebhookUrlRefusedError);
      await expect(assertPublicWebhookUrl(url, { allowPrivate: true })).rejects.toThrow(
        "must be an http(s) URL",
      );
    }
  });

  it("refuses private and loopback literals, and localhost by every address it resolves to", async () => {
    for (const url of [
      "http://127.0.0.1:8080/x",
      "http://[::1]/x",
      "http://[::ffff:127.0.0.1]/x",
      "https://10.1.2.3/x",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost:9/x",
    ]) {
      await expect(assertPublicWebhookUrl(url, refuse)).rejects.toThrow("which is not a public address");
    }
  });

  it("names the host and address but never the path or query, which carry the receiver's token", async () => {
    const error = await assertPublicWebhookUrl(
      "http://127.0.0.1/services/T0/B0/s3cr3tT0ken?sig=abc",
      refuse,
    ).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(WebhookUrlRefusedError);
    expect((error as Error).message).toMatchInlineSnapshot(`
      "The webhook host 127.0.0.1 resolves to 127.0.0.1, which is not a public address.

      Webhooks may only reach the public internet, so a URL cannot probe the firm's own network.
      An operator who means to deliver inside the network sets WEBHOOKS_ALLOW_PRIVATE=1."
    `);
    expect((error as Error).message).not.toContain("s3cr3tT0ken");
    expect((error as Error).message).not.toContain("sig=abc");
  });

  it("admits private targets when the operator allows them, and public literals always", async () => {
    await expect(
      assertPublicWebhookUrl("http://127.0.0.1:8080/x", { allowPrivate: true }),
    ).resolves.toBeUndefined();
    await expect(assertPublicWebhookUrl("https://93.184.215.14/x", refuse)).resolves.toBeUndefined();
  });
});

import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { RetryableError } from "../../kernel/errors.ts";
import {
  assertPublicWebhookUrl,
  guardedLookup,
  isNonPublicAddress,
  WebhookUrlRefusedError,
} from "./ssrfGuard.ts";

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

describe("guardedLookup (the connection's own DNS lookup)", () => {
  function resolveWith(allowPrivate: boolean, host: string, all: boolean) {
    return new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      guardedLookup({ allowPrivate })(host, { all }, (error, address) => resolve({ error, address })),
    );
  }

  it("fails the connection when the host resolves to a non-public address", async () => {
    for (const all of [true, false]) {
      const { error } = await resolveWith(false, "localhost", all);
      expect(error).toBeInstanceOf(WebhookUrlRefusedError);
      expect(error?.message).toContain("The webhook host localhost resolves to");
    }
  });

  it("hands over the addresses when private targets are allowed, in the shape asked for", async () => {
    const many = await resolveWith(true, "localhost", true);
    expect(many.error).toBeNull();
    expect((many.address as { address: string }[]).some(({ address }) => isNonPublicAddress(address))).toBe(
      true,
    );
    const one = await resolveWith(true, "localhost", false);
    expect(one.error).toBeNull();
    expect(typeof one.address).toBe("string");
  });

  it("stops a real request to a host name that resolves to loopback, before any byte is sent", async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const error = await new Promise<Error>((resolve) => {
        const outgoing = request(`http://localhost:${port}/`, {
          lookup: guardedLookup(refuse),
          agent: false,
        });
        outgoing.on("error", resolve);
        outgoing.end();
      });
      expect(error).toBeInstanceOf(WebhookUrlRefusedError);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe("a host name that does not resolve", () => {
  it("is a retryable failure, not a refusal (DNS may recover)", async () => {
    const error = await assertPublicWebhookUrl("https://no-such-host.invalid/hook", refuse).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).not.toBeInstanceOf(WebhookUrlRefusedError);
    expect((error as Error).message).toContain("The webhook host no-such-host.invalid does not resolve.");
  });
});

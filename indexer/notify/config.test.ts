import { describe, expect, it } from "vitest";
import { ConfigError } from "../../kernel/config.ts";
import { parseWebhookConfig, WEBHOOK_DEFAULTS } from "./config.ts";

describe("parseWebhookConfig", () => {
  it("uses the defaults when nothing is set, private targets refused", () => {
    const { config, warnings } = parseWebhookConfig({});
    expect(config).toEqual({ worker: false, file: undefined, allowPrivate: false, ...WEBHOOK_DEFAULTS });
    expect(Object.isFrozen(config)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("reads every variable, and warns when private targets are allowed", () => {
    const { config, warnings } = parseWebhookConfig({
      WEBHOOKS_ALLOW_PRIVATE: "1",
      WEBHOOKS_TIMEOUT_MS: "500",
      WEBHOOKS_MAX_ATTEMPTS: "3",
      WEBHOOKS_BACKOFF_BASE_MS: "20",
      WEBHOOKS_BACKOFF_MAX_MS: "40",
      WEBHOOKS_LEASE_MS: "2000",
      WEBHOOKS_POLL_INTERVAL_MS: "50",
      WEBHOOKS_BATCH_SIZE: "4",
    });
    expect(config).toEqual({
      worker: false,
      file: undefined,
      allowPrivate: true,
      timeoutMs: 500,
      maxAttempts: 3,
      backoffBaseMs: 20,
      backoffMaxMs: 40,
      leaseMs: 2000,
      pollIntervalMs: 50,
      batchSize: 4,
    });
    expect(warnings).toHaveLength(1);
  });

  it("reports every bad variable at once", () => {
    const error = (() => {
      try {
        parseWebhookConfig({
          WEBHOOKS_ALLOW_PRIVATE: "yes",
          WEBHOOKS_MAX_ATTEMPTS: "0",
          WEBHOOKS_BATCH_SIZE: "-1",
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([
      "WEBHOOKS_ALLOW_PRIVATE",
      "WEBHOOKS_MAX_ATTEMPTS",
      "WEBHOOKS_BATCH_SIZE",
    ]);
  });

  it("refuses a lease no longer than the request timeout, and a backoff cap below its base", () => {
    expect(() =>
      parseWebhookConfig({ WEBHOOKS_TIMEOUT_MS: "5000", WEBHOOKS_LEASE_MS: "5000" }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: Invalid configuration.

      - WEBHOOKS_LEASE_MS is "5000": expected more than WEBHOOKS_TIMEOUT_MS (5000), so a lease outlasts the request it covers.]
    `);
    expect(() =>
      parseWebhookConfig({ WEBHOOKS_BACKOFF_BASE_MS: "1000", WEBHOOKS_BACKOFF_MAX_MS: "999" }),
    ).toThrow("WEBHOOKS_BACKOFF_MAX_MS");
  });

  it("runs the worker where the caller says by default, and as WEBHOOKS_WORKER says otherwise", () => {
    expect(parseWebhookConfig({}, { workerByDefault: true }).config.worker).toBe(true);
    expect(parseWebhookConfig({ WEBHOOKS_WORKER: "0" }, { workerByDefault: true }).config.worker).toBe(false);
    expect(parseWebhookConfig({ WEBHOOKS_WORKER: "1" }).config.worker).toBe(true);
    expect(() => parseWebhookConfig({ WEBHOOKS_WORKER: "yes" })).toThrow(
      'WEBHOOKS_WORKER is "yes": expected one of 0, 1.',
    );
  });

  it("resolves WEBHOOKS_FILE, and says so when it does not exist", () => {
    const { config } = parseWebhookConfig({ WEBHOOKS_FILE: "package.json" }, { cwd: process.cwd() });
    expect(config.file).toBe(`${process.cwd()}/package.json`);
    expect(() => parseWebhookConfig({ WEBHOOKS_FILE: "no-such-webhooks.json" })).toThrow(
      /WEBHOOKS_FILE is "no-such-webhooks.json": expected the path of an existing webhooks file/,
    );
  });
});

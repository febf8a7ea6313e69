import { describe, expect, it } from "vitest";
import {
  BaseError,
  ChainIdMismatchError,
  FatalError,
  isRetryable,
  RetryableError,
  RpcUnavailableError,
  redactUrl,
  redactUrls,
  serializeError,
} from "./errors.ts";

describe("redactUrl", () => {
  it.each([
    ["http://127.0.0.1:8545", "http://127.0.0.1:8545"],
    ["http://127.0.0.1:8545/", "http://127.0.0.1:8545"],
    ["https://eth-mainnet.g.alchemy.com/v2/SECRET", "https://eth-mainnet.g.alchemy.com/…"],
    ["https://rpc.example.com/?apikey=SECRET", "https://rpc.example.com/…"],
    ["postgres://indexer:SECRET@db:5432/firm", "postgres://db:5432/…"],
    ["not a url", "<invalid URL>"],
  ])("%s → %s", (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it("redacts every URL inside a text", () => {
    expect(redactUrls("HTTP request failed. URL: https://node.example.com/key/SECRET Status: 500")).toBe(
      "HTTP request failed. URL: https://node.example.com/… Status: 500",
    );
  });
});

describe("BaseError", () => {
  it("puts the short message first, then the hints, then the cause's first line, with URLs redacted", () => {
    const cause = new Error("connect ECONNREFUSED https://node.example.com/v2/SECRET\n    at somewhere");
    const error = new RetryableError("Could not reach the node.", { hints: ["Check RPC_URL."], cause });
    expect(error.message).toMatchInlineSnapshot(`
      "Could not reach the node.

      Check RPC_URL.

      Caused by: connect ECONNREFUSED https://node.example.com/…"
    `);
    expect(error.shortMessage).toBe("Could not reach the node.");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(BaseError);
  });

  it("names the subclass", () => {
    const error = new ChainIdMismatchError({ expected: 1, actual: 10, rpcUrl: "https://x.example/SECRET" });
    expect(error.name).toBe("ChainIdMismatchError");
    expect(error).toBeInstanceOf(FatalError);
    expect(error.message).not.toContain("SECRET");
  });
});

describe("isRetryable", () => {
  it("follows the class, and the code of network and database errors", () => {
    expect(isRetryable(new RetryableError("x"))).toBe(true);
    expect(isRetryable(new FatalError("x"))).toBe(false);
    expect(isRetryable(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("serialization"), { code: "40001" }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("syntax"), { code: "42601" }))).toBe(false);
    expect(isRetryable(new TypeError("a bug"))).toBe(false);
  });
});

describe("serializeError", () => {
  it("gives the logger type, message, hints, code and the cause chain, URLs redacted, no stack for our errors", () => {
    const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const error = new RpcUnavailableError({
      method: "eth_getLogs",
      kind: "connection",
      attempts: 6,
      rpcUrl: "https://node.example.com/v2/SECRET",
      cause: socket,
    });
    const serialized = serializeError(error);
    expect(serialized).toMatchObject({
      type: "RpcUnavailableError",
      message: "RPC call eth_getLogs to https://node.example.com/… failed 6 times (connection).",
      hints: ["The indexer resumes from its checkpoint once the endpoint answers again."],
      cause: { type: "Error", message: "other side closed", code: "UND_ERR_SOCKET" },
    });
    expect(serialized.stack).toBeUndefined();
    expect((serialized.cause as { stack?: string }).stack).toContain("other side closed");
  });
});

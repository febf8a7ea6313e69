import fc from "fast-check";
import {
  HttpRequestError,
  InternalRpcError,
  LimitExceededRpcError,
  MethodNotFoundRpcError,
  ResponseBodyTooLargeError,
  RpcRequestError,
  TimeoutError,
} from "viem";
import { describe, expect, it } from "vitest";
import { backoffDelay, retryAfterMs } from "./backoff.ts";
import { classifyRpcError, isTransientRpcError, suggestedBlockCount } from "./classifyRpcError.ts";

const url = "http://127.0.0.1:8545";
const rpcError = (code: number, message: string) =>
  new RpcRequestError({ body: {}, error: { code, message }, url });

describe("classifyRpcError", () => {
  it.each([
    ["a timeout", new TimeoutError({ body: {}, url }), "timeout"],
    ["HTTP 429", new HttpRequestError({ status: 429, url }), "rate_limited"],
    ["HTTP 502", new HttpRequestError({ status: 502, url }), "server_error"],
    ["HTTP 503", new HttpRequestError({ status: 503, url }), "server_error"],
    ["HTTP 401", new HttpRequestError({ status: 401, url }), "permanent"],
    ["HTTP 404", new HttpRequestError({ status: 404, url }), "permanent"],
    [
      "a truncated body",
      new HttpRequestError({ cause: new SyntaxError("Unexpected end of JSON input"), url }),
      "truncated",
    ],
    [
      "a reset connection",
      new HttpRequestError({
        cause: new TypeError("fetch failed", {
          cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
        }),
        url,
      }),
      "connection",
    ],
    [
      "a refused connection",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      "connection",
    ],
    [
      "a body over viem's limit",
      new ResponseBodyTooLargeError({ maxSize: 10, size: 11 }),
      "response_too_large",
    ],
    ["-32603 internal error", new InternalRpcError(rpcError(-32603, "Internal error")), "node_error"],
    ["-32000 header not found", rpcError(-32000, "header not found"), "node_error"],
    ["-32005 limit exceeded", new LimitExceededRpcError(rpcError(-32005, "limit exceeded")), "rate_limited"],
    [
      "-32601 method not found",
      new MethodNotFoundRpcError(rpcError(-32601, "the method eth_foo does not exist")),
      "permanent",
    ],
    ["a revert", rpcError(3, "execution reverted"), "permanent"],
  ] as const)("%s is %s", (_name, error, kind) => {
    expect(classifyRpcError(error)).toBe(kind);
  });

  // Providers' own words for "ask for less" (the codes vary, and do not matter).
  it.each([
    "query returned more than 10000 results",
    "query returned more than 10000 results. Try with this block range [0x1, 0x3E8].",
    "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x0, 0x4e1]",
    "eth_getLogs is limited to a 10,000 range",
    "eth_getLogs and eth_newFilter are limited to a 10000 blocks range",
    "block range is too wide",
    "exceed maximum block range: 50000",
    "query exceeds max block range 100000",
    "query exceeds max results 20000, retry with the range 1-500",
    "Max range: 3500",
    "Maximum allowed number of requested blocks is 1000",
    "block range greater than 10000 max",
    "too many results",
  ])("'%s' is range_too_large", (message) => {
    expect(classifyRpcError(new InternalRpcError(rpcError(-32602, message)))).toBe("range_too_large");
    expect(classifyRpcError(new HttpRequestError({ status: 400, details: message, url }))).toBe(
      "range_too_large",
    );
  });

  it("treats only permanent faults and range refusals as not worth resending", () => {
    expect(isTransientRpcError("timeout")).toBe(true);
    expect(isTransientRpcError("truncated")).toBe(true);
    expect(isTransientRpcError("permanent")).toBe(false);
    expect(isTransientRpcError("range_too_large")).toBe(false);
  });
});

describe("suggestedBlockCount", () => {
  it.each([
    ["this block range should work: [0x0, 0x4e1]", 1250n],
    ["Try with this block range [0x10, 0x1f].", 16n],
    ["eth_getLogs is limited to a 10,000 range", 10_000n],
    ["You can make eth_getLogs requests with up to a 2K block range", 2_000n],
    ["exceed maximum block range: 50000", 50_000n],
    ["Maximum allowed number of requested blocks is 1000", 1_000n],
    ["query returned more than 10000 results", undefined],
    ["block range is too wide", undefined],
  ])("'%s' → %s", (message, count) => {
    expect(suggestedBlockCount(rpcError(-32602, message))).toBe(count);
  });
});

describe("backoff", () => {
  it("grows exponentially up to the cap, and jitters within the upper half of each step (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseDelayMs, maxDelayMs, random) => {
          const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          const delay = backoffDelay(attempt, { baseDelayMs, maxDelayMs }, () => random);
          expect(delay).toBeGreaterThanOrEqual(step / 2);
          expect(delay).toBeLessThanOrEqual(step);
        },
      ),
    );
  });

  it("honours Retry-After in seconds or as a date", () => {
    const now = Date.parse("2026-11-28T00:00:00Z");
    const withHeader = (value: string) =>
      new HttpRequestError({ status: 429, headers: new Headers({ "retry-after": value }), url });
    expect(retryAfterMs(withHeader("3"), now)).toBe(3_000);
    expect(retryAfterMs(withHeader("Sat, 28 Nov 2026 00:00:02 GMT"), now)).toBe(2_000);
    expect(retryAfterMs(new HttpRequestError({ status: 429, url }), now)).toBeUndefined();
  });
});

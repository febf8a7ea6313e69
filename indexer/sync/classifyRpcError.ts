// Sorts an RPC failure into a kind: the kind decides whether the call is retried (transient), the
// block range is split (too large) or the indexer stops (permanent), and labels the error metric.
// viem wraps faults several levels deep (RpcRequestError in InternalRpcError, a socket error in a
// TypeError in HttpRequestError), so the whole cause chain is inspected.
import type { RpcErrorKind } from "../../kernel/errors.ts";

/**
 * How providers say "ask for fewer blocks or fewer logs". Each line is one family of wording, seen
 * from geth and Erigon, Infura, Alchemy, QuickNode, Ankr, BlastAPI, Cloudflare and public nodes.
 */
const RANGE_TOO_LARGE_PATTERNS = [
  /query returned more than [\d,]+ results/i,
  /(block )?range (is )?too (large|wide|big)/i,
  /exceed(s|ed)? (the )?(max(imum)?|limit)[^.]*(block|range|results)/i,
  /block range[^.]*(exceed|limit|max|too|greater)/i,
  /(log|response) (response )?size (exceeded|too large|limit)/i,
  /too many (results|logs|blocks)/i,
  /(limited|up) to (a )?[\d,.]+k? ?(blocks? )?(block )?range/i,
  /more than [\d,]+ (blocks|logs|results)/i,
  /max(imum)? (block )?range\b/i,
  /max(imum)? results? (count )?exceeded/i,
  /maximum allowed number of requested blocks/i,
  /query timeout exceeded/i,
];

/** JSON-RPC error codes that no retry fixes: the request itself is wrong or unsupported. */
const PERMANENT_RPC_CODES = new Set([
  -32700, // parse error: the node could not read our request
  -32600, // invalid request
  -32601, // method not found
  -32602, // invalid params
  -32004, // method not supported
  -32006, // JSON-RPC version not supported
  3, // execution reverted (eth_call)
  4100, // unauthorized
  4200, // unsupported method
]);

/** JSON-RPC error codes of rate limiting. */
const RATE_LIMIT_RPC_CODES = new Set([-32005, -32090, 429]);

interface ErrorLike {
  name?: string;
  message?: string;
  details?: string;
  shortMessage?: string;
  status?: number;
  code?: number | string;
  cause?: unknown;
}

/** The error and its causes, outermost first (at most 8: viem nests 3 to 5 levels). */
function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (current !== null && typeof current === "object" && chain.length < 8) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return chain;
}

function chainText(chain: ErrorLike[]): string {
  return chain.map((e) => [e.shortMessage, e.details, e.message].filter(Boolean).join(" ")).join(" | ");
}

/**
 * Classifies an error thrown by a viem request.
 *
 * @example
 * classifyRpcError(new HttpRequestError({ status: 429, url })) // "rate_limited"
 */
export function classifyRpcError(error: unknown): RpcErrorKind {
  const chain = causeChain(error);
  if (chain.some((e) => e.name === "TimeoutError")) return "timeout";
  if (chain.some((e) => e.name === "ResponseBodyTooLargeError")) return "response_too_large";
  if (RANGE_TOO_LARGE_PATTERNS.some((pattern) => pattern.test(chainText(chain)))) return "range_too_large";
  const status = chain.find((e) => typeof e.status === "number")?.status;
  if (status !== undefined) return classifyHttpStatus(status);
  const rpcCode = chain.find((e) => typeof e.code === "number")?.code as number | undefined;
  if (rpcCode !== undefined) return classifyRpcCode(rpcCode, chainText(chain));
  if (chain.some((e) => e.name === "SyntaxError")) return "truncated";
  if (chain.some((e) => e.name === "HttpRequestError" || typeof e.code === "string")) return "connection";
  return "node_error";
}

function classifyHttpStatus(status: number): RpcErrorKind {
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  if (status >= 500) return "server_error";
  // 401, 403 and 404 mean a wrong key or path; no other 4xx gets better by asking again.
  return "permanent";
}

function classifyRpcCode(code: number, text: string): RpcErrorKind {
  if (
    RATE_LIMIT_RPC_CODES.has(code) ||
    /rate limit|too many requests|exceeded .*(capacity|quota)/i.test(text)
  )
    return "rate_limited";
  if (PERMANENT_RPC_CODES.has(code) || /execution reverted/i.test(text)) return "permanent";
  // -32603 (internal), -32000 (generic server error, e.g. "header not found" while a node syncs)
  // and the rest of the -32000..-32099 band are node-side and usually pass.
  return "node_error";
}

/** Whether a call that failed with `kind` may succeed when simply sent again. */
export function isTransientRpcError(kind: RpcErrorKind): boolean {
  return kind !== "permanent" && kind !== "range_too_large" && kind !== "response_too_large";
}

/**
 * The block count a provider suggests in its "range too large" message, if it names one: a range
 * `[0x.., 0x..]` (Infura, Alchemy), or a limit such as "limited to a 10,000 range" (QuickNode),
 * "up to a 2K block range" or "maximum block range: 50000".
 */
export function suggestedBlockCount(error: unknown): bigint | undefined {
  const text = chainText(causeChain(error));
  const range = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(text);
  if (range?.[1] && range[2]) {
    const count = BigInt(range[2]) - BigInt(range[1]) + 1n;
    return count > 0n ? count : undefined;
  }
  const limit =
    /(?:up to|limited to|max(?:imum)?(?: block)? range(?: is| of)?:?|requested blocks is)\s*(?:a\s+)?(\d[\d,]*)(k)?\b/i.exec(
      text,
    );
  if (!limit?.[1]) return undefined;
  const count = BigInt(limit[1].replaceAll(",", "")) * (limit[2] ? 1_000n : 1n);
  return count > 0n ? count : undefined;
}

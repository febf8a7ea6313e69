// The project's error family (indexer, API, CLI and dev stack), split by what the caller does with them: a RetryableError means "wait, then
// resume from the checkpoint"; a FatalError means "stop and tell the operator". Every message says
// what was wrong and, in its hints, how to fix it. Anything that is neither is a bug and is treated
// as fatal.

export interface BaseErrorParameters {
  /** Lines that tell the operator how to fix the problem. */
  hints?: readonly string[] | undefined;
  cause?: unknown;
}

/** The one base class: a short message, hint lines and a cause, like viem's BaseError. */
export class BaseError extends Error {
  override name = "BaseError";
  /** The first line of the message, without hints or cause. */
  readonly shortMessage: string;
  readonly hints: readonly string[];

  constructor(shortMessage: string, { hints = [], cause }: BaseErrorParameters = {}) {
    super(formatMessage(shortMessage, hints, cause), cause === undefined ? undefined : { cause });
    this.shortMessage = shortMessage;
    this.hints = hints;
  }
}

/** A fault that goes away by itself (a timeout, a rate limit, a node restarting): resume later. */
export class RetryableError extends BaseError {
  override name = "RetryableError";
}

/** A fault that no retry fixes (wrong chain, missing contract, deep reorg): stop the indexer. */
export class FatalError extends BaseError {
  override name = "FatalError";
}

function formatMessage(shortMessage: string, hints: readonly string[], cause: unknown): string {
  const lines = [shortMessage];
  if (hints.length > 0) lines.push("", ...hints);
  // The cause's first line is enough context here; the logger prints the whole chain. Our own
  // messages redact the URLs they name; a foreign cause's text is redacted here.
  if (cause instanceof BaseError) lines.push("", `Caused by: ${cause.shortMessage}`);
  else if (cause instanceof Error) lines.push("", `Caused by: ${redactUrls(firstLine(cause.message))}`);
  return lines.join("\n");
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}

// ---------------------------------------------------------------------------------------------
// Start-up (a bad environment is a ConfigError: kernel/config.ts)

/** The RPC endpoint serves another chain than the deployment manifest names. */
export class ChainIdMismatchError extends FatalError {
  override name = "ChainIdMismatchError";
  constructor({ expected, actual, rpcUrl }: { expected: number; actual: number; rpcUrl: string }) {
    super(
      `Wrong chain: the RPC endpoint ${redactUrl(rpcUrl)} serves chain ${actual}, but the deployment manifest is for chain ${expected}.`,
      {
        hints: [
          `Point RPC_URL at a node of chain ${expected}, or set DEPLOYMENT to the manifest of the firm on chain ${actual}.`,
        ],
      },
    );
  }
}

/** A manifest address holds no contract on the chain. */
export class NoCodeAtAddressError extends FatalError {
  override name = "NoCodeAtAddressError";
  constructor({
    contract,
    address,
    blockNumber,
  }: { contract: string; address: string; blockNumber: bigint }) {
    super(`No contract code at ${address} (the manifest's "${contract}") at block ${blockNumber}.`, {
      hints: [
        "The manifest does not describe a deployment on this chain: check DEPLOYMENT and RPC_URL.",
        "On a dev chain that was restarted, deploy again with `npx firm deploy` and index from scratch.",
      ],
    });
  }
}

/** A contract does not answer its ABI the way the indexer expects (wrong ABI or wrong contract). */
export class AbiMismatchError extends FatalError {
  override name = "AbiMismatchError";
  constructor({ contract, address, problem, cause }: AbiMismatchParameters) {
    super(`ABI mismatch: the contract at ${address} (the manifest's "${contract}") ${problem}.`, {
      hints: [
        "The manifest points at a different contract, or contracts/abi.ts is out of date: run `npm run build`, then check the manifest's addresses.",
      ],
      cause,
    });
  }
}

export interface AbiMismatchParameters {
  contract: string;
  address: string;
  /** What the contract did, completing "the contract at X ...". */
  problem: string;
  cause?: unknown;
}

// ---------------------------------------------------------------------------------------------
// RPC

/** Why an RPC call failed, as the metrics count it. */
export type RpcErrorKind =
  | "timeout"
  | "rate_limited"
  | "server_error"
  | "connection"
  | "truncated"
  | "node_error"
  | "range_too_large"
  | "response_too_large"
  | "permanent";

/** A transient RPC fault that persisted through every retry of one call. */
export class RpcUnavailableError extends RetryableError {
  override name = "RpcUnavailableError";
  readonly kind: RpcErrorKind;
  constructor({ method, kind, attempts, rpcUrl, cause }: RpcFailureParameters & { attempts: number }) {
    super(`RPC call ${method} to ${redactUrl(rpcUrl)} failed ${attempts} times (${kind}).`, {
      hints: ["The indexer resumes from its checkpoint once the endpoint answers again."],
      cause,
    });
    this.kind = kind;
  }
}

/** An RPC fault that retrying cannot fix (bad URL or key, method unsupported, invalid request). */
export class RpcRejectedError extends FatalError {
  override name = "RpcRejectedError";
  readonly kind: RpcErrorKind = "permanent";
  constructor({ method, rpcUrl, cause }: Omit<RpcFailureParameters, "kind">) {
    super(`The RPC endpoint ${redactUrl(rpcUrl)} rejected ${method}.`, {
      hints: [
        "Check RPC_URL (host, path and any API key in it) and that the node supports this method.",
        "A 401 or 403 means the key is wrong or lacks access; a 404 means the path is wrong.",
      ],
      cause,
    });
  }
}

export interface RpcFailureParameters {
  method: string;
  kind: RpcErrorKind;
  rpcUrl: string;
  cause: unknown;
}

/** eth_getLogs refused the block range (too many blocks or too many results): ask for less. */
export class LogRangeTooLargeError extends RetryableError {
  override name = "LogRangeTooLargeError";
  readonly fromBlock: bigint;
  readonly toBlock: bigint;
  /** How many blocks the provider said would work, when its message says. */
  readonly suggestedBlocks: bigint | undefined;
  constructor({ fromBlock, toBlock, suggestedBlocks, cause }: LogRangeTooLargeParameters) {
    super(`eth_getLogs refused blocks ${fromBlock}..${toBlock} as too large.`, {
      hints: ["The backfill splits the range; MAX_BLOCK_RANGE caps the range it starts with."],
      cause,
    });
    this.fromBlock = fromBlock;
    this.toBlock = toBlock;
    this.suggestedBlocks = suggestedBlocks;
  }
}

export interface LogRangeTooLargeParameters {
  fromBlock: bigint;
  toBlock: bigint;
  suggestedBlocks: bigint | undefined;
  cause: unknown;
}

/** Even a single block has more logs than the provider returns in one reply. */
export class BlockTooLargeError extends FatalError {
  override name = "BlockTooLargeError";
  constructor({ blockNumber, cause }: { blockNumber: bigint; cause: unknown }) {
    super(`eth_getLogs refuses even the single block ${blockNumber} as too large.`, {
      hints: ["Use an RPC provider without a result limit on eth_getLogs (or a higher one) for RPC_URL."],
      cause,
    });
  }
}

/** The node's answers contradict each other (a reorg while fetching): fetch again. */
export class ChainChangedError extends RetryableError {
  override name = "ChainChangedError";
  constructor(detail: string) {
    super(`The chain changed while fetching: ${detail}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reorgs and leadership

/** A reorg replaced blocks that were supposed to be final; the mirror cannot follow it safely. */
export class DeepReorgError extends FatalError {
  override name = "DeepReorgError";
  constructor({ checkpoint, finalityDepth, detail }: DeepReorgParameters) {
    super(
      `Reorg deeper than the finality depth (${finalityDepth} blocks) below the mirror's checkpoint ${checkpoint}: ${detail}.`,
      {
        hints: [
          "The mirror was left as it was and nothing more is written: it may hold blocks that are no longer on the chain.",
          "Index again from scratch (delete DATA_DIR, or drop the database schema), and if such reorgs are expected on this chain, raise FINALITY_DEPTH.",
          "On a dev chain this usually means the node was restarted or reverted: redeploy and index from scratch.",
        ],
      },
    );
  }
}

export interface DeepReorgParameters {
  checkpoint: bigint;
  finalityDepth: number;
  /** What was found, completing the sentence. */
  detail: string;
}

/** This instance lost the PostgreSQL advisory lock: another instance may be writing now. */
export class LeadershipLostError extends RetryableError {
  override name = "LeadershipLostError";
  constructor(cause?: unknown) {
    super("Lost the indexer's advisory lock (the connection that held it closed).", {
      hints: ["The instance stops writing and waits as a standby until it can take the lock again."],
      cause,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Classification and redaction

/** Network and database error codes that clear up by themselves. */
const TRANSIENT_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: the PostgreSQL server restarts
  "08000", // connection_exception
  "08003", // connection_does_not_exist
  "08006", // connection_failure
  "40001", // serialization_failure: the transaction can simply run again
  "40P01", // deadlock_detected
]);

/** Whether the indexer should wait and resume (true) or stop (false) after `error`. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RetryableError) return true;
  if (error instanceof FatalError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_ERROR_CODES.has(code);
}

/**
 * Shortens a URL to its scheme and host, because the path, query and user info of an RPC or
 * database URL often carry an API key or password.
 *
 * @example
 * redactUrl("https://eth.example.com/v2/SECRET") // "https://eth.example.com/…"
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden = parsed.username || parsed.password || parsed.pathname.length > 1 || parsed.search;
    return `${parsed.protocol}//${parsed.host}${hidden ? "/…" : ""}`;
  } catch {
    return "<invalid URL>";
  }
}

// A URL ends at white space, a quote or a bracket; a final period or comma belongs to the sentence.
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`)\]]*[^\s"'<>`)\].,;:]/gi;

/** Replaces every URL in `text` with its redacted form (see {@link redactUrl}). */
export function redactUrls(text: string): string {
  return text.replace(URL_PATTERN, (url) => redactUrl(url));
}

/** A plain object for the logger: message, hints and the cause chain, all with URLs redacted. */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: redactUrls(String(error)) };
  const serialized: Record<string, unknown> = {
    type: error.name,
    message: redactUrls(error instanceof BaseError ? error.shortMessage : error.message),
  };
  if (error instanceof BaseError && error.hints.length > 0) serialized.hints = error.hints.map(redactUrls);
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) serialized.code = code;
  // Stacks of our own errors only add noise to an operator's log; a foreign error's stack is a bug report.
  if (!(error instanceof BaseError) && error.stack) serialized.stack = redactUrls(error.stack);
  // Five levels reach the socket error under viem's wrappers; deeper chains are cut to stay readable.
  if (error.cause !== undefined && depth < 5) serialized.cause = serializeError(error.cause, depth + 1);
  return serialized;
}

// The indexer's view of the chain: a viem public client over HTTP, wrapped so that every call is
// bounded in concurrency, retried on transient faults (timeouts, 429, 5xx, reset connections,
// truncated replies) with exponential backoff and jitter, and escalated after `maxAttempts` as a
// RetryableError, or at once as a FatalError when no retry can help (a wrong key, a missing method).
// Answers come back as the store's types (BlockRef, RawLog), converted from raw JSON-RPC here.
import { isAscii } from "node:buffer";
import {
  type Address,
  createPublicClient,
  type Hex,
  hexToBigInt,
  hexToNumber,
  http,
  numberToHex,
  type PublicClient,
  ResponseBodyTooLargeError,
  type RpcBlock,
  type RpcLog,
} from "viem";
import {
  ChainChangedError,
  LogRangeTooLargeError,
  RpcRejectedError,
  RpcUnavailableError,
} from "../../kernel/errors.ts";
import type { Logger } from "../../kernel/logger.ts";
import { sleep, throwIfStopping } from "../../kernel/shutdown.ts";
import { INDEXER_DEFAULTS } from "../config.ts";
import { countRpcError, type Metrics } from "../metrics.ts";
import type { BlockRef, RawLog } from "../store/types.ts";
import { type BackoffOptions, backoffDelay, retryAfterMs } from "./backoff.ts";
import { classifyRpcError, suggestedBlockCount } from "./classifyRpcError.ts";

export interface CreateRpcParameters {
  url: string;
  /** Per request; a slower answer counts as a (retryable) timeout. */
  timeoutMs?: number;
  /** Attempts per call before a transient fault escalates. */
  maxAttempts?: number;
  /** Requests in flight at once (a JSON-RPC batch counts as one). */
  concurrency?: number;
  backoff?: BackoffOptions;
  metrics?: Metrics;
  logger?: Logger;
  /** Aborts requests in flight and waits between retries when the indexer stops: calls then throw its reason. */
  signal?: AbortSignal;
  /** The jitter's randomness; fixed in tests. */
  random?: () => number;
}

export type LogFilter = { addresses: readonly Address[] } & (
  | { fromBlock: bigint; toBlock: bigint; blockHash?: undefined }
  | { blockHash: Hex; fromBlock?: undefined; toBlock?: undefined }
);

export interface Rpc {
  /** The endpoint, for error messages (always redacted before it is shown). */
  readonly url: string;
  /** The underlying viem client, for one-off calls that need no retry. */
  readonly client: PublicClient;
  chainId(): Promise<number>;
  blockNumber(): Promise<bigint>;
  /** The block's header, or undefined when the node has no such block (yet, or any more). */
  block(number: bigint | "latest"): Promise<BlockRef | undefined>;
  /** Several headers in JSON-RPC batches, in the order asked. */
  blocks(numbers: readonly bigint[]): Promise<(BlockRef | undefined)[]>;
  /** The logs of `addresses` in the range, sorted by block and log index.
   * @throws {LogRangeTooLargeError} when the provider refuses the range as too large. */
  logs(filter: LogFilter): Promise<RawLog[]>;
  /** The code at `address` at `blockNumber` ("0x" when there is none). */
  code(address: Address, blockNumber: bigint): Promise<Hex>;
  /** An eth_call at `blockNumber`. */
  call(to: Address, data: Hex, blockNumber: bigint): Promise<Hex>;
}

/** 250 ms doubling to 8 s: rides out a node restart or a rate-limit window of a few seconds. */
const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 250, maxDelayMs: 8_000 };
/** A provider's Retry-After beyond a minute is not waited out inside one call; the call escalates. */
const MAX_RETRY_AFTER_MS = 60_000;
/** 100 headers per JSON-RPC batch: about 60 KB of reply, under every provider's batch limit
 * (Alchemy and Infura accept 1,000; some public nodes only 100). */
export const BLOCK_BATCH_SIZE = 100;
/** viem's own limit on a reply: a larger eth_getLogs reply is refused as "too large" and split. */
const MAX_REPLY_BYTES = 10 * 1024 * 1024;

/**
 * Creates the RPC client of one indexer.
 *
 * @example
 * const rpc = createRpc({ url: config.rpcUrl, metrics, logger });
 * const head = await rpc.blockNumber();
 */
export function createRpc({
  url,
  timeoutMs = INDEXER_DEFAULTS.rpcTimeoutMs,
  maxAttempts = INDEXER_DEFAULTS.rpcMaxAttempts,
  concurrency = INDEXER_DEFAULTS.rpcConcurrency,
  backoff = DEFAULT_BACKOFF,
  metrics,
  logger,
  signal,
  random = Math.random,
}: CreateRpcParameters): Rpc {
  // viem's own retries are off: this module retries with its own classification and metrics.
  const client = createPublicClient({
    transport: http(url, {
      retryCount: 0,
      timeout: timeoutMs,
      fetchFn: signal ? (input, init) => fetchWholeReply(input, withSignal(init, signal)) : fetchWholeReply,
      maxResponseBodySize: false,
    }),
  });
  const batchClient = createPublicClient({
    transport: http(url, {
      retryCount: 0,
      timeout: timeoutMs,
      batch: { batchSize: BLOCK_BATCH_SIZE },
      ...(signal ? { fetchFn: (input, init) => fetch(input, withSignal(init, signal)) } : {}),
    }),
  });
  const limit = createLimiter(concurrency);

  async function send<T>(method: string, request: () => Promise<T>, range?: { from: bigint; to: bigint }) {
    for (let attempt = 1; ; attempt++) {
      throwIfStopping(signal);
      metrics?.rpcRequests.inc({ method });
      let failure: unknown;
      try {
        return await limit(request);
      } catch (error) {
        failure = error;
      }
      // A request cut short by the stop is not a fault of the endpoint's.
      throwIfStopping(signal);
      const kind = classifyRpcError(failure);
      if (metrics) countRpcError(metrics, kind, method);
      if ((kind === "range_too_large" || kind === "response_too_large") && range)
        throw new LogRangeTooLargeError({
          fromBlock: range.from,
          toBlock: range.to,
          suggestedBlocks: suggestedBlockCount(failure),
          cause: failure,
        });
      if (kind === "permanent") throw new RpcRejectedError({ method, rpcUrl: url, cause: failure });
      if (attempt >= maxAttempts)
        throw new RpcUnavailableError({ method, kind, attempts: attempt, rpcUrl: url, cause: failure });
      const delayMs = Math.min(
        retryAfterMs(failure) ?? backoffDelay(attempt, backoff, random),
        MAX_RETRY_AFTER_MS,
      );
      logger?.debug({ msg: "Retrying RPC call", method, kind, attempt, delayMs: Math.round(delayMs) });
      await sleep(delayMs, signal);
    }
  }

  return {
    url,
    client,
    async chainId() {
      const id = await send("eth_chainId", () => client.request({ method: "eth_chainId" }));
      return hexToNumber(id);
    },
    async blockNumber() {
      return hexToBigInt(await send("eth_blockNumber", () => client.request({ method: "eth_blockNumber" })));
    },
    async block(number) {
      const tag = number === "latest" ? "latest" : numberToHex(number);
      const block = await send("eth_getBlockByNumber", () =>
        client.request({ method: "eth_getBlockByNumber", params: [tag, false] }),
      );
      return block ? toBlockRef(block) : undefined;
    },
    async blocks(numbers) {
      const slices: bigint[][] = [];
      for (let start = 0; start < numbers.length; start += BLOCK_BATCH_SIZE)
        slices.push(numbers.slice(start, start + BLOCK_BATCH_SIZE));
      // Each slice is one attempt sent in one tick, so viem puts it in one batch; a retry resends it
      // whole. The slices run side by side, as far as the concurrency limit allows.
      const batches = await Promise.all(
        slices.map((slice) =>
          send("eth_getBlockByNumber", () =>
            Promise.all(
              slice.map((n) =>
                batchClient.request({ method: "eth_getBlockByNumber", params: [numberToHex(n), false] }),
              ),
            ).then((blocks) => blocks.map((block) => (block ? toBlockRef(block) : undefined))),
          ),
        ),
      );
      return batches.flat();
    },
    async logs(filter) {
      const params = filter.blockHash
        ? { address: [...filter.addresses], blockHash: filter.blockHash }
        : {
            address: [...filter.addresses],
            fromBlock: numberToHex(filter.fromBlock),
            toBlock: numberToHex(filter.toBlock),
          };
      const range = filter.blockHash ? undefined : { from: filter.fromBlock, to: filter.toBlock };
      const logs = await send(
        "eth_getLogs",
        () => client.request({ method: "eth_getLogs", params: [params] }),
        range,
      );
      return logs.map(toRawLog).sort(compareLogs);
    },
    async code(address, blockNumber) {
      const code = await send("eth_getCode", () =>
        client.request({ method: "eth_getCode", params: [address, numberToHex(blockNumber)] }),
      );
      return code ?? "0x";
    },
    async call(to, data, blockNumber) {
      return send("eth_call", () =>
        client.request({ method: "eth_call", params: [{ to, data }, numberToHex(blockNumber)] }),
      );
    },
  };
}

/** `init` with `signal` added beside viem's own (its timeout), so that either aborts the request. */
function withSignal(init: RequestInit | undefined, signal: AbortSignal): RequestInit {
  return { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal };
}

/**
 * fetch, with the reply read in one piece and decoded in one pass: eth_getLogs replies run to
 * megabytes of pure-ASCII JSON, which viem would decode chunk by chunk into a rope of strings that
 * JSON.parse then flattens (measured at a third of a backfill's RPC cost). viem's size limit is
 * applied here instead, with viem's error, so a reply that is too large is still refused and split.
 */
async function fetchWholeReply(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const declared = Number(response.headers.get("content-length"));
  if (declared > MAX_REPLY_BYTES) {
    await response.body?.cancel();
    throw new ResponseBodyTooLargeError({ maxSize: MAX_REPLY_BYTES, size: declared });
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.byteLength > MAX_REPLY_BYTES)
    throw new ResponseBodyTooLargeError({ maxSize: MAX_REPLY_BYTES, size: bytes.byteLength });
  const text = bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
  // viem reads only these members (maxResponseBodySize: false makes it call text()).
  const { ok, status, statusText, headers } = response;
  return { ok, status, statusText, headers, text: () => Promise.resolve(text) } as Response;
}

/** Runs at most `concurrency` tasks at once; the others wait in arrival order. */
export function createLimiter(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      // Hands the slot straight to the next waiter, so `active` never dips and lets a newcomer jump ahead.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

function toBlockRef(block: RpcBlock): BlockRef {
  if (block.number === null || block.hash === null)
    throw new ChainChangedError("the node returned a pending block where a mined one was asked for");
  return {
    number: hexToBigInt(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: hexToBigInt(block.timestamp),
  };
}

function toRawLog(log: RpcLog): RawLog {
  if (
    log.blockNumber === null ||
    log.blockHash === null ||
    log.logIndex === null ||
    log.transactionHash === null
  )
    throw new ChainChangedError("the node returned a pending log");
  return {
    address: log.address,
    blockNumber: hexToBigInt(log.blockNumber),
    blockHash: log.blockHash,
    transactionHash: log.transactionHash,
    transactionIndex: hexToNumber(log.transactionIndex ?? "0x0"),
    logIndex: hexToNumber(log.logIndex),
    topics: log.topics as RawLog["topics"],
    data: log.data,
    blockTimestamp: log.blockTimestamp ? hexToBigInt(log.blockTimestamp) : undefined,
  };
}

/** Chain order: block, then log index (log indexes are per block). */
export function compareLogs(a: RawLog, b: RawLog): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

// A fault-injecting JSON-RPC proxy on 127.0.0.1, in front of a real node. With a configurable
// probability it answers a request with a JSON-RPC error, an HTTP 429 or 5xx, a delay (or a hang past
// the client's timeout), a dropped connection or a truncated body, and it can enforce a provider's
// eth_getLogs limits (a block range cap with an Alchemy-style hint, a result cap with Infura's
// message). The faults follow a seeded generator, so a failing run can be replayed with its seed
// (exactly, when the requests arrive in the same order).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultKind = "rpc-error" | "http-429" | "http-5xx" | "delay" | "hang" | "drop" | "truncate";

export const ALL_FAULTS: readonly FaultKind[] = [
  "rpc-error",
  "http-429",
  "http-5xx",
  "delay",
  "drop",
  "truncate",
];

export interface FaultProxyOptions {
  /** The node to forward to. */
  target: string;
  /** Seed of the fault generator. */
  seed?: number;
  /** Probability that a request gets a fault, from 0 to 1. */
  faultRate?: number;
  /** The faults to draw from, equally likely. */
  faults?: readonly FaultKind[];
  /** Only requests for these methods can get a fault (all by default). */
  methods?: readonly string[];
  /** The longest "delay" fault; each is uniform between 0 and this. */
  delayMs?: number;
  /** How long a "hang" holds the reply: set it above the client's timeout. */
  hangMs?: number;
  /** eth_getLogs refuses ranges of more blocks than this (Alchemy-style, with a suggested range). */
  maxLogBlockRange?: number;
  /** eth_getLogs refuses replies with more logs than this (Infura's "query returned more than" error). */
  maxLogResults?: number;
}

export interface LogCall {
  fromBlock: bigint;
  toBlock: bigint;
  outcome: "ok" | "range-refused" | "results-refused" | "fault";
}

export interface FaultProxyStats {
  requests: number;
  faults: Record<FaultKind, number>;
  /** Every single (non-batch) eth_getLogs over a block range, in arrival order. */
  logCalls: LogCall[];
}

export interface FaultProxy {
  url: string;
  stats: FaultProxyStats;
  /** Changes options for the requests that follow. */
  configure(options: Partial<Omit<FaultProxyOptions, "target" | "seed">>): void;
  close(): Promise<void>;
}

interface JsonRpcRequest {
  id?: unknown;
  method?: string;
  params?: unknown[];
}

/**
 * Starts a proxy on a free port of 127.0.0.1.
 *
 * @example
 * const proxy = await startFaultProxy({ target: chain.url, seed: 7, faultRate: 0.2 });
 * const rpc = createRpc({ url: proxy.url });
 */
export async function startFaultProxy(initial: FaultProxyOptions): Promise<FaultProxy> {
  let options: FaultProxyOptions = {
    faultRate: 0,
    faults: ALL_FAULTS,
    delayMs: 200,
    hangMs: 5_000,
    ...initial,
  };
  const random = mulberry32(initial.seed ?? 1);
  const stats: FaultProxyStats = {
    requests: 0,
    faults: Object.fromEntries(
      ["rpc-error", "http-429", "http-5xx", "delay", "hang", "drop", "truncate"].map((k) => [k, 0]),
    ) as Record<FaultKind, number>,
    logCalls: [],
  };

  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => handle(body, request, response))
      .catch(() => response.destroy());
  });

  async function handle(body: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    stats.requests++;
    const parsed = parseJson(body);
    const calls: JsonRpcRequest[] = Array.isArray(parsed) ? parsed : [parsed ?? {}];
    const logRange = !Array.isArray(parsed) ? getLogsRange(calls[0]!) : undefined;
    const fault = drawFault(calls);
    if (fault) {
      stats.faults[fault]++;
      if (logRange) stats.logCalls.push({ ...logRange, outcome: "fault" });
      if (fault !== "delay") return injectFault(fault, body, calls, request, response);
      await wait(random() * (options.delayMs ?? 0));
    }
    if (logRange && options.maxLogBlockRange !== undefined) {
      const blocks = logRange.toBlock - logRange.fromBlock + 1n;
      if (blocks > BigInt(options.maxLogBlockRange)) {
        if (!fault) stats.logCalls.push({ ...logRange, outcome: "range-refused" });
        return sendJson(response, 200, rangeRefusal(calls[0]!, logRange.fromBlock, options.maxLogBlockRange));
      }
    }
    const upstream = await forward(body);
    if (logRange && options.maxLogResults !== undefined) {
      const results = (parseJson(upstream.text) as { result?: unknown[] } | undefined)?.result;
      if (Array.isArray(results) && results.length > options.maxLogResults) {
        if (!fault) stats.logCalls.push({ ...logRange, outcome: "results-refused" });
        return sendJson(response, 200, resultsRefusal(calls[0]!, options.maxLogResults));
      }
    }
    if (logRange && !fault) stats.logCalls.push({ ...logRange, outcome: "ok" });
    response.writeHead(upstream.status, { "content-type": "application/json" }).end(upstream.text);
  }

  function drawFault(calls: JsonRpcRequest[]): FaultKind | undefined {
    const eligible = !options.methods || calls.some((call) => options.methods?.includes(call.method ?? ""));
    // Draw both numbers every time, so that the sequence does not depend on which requests were eligible.
    const roll = random();
    const pick = random();
    if (!eligible || roll >= (options.faultRate ?? 0)) return undefined;
    const faults = options.faults ?? ALL_FAULTS;
    return faults[Math.floor(pick * faults.length)];
  }

  async function injectFault(
    fault: FaultKind,
    body: string,
    calls: JsonRpcRequest[],
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    switch (fault) {
      case "rpc-error": {
        const errors = calls.map((call) => ({
          jsonrpc: "2.0",
          id: call.id ?? null,
          error: { code: -32603, message: "Internal error (injected by the fault proxy)" },
        }));
        return sendJson(response, 200, Array.isArray(parseJson(body)) ? errors : errors[0]);
      }
      case "http-429":
        response.writeHead(429, { "content-type": "text/plain" }).end("Too Many Requests");
        return;
      case "http-5xx": {
        const status = random() < 0.5 ? 502 : 503;
        response
          .writeHead(status, { "content-type": "text/html" })
          .end(`<html><body>${status} (injected)</body></html>`);
        return;
      }
      case "hang":
        await wait(options.hangMs ?? 5_000);
        response.destroy();
        return;
      case "drop":
        request.socket.destroy();
        return;
      case "truncate": {
        const upstream = await forward(body);
        const cut = upstream.text.slice(0, Math.max(1, Math.floor(upstream.text.length / 2)));
        response.writeHead(200, { "content-type": "application/json" }).end(cut);
        return;
      }
      case "delay":
        return;
    }
  }

  async function forward(body: string): Promise<{ status: number; text: string }> {
    const reply = await fetch(options.target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: reply.status, text: await reply.text() };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    configure(next) {
      options = { ...options, ...next };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function getLogsRange(call: JsonRpcRequest): { fromBlock: bigint; toBlock: bigint } | undefined {
  if (call.method !== "eth_getLogs") return undefined;
  const filter = call.params?.[0] as { fromBlock?: string; toBlock?: string } | undefined;
  if (!filter?.fromBlock?.startsWith("0x") || !filter.toBlock?.startsWith("0x")) return undefined;
  return { fromBlock: BigInt(filter.fromBlock), toBlock: BigInt(filter.toBlock) };
}

/** Alchemy's wording, with the range it suggests. */
function rangeRefusal(call: JsonRpcRequest, fromBlock: bigint, maxBlocks: number) {
  const suggestedTo = fromBlock + BigInt(maxBlocks) - 1n;
  return {
    jsonrpc: "2.0",
    id: call.id ?? null,
    error: {
      code: -32602,
      message: `Log response size exceeded. You can make eth_getLogs requests with up to a ${maxBlocks} block range. Based on your parameters, this block range should work: [0x${fromBlock.toString(16)}, 0x${suggestedTo.toString(16)}]`,
    },
  };
}

/** Infura's (and geth's) wording, without a hint. */
function resultsRefusal(call: JsonRpcRequest, maxResults: number) {
  return {
    jsonrpc: "2.0",
    id: call.id ?? null,
    error: { code: -32005, message: `query returned more than ${maxResults} results` },
  };
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small, fast, seedable generator (Mulberry32): plenty for choosing faults. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// A bare JSON-RPC client for driving the benchmark chain. viem's clients add a request id, retries and
// a response parser per call; building 100,000 events takes tens of thousands of calls, so the builder
// speaks JSON-RPC directly and sends independent calls as one HTTP batch.

/** One JSON-RPC call. */
export interface RpcCall {
  method: string;
  params?: unknown[];
}

/** A JSON-RPC client for one URL. */
export interface JsonRpc {
  url: string;
  /** Sends one call and returns its result; throws with the node's message on an error. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /**
   * Sends the calls as one HTTP batch and returns their results in order. The Hardhat node runs the
   * calls of a batch concurrently, so a batch must only hold calls that do not depend on each other.
   */
  batch<T = unknown>(calls: RpcCall[]): Promise<T[]>;
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Thrown when the node answers a call with an error. */
export class JsonRpcError extends Error {
  readonly code: number;
  /** The method only: a call's parameters can be megabytes of calldata. */
  readonly method: string;
  /** The error's data: for a reverted eth_call, the revert's bytes. */
  readonly data: unknown;
  constructor(call: RpcCall, error: { code: number; message: string; data?: unknown }) {
    super(`${call.method} failed: ${error.message} (code ${error.code})`);
    this.name = "JsonRpcError";
    this.code = error.code;
    this.method = call.method;
    this.data = error.data;
  }
}

/**
 * Creates a JSON-RPC client for `url`.
 *
 * @example
 * const rpc = createJsonRpc("http://127.0.0.1:8545");
 * const [a, b] = await rpc.batch([{ method: "eth_chainId" }, { method: "eth_blockNumber" }]);
 */
export function createJsonRpc(url: string): JsonRpc {
  let nextId = 1;

  async function post(body: unknown): Promise<unknown> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`JSON-RPC ${url} answered HTTP ${response.status}`);
    return response.json();
  }

  async function batch<T>(calls: RpcCall[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const first = nextId;
    nextId += calls.length;
    const body = calls.map((c, i) => ({
      jsonrpc: "2.0",
      id: first + i,
      method: c.method,
      params: c.params ?? [],
    }));
    const responses = (await post(body)) as RpcResponse[];
    const results = new Array<T>(calls.length);
    for (const r of responses) {
      const i = r.id - first;
      if (r.error) throw new JsonRpcError(calls[i]!, r.error);
      results[i] = r.result as T;
    }
    return results;
  }

  return {
    url,
    batch,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const [result] = await batch<T>([{ method, params }]);
      return result as T;
    },
  };
}

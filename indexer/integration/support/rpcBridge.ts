// Serves an in-process Hardhat chain (a NetworkConnection's provider) over JSON-RPC on 127.0.0.1, so
// the indexer — in this process or a child — reaches the very chain the firm fixture drives.
//
// Why not `network.createServer()`: the firm fixture deploys through Ignition, which keeps its journal
// in memory only on an in-process ("edr-simulated") connection; over an HTTP connection it would write
// ignition/deployments/chain-31337 into the repository and resume stale deployments on the next run.
// So the fixture keeps its in-process connection and this bridge forwards HTTP requests to the same
// provider, answering as Hardhat's own JSON-RPC server does (single and batch requests).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EthereumProvider } from "hardhat/types/providers";

export interface RpcBridge {
  url: string;
  /** JSON-RPC calls answered so far (a batch counts each of its calls). */
  readonly calls: number;
  close(): Promise<void>;
}

interface JsonRpcCall {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/**
 * Serves `provider` on a free port of 127.0.0.1.
 *
 * @example
 * const connection = await network.connect();
 * const bridge = await serveProvider(connection.provider);
 * const rpc = createRpc({ url: bridge.url });
 */
export async function serveProvider(provider: EthereumProvider): Promise<RpcBridge> {
  let calls = 0;

  async function answer(call: JsonRpcCall): Promise<object> {
    const id = call.id ?? null;
    if (typeof call.method !== "string")
      return { jsonrpc: "2.0", id, error: { code: -32600, message: "Invalid request" } };
    calls++;
    try {
      const params = Array.isArray(call.params) ? call.params : [];
      const result = await provider.request({ method: call.method, params });
      return { jsonrpc: "2.0", id, result: result ?? null };
    } catch (error) {
      const { code, message, data } = error as { code?: unknown; message?: string; data?: unknown };
      return {
        jsonrpc: "2.0",
        id,
        error: {
          code: typeof code === "number" ? code : -32603,
          message: message ?? "Internal error",
          ...(data === undefined ? {} : { data }),
        },
      };
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      parsed = undefined;
    }
    const reply =
      parsed === undefined
        ? { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }
        : Array.isArray(parsed)
          ? await Promise.all(parsed.map((call) => answer(call as JsonRpcCall)))
          : await answer(parsed as JsonRpcCall);
    const body = JSON.stringify(reply, (_key, value) =>
      typeof value === "bigint" ? `0x${value.toString(16)}` : value,
    );
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

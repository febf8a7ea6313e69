// The reply path of createRpc (fetchWholeReply, which reads each reply whole and enforces viem's size
// limit itself). The server is a plain HTTP endpoint because the replies must be shaped at will:
// megabytes each, sent in small pieces, with or without a length.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogRangeTooLargeError } from "../../kernel/errors.ts";
import { FAST_BACKOFF, quietLogger } from "../testing/fixtures.ts";
import { createRpc } from "./rpc.ts";

const ADDRESS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
/** From this block on, replies are streamed without a Content-Length: no header to check the size by. */
const UNSIZED_FROM_BLOCK = 1_000_000;
/** A reply past viem's 10 MB limit, streamed without a length. */
const OVERSIZED_FROM_BLOCK = 2_000_000;

/** `perBlock` logs of each block in the range, each carrying its block number in `data`, so a reply
 * mixed with another shows. */
function logsOf(fromBlock: number, toBlock: number, perBlock: number) {
  const logs = [];
  for (let block = fromBlock; block <= toBlock; block++)
    for (let index = 0; index < perBlock; index++)
      logs.push({
        address: ADDRESS,
        blockNumber: `0x${block.toString(16)}`,
        blockHash: `0x${block.toString(16).padStart(64, "0")}`,
        transactionHash: `0x${(block * 1000 + index).toString(16).padStart(64, "0")}`,
        transactionIndex: "0x0",
        logIndex: `0x${index.toString(16)}`,
        topics: [`0x${"ab".repeat(32)}`],
        data: `0x${block.toString(16).padStart(64, "0").repeat(8)}`,
        removed: false,
      });
  return logs;
}

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const { id, params } = JSON.parse(body) as {
        id: number;
        params: [{ fromBlock: string; toBlock: string }];
      };
      const from = Number(params[0].fromBlock);
      const to = Number(params[0].toBlock);
      if (from === OVERSIZED_FROM_BLOCK) {
        response.writeHead(200, { "content-type": "application/json" });
        response.write(`{"jsonrpc":"2.0","id":${id},"result":[`);
        const piece = JSON.stringify(logsOf(from, from, 1000)).slice(1, -1);
        // About 55 MB, in pieces and with no length: only the size read can refuse it.
        for (let i = 0; i < 60; i++) response.write(`${i ? "," : ""}${piece}`);
        response.end("]}");
        return;
      }
      const reply = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id, result: logsOf(from, to, 200) }));
      if (from >= UNSIZED_FROM_BLOCK) {
        response.writeHead(200, { "content-type": "application/json" });
        for (let at = 0; at < reply.length; at += 16_384) response.write(reply.subarray(at, at + 16_384));
        response.end();
      } else {
        response.writeHead(200, { "content-type": "application/json", "content-length": reply.length });
        response.end(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("createRpc's replies, read whole", () => {
  it("gives every concurrent eth_getLogs its own reply, sized or streamed, megabytes each", async () => {
    const rpc = createRpc({ url, concurrency: 4, backoff: FAST_BACKOFF, logger: quietLogger() });
    // 48 calls, 4 in flight, of different sizes (2 to 12 blocks of 200 logs, up to about 1.6 MB),
    // half of them without a length.
    const calls = Array.from({ length: 48 }, (_, i) => {
      const fromBlock = (i % 2 ? UNSIZED_FROM_BLOCK : 0) + 100 * i;
      return { fromBlock, toBlock: fromBlock + 1 + (i % 11) };
    });
    const replies = await Promise.all(
      calls.map(({ fromBlock, toBlock }) =>
        rpc.logs({ addresses: [ADDRESS], fromBlock: BigInt(fromBlock), toBlock: BigInt(toBlock) }),
      ),
    );
    replies.forEach((logs, i) => {
      const { fromBlock, toBlock } = calls[i] as { fromBlock: number; toBlock: number };
      expect(logs).toHaveLength((toBlock - fromBlock + 1) * 200);
      for (const log of logs) {
        expect(Number(log.blockNumber)).toBeGreaterThanOrEqual(fromBlock);
        expect(Number(log.blockNumber)).toBeLessThanOrEqual(toBlock);
        expect(BigInt(`0x${log.data.slice(2, 66)}`)).toBe(log.blockNumber);
      }
    });
  });

  it("refuses a streamed reply past 10 MB as too large, then reads the next reply whole", async () => {
    const rpc = createRpc({ url, concurrency: 1, backoff: FAST_BACKOFF, logger: quietLogger() });
    const refused = rpc.logs({
      addresses: [ADDRESS],
      fromBlock: BigInt(OVERSIZED_FROM_BLOCK),
      toBlock: BigInt(OVERSIZED_FROM_BLOCK + 5),
    });
    await expect(refused).rejects.toBeInstanceOf(LogRangeTooLargeError);
    const next = await rpc.logs({ addresses: [ADDRESS], fromBlock: 7n, toBlock: 9n });
    expect(next.map((log) => Number(log.blockNumber))).toEqual([
      ...Array(200).fill(7),
      ...Array(200).fill(8),
      ...Array(200).fill(9),
    ]);
  });
});

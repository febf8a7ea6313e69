// The enrich step on Hardhat's chain over JSON-RPC, through the indexer's own Rpc: a standard ERC-20's
// symbol and decimals; a contract without them and an address without code stored as nulls with a
// warning; a node that cannot be reached is an error, not a fallback.
import { Writable } from "node:stream";
import { network } from "hardhat";
import { type Address, encodeAbiParameters, encodeEventTopics, zeroHash } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { booksAbi } from "../../contracts/abi.ts";
import { RpcUnavailableError } from "../../kernel/errors.ts";
import { createLogger } from "../../kernel/logger.ts";
import { type RpcBridge, serveProvider } from "../integration/support/rpcBridge.ts";
import type { BlockRange } from "../store/types.ts";
import { FAST_BACKOFF } from "../testing/fixtures.ts";
import { createEnrichRange, readTokenMetadata } from "./enrichRange.ts";
import { createRpc, type Rpc } from "./rpc.ts";

const connection = await network.connect();
let bridge: RpcBridge;
let rpc: Rpc;
let stablecoin: Address;
let noToken: Address;
let head: bigint;
const BOOKS = "0x00000000000000000000000000000000000b0045" as Address;
const EOA = "0x000000000000000000000000000000000000dEaD" as Address;

/** A logger whose JSON lines are kept, to assert the warnings. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: "warn", pretty: false, stream }), lines };
}

/** A range holding one TokenAllowed of `token` by BOOKS at `head`. */
function allowedRange(token: Address): BlockRange {
  const toBlock = { number: head, hash: zeroHash, parentHash: zeroHash, timestamp: 1n };
  const topics = encodeEventTopics({ abi: booksAbi, eventName: "TokenAllowed", args: { token } });
  return {
    fromBlock: head,
    toBlock,
    blocks: [toBlock],
    logs: [
      {
        address: BOOKS,
        blockNumber: head,
        blockHash: zeroHash,
        transactionHash: zeroHash,
        transactionIndex: 0,
        logIndex: 0,
        topics: topics as BlockRange["logs"][number]["topics"],
        data: encodeAbiParameters([{ type: "bool" }], [true]),
      },
    ],
  };
}

beforeAll(async () => {
  bridge = await serveProvider(connection.provider);
  rpc = createRpc({ url: bridge.url, backoff: FAST_BACKOFF });
  stablecoin = (await connection.viem.deployContract("TestStablecoin")).address;
  // A contract with no symbol() or decimals(), and only a receive(): both calls revert.
  noToken = (await connection.viem.deployContract("HostileReceiver")).address;
  head = await (await connection.viem.getPublicClient()).getBlockNumber();
});
afterAll(async () => {
  await bridge?.close();
  await connection.close();
});

describe("the enrich step", () => {
  it("reads a standard ERC-20's symbol and decimals at the event's block, with no warning", async () => {
    const { logger, lines } = recordingLogger();
    const enrich = createEnrichRange({ call: rpc.call, books: BOOKS, logger });
    const range = await enrich(allowedRange(stablecoin));
    expect(range.tokens?.get(stablecoin.toLowerCase())).toEqual({ symbol: "tUSD", decimals: 6 });
    expect(lines).toEqual([]);
  });

  it("stores nulls for a contract without symbol() and decimals(), and warns naming the token", async () => {
    const { logger, lines } = recordingLogger();
    const enrich = createEnrichRange({ call: rpc.call, books: BOOKS, logger });
    const range = await enrich(allowedRange(noToken));
    expect(range.tokens?.get(noToken.toLowerCase())).toEqual({ symbol: null, decimals: null });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: "Token metadata unreadable; its amounts stay in base units",
      token: noToken.toLowerCase(),
      blockNumber: Number(head),
      fields: ["symbol(): reverted", "decimals(): reverted"],
    });
  });

  it("stores nulls for an address without code", async () => {
    const { logger, lines } = recordingLogger();
    expect(await readTokenMetadata(rpc.call, EOA, head, logger)).toEqual({ symbol: null, decimals: null });
    expect(lines[0]?.fields).toEqual([
      "symbol(): no data (no contract, or no such function)",
      "decimals(): no data (no contract, or no such function)",
    ]);
  });

  it("makes no call for a range without TokenAllowed, and ignores other contracts' events", async () => {
    const { logger } = recordingLogger();
    const enrich = createEnrichRange({ call: rpc.call, books: EOA, logger });
    const before = bridge.calls;
    const range = allowedRange(stablecoin);
    expect(await enrich(range)).toBe(range);
    expect(bridge.calls).toBe(before);
  });

  it("throws when the node cannot be reached, rather than store nulls", async () => {
    const { logger, lines } = recordingLogger();
    const down = createRpc({ url: "http://127.0.0.1:9", maxAttempts: 2, backoff: FAST_BACKOFF });
    const enrich = createEnrichRange({ call: down.call, books: BOOKS, logger });
    await expect(enrich(allowedRange(stablecoin))).rejects.toBeInstanceOf(RpcUnavailableError);
    expect(lines).toEqual([]);
  });
});

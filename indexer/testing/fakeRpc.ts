// A model chain behind the Rpc interface, for property tests that need thousands of cases: no node,
// no HTTP. It can play a provider's eth_getLogs limits (blocks per call, results per call) and
// answer after random delays, so concurrent calls complete out of order.
import { type Address, type Hex, numberToHex, padHex } from "viem";
import { LogRangeTooLargeError } from "../../kernel/errors.ts";
import type { BlockRef, RawLog } from "../store/types.ts";
import type { Rpc } from "../sync/rpc.ts";

export interface FakeRpcParameters {
  /** Blocks 0..`headBlock` exist. */
  headBlock: bigint;
  /** How many logs each block has (absent = none). */
  logsPerBlock: ReadonlyMap<bigint, number>;
  address: Address;
  /** eth_getLogs refuses more blocks than this. */
  maxBlocks?: bigint;
  /** eth_getLogs refuses more results than this. */
  maxResults?: number;
  /** How many microtask turns each answer waits; random in property tests, so that concurrent
   * calls complete out of order (without timers, which would make thousands of cases slow). */
  delayTurns?: () => number;
}

export interface FakeRpc extends Rpc {
  /** Every eth_getLogs range asked for, with whether it was refused. */
  readonly logCalls: { fromBlock: bigint; toBlock: bigint; refused: boolean }[];
  /** Every log on the model chain, in chain order. */
  allLogs(): RawLog[];
}

const hashOf = (kind: string, n: bigint): Hex =>
  padHex(numberToHex(n), { size: 32, dir: "left" }).replace("0x00", `0x${kind}`) as Hex;

/** The model's header of block `n` (hashes are derived from the number, so they always link up). */
export function fakeBlock(n: bigint): BlockRef {
  return {
    number: n,
    hash: hashOf("bb", n),
    parentHash: n === 0n ? hashOf("00", 0n) : hashOf("bb", n - 1n),
    timestamp: 1_700_000_000n + n,
  };
}

/**
 * Creates a model chain.
 *
 * @example
 * const rpc = createFakeRpc({ headBlock: 1_000n, logsPerBlock: new Map([[5n, 3]]), address, maxBlocks: 100n });
 */
export function createFakeRpc({
  headBlock,
  logsPerBlock,
  address,
  maxBlocks,
  maxResults,
  delayTurns,
}: FakeRpcParameters): FakeRpc {
  const logCalls: FakeRpc["logCalls"] = [];
  const logsOf = (n: bigint): RawLog[] =>
    Array.from({ length: logsPerBlock.get(n) ?? 0 }, (_, i) => ({
      address,
      blockNumber: n,
      blockHash: fakeBlock(n).hash,
      transactionHash: hashOf("cc", n * 1_000n + BigInt(i)),
      transactionIndex: i,
      logIndex: i,
      topics: [hashOf("dd", BigInt(i))] as [Hex],
      data: "0x",
    }));
  const pause = async () => {
    for (let turns = delayTurns?.() ?? 0; turns > 0; turns--) await Promise.resolve();
  };
  const unsupported = () => Promise.reject(new Error("not modelled"));

  return {
    url: "fake://model",
    client: undefined as never,
    logCalls,
    allLogs: () => [...logsPerBlock.keys()].sort((a, b) => (a < b ? -1 : 1)).flatMap(logsOf),
    chainId: async () => 31337,
    blockNumber: async () => headBlock,
    async block(number) {
      await pause();
      const n = number === "latest" ? headBlock : number;
      return n <= headBlock ? fakeBlock(n) : undefined;
    },
    async blocks(numbers) {
      await pause();
      return numbers.map((n) => (n <= headBlock ? fakeBlock(n) : undefined));
    },
    async logs(filter) {
      if (filter.blockHash !== undefined) return unsupported();
      await pause();
      const { fromBlock, toBlock } = filter;
      const logs = [...logsPerBlock.keys()]
        .filter((n) => n >= fromBlock && n <= toBlock)
        .sort((a, b) => (a < b ? -1 : 1))
        .flatMap(logsOf);
      const refused =
        (maxBlocks !== undefined && toBlock - fromBlock + 1n > maxBlocks) ||
        (maxResults !== undefined && logs.length > maxResults);
      logCalls.push({ fromBlock, toBlock, refused });
      if (refused)
        throw new LogRangeTooLargeError({ fromBlock, toBlock, suggestedBlocks: undefined, cause: undefined });
      return logs;
    },
    code: unsupported,
    call: unsupported,
  };
}

// A real JSON-RPC chain for the sync engine's tests: Hardhat 3's in-process EDR chain served over
// HTTP on 127.0.0.1 (network.createServer), with a tiny "emitter" contract whose every call emits
// one log per 32-byte word of calldata. Tests know exactly which logs exist, and can mine, snapshot
// and revert to make reorgs.
import { network } from "hardhat";
import {
  type Address,
  concatHex,
  createPublicClient,
  type Hex,
  http,
  numberToHex,
  type PublicClient,
} from "viem";
import type { RawLog } from "../store/types.ts";
import { compareLogs } from "../sync/rpc.ts";

/**
 * The emitter's runtime code, hand-assembled so the tests need no compiler:
 *
 *   00 PUSH0              i = 0
 *   01 JUMPDEST           loop:
 *   02 CALLDATASIZE DUP2 LT ISZERO PUSH1 0x14 JUMPI      if i >= calldatasize goto end
 *   09 DUP1 CALLDATALOAD  word = calldata[i..i+32]
 *   0b PUSH0 PUSH0 LOG1   emit a log with topic0 = word and no data
 *   0e PUSH1 0x20 ADD     i += 32
 *   11 PUSH1 0x01 JUMP    goto loop
 *   14 JUMPDEST STOP      end
 */
const EMITTER_RUNTIME: Hex = "0x5f5b3681101560145780355f5fa16020016001565b00";
/** Copies the 22-byte runtime (which starts at offset 9 of the init code) to memory and returns it:
 * PUSH1 0x16 DUP1 PUSH1 0x09 PUSH0 CODECOPY PUSH0 RETURN. */
const EMITTER_INIT: Hex = "0x60168060095f395ff3";

export interface TestChain {
  url: string;
  chainId: number;
  client: PublicClient;
  request<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Deploys an emitter and returns its address (mines one block). */
  deployEmitter(): Promise<Address>;
  /** Sends one call per entry of `logsPerCall` to `emitter`, all in ONE new block; returns the block number. */
  emitInBlock(emitter: Address, logsPerCall: number[]): Promise<bigint>;
  /** Mines `count` empty blocks with evm_mine (true parent hashes). */
  mine(count: number): Promise<void>;
  /** Mines `count` empty blocks at once with hardhat_mine: fast, but the blocks in between report
   * an all-zero parent hash, so use it only for history deeper than the finality depth. */
  mineFast(count: number): Promise<void>;
  snapshot(): Promise<Hex>;
  revert(id: Hex): Promise<void>;
  head(): Promise<bigint>;
  /** Every log of `addresses` on the chain now: the ground truth a mirror must equal. */
  logsOf(addresses: readonly Address[]): Promise<RawLog[]>;
  close(): Promise<void>;
}

export interface StartTestChainParameters {
  /**
   * The topic0 of every emitted log. By default each log gets a topic of its own (a counter); a real
   * mirror, which decodes what it stores, needs the topic of an event it knows and that has no
   * parameters (the emitter's logs carry no data), e.g. keccak256("EIP712DomainChanged()").
   * INDEXER_TEST_EVENT_TOPIC sets it for a whole test run.
   */
  eventTopic?: Hex;
}

/**
 * Starts a chain served on a free port of 127.0.0.1.
 *
 * @example
 * const chain = await startTestChain();
 * const emitter = await chain.deployEmitter();
 * await chain.emitInBlock(emitter, [3, 1]); // one block with 4 logs
 */
export async function startTestChain({
  eventTopic = process.env.INDEXER_TEST_EVENT_TOPIC as Hex | undefined,
}: StartTestChainParameters = {}): Promise<TestChain> {
  const server = await network.createServer(undefined, "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const url = `http://${address}:${port}`;
  const client = createPublicClient({ transport: http(url, { retryCount: 0 }) });
  const request = <T>(method: string, params: unknown[] = []) =>
    client.request({ method: method as never, params: params as never }) as Promise<T>;
  const [sender] = await request<Address[]>("eth_accounts");
  let wordCounter = 0;

  const send = (to: Address | undefined, data: Hex) =>
    request<Hex>("eth_sendTransaction", [{ from: sender, to, data, gas: numberToHex(15_000_000) }]);
  const words = (count: number) =>
    concatHex(Array.from({ length: count }, () => eventTopic ?? numberToHex(++wordCounter, { size: 32 })));

  return {
    url,
    chainId: await client.getChainId(),
    client,
    request,
    async deployEmitter() {
      const hash = await send(undefined, concatHex([EMITTER_INIT, EMITTER_RUNTIME]));
      const receipt = await request<{ contractAddress: Address }>("eth_getTransactionReceipt", [hash]);
      return receipt.contractAddress;
    },
    async emitInBlock(emitter, logsPerCall) {
      await request("evm_setAutomine", [false]);
      try {
        for (const count of logsPerCall) await send(emitter, count === 0 ? "0x" : words(count));
        await request("evm_mine");
      } finally {
        await request("evm_setAutomine", [true]);
      }
      return BigInt(await request<Hex>("eth_blockNumber"));
    },
    async mine(count) {
      for (let i = 0; i < count; i++) await request("evm_mine");
    },
    async mineFast(count) {
      if (count > 0) await request("hardhat_mine", [numberToHex(count)]);
    },
    snapshot: () => request<Hex>("evm_snapshot"),
    async revert(id) {
      await request("evm_revert", [id]);
    },
    async head() {
      return BigInt(await request<Hex>("eth_blockNumber"));
    },
    async logsOf(addresses) {
      const logs = await client.getLogs({ address: [...addresses], fromBlock: 0n, toBlock: "latest" });
      return logs
        .map((log) => ({
          address: log.address,
          blockNumber: log.blockNumber,
          blockHash: log.blockHash,
          transactionHash: log.transactionHash,
          transactionIndex: log.transactionIndex,
          logIndex: log.logIndex,
          topics: log.topics,
          data: log.data,
        }))
        .sort(compareLogs);
    },
    close: () => server.close(),
  };
}

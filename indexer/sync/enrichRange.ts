// The enrich step: chain reads a range's handlers need but cannot make (handlers are synchronous and
// make no calls, indexer/handlers/context.ts). Today that is one thing: the symbol and decimals of a
// token Books allows, read when its TokenAllowed is seen, at that log's block, before the range is
// applied, so the handler stores them with the event and a rollback undoes them with it.
//
// A token that answers neither (a non-standard ERC-20, or no contract at all) is not an error of the
// range: it is stored with null symbol and decimals, which the API and the CSV read as "amounts in
// base units", and a warning names it. A node that cannot be reached is an error: the range is not
// applied, and the indexer retries it as it retries any fetch.
import {
  type Address,
  decodeFunctionResult,
  encodeEventTopics,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  hexToString,
  size,
} from "viem";
import { booksAbi } from "../../contracts/abi.ts";
import { RpcRejectedError } from "../../kernel/errors.ts";
import type { Logger } from "../../kernel/logger.ts";
import type { BlockRange, TokenMetadata } from "../store/types.ts";
import { classifyRpcError } from "./classifyRpcError.ts";
import type { Rpc } from "./rpc.ts";

export type EnrichRange = (range: BlockRange) => Promise<BlockRange>;

export interface CreateEnrichRangeParameters {
  /** An eth_call at a block: the indexer's {@link Rpc.call}, with its retries. */
  call: Rpc["call"];
  /** The Books contract whose TokenAllowed events name the tokens to read. */
  books: Address;
  logger: Logger;
}

const TOKEN_ALLOWED = encodeEventTopics({ abi: booksAbi, eventName: "TokenAllowed" })[0];
/** A symbol is shown in tables, the page and the CSV: 32 characters is more than any real ticker. */
export const MAX_SYMBOL_LENGTH = 32;

/**
 * Returns the step that adds {@link BlockRange.tokens} to a range that has TokenAllowed events.
 * A range without one is returned as it is, with no call made.
 *
 * @example
 * const enrich = createEnrichRange({ call: rpc.call, books: manifest.contracts.books, logger });
 * await apply(await enrich(range), "live");
 */
export function createEnrichRange({ call, books, logger }: CreateEnrichRangeParameters): EnrichRange {
  const booksAddress = books.toLowerCase();
  return async (range) => {
    // The first TokenAllowed of each token in the range: its metadata as of that block.
    const first = new Map<string, bigint>();
    for (const log of range.logs)
      if (log.address.toLowerCase() === booksAddress && log.topics[0] === TOKEN_ALLOWED && log.topics[1]) {
        const token = `0x${log.topics[1].slice(26)}`.toLowerCase();
        if (!first.has(token)) first.set(token, log.blockNumber);
      }
    if (first.size === 0) return range;
    const entries = await Promise.all(
      [...first].map(async ([token, blockNumber]) => {
        const metadata = await readTokenMetadata(call, token as Address, blockNumber, logger);
        return [token, metadata] as const;
      }),
    );
    return { ...range, tokens: new Map(entries) };
  };
}

/**
 * The token's `symbol()` and `decimals()` at `blockNumber`; each is null when the token does not
 * answer it in a standard way (a warning says which). Transient RPC faults are thrown.
 */
export async function readTokenMetadata(
  call: Rpc["call"],
  token: Address,
  blockNumber: bigint,
  logger: Logger,
): Promise<TokenMetadata> {
  const [symbol, decimals] = await Promise.all([
    readField(call, token, "symbol", blockNumber),
    readField(call, token, "decimals", blockNumber),
  ]);
  const unreadable = [symbol, decimals].filter((field) => field.problem !== undefined);
  if (unreadable.length > 0)
    logger.warn({
      msg: "Token metadata unreadable; its amounts stay in base units",
      token,
      blockNumber: Number(blockNumber),
      fields: unreadable.map((field) => `${field.name}(): ${field.problem}`),
    });
  return {
    symbol: typeof symbol.value === "string" ? symbol.value : null,
    // With no decimals the symbol would mislabel base units as token units: both or neither.
    decimals: typeof decimals.value === "number" ? decimals.value : null,
  };
}

interface Field {
  name: "symbol" | "decimals";
  value: string | number | null;
  problem?: string;
}

async function readField(
  call: Rpc["call"],
  token: Address,
  name: Field["name"],
  blockNumber: bigint,
): Promise<Field> {
  let data: Hex;
  try {
    data = await call(token, encodeFunctionData({ abi: erc20Abi, functionName: name }), blockNumber);
  } catch (error) {
    // A revert is the token's answer; anything else (a node down, a timeout) is the node's.
    if (error instanceof RpcRejectedError || classifyRpcError(error) === "permanent")
      return { name, value: null, problem: "reverted" };
    throw error;
  }
  if (data === "0x") return { name, value: null, problem: "no data (no contract, or no such function)" };
  try {
    if (name === "decimals")
      return { name, value: decodeFunctionResult({ abi: erc20Abi, functionName: name, data }) };
    return symbolField(decodeFunctionResult({ abi: erc20Abi, functionName: name, data }));
  } catch {
    // Early tokens (MKR, SAI) return symbol() as bytes32, NUL-padded.
    if (name === "symbol" && size(data) === 32) return symbolField(hexToString(data));
    return { name, value: null, problem: "an answer that is not an ERC-20's" };
  }
}

function symbolField(text: string): Field {
  const value = cleanSymbol(text);
  return value === null ? { name: "symbol", value, problem: "an empty symbol" } : { name: "symbol", value };
}

/** Control characters removed, trimmed and capped: the symbol is the token's own text, shown as is. */
function cleanSymbol(text: string): string | null {
  const printable = [...text].filter((c) => c >= " " && c !== "\u007f").join("");
  const clean = printable.trim().slice(0, MAX_SYMBOL_LENGTH);
  return clean === "" ? null : clean;
}

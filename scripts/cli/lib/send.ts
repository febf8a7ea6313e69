// Every write goes the same way: simulate (a revert is reported in words, and nothing is sent), send,
// wait for the receipt, and hand back the receipt's decoded firm events.
import { type Abi, type Address, type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import { booksAbi, directoryAbi, withdrawalsAbi } from "../../../contracts/abi.ts";
import { FIRM_ABIS } from "../../../indexer/decode/logs.ts";
import { UsageError } from "../errors.ts";
import type { ChainContext } from "./chain.ts";
import type { Output } from "./output.ts";
import { explainFailure, withFirmErrors } from "./reverts.ts";
import type { Signer } from "./signer.ts";

export interface WriteCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

export interface SentWrite {
  hash: Hex;
  receipt: TransactionReceipt;
  blockNumber: bigint;
  /** The receipt's logs decoded with every firm ABI. */
  events: FirmEvent[];
}

export interface FirmEvent {
  eventName: string;
  address: Address;
  args: Record<string, unknown>;
}

// The withdrawal desk's, the directory's and the books' events too, which a withdrawal or a profile reports (once,
// whether FIRM_ABIS has them or not).
const ALL_EVENTS_ABI = [
  ...new Set<readonly unknown[]>([...Object.values(FIRM_ABIS), withdrawalsAbi, directoryAbi, booksAbi]),
]
  .flat()
  .filter((item): item is Abi[number] => (item as { type?: string }).type === "event");

/**
 * Simulates `call` as the signer and returns the request to send and the call's return value; if it
 * would revert, throws a RevertError that says why (`doing` completes "Cannot …"). Nothing is sent.
 */
export async function simulateWrite(
  context: ChainContext,
  signer: Signer,
  call: WriteCall,
  doing: string,
): Promise<{ request: unknown; result: unknown }> {
  try {
    return await context.publicClient.simulateContract({
      account: signer.account,
      address: call.address,
      abi: withFirmErrors(call.abi),
      functionName: call.functionName,
      args: call.args,
      value: call.value,
    } as never);
  } catch (error) {
    throw explainFailure(error, doing);
  }
}

/**
 * Simulates `call` as the signer; if it would revert, throws a RevertError that says why (`doing`
 * completes "Cannot …"). Otherwise sends it, waits for the receipt and returns it.
 */
export async function sendWrite(
  context: ChainContext,
  signer: Signer,
  out: Output,
  call: WriteCall,
  doing: string,
): Promise<SentWrite> {
  const { publicClient } = context;
  const simulated = await simulateWrite(context, signer, call, doing);
  let hash: Hex;
  try {
    hash = await signer.walletClient.writeContract(simulated.request as never);
  } catch (error) {
    throw explainFailure(error, doing);
  }
  out.progress(`Sent ${hash}; waiting for it to be mined…`);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    throw new UsageError(
      `Cannot ${doing}: the transaction ${hash} reverted in block ${receipt.blockNumber}, though its simulation passed`,
      "The chain changed between the simulation and the block (another transaction came first): run the command again.",
    );
  }
  const events = parseEventLogs({ abi: ALL_EVENTS_ABI, logs: receipt.logs, strict: false }).map((log) => ({
    eventName: log.eventName as string,
    address: log.address,
    args: (log.args ?? {}) as Record<string, unknown>,
  }));
  return { hash, receipt, blockNumber: receipt.blockNumber, events };
}

/** The first event named `name` in a sent write, or undefined. */
export function findEvent(sent: SentWrite, name: string): FirmEvent | undefined {
  return sent.events.find((event) => event.eventName === name);
}

/** The facts every write reports, for --json. */
export function txFacts(sent: SentWrite): { transaction: Hex; block: bigint; gasUsed: bigint } {
  return { transaction: sent.hash, block: sent.blockNumber, gasUsed: sent.receipt.gasUsed };
}

/** Ends a write's report: the transaction's line, and for --json `facts` with the transaction's. */
export function reportSent(out: Output, sent: SentWrite, facts: Record<string, unknown>): void {
  out.line(`  tx  ${sent.hash} in block ${sent.blockNumber}`);
  out.result({ ...facts, ...txFacts(sent) });
}

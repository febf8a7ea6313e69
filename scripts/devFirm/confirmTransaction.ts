// Waiting for a transaction sent on a Hardhat connection and failing unless it succeeded: every
// driver of the dev firm (governance, the demo seed, the fixtures' scenarios) needs exactly this.
import type { Hex, TransactionReceipt } from "viem";

/** What it needs of a client: Hardhat's viem client and a plain viem PublicClient both fit. */
export interface ReceiptReader {
  waitForTransactionReceipt(args: { hash: Hex }): Promise<TransactionReceipt>;
}

/** The receipt of `hash`; throws "<what> <hash> reverted" unless its status is success. */
export async function confirmTransaction(
  publicClient: ReceiptReader,
  hash: Hex | Promise<Hex>,
  what = "Transaction",
): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`${what} ${receipt.transactionHash} reverted`);
  return receipt;
}

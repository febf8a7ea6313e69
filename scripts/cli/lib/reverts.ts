// Reverts in words. Every custom error of the firm's contracts (and the OpenZeppelin and ERC-20 ones a
// proposal can bubble up through the timelock) is decoded from the revert data, and the ones a
// partner can run into are said in plain English, with what to do next. Unknown errors still show
// their decoded name and arguments. The words themselves are in api/web/public/revertWords.js, which
// the page's browser wallet uses too.
import {
  type Abi,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
  BaseError as ViemBaseError,
} from "viem";
import { describeRevert, errorsOf } from "../../../api/web/public/revertWords.js";
import { booksAbi, directoryAbi, ENUMS, withdrawalsAbi } from "../../../contracts/abi.ts";
import { FIRM_ABIS } from "../../../indexer/decode/logs.ts";
import { UsageError } from "../errors.ts";

type AbiError = Extract<Abi[number], { type: "error" }>;

/** Every error any firm call can revert with, the withdrawal desk's, the directory's and the books' included, once each. */
export const FIRM_ERRORS = errorsOf([
  ...Object.values(FIRM_ABIS),
  withdrawalsAbi,
  directoryAbi,
  booksAbi,
]) as readonly AbiError[];

/** `abi` with every firm error added, so viem decodes errors bubbled up from another contract. */
export function withFirmErrors<const T extends Abi>(abi: T): T {
  return [...abi, ...FIRM_ERRORS] as unknown as T;
}

/** A decoded revert: the error's name, its arguments, and the sentence for people. */
export class RevertError extends UsageError {
  override name = "RevertError";
  readonly errorName: string;
  readonly args: readonly unknown[];
  constructor(errorName: string, args: readonly unknown[], message: string, hint?: string) {
    super(message, hint, { revert: { name: errorName, args } });
    this.errorName = errorName;
    this.args = args;
  }
}

/**
 * Turns a failed simulation or transaction into a RevertError (or a UsageError when there is no
 * revert data, such as a node refusing the transaction), prefixed with what was being done.
 */
export function explainFailure(error: unknown, doing: string): UsageError {
  const reverted =
    error instanceof ViemBaseError
      ? (error.walk(
          (e) => e instanceof ContractFunctionRevertedError,
        ) as ContractFunctionRevertedError | null)
      : null;
  if (reverted) {
    const decoded = reverted.data ?? decodeRaw(reverted.raw);
    if (decoded?.errorName && decoded.errorName !== "Error" && decoded.errorName !== "Panic") {
      const args = decoded.args ?? [];
      const { message, hint } = describeError(decoded.errorName, args);
      return new RevertError(decoded.errorName, args, `Cannot ${doing}: ${message}`, hint);
    }
    if (reverted.reason)
      return new RevertError("Error", [reverted.reason], `Cannot ${doing}: ${reverted.reason}`);
    return new RevertError("unknown", [], `Cannot ${doing}: the call reverted without a reason`, undefined);
  }
  const short =
    error instanceof ViemBaseError
      ? error.shortMessage
      : error instanceof Error
        ? error.message
        : String(error);
  return new UsageError(`Cannot ${doing}: ${short.split("\n", 1)[0]}`);
}

function decodeRaw(raw: Hex | undefined): { errorName: string; args: readonly unknown[] } | undefined {
  if (!raw || raw === "0x") return undefined;
  try {
    const { errorName, args } = decodeErrorResult({ abi: FIRM_ERRORS, data: raw });
    return { errorName, args: args ?? [] };
  } catch {
    return { errorName: `unknown error ${raw.slice(0, 10)}`, args: [] };
  }
}

/** The firm's words for one custom error: the message completes "Cannot <do>: …". */
export function describeError(name: string, args: readonly unknown[]): { message: string; hint?: string } {
  return describeRevert(name, args, ENUMS);
}

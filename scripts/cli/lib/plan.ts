// What a proposal is made of before it is sent: its calls (each with what a dry run needs), its title
// and body, and the token funds the treasury must hold. Shared by `firm propose` (propose.ts) and the
// books' kinds (books.ts), which build plans of their own and reuse the distribution's calls.
import { type Abi, type Address, erc20Abi, formatUnits } from "viem";
import { revenueShareAbi } from "../../../contracts/abi.ts";
import { groupDigits } from "../../../indexer/decode/format.ts";
import { UsageError } from "../errors.ts";
import type { ChainContext } from "./chain.ts";

/** One call of a proposal, with what is needed to dry-run it. */
export interface PlannedAction {
  target: Address;
  value: bigint;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** False when the call needs an earlier call of the same proposal (an ERC-20 approval) to succeed. */
  dryRun: boolean;
}

export interface TokenFunds {
  token: Address;
  amount: bigint;
  symbol: string;
  decimals: number;
}

export interface Plan {
  actions: PlannedAction[];
  title: string;
  body: string;
  /** ERC-20 funds the treasury must hold when the proposal executes. */
  tokenNeeded?: TokenFunds;
}

export function call(
  target: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
  value = 0n,
): PlannedAction {
  return { target, value, abi, functionName, args, dryRun: true };
}

export interface TokenInfo {
  token: Address;
  decimals: number;
  symbol: string;
}

/** An ERC-20's decimals (required) and symbol (optional), read from the chain. */
export async function readToken(session: { context: ChainContext }, token: Address): Promise<TokenInfo> {
  const { publicClient } = session.context;
  let decimals: number;
  try {
    decimals = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "decimals" });
  } catch {
    throw new UsageError(`${token} does not answer decimals(): it is not an ERC-20 token on this chain`);
  }
  const symbol = await publicClient
    .readContract({ address: token, abi: erc20Abi, functionName: "symbol" })
    .catch(() => "tokens");
  return { token, decimals, symbol };
}

/** 1500000n with 6 decimals → "1.5"; 1000n with 0 → "1,000". */
export function formatUnitsText(amount: bigint, decimals: number): string {
  const [whole = "0", fraction] = formatUnits(amount, decimals).split(".");
  return `${groupDigits(BigInt(whole))}${fraction ? `.${fraction}` : ""}`;
}

/**
 * The calls that hand `amount` from the treasury to RevenueShare as a distribution: with ETH value, or
 * for an ERC-20 an approval first (so the pull happens at execution only). `approvedInProposal`: the
 * distribution call is not dry-run on its own, since it needs the approval or funds an earlier call
 * of the same proposal brings.
 */
export function distributionActions(
  revenueShare: Address,
  token: TokenInfo | undefined,
  amount: bigint,
  { fundedInProposal = false }: { fundedInProposal?: boolean } = {},
): PlannedAction[] {
  if (!token) {
    return [
      {
        ...call(
          revenueShare,
          revenueShareAbi,
          "createDistribution",
          ["0x0000000000000000000000000000000000000000", amount],
          amount,
        ),
        dryRun: !fundedInProposal,
      },
    ];
  }
  return [
    { ...call(token.token, erc20Abi, "approve", [revenueShare, amount]), dryRun: !fundedInProposal },
    { ...call(revenueShare, revenueShareAbi, "createDistribution", [token.token, amount]), dryRun: false },
  ];
}

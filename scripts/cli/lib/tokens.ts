// Assets as people read them: ETH (the zero address in the contracts) or an ERC-20 by its symbol and
// decimals, read from the chain.
import { type Address, erc20Abi, formatUnits, type PublicClient, zeroAddress } from "viem";
import { formatEth, groupDigits } from "../../../indexer/decode/format.ts";

export interface Asset {
  /** The zero address for ETH. */
  token: Address;
  symbol: string;
  decimals: number;
}

export const ETH: Asset = { token: zeroAddress, symbol: "ETH", decimals: 18 };

/** ETH for the zero address; else the token's symbol and decimals ("tokens" and 18 when it answers neither). */
export async function readAsset(publicClient: PublicClient, token: Address): Promise<Asset> {
  if (token === zeroAddress) return ETH;
  const [symbol, decimals] = await Promise.all([
    publicClient
      .readContract({ address: token, abi: erc20Abi, functionName: "symbol" })
      .catch(() => "tokens"),
    publicClient.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }).catch(() => 18),
  ]);
  return { token, symbol, decimals };
}

/** "1.5 ETH", or "1,000.25 USDC (token 0x…)". */
export function formatAsset(amount: bigint, asset: Asset): string {
  if (asset.token === zeroAddress) return formatEth(amount);
  const [whole = "0", fraction] = formatUnits(amount, asset.decimals).split(".");
  return `${groupDigits(BigInt(whole))}${fraction ? `.${fraction}` : ""} ${asset.symbol} (token ${asset.token})`;
}

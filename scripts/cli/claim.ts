// `firm claim <distribution>`: the signer's share of a distribution, pro rata to their units at its
// snapshot.
import { erc20Abi, formatUnits, zeroAddress } from "viem";
import { revenueShareAbi } from "../../contracts/abi.ts";
import { formatEth } from "../../indexer/decode/format.ts";
import { parseCommandArgs } from "./lib/args.ts";
import type { Output } from "./lib/output.ts";
import { parsePositiveId } from "./lib/parse.ts";
import { findEvent, reportSent, sendWrite } from "./lib/send.ts";
import { openWriteSession, WRITE_OPTIONS, waitForMirror } from "./lib/session.ts";

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, WRITE_OPTIONS, {
    min: 1,
    max: 1,
    usage: "claim <distribution>",
  });
  const distributionId = parsePositiveId(positionals[0] as string, "distribution");
  const session = await openWriteSession(values);
  const { context, signer } = session;
  const revenueShare = context.manifest.contracts.revenueShare;
  const sent = await sendWrite(
    context,
    signer,
    out,
    { address: revenueShare, abi: revenueShareAbi, functionName: "claim", args: [distributionId] },
    `claim distribution #${distributionId}`,
  );
  const amount = (findEvent(sent, "DistributionClaimed")?.args.amount as bigint | undefined) ?? 0n;
  const [token] = await context.publicClient.readContract({
    address: revenueShare,
    abi: revenueShareAbi,
    functionName: "distribution",
    args: [distributionId],
  });
  const amountText =
    token === zeroAddress
      ? formatEth(amount)
      : `${formatUnits(amount, await context.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }))} of token ${token}`;
  await waitForMirror(session, sent, values.wait, out);
  out.line(`Claimed ${amountText} from distribution #${distributionId} to ${signer.address}.`);
  reportSent(out, sent, { distribution: distributionId, holder: signer.address, token, amount });
  return 0;
}

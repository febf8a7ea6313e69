// `firm release [grant]`: mints vested units. With a grant id, of that grant (anyone may release a
// grant; the units go to its beneficiary); without one, of every grant of the signer that has some.
import type { Address } from "viem";
import { partnershipAbi } from "../../contracts/abi.ts";
import { groupDigits } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import type { ChainContext } from "./lib/chain.ts";
import type { Output } from "./lib/output.ts";
import { parsePositiveId } from "./lib/parse.ts";
import { findEvent, sendWrite, txFacts } from "./lib/send.ts";
import { openWriteSession, WRITE_OPTIONS, waitForMirror } from "./lib/session.ts";

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, WRITE_OPTIONS, {
    min: 0,
    max: 1,
    usage: "release [grant]",
  });
  const requested = positionals[0] === undefined ? undefined : parsePositiveId(positionals[0], "grant");
  const session = await openWriteSession(values);
  const { context, signer } = session;
  const grantIds = requested === undefined ? await releasableGrantsOf(context, signer.address) : [requested];
  if (grantIds.length === 0) {
    throw new UsageError(
      `Nothing to release: no grant of ${signer.address} has vested units waiting`,
      `See when the next units vest with \`firm vesting ${signer.address}\`.`,
    );
  }
  const released = [];
  for (const grantId of grantIds) {
    const sent = await sendWrite(
      context,
      signer,
      out,
      {
        address: context.manifest.contracts.partnership,
        abi: partnershipAbi,
        functionName: "release",
        args: [grantId],
      },
      `release grant #${grantId}`,
    );
    const event = findEvent(sent, "GrantReleased");
    const amount = (event?.args.amount as bigint | undefined) ?? 0n;
    const beneficiary = String(event?.args.beneficiary ?? signer.address);
    out.line(
      `Released ${groupDigits(amount)} units of grant #${grantId} to ${beneficiary} (tx ${sent.hash}, block ${sent.blockNumber}).`,
    );
    released.push({
      grant: grantId,
      beneficiary,
      amount,
      totalReleased: event?.args.totalReleased ?? null,
      ...txFacts(sent),
    });
    await waitForMirror(session, sent, values.wait, out);
  }
  out.result({ released });
  return 0;
}

/** The grants of `beneficiary` with something releasable now, oldest first (walking the chain's list). */
async function releasableGrantsOf(context: ChainContext, beneficiary: Address): Promise<bigint[]> {
  const { publicClient } = context;
  const address = context.manifest.contracts.partnership;
  const found: bigint[] = [];
  let grantId = await publicClient.readContract({
    address,
    abi: partnershipAbi,
    functionName: "lastGrantOf",
    args: [beneficiary],
  });
  while (grantId !== 0n) {
    const releasable = await publicClient.readContract({
      address,
      abi: partnershipAbi,
      functionName: "releasable",
      args: [grantId],
    });
    if (releasable > 0n) found.unshift(grantId);
    grantId = await publicClient.readContract({
      address,
      abi: partnershipAbi,
      functionName: "previousGrant",
      args: [grantId],
    });
  }
  return found;
}

// `firm cover accept <partner>` and `firm cover resign`: a cover consents before it holds a colleague's
// ballot, and may step down. A partner on leave names the colleague they ask (`firm leave --cover`);
// only the colleague's acceptance moves the ballot to them, from then until the leave ends. After a
// resignation the partner on leave casts their own ballot again, on proposals whose snapshot comes
// after it (those already snapshotted inside the cover stay with the cover).
import { type Address, zeroAddress } from "viem";
import { partnershipAbi } from "../../contracts/abi.ts";
import { shortAddress } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { nextBlockTime } from "./lib/chain.ts";
import { formatTime, formatWhen, type Output } from "./lib/output.ts";
import { parseAddress } from "./lib/parse.ts";
import { findEvent, reportSent } from "./lib/send.ts";
import { openWriteSession, sendAndWait, WRITE_OPTIONS, type WriteSession } from "./lib/session.ts";

const USAGE = "cover accept <partner> | cover resign";

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, WRITE_OPTIONS, { min: 1, max: 2, usage: USAGE });
  const [action, partnerText] = positionals as [string, string | undefined];
  if (action === "accept") {
    if (partnerText === undefined)
      throw new UsageError(
        "`firm cover accept` needs the partner on leave whose ballot you accept to cast",
        "Usage: firm cover accept <partner>",
      );
    const partner = parseAddress(partnerText, "<partner>");
    return accept(await openWriteSession(values), partner, values.wait, out);
  }
  if (action === "resign") {
    if (partnerText !== undefined)
      throw new UsageError(
        `\`firm cover resign\` takes no argument (got ${partnerText})`,
        "You cover one partner at most: `firm cover resign` steps down from that cover.",
      );
    return resign(await openWriteSession(values), values.wait, out);
  }
  throw new UsageError(
    `Unknown \`firm cover ${action}\``,
    `Usage: firm cover accept <partner>, or firm cover resign`,
  );
}

async function accept(session: WriteSession, partner: Address, wait: boolean | undefined, out: Output) {
  const { context, signer } = session;
  const partnership = context.manifest.contracts.partnership;
  const { publicClient } = context;
  const now = await nextBlockTime(publicClient);
  // Said before the chain refuses it with CoverNotRequested, which cannot tell which case it is.
  const [asked, , until, inForce, coverFrom, coverUntil] = await publicClient.readContract({
    address: partnership,
    abi: partnershipAbi,
    functionName: "leaveOf",
    args: [partner],
  });
  const mine = asked.toLowerCase() === signer.address.toLowerCase();
  if (!inForce || until <= now) {
    throw new UsageError(
      `Cannot accept to cover ${partner}: they are not on leave now`,
      "A partner on leave names their cover with `firm leave --until <date> --cover <address>`.",
      { reason: "not on leave" },
    );
  }
  if (!mine) {
    throw new UsageError(
      `Cannot accept to cover ${partner}: they asked ${asked === zeroAddress ? "no one" : asked} to cover their leave, not you (${signer.address})`,
      "Only the colleague a partner names may accept; they can name you in a new leave once this one ends.",
      { reason: "not asked", asked: asked === zeroAddress ? null : asked },
    );
  }
  if (coverFrom !== 0 && coverUntil > now) {
    throw new UsageError(
      `You already cover ${partner}: you accepted at ${formatTime(coverFrom)}`,
      "Step down with `firm cover resign`.",
      { reason: "already accepted" },
    );
  }
  if (coverFrom !== 0) {
    throw new UsageError(
      `Cannot accept to cover ${partner} again: you covered this leave from ${formatTime(coverFrom)} and stepped down at ${formatTime(coverUntil)}`,
      "A cover is accepted once per leave; they can name you again in their next leave.",
      { reason: "already resigned" },
    );
  }
  const sent = await sendAndWait(
    session,
    { address: partnership, abi: partnershipAbi, functionName: "acceptCover", args: [partner] },
    { doing: `accept to cover ${shortAddress(partner)}`, wait, out },
  );
  const accepted = findEvent(sent, "CoverAccepted");
  const at = Number(accepted?.args.at ?? now);
  out.line(`You (${signer.address}) now cover ${partner} until ${formatWhen(until, at)}.`);
  out.line(
    "  On proposals whose snapshot falls from now until then, `firm vote` casts their ballot with yours.",
  );
  out.line("  Step down at any time with `firm cover resign`: they then cast their own ballot again.");
  reportSent(out, sent, {
    cover: signer.address,
    partner,
    leaveId: accepted?.args.leaveId ?? null,
    from: at,
    until,
  });
  return 0;
}

async function resign(session: WriteSession, wait: boolean | undefined, out: Output) {
  const { context, signer } = session;
  const partnership = context.manifest.contracts.partnership;
  const covering = await context.publicClient.readContract({
    address: partnership,
    abi: partnershipAbi,
    functionName: "coveringOf",
    args: [signer.address],
  });
  if (covering === zeroAddress) {
    throw new UsageError(
      `Cannot resign as cover: you (${signer.address}) cover no one now`,
      "A cover holds a colleague's ballot only after `firm cover accept <partner>`, until their leave ends.",
      { reason: "not covering" },
    );
  }
  const sent = await sendAndWait(
    session,
    { address: partnership, abi: partnershipAbi, functionName: "resignCover", args: [] },
    { doing: "resign as cover", wait, out },
  );
  const ended = findEvent(sent, "CoverEnded");
  const partner = String(ended?.args.partner ?? covering);
  const [, , until] = await context.publicClient.readContract({
    address: partnership,
    abi: partnershipAbi,
    functionName: "leaveOf",
    args: [partner as Address],
  });
  const at = Number(ended?.args.at ?? 0);
  out.line(`You (${signer.address}) no longer cover ${partner}.`);
  out.line(
    `  They stay on leave until ${formatWhen(until, at)} and cast their own ballot on proposals whose snapshot comes from now on.`,
  );
  reportSent(out, sent, {
    cover: signer.address,
    partner,
    leaveId: ended?.args.leaveId ?? null,
    endedAt: at,
    leaveUntil: until,
  });
  return 0;
}

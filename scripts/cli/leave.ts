// `firm leave --until <date> [--cover <address>]` and `firm leave end`: a partner's leave. The
// colleague named as cover holds the partner's ballot only once they accept (`firm cover accept`);
// until then, without a cover, or after the cover steps down, the partner on leave casts their own
// ballot. A leave lasts at least the firm's minimum (1 day unless governance changed it), a new one
// may start only after a cooldown, and it lapses by itself at its end date.
import { type Address, zeroAddress } from "viem";
import { partnershipAbi } from "../../contracts/abi.ts";
import { formatDuration, shortAddress } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import { nextBlockTime } from "./lib/chain.ts";
import { formatSpan, formatTime, formatWhen, type Output } from "./lib/output.ts";
import { parseAddress, parseDate } from "./lib/parse.ts";
import { findEvent, reportSent } from "./lib/send.ts";
import { openWriteSession, sendAndWait, WRITE_OPTIONS, type WriteSession } from "./lib/session.ts";

const USAGE = "leave --until <date> [--cover <address>]";

/**
 * A leave of about the minimum, written as a time from now ("1d"), is stretched to the minimum plus
 * this: the minimum counts from the block that mines the transaction, a little after the command
 * reads the time.
 */
const LEEWAY = 120;

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...WRITE_OPTIONS, until: { type: "string" }, cover: { type: "string" } },
    { min: 0, max: 1, usage: USAGE },
  );
  const ending = positionals[0] !== undefined;
  if (ending && positionals[0] !== "end") {
    throw new UsageError(
      `Unknown \`firm leave ${positionals[0]}\``,
      `Usage: firm ${USAGE}, or firm leave end`,
    );
  }
  if (ending && (values.until || values.cover))
    throw new UsageError("`firm leave end` takes no --until or --cover");
  const cover = values.cover === undefined ? zeroAddress : parseAddress(values.cover, "--cover");
  const untilText = ending ? "" : required(values.until, "--until", USAGE);
  const session = await openWriteSession(values);
  return ending
    ? endLeave(session, values.wait, out)
    : declareLeave(session, untilText, cover, values.wait, out);
}

async function declareLeave(
  session: WriteSession,
  untilText: string,
  cover: Address,
  wait: boolean | undefined,
  out: Output,
): Promise<number> {
  const { context, signer } = session;
  const partnership = context.manifest.contracts.partnership;
  const now = await nextBlockTime(context.publicClient);
  const [minLeave] = await context.publicClient.readContract({
    address: partnership,
    abi: partnershipAbi,
    functionName: "leaveRules",
  });
  let until = parseDate(untilText, "--until", now);
  if (until <= now)
    throw new UsageError(
      `--until ${untilText} is not in the future (the chain's time is ${formatTime(now)})`,
    );
  if (until - now < minLeave) {
    throw new UsageError(
      `--until ${untilText} is ${formatSpan(until - now)} away, and a leave lasts at least ${formatDuration(minLeave)} (the firm's rule)`,
      `End it on ${formatTime(now + minLeave + LEEWAY)} or later.`,
    );
  }
  // Only a time from now ("1d") is stretched; a date the partner wrote is sent as written.
  const fromNow = /^\+?\d+[a-z]/i.test(untilText.trim());
  if (fromNow && until - now < minLeave + LEEWAY) until = now + minLeave + LEEWAY;

  const sent = await sendAndWait(
    session,
    { address: partnership, abi: partnershipAbi, functionName: "declareLeave", args: [until, cover] },
    { doing: "declare leave", wait, out },
  );
  const declared = findEvent(sent, "LeaveDeclared");
  const from = Number(declared?.args.from ?? now);
  out.line(`${signer.address} is on leave until ${formatWhen(until, from)}.`);
  if (cover === zeroAddress) {
    out.line("  No one covers you: you keep casting your own ballot while away.");
  } else {
    out.line(`  You asked ${cover} to cover you. They hold your ballot only once they accept,`);
    out.line(`  with \`firm cover accept ${signer.address}\`; until then you cast it yourself.`);
  }
  out.line("  The leave lapses by itself; end it early with `firm leave end`.");
  reportSent(out, sent, {
    partner: signer.address,
    cover: cover === zeroAddress ? null : cover,
    coverAccepted: false,
    from,
    until,
    leaveId: declared?.args.leaveId ?? null,
  });
  return 0;
}

async function endLeave(session: WriteSession, wait: boolean | undefined, out: Output): Promise<number> {
  const { context, signer } = session;
  const partnership = context.manifest.contracts.partnership;
  // Read before it ends: whether a cover had accepted and still held the ballot.
  const [asked, , , , coverFrom, coverUntil] = await context.publicClient.readContract({
    address: partnership,
    abi: partnershipAbi,
    functionName: "leaveOf",
    args: [signer.address],
  });
  const now = await nextBlockTime(context.publicClient);
  const covered = asked !== zeroAddress && coverFrom !== 0 && coverUntil > now;
  const sent = await sendAndWait(
    session,
    { address: partnership, abi: partnershipAbi, functionName: "endLeave", args: [] },
    { doing: "end your leave", wait, out },
  );
  const ended = findEvent(sent, "LeaveEnded");
  out.line(`Leave of ${signer.address} ended: you vote in your own name again.`);
  if (covered) out.line(`  ${shortAddress(asked)} no longer covers you.`);
  reportSent(out, sent, {
    partner: signer.address,
    ended: true,
    leaveId: ended?.args.leaveId ?? null,
    coverEnded: covered ? asked : null,
  });
  return 0;
}

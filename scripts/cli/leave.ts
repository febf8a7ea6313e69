// `firm leave --until <date> --cover <address>` and `firm leave end`: a partner's leave, during which
// the cover casts their ballots; it lapses by itself at the end date.
import { zeroAddress } from "viem";
import { partnershipAbi } from "../../contracts/abi.ts";
import { shortAddress } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import { chainNow } from "./lib/chain.ts";
import { formatTime, formatWhen, type Output } from "./lib/output.ts";
import { parseAddress, parseDate } from "./lib/parse.ts";
import { findEvent, sendWrite, txFacts } from "./lib/send.ts";
import { openWriteSession, WRITE_OPTIONS, waitForMirror } from "./lib/session.ts";

const USAGE = "leave --until <date> --cover <address>";

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
  const cover = ending ? zeroAddress : parseAddress(required(values.cover, "--cover", USAGE), "--cover");
  const untilText = ending ? "" : required(values.until, "--until", USAGE);
  const session = await openWriteSession(values);
  const { context, signer } = session;
  const partnership = context.manifest.contracts.partnership;
  const { timestamp: now } = await chainNow(context.publicClient);

  if (ending) {
    const sent = await sendWrite(
      context,
      signer,
      out,
      { address: partnership, abi: partnershipAbi, functionName: "endLeave", args: [] },
      "end your leave",
    );
    await waitForMirror(session, sent, values.wait, out);
    out.line(`Leave of ${signer.address} ended: you vote in your own name again.`);
    out.line(`  tx  ${sent.hash} in block ${sent.blockNumber}`);
    out.result({ partner: signer.address, ended: true, ...txFacts(sent) });
    return 0;
  }

  const until = parseDate(untilText, "--until", now);
  if (until <= now)
    throw new UsageError(
      `--until ${values.until} is not in the future (the chain's time is ${formatTime(now)})`,
    );
  const sent = await sendWrite(
    context,
    signer,
    out,
    { address: partnership, abi: partnershipAbi, functionName: "declareLeave", args: [until, cover] },
    "declare leave",
  );
  const declared = findEvent(sent, "LeaveDeclared");
  await waitForMirror(session, sent, values.wait, out);
  out.line(`${signer.address} is on leave until ${formatWhen(until, now)}.`);
  out.line(
    `  ${shortAddress(cover)} casts your ballots until then (it lapses by itself; end it early with \`firm leave end\`).`,
  );
  out.line(`  tx  ${sent.hash} in block ${sent.blockNumber}`);
  out.result({
    partner: signer.address,
    cover,
    until,
    leaveId: declared?.args.leaveId ?? null,
    ...txFacts(sent),
  });
  return 0;
}

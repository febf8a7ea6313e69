// `firm mentor offer|withdraw|accept|end`: mentor links by mutual consent (contracts/Directory.sol).
// A partner offers to mentor an associate (`offer <associate>`) and may take it back
// (`withdraw <associate>`); the associate accepts (`accept <partner>`), which ends any earlier
// mentor's link first; the mentor or the mentee ends it (`end [mentee]`; the mentee may leave the
// argument out). Admission with a mentor is a proposal: `firm propose admit … --mentor <partner>`.
import type { Address } from "viem";
import { directoryAbi } from "../../contracts/abi.ts";
import { shortAddress } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import type { Output } from "./lib/output.ts";
import { parseAddress, parseChoice } from "./lib/parse.ts";
import { findEvent, reportSent } from "./lib/send.ts";
import { openWriteSession, sendAndWait, WRITE_OPTIONS } from "./lib/session.ts";

const USAGE =
  "mentor offer <associate> | mentor withdraw <associate> | mentor accept <partner> | mentor end [mentee]";

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, WRITE_OPTIONS, { min: 1, max: 2, usage: USAGE });
  const [actionText, otherText] = positionals as [string, string | undefined];
  const action = parseChoice(actionText, "firm mentor", ["offer", "withdraw", "accept", "end"] as const);
  const needs = { offer: "<associate>", withdraw: "<associate>", accept: "<partner>" } as const;
  if (action !== "end" && otherText === undefined)
    throw new UsageError(
      `\`firm mentor ${action}\` needs the ${needs[action].slice(1, -1)}'s address`,
      `Usage: firm ${USAGE}`,
    );
  const other =
    otherText === undefined
      ? undefined
      : parseAddress(otherText, action === "end" ? "[mentee]" : needs[action]);
  const session = await openWriteSession(values);
  const { signer, context } = session;
  const me = signer.address;
  const send = (functionName: string, args: readonly unknown[], doing: string) =>
    sendAndWait(
      session,
      { address: context.manifest.contracts.directory, abi: directoryAbi, functionName, args },
      { doing, wait: values.wait, out },
    );

  if (action === "offer") {
    const mentee = other as Address;
    const sent = await send("offerMentorship", [mentee], `offer to mentor ${shortAddress(mentee)}`);
    out.line(`You (${me}) offered to mentor ${mentee}.`);
    out.line(`  It stands until they accept (\`firm mentor accept ${me}\`) or you withdraw it.`);
    reportSent(out, sent, { mentor: me, mentee, offered: true });
    return 0;
  }
  if (action === "withdraw") {
    const mentee = other as Address;
    const sent = await send(
      "withdrawMentorshipOffer",
      [mentee],
      `withdraw your offer to ${shortAddress(mentee)}`,
    );
    out.line(`You (${me}) withdrew your offer to mentor ${mentee}.`);
    reportSent(out, sent, { mentor: me, mentee, offered: false });
    return 0;
  }
  if (action === "accept") {
    const mentor = other as Address;
    const sent = await send("acceptMentorship", [mentor], `accept ${shortAddress(mentor)} as your mentor`);
    const ended = findEvent(sent, "MentorshipEnded");
    out.line(`${mentor} now mentors you (${me}).`);
    if (ended) out.line(`  Your earlier mentor's link (${String(ended.args.mentor)}) ended first.`);
    reportSent(out, sent, { mentor, mentee: me, previousMentor: ended?.args.mentor ?? null });
    return 0;
  }
  // end: the mentee is the argument, or the signer when they end their own link.
  const mentee = other ?? me;
  const mentor = await context.publicClient.readContract({
    address: context.manifest.contracts.directory,
    abi: directoryAbi,
    functionName: "mentorOf",
    args: [mentee],
  });
  const sent = await send("endMentorship", [mentee], `end the mentorship of ${shortAddress(mentee)}`);
  out.line(`The mentorship of ${mentee} by ${mentor} ended.`);
  reportSent(out, sent, { mentor, mentee, endedBy: me });
  return 0;
}

// `firm queue <proposal>` and `firm execute <proposal>`: both repeat the proposal's exact calls
// (read from its ProposalCreated event on the chain) with the hash of its description.
import { firmGovernorAbi } from "../../contracts/abi.ts";
import { decodeIntent } from "../../indexer/decode/intents.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { chainNow } from "./lib/chain.ts";
import { formatWhen, type Output } from "./lib/output.ts";
import { parseProposalRef } from "./lib/parse.ts";
import {
  type ProposalCalls,
  readProposalCalls,
  resolveProposalId,
  shortProposalId,
  titleOf,
} from "./lib/proposals.ts";
import { findEvent, type SentWrite, txFacts } from "./lib/send.ts";
import { openWriteSession, sendAndWait, WRITE_OPTIONS, type WriteSession } from "./lib/session.ts";

type Step = "queue" | "execute";

async function runStep(
  step: Step,
  args: string[],
  out: Output,
): Promise<{ session: WriteSession; calls: ProposalCalls; sent: SentWrite }> {
  const { values, positionals } = parseCommandArgs(args, WRITE_OPTIONS, {
    min: 1,
    max: 1,
    usage: `${step} <proposal>`,
  });
  const ref = parseProposalRef(positionals[0] as string, "<proposal>");
  const session = await openWriteSession(values);
  const id = await resolveProposalId(ref, session.api);
  const calls = await readProposalCalls(session.context, session.api, out, id);
  const sent = await sendAndWait(
    session,
    {
      address: session.context.manifest.contracts.governor,
      abi: firmGovernorAbi,
      functionName: step,
      args: [calls.targets, calls.values, calls.calldatas, calls.descriptionHash],
    },
    { doing: `${step} proposal ${shortProposalId(id)}`, wait: values.wait, out },
  );
  return { session, calls, sent };
}

/** `firm queue <proposal>` */
export async function runQueue(args: string[], out: Output): Promise<number> {
  const { session, calls, sent } = await runStep("queue", args, out);
  const eta = (findEvent(sent, "ProposalQueued")?.args.etaSeconds as bigint | undefined) ?? 0n;
  const { timestamp: now } = await chainNow(session.context.publicClient);
  out.line(`Queued proposal ${shortProposalId(calls.id)}: ${titleOf(calls.description)}`);
  out.line(`  executable from ${formatWhen(eta, now)}`);
  out.line(`  tx              ${sent.hash} in block ${sent.blockNumber}`);
  out.line(`Next: firm execute ${shortProposalId(calls.id).replace("…", "")} (after the timelock delay)`);
  out.result({ proposal: calls.id, title: titleOf(calls.description), eta, ...txFacts(sent) });
  return 0;
}

/** `firm execute <proposal>` */
export async function runExecute(args: string[], out: Output): Promise<number> {
  const { session, calls, sent } = await runStep("execute", args, out);
  const summaries = calls.targets.map(
    (target, i) =>
      decodeIntent(
        { target, value: calls.values[i] ?? 0n, data: calls.calldatas[i] ?? "0x" },
        session.context.manifest.contracts,
      ).summary,
  );
  out.line(`Executed proposal ${shortProposalId(calls.id)}: ${titleOf(calls.description)}`);
  for (const summary of summaries) out.line(`  done  ${summary}`);
  out.line(`  tx    ${sent.hash} in block ${sent.blockNumber}`);
  out.result({
    proposal: calls.id,
    title: titleOf(calls.description),
    actions: summaries,
    events: sent.events.map((event) => event.eventName),
    ...txFacts(sent),
  });
  return 0;
}

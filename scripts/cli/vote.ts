// `firm vote <proposal> for|against|abstain [--reason "…"]`. One call casts every ballot the signer
// holds: their own and, as a cover who accepted, the one of the partner on leave (the governor does
// both). A proposal passes only with For from a majority of all the partners eligible to vote on it
// (a supermajority for an expulsion), by equity and by headcount; a For ballot on a proposal that
// moves treasury funds holds its owner's exit (`firm ragequit`) until the proposal is over.
import { firmGovernorAbi } from "../../contracts/abi.ts";
import { groupDigits, shortAddress } from "../../indexer/decode/format.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { capitalize, type Output } from "./lib/output.ts";
import { parseChoice, parseProposalRef, SUPPORT_CODES } from "./lib/parse.ts";
import { resolveProposalId, shortProposalId } from "./lib/proposals.ts";
import { findEvent, sendWrite, txFacts } from "./lib/send.ts";
import { openWriteSession, WRITE_OPTIONS, waitForMirror } from "./lib/session.ts";

const USAGE = 'vote <proposal> for|against|abstain [--reason "…"]';
const SUPPORTS = ["for", "against", "abstain"] as const;

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...WRITE_OPTIONS, reason: { type: "string" } },
    { min: 2, max: 2, usage: USAGE },
  );
  const ref = parseProposalRef(positionals[0] as string, "<proposal>");
  const supportName = parseChoice(positionals[1] as string, "support", SUPPORTS);
  const support = SUPPORT_CODES[supportName];
  const session = await openWriteSession(values);
  const { context, signer } = session;
  const id = await resolveProposalId(ref, session.api);
  const governor = context.manifest.contracts.governor;
  const reason = values.reason?.trim();
  const sent = await sendWrite(
    context,
    signer,
    out,
    {
      address: governor,
      abi: firmGovernorAbi,
      functionName: reason ? "castVoteWithReason" : "castVote",
      args: reason ? [id, support, reason] : [id, support],
    },
    `vote on proposal ${shortProposalId(id)}`,
  );
  const cast = findEvent(sent, "VoteCast");
  const byCover = findEvent(sent, "VoteCastByCover");
  const totalWeight = (cast?.args.weight as bigint | undefined) ?? 0n;
  const coverWeight = (byCover?.args.weight as bigint | undefined) ?? 0n;
  const ownCast = !byCover || byCover.args.alsoSelf === true;
  const covered = byCover ? String(byCover.args.partner) : null;

  const [tally, quorums, thresholds] = await Promise.all([
    context.publicClient.readContract({
      address: governor,
      abi: firmGovernorAbi,
      functionName: "proposalVotes",
      args: [id],
    }),
    context.publicClient.readContract({
      address: governor,
      abi: firmGovernorAbi,
      functionName: "proposalQuorums",
      args: [id],
    }),
    context.publicClient.readContract({
      address: governor,
      abi: firmGovernorAbi,
      functionName: "proposalThresholds",
      args: [id],
    }),
  ]);
  const [againstEquity, forEquity, abstainEquity, againstHeads, forHeads, abstainHeads] = tally;
  const [equityQuorum, headcountQuorum, equityBase, headcountBase] = quorums;
  const [forEquityNeeded, forHeadsNeeded, supermajority, movesFunds] = thresholds;
  await waitForMirror(session, sent, values.wait, out);

  out.line(`Voted ${capitalize(supportName)} on proposal ${shortProposalId(id)} as ${signer.address}`);
  if (ownCast) out.line(`  own ballot      ${groupDigits(totalWeight - coverWeight)} units`);
  if (covered)
    out.line(`  as cover for    ${shortAddress(covered)} (on leave): ${groupDigits(coverWeight)} units`);
  out.line(
    `  tally now       For ${groupDigits(forEquity)} units / ${forHeads} partners · Against ${groupDigits(againstEquity)} / ${againstHeads} · Abstain ${groupDigits(abstainEquity)} / ${abstainHeads}`,
  );
  out.line(
    `  quorum          ${groupDigits(forEquity + abstainEquity)} of ${groupDigits(equityQuorum)} units, ${forHeads + abstainHeads} of ${headcountQuorum} partners`,
  );
  out.line(
    `  to pass         For ${groupDigits(forEquityNeeded)} units and ${forHeadsNeeded} partners: ${supermajority ? "a supermajority" : "a majority"} of all ${headcountBase} partners eligible (${groupDigits(equityBase)} units)`,
  );
  if (supportName === "for" && movesFunds) {
    const whose = [ownCast ? "you" : "", covered ? shortAddress(covered) : ""].filter(Boolean).join(" and ");
    out.line(
      `  exit lock       it moves treasury funds: until it is over, ${whose} cannot withdraw (\`firm ragequit\`)`,
    );
  }
  out.line(`  tx              ${sent.hash} in block ${sent.blockNumber}`);
  if (reason) out.line(`  reason          ${reason}`);
  out.result({
    proposal: id,
    voter: signer.address,
    support: supportName,
    weight: totalWeight,
    ownBallot: ownCast,
    coveredPartner: covered,
    coverWeight,
    tally: {
      for: { equity: forEquity, headcount: forHeads },
      against: { equity: againstEquity, headcount: againstHeads },
      abstain: { equity: abstainEquity, headcount: abstainHeads },
    },
    quorum: { equity: equityQuorum, headcount: headcountQuorum },
    toPass: { equity: forEquityNeeded, headcount: forHeadsNeeded, supermajority },
    eligible: { equity: equityBase, headcount: headcountBase },
    movesFunds,
    ...txFacts(sent),
  });
  return 0;
}

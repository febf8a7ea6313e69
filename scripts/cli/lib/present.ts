// Proposals as the read commands show them: the GraphQL fields they ask for and one-line forms of a
// proposal's tally and quorum, shared by `firm status`, `firm proposals` and `firm show proposal`.
import { groupDigits } from "../../../indexer/decode/format.ts";
import { formatWhen } from "./output.ts";
import { shortProposalId, stripProposerSuffix } from "./proposals.ts";

/** The fields of a proposal every listing asks the API for. */
export const PROPOSAL_LINE_FIELDS = `id title kind state proposer voteStart voteEnd eta
  tally { for { equity headcount } against { equity headcount } abstain { equity headcount } }
  quorum { reached equity { required counted reached } headcount { required counted reached } }`;

interface TallyCount {
  equity: string;
  headcount: number;
}

export interface ProposalLine {
  id: string;
  title: string;
  kind: string;
  state: string;
  proposer: string;
  voteStart: number;
  voteEnd: number;
  eta: number | null;
  tally: { for: TallyCount; against: TallyCount; abstain: TallyCount };
  quorum: {
    reached: boolean;
    equity: { required: string; counted: string; reached: boolean };
    headcount: { required: string; counted: string; reached: boolean };
  };
}

/** "For 3,000 units / 3 · Against 0 / 0 · Abstain 0 / 0". */
export function tallyText({ tally }: Pick<ProposalLine, "tally">): string {
  const part = (label: string, count: TallyCount) =>
    `${label} ${groupDigits(BigInt(count.equity))} units / ${count.headcount}`;
  return [part("For", tally.for), part("Against", tally.against), part("Abstain", tally.abstain)].join(" · ");
}

/** "quorum reached (2,000 of 2,000 units, 3 of 3 partners)". */
export function quorumText({ quorum }: Pick<ProposalLine, "quorum">): string {
  const { equity, headcount } = quorum;
  return `quorum ${quorum.reached ? "reached" : "not reached"} (${groupDigits(BigInt(equity.counted))} of ${groupDigits(BigInt(equity.required))} units, ${headcount.counted} of ${headcount.required} partners)`;
}

/**
 * A proposal in a listing: short id, state, kind and title; then the tallies and the quorum; then
 * when voting ends (pending or active) or when it becomes executable (queued), relative to `now`.
 */
export function proposalLines(p: ProposalLine, now: number): string[] {
  const indent = " ".repeat(12);
  const lines = [
    `${shortProposalId(p.id).padEnd(11)} ${p.state.padEnd(9)} ${stripProposerSuffix(p.title)}  [${p.kind}]`,
    `${indent}${tallyText(p)}; ${quorumText(p)}`,
  ];
  if (p.state === "PENDING" || p.state === "ACTIVE")
    lines.push(`${indent}voting ends ${formatWhen(p.voteEnd, now)}`);
  if (p.state === "QUEUED" && p.eta !== null)
    lines.push(`${indent}executable from ${formatWhen(p.eta, now)}`);
  return lines;
}

// `firm proposals [--state active] [--limit N]`: proposals from the API, newest first, with both
// tallies and the quorum.
import { UsageError } from "./errors.ts";
import { apiNow } from "./lib/api.ts";
import { parseCommandArgs } from "./lib/args.ts";
import type { Output } from "./lib/output.ts";
import { parseChoice, parsePositiveId } from "./lib/parse.ts";
import { PROPOSAL_LINE_FIELDS, type ProposalLine, proposalLines } from "./lib/present.ts";
import { stripProposerSuffix } from "./lib/proposals.ts";
import { openApi } from "./lib/session.ts";

const STATES = [
  "pending",
  "active",
  "canceled",
  "defeated",
  "succeeded",
  "queued",
  "expired",
  "executed",
] as const;
const USAGE = "proposals [--state <state>] [--limit N]";

export async function run(args: string[], out: Output): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { state: { type: "string" }, limit: { type: "string" } },
    { usage: USAGE },
  );
  const state = values.state ? parseChoice(values.state, "--state", STATES).toUpperCase() : undefined;
  const limit = values.limit ? Number(parsePositiveId(values.limit, "--limit")) : 20;
  if (limit > 100) throw new UsageError("--limit is at most 100 (the API's page size)");
  const api = openApi();
  const data = await api.query<{
    proposals: { totalCount: number; edges: { node: ProposalLine }[] };
  }>(
    `query($where: ProposalWhere, $first: Int) {
      proposals(where: $where, first: $first) { totalCount edges { node { ${PROPOSAL_LINE_FIELDS} } } } }`,
    { where: state ? { state } : null, first: limit },
  );
  // The indexer's titles drop the suffix already; this keeps --json and the lines alike for any title.
  const proposals = data.proposals.edges.map((e) => ({
    ...e.node,
    title: stripProposerSuffix(e.node.title),
  }));
  const now = await apiNow(api);
  const shown = `${proposals.length} of ${data.proposals.totalCount}`;
  out.line(`${state ? `${state} proposals` : "Proposals"}, newest first (${shown}):`);
  for (const p of proposals) for (const line of proposalLines(p, now)) out.line(line);
  out.result({ totalCount: data.proposals.totalCount, proposals });
  return 0;
}

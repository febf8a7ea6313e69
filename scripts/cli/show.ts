// `firm show proposal <id>`, `firm show member <address>`, `firm show practice <slug>`: one item from
// the API's mirror, in full.
import { formatEth, groupDigits, shortAddress } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { type ApiClient, apiNow, orNull } from "./lib/api.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { formatTime, formatWhen, type Output } from "./lib/output.ts";
import { parseAddress, parseChoice, parseProposalRef, parseSlug } from "./lib/parse.ts";
import { PROPOSAL_LINE_FIELDS, type ProposalLine, quorumText, tallyText } from "./lib/present.ts";
import { resolveProposalId, stripProposerSuffix } from "./lib/proposals.ts";
import { openApi } from "./lib/session.ts";

const USAGE = "show <proposal|member|practice> <id|address|slug>";
const NOT_YET =
  "Something done moments ago appears once the indexer has seen it: see `firm status`, or write with --wait.";

export async function run(args: string[], out: Output): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, { min: 2, max: 2, usage: USAGE });
  const what = parseChoice(positionals[0] as string, "firm show", [
    "proposal",
    "member",
    "practice",
  ] as const);
  const api = openApi();
  const key = positionals[1] as string;
  if (what === "proposal") return showProposal(api, out, key);
  if (what === "member") return showMember(api, out, key);
  return showPractice(api, out, key);
}

interface ProposalDetail extends ProposalLine {
  description: string;
  snapshot: number;
  createdAt: number;
  queuedAt: number | null;
  executedAt: number | null;
  canceledAt: number | null;
  creation: { hash: string; blockNumber: number };
  actions: { index: number; target: string; value: string; intent: string; summary: string }[];
  quorum: ProposalLine["quorum"] & {
    equity: { bps: number; base: string };
    headcount: { bps: number; base: string };
  };
  votes: {
    totalCount: number;
    edges: { node: { voter: string; castBy: string; support: string; weight: string; reason: string } }[];
  };
  recusals: string[];
}

async function showProposal(api: ApiClient, out: Output, key: string): Promise<number> {
  const id = await resolveProposalId(parseProposalRef(key, "<id>"), api);
  const now = await apiNow(api);
  const data = await orNull(
    api.query<{ proposal: ProposalDetail }>(
      `query($id: String!) { proposal(id: $id) { ${PROPOSAL_LINE_FIELDS} description snapshot createdAt queuedAt executedAt canceledAt
        creation { hash blockNumber } actions { index target value intent summary }
        quorum { equity { bps base } headcount { bps base } }
        votes(first: 100) { totalCount edges { node { voter castBy support weight reason } } } recusals } }`,
      { id: id.toString() },
    ),
  );
  if (!data) throw new UsageError(`The mirror has no proposal ${id}`, NOT_YET);
  const p = {
    ...data.proposal,
    title: stripProposerSuffix(data.proposal.title),
    description: stripProposerSuffix(data.proposal.description),
  };
  out.line(`Proposal ${p.id}`);
  out.line(`  title      ${p.title}`);
  out.line(`  kind       ${p.kind}`);
  out.line(`  state      ${p.state}`);
  out.line(`  proposer   ${p.proposer}`);
  out.line(
    `  created    ${formatWhen(p.createdAt, now)} in block ${p.creation.blockNumber} (tx ${p.creation.hash})`,
  );
  out.line(`  voting     ${formatWhen(p.voteStart, now)} → ${formatWhen(p.voteEnd, now)}`);
  if (p.eta !== null) out.line(`  eta        ${formatWhen(p.eta, now)}`);
  if (p.executedAt !== null) out.line(`  executed   ${formatWhen(p.executedAt, now)}`);
  if (p.canceledAt !== null) out.line(`  canceled   ${formatWhen(p.canceledAt, now)}`);
  out.line("  actions");
  for (const action of p.actions) {
    const value = BigInt(action.value) > 0n ? ` (sends ${formatEth(BigInt(action.value))})` : "";
    out.line(`    ${action.index + 1}. ${action.summary}${value}  [${action.intent}]`);
  }
  out.line(`  tally      ${tallyText(p)}`);
  out.line(
    `  ${quorumText(p)}: equity ${p.quorum.equity.bps / 100}% of ${groupDigits(BigInt(p.quorum.equity.base))} units, headcount ${p.quorum.headcount.bps / 100}% of ${p.quorum.headcount.base} partners`,
  );
  out.line(`  votes      ${p.votes.totalCount}`);
  for (const { node: vote } of p.votes.edges) {
    const by = vote.castBy === vote.voter ? "" : ` (cast by cover ${shortAddress(vote.castBy)})`;
    const reason = vote.reason ? `: "${vote.reason}"` : "";
    out.line(
      `    ${vote.voter} ${vote.support.padEnd(7)} ${groupDigits(BigInt(vote.weight))} units${by}${reason}`,
    );
  }
  if (p.recusals.length > 0) out.line(`  recused    ${p.recusals.join(", ")}`);
  if (p.description.includes("\n")) {
    out.line("  description");
    for (const line of p.description.split("\n")) out.line(`    ${line}`);
  }
  out.result({ proposal: p });
  return 0;
}

interface MemberDetail {
  address: string;
  index: number;
  role: string;
  status: string;
  since: number;
  partnerSince: number | null;
  partnerUntil: number | null;
  leave: { from: number; until: number; cover: string } | null;
  practices: { practice: { slug: string; name: string }; role: string; since: number | null }[];
  equity: { units: string; votes: string };
  grants: {
    id: string;
    units: string;
    released: string;
    vestedAt: string;
    releasableAt: string;
    end: number;
    revoked: boolean;
  }[];
  departedAt: number | null;
  successor: string | null;
}

async function showMember(api: ApiClient, out: Output, key: string): Promise<number> {
  const address = parseAddress(key, "<address>").toLowerCase();
  const now = await apiNow(api);
  const data = await orNull(
    api.query<{ member: MemberDetail }>(
      `query($address: String!) { member(address: $address) { address index role status since partnerSince partnerUntil
        leave { from until cover } practices { practice { slug name } role since } equity { units votes }
        grants { id units released vestedAt releasableAt end revoked } departedAt successor } }`,
      { address },
    ),
  );
  if (!data) throw new UsageError(`${address} is not a member of the firm (in the mirror)`, NOT_YET);
  const m = data.member;
  out.line(`Member ${m.address} (#${m.index})`);
  out.line(`  role       ${m.role}`);
  out.line(`  status     ${m.status}`);
  out.line(`  admitted   ${formatWhen(m.since, now)}`);
  if (m.partnerSince !== null)
    out.line(
      `  partner    since ${formatTime(m.partnerSince)}${m.partnerUntil ? ` until ${formatTime(m.partnerUntil)}` : ""}`,
    );
  if (m.leave) out.line(`  on leave   until ${formatWhen(m.leave.until, now)}, covered by ${m.leave.cover}`);
  if (m.departedAt !== null)
    out.line(
      `  departed   ${formatWhen(m.departedAt, now)}${m.successor ? `, succeeded by ${m.successor}` : ""}`,
    );
  out.line(
    `  equity     ${groupDigits(BigInt(m.equity.units))} units released, ${groupDigits(BigInt(m.equity.votes))} votes`,
  );
  out.line(`  practices  ${m.practices.length === 0 ? "none" : m.practices.length}`);
  for (const seat of m.practices) {
    out.line(
      `    ${seat.practice.slug} (${seat.practice.name}) as ${seat.role}${seat.since ? ` since ${formatTime(seat.since)}` : ""}`,
    );
  }
  out.line(`  grants     ${m.grants.length === 0 ? "none" : m.grants.length}`);
  for (const grant of m.grants) {
    out.line(
      `    #${grant.id}: ${groupDigits(BigInt(grant.units))} units, ${groupDigits(BigInt(grant.vestedAt))} vested, ${groupDigits(BigInt(grant.released))} released, ${groupDigits(BigInt(grant.releasableAt))} releasable${grant.revoked ? " (revoked)" : ""}`,
    );
  }
  out.result({ member: m });
  return 0;
}

interface PracticeDetail {
  id: string;
  slug: string;
  name: string;
  lead: string;
  status: string;
  createdAt: number;
  createdBy: { id: string; title: string } | null;
  sunsetAt: number | null;
  memberCount: number;
  members: {
    edges: {
      node: {
        account: string;
        role: string;
        since: number | null;
        member: { role: string; status: string } | null;
      };
    }[];
  };
}

async function showPractice(api: ApiClient, out: Output, key: string): Promise<number> {
  const slug = parseSlug(key, "<slug>");
  const data = await orNull(
    api.query<{ practice: PracticeDetail }>(
      `query($slug: String!) { practice(slug: $slug) { id slug name lead status createdAt createdBy { id title } sunsetAt memberCount
        members(first: 100) { edges { node { account role since member { role status } } } } } }`,
      { slug },
    ),
  );
  if (!data) throw new UsageError(`No practice "${slug}" (in the mirror)`, NOT_YET);
  const p = data.practice;
  out.line(`Practice ${p.slug}: ${p.name}`);
  out.line(`  status     ${p.status}${p.sunsetAt ? ` since ${formatTime(p.sunsetAt)}` : ""}`);
  out.line(`  lead       ${p.lead}`);
  out.line(
    `  created    ${formatTime(p.createdAt)}${p.createdBy ? ` by proposal ${p.createdBy.id.slice(0, 10)}… (${stripProposerSuffix(p.createdBy.title)})` : ""}`,
  );
  out.line(`  members    ${p.memberCount}`);
  for (const { node } of p.members.edges) {
    const firm = node.member ? ` (${node.member.role}, ${node.member.status})` : "";
    out.line(`    ${node.account} ${node.role}${firm}`);
  }
  out.result({ practice: p });
  return 0;
}

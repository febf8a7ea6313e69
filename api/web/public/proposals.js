// Proposals: the open ones (pending or in their vote) and the most recent others, each with its tally
// in both measures (equity and headcount), what For must reach to pass (a majority of all eligible
// partners, or the supermajority an expulsion or a constitutional change needs), and a bar per quorum
// showing whether it is reached.
import {
  alertBox,
  definitions,
  enumLabel,
  formatUnits,
  h,
  hex,
  loading,
  shortId,
  show,
  time,
  units,
} from "./dom.js";
import { describeError, query } from "./graphql.js";
import { mountWallet } from "./proposalsWallet.js";

/** How many of the latest proposals to list besides the open ones. */
const RECENT = 10;
/** Open proposals listed at most; a firm rarely has more in flight at once. */
const OPEN_MAX = 50;

const PROPOSALS_QUERY = `query Proposals($recent: Int!, $openMax: Int!) {
  active: proposals(where: { state: ACTIVE }, first: $openMax) { edges { node { ...ProposalCard } } }
  pending: proposals(where: { state: PENDING }, first: $openMax) { edges { node { ...ProposalCard } } }
  recent: proposals(first: $recent) { edges { node { ...ProposalCard } } }
}
fragment ProposalCard on Proposal {
  id title description kind state proposer createdAt snapshot voteStart voteEnd eta expiresAt executedAt canceledAt
  movesFunds recusals actions { target value calldata }
  tally { for { equity headcount } against { equity headcount } abstain { equity headcount } }
  quorum {
    reached
    supermajority supermajorityEquityBps supermajorityHeadcountBps
    forEquityNeeded forHeadcountNeeded forReached
    equity { bps base required counted reached }
    headcount { bps base required counted reached }
  }
}`;

export async function proposalsView(_params, context) {
  const wallet = mountWallet(document.getElementById("proposals-wallet"), context, () =>
    drawProposals(wallet),
  );
  await drawProposals(wallet);
}

/** Reads the proposals and draws them, with the wallet's actions in each card once connected. */
async function drawProposals(wallet) {
  const result = document.getElementById("proposals-result");
  result.setAttribute("aria-busy", "true");
  if (!result.hasChildNodes()) show(result, loading("Reading the proposals…"));
  try {
    const data = await query(PROPOSALS_QUERY, { recent: RECENT, openMax: OPEN_MAX });
    const nodes = (connection) => connection.edges.map((edge) => edge.node);
    const open = [...nodes(data.active), ...nodes(data.pending)];
    const openIds = new Set(open.map((proposal) => proposal.id));
    const recent = nodes(data.recent).filter((proposal) => !openIds.has(proposal.id));
    show(
      result,
      section("open-proposals", "Open", open, "No proposal is open for votes."),
      section("recent-proposals", "Recent", recent, "No other proposal yet."),
    );
    await wallet.fillCards([...open, ...recent]);
  } catch (error) {
    show(result, alertBox(describeError(error)));
  } finally {
    result.removeAttribute("aria-busy");
  }
}

function section(id, title, proposals, empty) {
  return h(
    "section",
    { id, "aria-labelledby": `${id}-title` },
    h("h3", { id: `${id}-title` }, `${title} (${proposals.length})`),
    proposals.length === 0 ? h("p", { class: "muted" }, empty) : proposals.map(proposalCard),
  );
}

function proposalCard(proposal) {
  const titleId = `proposal-${proposal.id}-title`;
  return h(
    "article",
    { class: "card proposal", "aria-labelledby": titleId, "data-proposal": proposal.id },
    h("h4", { id: titleId }, proposal.title || "(untitled)"),
    h(
      "p",
      { class: "meta" },
      h("span", { class: `badge state-${proposal.state.toLowerCase()}` }, enumLabel(proposal.state)),
      " ",
      enumLabel(proposal.kind),
      " · id ",
      h("code", { class: "id", title: proposal.id }, shortId(proposal.id)),
    ),
    definitions(
      [
        ["Proposed by", hex(proposal.proposer)],
        ["Voting", [time(proposal.voteStart), " to ", time(proposal.voteEnd)]],
        ...(proposal.executedAt ? [["Executed", time(proposal.executedAt)]] : []),
        ...(proposal.canceledAt ? [["Canceled", time(proposal.canceledAt)]] : []),
        ...(proposal.eta && !proposal.executedAt ? [["Executable from", time(proposal.eta)]] : []),
        ...(OPEN_STATES.has(proposal.state) ? [["Expires after", time(proposal.expiresAt)]] : []),
        ...(proposal.movesFunds
          ? [["Treasury", "Moves funds: its For voters cannot withdraw until it is over"]]
          : []),
      ],
      { class: "facts" },
    ),
    tallyTable(proposal),
    passingRule(proposal),
    h(
      "div",
      { class: "quorums" },
      h(
        "p",
        { class: proposal.quorum.reached ? "quorum-summary ok" : "quorum-summary no" },
        proposal.quorum.reached
          ? "Quorum reached in both measures"
          : "Quorum not reached: it takes both measures",
      ),
      quorumBar("Equity quorum", "units", proposal.quorum.equity, "equity"),
      quorumBar("Headcount quorum", "partners", proposal.quorum.headcount, "headcount"),
    ),
    // Filled by the wallet once connected: ballots and a vote, or queue and execute.
    h("div", { class: "wallet-slot", "data-slot": proposal.id }),
  );
}

/** States in which a proposal can still expire with no further step. */
const OPEN_STATES = new Set(["SUCCEEDED", "QUEUED"]);

/**
 * What For must reach: a majority of all eligible partners in both measures, or, for an expulsion or
 * a constitutional change, the supermajority of the proposal's own rule. Said in words, not colour.
 */
function passingRule(proposal) {
  const q = proposal.quorum;
  const needed = `${formatUnits(q.forEquityNeeded)} units and ${formatUnits(q.forHeadcountNeeded)} partners For`;
  const rule = q.supermajority
    ? `Supermajority required: ${q.supermajorityEquityBps / 100}% of the eligible equity and ` +
      `${q.supermajorityHeadcountBps / 100}% of the eligible partners (an expulsion or a constitutional change)`
    : "Majority required: more than half of all eligible partners, by equity and by headcount";
  return h(
    "p",
    {
      class: q.forReached ? "passing-rule ok" : "passing-rule no",
      "data-supermajority": String(q.supermajority),
      "data-for-reached": String(q.forReached),
    },
    h("strong", {}, rule),
    `. Needs ${needed}: ${q.forReached ? "reached" : "not reached"}.`,
  );
}

function tallyTable(proposal) {
  const { tally } = proposal;
  const measures = [
    ["equity", "Equity"],
    ["headcount", "Headcount"],
  ];
  const table = h(
    "table",
    { class: "tally" },
    h("caption", {}, "Tally: equity in units, headcount in partners"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("td", {}),
        h("th", { scope: "col" }, "For"),
        h("th", { scope: "col" }, "Against"),
        h("th", { scope: "col" }, "Abstain"),
      ),
    ),
    h(
      "tbody",
      {},
      measures.map(([measure, label]) =>
        h(
          "tr",
          { "data-measure": measure },
          h("th", { scope: "row" }, label),
          [tally.for, tally.against, tally.abstain].map((count) => h("td", {}, units(count[measure]))),
        ),
      ),
    ),
  );
  return h("div", { class: "table-scroll" }, table);
}

/**
 * A bar from 0 to the quorum's base: filled up to what counts (For + Abstain), with a mark at what is
 * required. Its colour and its text both say whether the quorum is reached.
 */
function quorumBar(label, unit, measure, name) {
  const base = BigInt(measure.base);
  const counted = BigInt(measure.counted);
  const required = BigInt(measure.required);
  const percentOfBase = (value) => (base === 0n ? 0 : Math.min(Number((value * 10_000n) / base) / 100, 100));
  const verdict = measure.reached ? "reached" : "not reached";
  const text =
    `${formatUnits(counted)} of ${formatUnits(required)} ${unit} required ` +
    `(${measure.bps / 100}% of ${formatUnits(base)}): ${verdict}`;

  const fill = h("div", { class: "fill" });
  const mark = h("div", { class: "required" });
  // CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline styles.
  fill.style.width = `${percentOfBase(counted)}%`;
  mark.style.left = `${percentOfBase(required)}%`;
  return h(
    "div",
    {
      class: `quorum ${measure.reached ? "ok" : "no"}`,
      "data-measure": name,
      "data-reached": String(measure.reached),
    },
    h("span", { class: "quorum-label" }, label),
    h(
      "div",
      {
        class: "bar",
        role: "meter",
        "aria-label": label,
        "aria-valuemin": 0,
        "aria-valuemax": base.toString(),
        "aria-valuenow": counted.toString(),
        "aria-valuetext": text,
      },
      fill,
      mark,
    ),
    h("span", { class: "quorum-figure" }, text),
  );
}

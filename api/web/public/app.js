// The page's entry: the header (firm name, deployment, indexing status) and the view the path names.
// Each view reads its inputs from the query string, so a submitted form (GET) is a link to share, and
// opening that link runs the same check.
import { booksView } from "./books.js";
import { alertBox, show } from "./dom.js";
import { describeError, query } from "./graphql.js";
import { answerView, presenceView } from "./presence.js";
import { proposalsView } from "./proposals.js";
import { techniciansView } from "./technicians.js";
import { verifyView } from "./verify.js";
import { vestingView } from "./vesting.js";

const VIEWS = {
  verify: { title: "Verify a member", run: verifyView },
  vesting: { title: "Vesting", run: vestingView },
  proposals: { title: "Proposals", run: proposalsView },
  presence: { title: "Verify in person", run: presenceView },
  answer: { title: "Answer a client's code", run: answerView },
  technicians: { title: "Find a technician", run: techniciansView },
  books: { title: "Books", run: booksView },
};

/** The header refreshes the indexing status this often, so a lagging mirror shows without a reload. */
const STATUS_REFRESH_MS = 15_000;

const HEADER_QUERY = `query Header {
  firm { name deployment chainId contracts { partnership practices governor timelock } }
  indexingStatus { headBlock indexedBlock indexedTimestamp lagBlocks synced maxLagBlocks }
}`;
const STATUS_QUERY = `query Status {
  indexingStatus { headBlock indexedBlock indexedTimestamp lagBlocks synced maxLagBlocks }
}`;

/**
 * What the views share: the firm (null when the API could not be read) and "now" as the API reads
 * it (the later of this clock and the mirror's last block time), so figures and marks agree.
 */
const context = {
  firm: null,
  status: null,
  now() {
    return Math.max(Math.floor(Date.now() / 1000), this.status?.indexedTimestamp ?? 0);
  },
};

/** "/" and "/verify/" are the verify view; an unknown path falls back to it as well. */
function viewOf(pathname) {
  const name = pathname.replace(/\/+$/, "").slice(1);
  return name in VIEWS ? name : "verify";
}

function showView(name) {
  for (const view of Object.keys(VIEWS)) {
    document.getElementById(`view-${view}`).hidden = view !== name;
  }
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function renderStatus(status) {
  const element = document.getElementById("indexing");
  context.status = status;
  element.dataset.synced = String(status.synced);
  if (status.indexedBlock === null) {
    element.textContent = "Not indexed yet: the mirror holds no block so far.";
    return;
  }
  const indexed = status.indexedBlock.toLocaleString("en-US");
  if (status.headBlock === null) {
    element.textContent = `Indexed to block ${indexed}; the chain's head is not known yet.`;
  } else if (status.synced) {
    element.textContent = `Synced · block ${indexed}`;
  } else {
    element.textContent =
      `Behind by ${status.lagBlocks.toLocaleString("en-US")} blocks · indexed ${indexed} of ` +
      `${status.headBlock.toLocaleString("en-US")}`;
  }
}

function renderStatusError(error) {
  const element = document.getElementById("indexing");
  element.dataset.synced = "unknown";
  element.textContent = describeError(error);
}

async function loadHeader(viewTitle) {
  try {
    const { firm, indexingStatus } = await query(HEADER_QUERY);
    context.firm = firm;
    document.getElementById("firm-name").textContent = firm.name;
    document.getElementById("deployment").textContent =
      `Deployment ${firm.deployment} · chain ${firm.chainId}`;
    document.title = `${viewTitle} · ${firm.name}`;
    renderStatus(indexingStatus);
  } catch (error) {
    renderStatusError(error);
  }
}

async function refreshStatus() {
  try {
    renderStatus((await query(STATUS_QUERY)).indexingStatus);
  } catch (error) {
    renderStatusError(error);
  }
}

async function main() {
  const name = viewOf(window.location.pathname);
  const view = VIEWS[name];
  showView(name);
  await loadHeader(view.title);
  setInterval(refreshStatus, STATUS_REFRESH_MS);
  try {
    await view.run(new URLSearchParams(window.location.search), context);
  } catch (error) {
    show(document.getElementById(`${name}-result`), alertBox(describeError(error)));
  }
}

void main();

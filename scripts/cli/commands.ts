// The `firm` commands: their usage text and where each one's code is. Modules load only when their
// command runs, so `firm vote` never pays for Hardhat, the indexer or the API.
import { DEFAULT_API_URL, DEFAULT_DEPLOYMENT, DEFAULT_RPC_URL } from "../../kernel/defaults.ts";
import type { Output } from "./lib/output.ts";
import { type KindHelp, PROPOSE_KINDS } from "./proposeKinds.ts";
import { WEBHOOKS_USAGE } from "./webhooksUsage.ts";

/** What a command module exports: runs with the arguments after the command's name; returns the exit code. */
export type CommandRun = (args: string[], out: Output) => Promise<number | undefined>;

export interface CommandEntry {
  name: string;
  /** Usage lines, without the leading "firm ". */
  usage: string[];
  /** What it does, in a line or two. */
  summary: string;
  /** More help for `firm <command> --help`. */
  details?: string[];
  /** Help of its own for each kind, for `firm <command> <kind> --help`. */
  kinds?: Record<string, KindHelp>;
  load: () => Promise<{ run: CommandRun }>;
}

/** What every proposal takes, whatever its kind. */
const PROPOSAL_OPTIONS = [
  "Every proposal can also take:",
  "  --title <text>        the first line of the description (a title is written for you)",
  "  --description <text>  more lines of description",
  "  --skip-dry-run        propose even if an action would revert if executed now",
];

const SIGNING = [
  "Signing (every command that sends a transaction):",
  "  --as <index|address>  an unlocked account of the dev node (chain 31337 only), e.g. --as 1",
  "  --keystore <file>     an encrypted JSON keystore (or FIRM_KEYSTORE); the password comes from",
  "                        FIRM_KEYSTORE_PASSWORD or is asked on the terminal",
  "  --wait                after the transaction, wait until the API's mirror has indexed its block",
];

export const COMMANDS: CommandEntry[] = [
  {
    name: "status",
    usage: ["status [--json]"],
    summary: "The chain, the contracts, the partners, open proposals and the indexer's lag.",
    load: () => import("./status.ts"),
  },
  {
    name: "propose",
    usage: Object.values(PROPOSE_KINDS).map((kind) => kind.usage),
    summary:
      "Propose a new practice, an admission, a grant, a retirement, a distribution, or a change to the books.",
    kinds: PROPOSE_KINDS,
    details: [
      ...PROPOSAL_OPTIONS,
      "`firm propose <kind> --help` shows one kind's options and an example.",
      "The description ends with #proposer=<your address>, so that only you can propose it: no one",
      "else can propose it first and cancel it. `firm show proposal` shows it without the suffix.",
      "Before proposing, each action is run as the treasury would run it now (eth_call): a proposal",
      "that could only fail (a slug taken, a lead who is not a partner) is refused with the reason.",
      "Amounts: ETH for --amount and --buyback-price (1.5, 1,000); with --token, in the token's decimals.",
      "A retirement is an expulsion: a proposal of its own (a --buyback-token price needs the treasury's",
      "allowance already), passed only by a supermajority of the other partners (3/4 by default).",
      "Durations: 1y, 6mo, 2w, 30d, 12h, 90m, 1y6mo.",
      "The books: `budget` (--firm for the firm's own), `budget-cut`, `budget-revoke`, `allow-token`,",
      "`profit-rule` and `close-period` (which states the lockstep amount read from the chain now).",
      ...SIGNING,
    ],
    load: () => import("./propose.ts"),
  },
  {
    name: "vote",
    usage: ['vote <proposal> for|against|abstain [--reason "…"]'],
    summary: "Vote on a proposal; a cover's vote also casts the ballot of the partner on leave.",
    details: [
      "<proposal> is the full id (decimal or 0x-hex) or its first digits as `firm proposals` shows.",
      "A proposal passes only with For from a majority of all the partners eligible to vote on it (a",
      "supermajority for an expulsion), by equity and by headcount, and the quorums. Its subject",
      "cannot vote on it. While a cover you accepted holds your ballot, they cast it, not you.",
      "A For vote on a proposal that moves treasury funds holds your exit (`firm ragequit`) until",
      "the proposal is over.",
      ...SIGNING,
    ],
    load: () => import("./vote.ts"),
  },
  {
    name: "queue",
    usage: ["queue <proposal>"],
    summary: "Queue a proposal that passed in the timelock.",
    details: SIGNING,
    load: () => import("./lifecycle.ts").then((m) => ({ run: m.runQueue })),
  },
  {
    name: "execute",
    usage: ["execute <proposal>"],
    summary: "Execute a queued proposal once the timelock delay has passed.",
    details: SIGNING,
    load: () => import("./lifecycle.ts").then((m) => ({ run: m.runExecute })),
  },
  {
    name: "leave",
    usage: ["leave --until <date> [--cover <address>]", "leave end"],
    summary: "Declare leave, asking a colleague to cover your ballot until the date, or end it early.",
    details: [
      "--until takes an ISO date (2027-01-31), a date-time with a zone, or a time from now (30d).",
      "A leave lasts at least the firm's minimum (1 day unless governance changed it), and a new one",
      "may start only after the firm's cooldown (7 days by default) since the last one ended.",
      "--cover names the partner you ask to cast your ballot. They hold it only once they accept",
      "(`firm cover accept <you>`); until then, and with no --cover, you cast your own ballot.",
      "`firm leave end` also ends their cover.",
      ...SIGNING,
    ],
    load: () => import("./leave.ts"),
  },
  {
    name: "cover",
    usage: ["cover accept <partner>", "cover resign"],
    summary: "Accept to cover a partner on leave who asked you (cast their ballot), or step down.",
    details: [
      "After `cover accept`, `firm vote` casts the partner's ballot with yours on proposals whose",
      "snapshot falls inside the cover, until their leave ends. After `cover resign`, they cast their",
      "own ballot again on proposals whose snapshot comes later. A cover accepts once per leave.",
      ...SIGNING,
    ],
    load: () => import("./cover.ts"),
  },
  {
    name: "ragequit",
    usage: ["ragequit --yes", "ragequit claim [--token <address>]"],
    summary:
      "Withdraw from the firm with your share of the treasury (irreversible), or claim what it credited you.",
    details: [
      "Your vested units are burned for the same fraction of the treasury's ETH and of each ERC-20",
      "governance listed, credited to you at the withdrawal desk; unvested units are forfeited, and an",
      "active member leaves the firm (retired). Without --yes it shows what you would get and sends",
      "nothing. You cannot withdraw while your ballot stands For a proposal that moves treasury funds",
      "and is not over (executed, defeated, canceled or expired): the command names those proposals.",
      "`ragequit claim` pays what you were credited: ETH, or --token <address>.",
      ...SIGNING,
    ],
    load: () => import("./ragequit.ts"),
  },
  {
    name: "profile",
    usage: [
      "profile set --name <text> --mode onsite|remote|both [--skills a,b] [--region CA-QC] [--city <text>] [--coordinates <lat,lon>] [--radius 50km] [--contact <url>] [--yes]",
      "profile clear",
      "profile show [address] [--json]",
    ],
    summary: "Publish, clear or show a member's public profile in the firm's talent directory.",
    details: [
      "A profile is public and permanent: anyone can read it in the chain's history. `profile clear`",
      "hides it from the directory; it does not erase it. `profile set` shows what it will publish and",
      "asks for confirmation (--yes skips the question; with no terminal, --yes is required).",
      "  --name <text>         1 to 64 bytes",
      "  --mode <m>            onsite, remote or both",
      "  --skills a,b          at most 8 tags of a-z, 0-9, '-', '+', '.', '#' (1 to 32 characters each)",
      "  --region <code>       ISO 3166-2, e.g. CA-QC; leave it out for remote-only work",
      "  --city <text>         at most 64 bytes",
      "  --coordinates <a,b>   latitude,longitude in degrees, rounded to 0.01° (about 1 km); never",
      "                        published unless given",
      "  --radius <km>         how far you travel for on-site work, 0 to 1,000 km (not with --mode remote)",
      "  --contact <url>       http:// or https://, at most 200 bytes after the scheme, no spaces",
      "`profile show` reads the API's mirror: the profile, the mentor and the mentees.",
      ...SIGNING,
    ],
    load: () => import("./profile.ts"),
  },
  {
    name: "mentor",
    usage: [
      "mentor offer <associate>",
      "mentor withdraw <associate>",
      "mentor accept <partner>",
      "mentor end [mentee]",
    ],
    summary: "Mentor links by mutual consent: a partner offers, the associate accepts, either ends it.",
    details: [
      "A mentor is an active partner, a mentee an active associate. Accepting a new mentor ends the",
      "earlier link. `mentor end` without an argument ends your own link as the mentee; anyone may end",
      "a link once the mentor or the mentee has left the firm. Governance assigns a mentor at admission:",
      "`firm propose admit … --role associate --mentor <partner>`.",
      ...SIGNING,
    ],
    load: () => import("./mentor.ts"),
  },
  {
    name: "release",
    usage: ["release [grant]"],
    summary: "Release vested units: of one grant, or of every grant of the signer.",
    details: SIGNING,
    load: () => import("./release.ts"),
  },
  {
    name: "claim",
    usage: ["claim <distribution>"],
    summary: "Claim your share of a distribution.",
    details: SIGNING,
    load: () => import("./claim.ts"),
  },
  {
    name: "pay",
    usage: [
      'pay --practice <slug>|--firm --to <address> --amount <x> [--token <address>] [--ref <invoice>] [--allow-repeat] --memo "…"',
    ],
    summary: "Pay from a practice's budget (or the firm's, with --firm), without a vote.",
    details: [
      "The signer must be the practice's lead or a spender the budget names, still an active member.",
      "--amount is in the budget's token (ETH: 1.5; a 6-decimal stablecoin: 1,250.50), read from the chain;",
      "--token, when given, must be the budget's. The payment must fit this period's remaining allowance",
      "(`firm budget`) and the books' free funds. --ref names the invoice paid: a payment to a payee",
      "already paid against that reference is refused before anything is sent, naming the earlier",
      "transaction; --allow-repeat sends it anyway (the books flag it as repeated). --memo says what it",
      "is for (at most 200 bytes).",
      ...SIGNING,
    ],
    load: () => import("./books.ts").then((m) => ({ run: m.runPay })),
  },
  {
    name: "deposit",
    usage: ["deposit --practice <slug>|--firm --amount <x> --ref <invoice> [--token <address>] [--yes]"],
    summary:
      "Pay the firm as a client would, tagged with a practice and an invoice (the dev chain, or --yes).",
    details: [
      "ETH by default; with --token an allowed ERC-20 (approved, then deposited: two transactions).",
      "--firm records it as the firm's unattributed revenue. A repeated --ref is accepted and flagged.",
      "On any chain but the dev chain it moves real money: it needs --yes.",
      ...SIGNING,
    ],
    load: () => import("./books.ts").then((m) => ({ run: m.runDeposit })),
  },
  {
    name: "budget",
    usage: ["budget [practice] [--json]"],
    summary:
      "The budget in force for a practice (without one: the firm's own) and this period's use, from the chain.",
    load: () => import("./books.ts").then((m) => ({ run: m.runBudget })),
  },
  {
    name: "books",
    usage: ["books [--from YYYY-MM] [--to YYYY-MM] [--practice <slug>|--firm] [--csv] [--json]"],
    summary: "The books by month and practice from the API: revenue, expenses, net, budgets and closes.",
    details: [
      "Without --from/--to, the last 12 months. --firm shows the firm's own line (shared costs and",
      "unattributed revenue). --csv prints the API's /books.csv unchanged: one row per movement, oldest",
      "first, Date,Description,Amount first (the bank statement layout QuickBooks and Xero import).",
    ],
    load: () => import("./books.ts").then((m) => ({ run: m.runBooks })),
  },
  {
    name: "proposals",
    usage: [
      "proposals [--state pending|active|succeeded|queued|executed|defeated|canceled|expired] [--limit N]",
    ],
    summary: "List proposals, newest first, with both tallies.",
    load: () => import("./proposals.ts"),
  },
  {
    name: "technicians",
    usage: [
      "technicians --practice <slug> [--near <lat,lon>] [--radius 50km] [--remote] [--region <code>] [--skill <tag>] [--limit N]",
    ],
    summary:
      "Find a practice's technicians: on site near a place (nearest first), remote, by region or skill.",
    details: [
      "--near 45.50,-73.57 lists members who work on site within --radius (default 50km, at most 1000km)",
      "of the place, nearest first, with the distance. --remote lists members who work remotely, wherever",
      "they are. --region takes an ISO 3166-2 code (CA-QC) or a country (CA). Only active members (or on",
      "leave) with a seat in the practice and a published profile (`firm profile set`) appear.",
    ],
    load: () => import("./technicians.ts"),
  },
  {
    name: "show",
    usage: ["show proposal <id>", "show member <address>", "show practice <slug>"],
    summary: "Show one proposal, member or practice.",
    load: () => import("./show.ts"),
  },
  {
    name: "vesting",
    usage: ["vesting <address>"],
    summary:
      "An address's grants, with a chart of each schedule, vested now, releasable and the next unlock.",
    load: () => import("./vesting.ts"),
  },
  {
    name: "verify",
    usage: ["verify --practice <slug> --account <address>"],
    summary:
      "Ask the chain directly whether an account is a member of a practice; prints the verdict and the evidence.",
    details: ["Exits 0 when verified, 1 when not."],
    load: () => import("./verify.ts"),
  },
  {
    name: "prove",
    usage: ["prove --practice <slug> --code <code> [--api <url>]"],
    summary:
      "Prove to a client in front of you that you are a member of a practice: sign their challenge, show a QR code.",
    details: [
      'The client\'s page (verify view, "The person is here with me") shows a code such as 7KQ2-M9XD, valid',
      "10 minutes. This signs that challenge's Sign-In with Ethereum message with your key and prints the",
      "proof as a link and a QR code; the client's page verifies it once. Nothing is sent to the chain.",
      "  --api <url>           the client's API (default FIRM_API_URL), e.g. https://firm.example.com",
      "  --as <index|address>  an unlocked account of the dev node (chain 31337 only)",
      "  --keystore <file>     your encrypted JSON keystore (or FIRM_KEYSTORE)",
    ],
    load: () => import("./prove.ts"),
  },
  {
    name: "dev",
    usage: ["dev advance <duration>"],
    summary: "Dev chain only: move time forward and mine a block (past a voting delay, period or timelock).",
    load: () => import("./dev.ts"),
  },
  {
    name: "keystore",
    usage: ["keystore new [--out <file>]", "keystore import [--private-key-file <file>] [--out <file>]"],
    summary: "Create an encrypted keystore for a new key, or for a key you have.",
    details: [
      "The password comes from FIRM_KEYSTORE_PASSWORD or is asked twice on the terminal.",
      "Without --out the file goes to ~/.firm/keystores/<address>.json.",
    ],
    load: () => import("./keystore.ts"),
  },
  {
    name: "deploy",
    usage: [
      "deploy --network <name> [--parameters <file>] [--out <file>] [--name <label>] [--keystore <file>] [--force] [--fresh]",
    ],
    summary:
      "Deploy the firm's contracts with the Ignition module (or report the existing deployment) and write the manifest.\n--force replaces a manifest that says otherwise; --fresh starts over on a node reset under the same chain id.\n--network external reads RPC_URL and DEPLOYER_PRIVATE_KEY (or a keystore).",
    load: () => import("./deploy.ts"),
  },
  {
    name: "index",
    usage: ["index"],
    summary:
      "Run the indexer: mirror the chain into PostgreSQL (PGlite in DATA_DIR unless DATABASE_URL is set).\nAlso applies WEBHOOKS_FILE and runs the webhook delivery worker (WEBHOOKS_WORKER=0 turns it off).\nConfigured from the environment: RPC_URL, DEPLOYMENT, DATABASE_URL, DATA_DIR, LOG_LEVEL, ...",
    load: () => import("./index.ts"),
  },
  {
    name: "serve",
    usage: ["serve"],
    summary:
      "Run the GraphQL API (http://127.0.0.1:$PORT/graphql) over a PostgreSQL mirror.\nWith WEBHOOKS_WORKER=1, also a webhook delivery worker.\nConfigured from the environment: DATABASE_URL, DEPLOYMENT, RPC_URL, REDIS_URL, PORT, ...",
    load: async () => ({
      run: async () => {
        const { loadManifest, readCliEnv, withCliDefaults } = await import("./lib/env.ts");
        loadManifest(readCliEnv());
        // The API's entry point reads process.env and starts the server when imported, so the
        // defaults go into process.env first.
        Object.assign(process.env, withCliDefaults());
        await import("../../api/server.ts");
        return undefined;
      },
    }),
  },
  {
    name: "audit",
    usage: ["audit [--json]"],
    summary: "Compare the mirror with the chain at the indexed block; exits 1 on any drift.",
    load: () => import("./audit.ts"),
  },
  {
    name: "webhooks",
    usage: [...WEBHOOKS_USAGE],
    summary: "Manage the endpoints that hear about proposals and members (any webhook, Slack or Teams).",
    details: [
      "Works on the mirror's database: DATABASE_URL, or the PGlite folder DATA_DIR (stop `npm start`",
      "first: the folder belongs to one process at a time).",
      "`add` checks the URL (http(s) only; no loopback or private-network target unless",
      "WEBHOOKS_ALLOW_PRIVATE=1) and prints the endpoint's Standard Webhooks secret, once.",
      "`test` sends one signed test message now and prints the receiver's HTTP status.",
      "`apply` makes the named endpoints what a JSON file declares (see the README; WEBHOOKS_FILE is",
      "applied by `npm start` and `firm index` at start): matched on name, so applying twice changes",
      'nothing; --prune removes named endpoints the file no longer has; secrets may be { "env": "VAR" }.',
      "`disable` stops new notifications reaching an endpoint; its pending deliveries wait, and go out",
      "with their own ids after `enable`.",
    ],
    load: () => import("./webhooks.ts"),
  },
];

const ENVIRONMENT = [
  "Environment:",
  `  RPC_URL       the chain's JSON-RPC URL (default ${DEFAULT_RPC_URL})`,
  `  DEPLOYMENT    the deployment manifest (default ${DEFAULT_DEPLOYMENT}, written by \`npm start\`)`,
  `  FIRM_API_URL  the GraphQL API for reads (default ${DEFAULT_API_URL})`,
  "  FIRM_DEBUG=1  print stack traces",
];

/** `firm --help`. */
export function overallUsage(): string {
  const lines = ["Usage: firm <command> [options]", "", "Commands:"];
  for (const command of COMMANDS) {
    for (const usage of command.usage) lines.push(`  ${usage}`);
    for (const line of command.summary.split("\n")) lines.push(`      ${line}`);
  }
  lines.push(
    "",
    "Options for every command:",
    "  --json     print one JSON object for scripts",
    "  --help     show the command's help",
    "",
    ...ENVIRONMENT,
    "",
    "Exit codes: 0 success, 1 a negative answer (drift, not verified) or an internal error, 2 a usage error or a revert.",
  );
  return lines.join("\n");
}

/** `firm <command> --help`, or `firm <command> <kind> --help` for a kind's own help. */
export function commandUsage(command: CommandEntry, args: readonly string[] = []): string {
  const kind = args[0] !== undefined ? command.kinds?.[args[0]] : undefined;
  if (kind) return kindUsage(kind);
  const [first, ...rest] = command.usage;
  const lines = [`Usage: firm ${first}`, ...rest.map((usage) => `       firm ${usage}`), "", command.summary];
  if (command.details) lines.push("", ...command.details);
  lines.push("", ...ENVIRONMENT);
  return lines.join("\n");
}

function kindUsage(kind: KindHelp): string {
  return [
    `Usage: firm ${kind.usage}`,
    "",
    kind.summary,
    "",
    "Options:",
    ...kind.options.map((line) => `  ${line}`),
    "",
    ...PROPOSAL_OPTIONS,
    "Durations: 1y, 6mo, 2w, 30d, 12h, 90m, 1y6mo.",
    "",
    "Example:",
    `  ${kind.example}`,
    "",
    ...SIGNING,
    "",
    ...ENVIRONMENT,
  ].join("\n");
}

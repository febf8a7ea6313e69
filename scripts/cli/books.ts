// The firm's books (Books.sol) from the command line: `firm pay` from a budget, `firm deposit` as a
// client would pay (the dev chain, or --yes), `firm budget` read from the chain, `firm books` from the
// API's mirror (or its CSV export unchanged), and the planners of the books' proposal kinds (budget,
// budget-cut, budget-revoke, allow-token, profit-rule, close-period) that propose.ts runs.
import { type Address, erc20Abi, keccak256, toBytes, zeroAddress } from "viem";
import { booksAbi, practicesAbi } from "../../contracts/abi.ts";
import { shortAddress } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import type { ChainContext } from "./lib/chain.ts";
import type { Output } from "./lib/output.ts";
import { parseAddress, parseAmount, parseChoice, parseSlug } from "./lib/parse.ts";
import {
  call,
  distributionActions,
  formatUnitsText,
  type Plan,
  type PlannedAction,
  readToken,
  type TokenInfo,
} from "./lib/plan.ts";
import { findEvent, reportSent, type SentWrite } from "./lib/send.ts";
import {
  openApi,
  openSession,
  openWriteSession,
  sendAndWait,
  WRITE_OPTIONS,
  type WriteSession,
} from "./lib/session.ts";

export const PAY_USAGE =
  'pay --practice <slug>|--firm --to <address> --amount <x> [--token <address>] [--ref <invoice>] [--allow-repeat] --memo "…"';
export const DEPOSIT_USAGE =
  "deposit --practice <slug>|--firm --amount <x> --ref <invoice> [--token <address>] [--yes]";
export const BUDGET_USAGE = "budget [practice]";
export const BOOKS_USAGE = "books [--from YYYY-MM] [--to YYYY-MM] [--practice <slug>|--firm] [--csv]";

const ETH_TOKEN: TokenInfo = { token: zeroAddress, decimals: 18, symbol: "ETH" };
const CADENCES = ["monthly", "quarterly"] as const;
/** Books.MAX_SPENDERS. */
const MAX_SPENDERS = 16;

// ---------------------------------------------------------------------------------------------
// Months and practices as people write them
// ---------------------------------------------------------------------------------------------

/** "2026-11" → 202611 (the contract's yyyymm). */
export function parseMonth(text: string, option: string): number {
  const match = /^\s*(\d{4})-(\d{2})\s*$/.exec(text);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12)
    throw new UsageError(
      `${option} "${text}" is not a month`,
      "Write a calendar month as YYYY-MM, e.g. 2026-11.",
    );
  return Number(match[1]) * 100 + month;
}

/** 202611 → "2026-11". */
export function formatMonth(yyyymm: number): string {
  return `${Math.floor(yyyymm / 100)}-${String(yyyymm % 100).padStart(2, "0")}`;
}

/**
 * The practice a books command acts for: --practice <slug>, or the firm itself ("") with --firm, with
 * --practice "" or (where `firmByDefault`) with neither.
 */
export function practiceOption(
  values: { practice?: string; firm?: boolean },
  usage: string,
  firmByDefault = false,
): string {
  if (values.firm && values.practice)
    throw new UsageError("--firm and --practice name two budgets: give one", `Usage: firm ${usage}`);
  if (values.firm || values.practice?.trim() === "") return "";
  if (values.practice === undefined) {
    if (firmByDefault) return "";
    throw new UsageError(
      "--practice is required",
      `Name the practice (--practice cloud), or --firm for the firm's own books. Usage: firm ${usage}`,
    );
  }
  return parseSlug(values.practice, "--practice");
}

const practiceName = (slug: string) => (slug === "" ? "the firm" : slug);

/** Percent ("50%", "37.5%") or basis points ("5000bps", "5000") → basis points, at most 10,000. */
export function parseShareBps(text: string, option: string): number {
  const value = text.trim().toLowerCase();
  const percent = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%$/.exec(value);
  const bps = /^(\d{1,5})\s*(?:bps)?$/.exec(value);
  const result = percent
    ? Number(percent[1]) * 100 + Number((percent[2] ?? "").padEnd(2, "0"))
    : bps
      ? Number(bps[1])
      : Number.NaN;
  if (!(result >= 0 && result <= 10_000))
    throw new UsageError(
      `${option} "${text}" is not a share`,
      "Write a percent (50%, 37.5%) or basis points (5000bps, 5000), at most 100%.",
    );
  return result;
}

/** "3/2/1" → lead, member and technician weights, each a whole number 0 to 255, not all zero. */
export function parseWeights(text: string, option: string): [number, number, number] {
  const match = /^\s*(\d{1,3})\/(\d{1,3})\/(\d{1,3})\s*$/.exec(text);
  const weights = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [];
  if (weights.length !== 3 || weights.some((w) => w > 255) || weights.every((w) => w === 0))
    throw new UsageError(
      `${option} "${text}" is not lead/member/technician weights`,
      "Write three whole numbers 0 to 255, not all zero, e.g. --weights 3/2/1.",
    );
  return weights as [number, number, number];
}

async function tokenInfo(session: { context: ChainContext }, token: Address): Promise<TokenInfo> {
  return token === zeroAddress ? ETH_TOKEN : readToken(session, token);
}

const formatAmount = (amount: bigint, token: TokenInfo) =>
  `${formatUnitsText(amount, token.decimals)} ${token.symbol}`;

interface BudgetView {
  budgetId: bigint;
  token: Address;
  amount: bigint;
  cadence: number;
  rollover: boolean;
  revoked: boolean;
  period: number;
  allowance: bigint;
  spent: bigint;
  remaining: bigint;
}

async function readBudget(context: ChainContext, slug: string): Promise<BudgetView> {
  return (await context.publicClient.readContract({
    address: context.manifest.contracts.books,
    abi: booksAbi,
    functionName: "budgetOf",
    args: [slug],
  })) as BudgetView;
}

// ---------------------------------------------------------------------------------------------
// firm pay
// ---------------------------------------------------------------------------------------------

/**
 * The first Paid event to `payee` against `ref`, by budget or by proposal, since the deployment. The
 * payee is an indexed topic, so the node filters by it and only that payee's payments come back;
 * the reference is compared here (a string in the data, not a topic).
 */
export async function findEarlierPayment(
  context: ChainContext,
  payee: Address,
  ref: string,
): Promise<{ txHash: string; blockNumber: bigint } | undefined> {
  const events = await context.publicClient.getContractEvents({
    address: context.manifest.contracts.books,
    abi: booksAbi,
    eventName: "Paid",
    args: { payee },
    fromBlock: BigInt(context.manifest.startBlock),
    toBlock: "latest",
  });
  const earlier = events.find((event) => event.args.ref === ref);
  if (!earlier || earlier.transactionHash === null || earlier.blockNumber === null) return undefined;
  return { txHash: earlier.transactionHash, blockNumber: earlier.blockNumber };
}

export async function runPay(args: string[], out: Output): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      ...WRITE_OPTIONS,
      practice: { type: "string" },
      firm: { type: "boolean", default: false },
      to: { type: "string" },
      amount: { type: "string" },
      token: { type: "string" },
      ref: { type: "string" },
      memo: { type: "string" },
      "allow-repeat": { type: "boolean", default: false },
    },
    { usage: PAY_USAGE },
  );
  const slug = practiceOption(values, PAY_USAGE);
  const payee = parseAddress(required(values.to, "--to", PAY_USAGE), "--to");
  const amountText = required(values.amount, "--amount", PAY_USAGE);
  const memo = required(values.memo, "--memo", PAY_USAGE);
  const ref = values.ref ?? "";
  const named = values.token === undefined ? undefined : parseAddress(values.token, "--token");
  const session = await openWriteSession(values);
  const budget = await readBudget(session.context, slug);
  if (budget.budgetId === 0n || budget.revoked)
    throw new UsageError(
      `${practiceName(slug)} has no budget in force: nothing can be paid without a vote`,
      "Propose one with `firm propose budget`, or pay by proposal.",
    );
  if (named && named !== budget.token)
    throw new UsageError(
      `--token ${named} is not the budget's token (${budget.token === zeroAddress ? "ETH" : budget.token})`,
      "A budget pays in its own token: leave --token out.",
    );
  const token = await tokenInfo(session, budget.token);
  const amount = parseAmount(amountText, "--amount", token);
  if (ref !== "" && !values["allow-repeat"]) {
    const earlier = await findEarlierPayment(session.context, payee, ref);
    if (earlier)
      throw new UsageError(
        `${payee} was already paid against reference "${ref}", in transaction ${earlier.txHash} (block ${earlier.blockNumber}): nothing was sent`,
        "An invoice is paid once: check the earlier payment. To pay again anyway, add --allow-repeat (the books flag the payment as repeated).",
        { payee, ref, earlierTx: earlier.txHash, earlierBlock: earlier.blockNumber },
      );
  }
  const sent = await sendAndWait(
    session,
    {
      address: session.context.manifest.contracts.books,
      abi: booksAbi,
      functionName: "pay",
      args: [slug, payee, amount, ref, memo],
    },
    {
      doing: `pay ${formatAmount(amount, token)} from ${practiceName(slug)}'s budget`,
      wait: values.wait,
      out,
    },
  );
  const paid = findEvent(sent, "Paid")?.args;
  const remaining = budget.remaining - amount;
  out.line(
    `Paid ${formatAmount(amount, token)} to ${payee} from ${practiceName(slug)}'s budget${ref ? ` (ref ${ref})` : ""}: ${memo}`,
  );
  out.line(`  budget #${budget.budgetId}: ${formatAmount(remaining, token)} left this period`);
  reportSent(out, sent, {
    practice: slug,
    payee,
    token: token.token,
    amount,
    ref,
    memo,
    budgetId: budget.budgetId,
    month: paid?.month === undefined ? undefined : formatMonth(Number(paid.month)),
    remaining,
  });
  return 0;
}

// ---------------------------------------------------------------------------------------------
// firm deposit
// ---------------------------------------------------------------------------------------------

export async function runDeposit(args: string[], out: Output): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      ...WRITE_OPTIONS,
      practice: { type: "string" },
      firm: { type: "boolean", default: false },
      amount: { type: "string" },
      token: { type: "string" },
      ref: { type: "string" },
      yes: { type: "boolean", default: false },
    },
    { usage: DEPOSIT_USAGE },
  );
  const slug = practiceOption(values, DEPOSIT_USAGE);
  const amountText = required(values.amount, "--amount", DEPOSIT_USAGE);
  const ref = required(values.ref, "--ref", DEPOSIT_USAGE).trim();
  if (ref === "")
    throw new UsageError("--ref is empty", "Give the invoice the payment settles, e.g. --ref INV-2026-0142.");
  const tokenAddress = values.token === undefined ? zeroAddress : parseAddress(values.token, "--token");
  const session = await openWriteSession(values);
  const { context } = session;
  // A deposit is how a client pays: on the dev chain it plays the client; elsewhere it moves real money.
  if (!context.isDevChain && !values.yes)
    throw new UsageError(
      `\`firm deposit\` pays real money on chain ${context.chainId}: nothing was sent`,
      "Add --yes if you mean to pay the firm yourself; clients usually pay to the books' address.",
    );
  const token = await tokenInfo(session, tokenAddress);
  const amount = parseAmount(amountText, "--amount", token);
  const books = context.manifest.contracts.books;
  const doing = `deposit ${formatAmount(amount, token)} for ${practiceName(slug)}`;
  let sent: SentWrite;
  if (token.token === zeroAddress) {
    sent = await sendAndWait(
      session,
      { address: books, abi: booksAbi, functionName: "deposit", args: [slug, ref], value: amount },
      { doing, wait: values.wait, out },
    );
  } else {
    out.progress(`Approving the books to take ${formatAmount(amount, token)}…`);
    await sendAndWait(
      session,
      { address: token.token, abi: erc20Abi, functionName: "approve", args: [books, amount] },
      { doing: `approve the books for ${formatAmount(amount, token)}`, wait: false, out },
    );
    sent = await sendAndWait(
      session,
      { address: books, abi: booksAbi, functionName: "depositToken", args: [token.token, amount, slug, ref] },
      { doing, wait: values.wait, out },
    );
  }
  const deposited = findEvent(sent, "Deposited")?.args;
  const arrived = (deposited?.amount as bigint | undefined) ?? amount;
  const repeated = deposited?.repeatedReference === true;
  out.line(`Deposited ${formatAmount(arrived, token)} for ${practiceName(slug)} against ${ref}.`);
  if (repeated) out.line(`  note: ${ref} was used by an earlier deposit; the books flag it for follow-up`);
  reportSent(out, sent, {
    practice: slug,
    token: token.token,
    amount: arrived,
    ref,
    repeatedReference: repeated,
    month: deposited?.month === undefined ? undefined : formatMonth(Number(deposited.month)),
  });
  return 0;
}

// ---------------------------------------------------------------------------------------------
// firm budget
// ---------------------------------------------------------------------------------------------

export async function runBudget(args: string[], out: Output): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, { max: 1, usage: BUDGET_USAGE });
  const text = positionals[0];
  const slug = text === undefined || text.trim() === "" ? "" : parseSlug(text, "practice");
  const { context } = await openSession();
  const budget = await readBudget(context, slug);
  if (budget.budgetId === 0n) {
    out.line(`${practiceName(slug)} has no budget (none was ever set).`);
    out.result({ practice: slug, budget: null });
    return 0;
  }
  const token = await tokenInfo({ context }, budget.token);
  const cadence = CADENCES[budget.cadence] ?? "monthly";
  const period = formatMonth(budget.period);
  out.line(`Budget #${budget.budgetId} of ${practiceName(slug)}${budget.revoked ? " (revoked)" : ""}:`);
  out.line(
    `  ${formatAmount(budget.amount, token)} ${cadence}${budget.rollover ? ", unspent rolls over (one period at most)" : ""}`,
  );
  out.line(
    `  period ${cadence === "quarterly" ? "from " : ""}${period}: allowance ${formatAmount(budget.allowance, token)}`,
  );
  out.line(`  used       ${formatAmount(budget.spent, token)}`);
  out.line(`  remaining  ${formatAmount(budget.remaining, token)}`);
  out.result({
    practice: slug,
    budget: {
      id: budget.budgetId,
      token: token.token,
      symbol: token.symbol,
      decimals: token.decimals,
      amount: budget.amount,
      cadence: cadence.toUpperCase(),
      rollover: budget.rollover,
      revoked: budget.revoked,
      period,
      allowance: budget.allowance,
      used: budget.spent,
      remaining: budget.remaining,
    },
  });
  return 0;
}

// ---------------------------------------------------------------------------------------------
// firm books
// ---------------------------------------------------------------------------------------------

interface TokenRef {
  address: string;
  symbol: string | null;
  decimals: number | null;
}
interface BooksRow {
  month: string;
  practice: { slug: string; name: string };
  token: TokenRef;
  revenue: string;
  expenses: string;
  net: string;
  budgetUsed: string | null;
  budgetRemaining: string | null;
  distributed: string | null;
  closed: boolean;
}
interface BooksAnswer {
  fromMonth: string;
  toMonth: string;
  rows: BooksRow[];
  totals: { token: TokenRef; revenue: string; expenses: string; net: string; distributed: string }[];
  closes: {
    month: string;
    token: TokenRef;
    net: string;
    toPractices: string;
    lockstep: string;
    carriedLoss: string;
  }[];
}

export const BOOKS_QUERY = `query($from: String, $to: String, $practice: String) {
  books(from: $from, to: $to, practice: $practice) {
    fromMonth: from toMonth: to
    rows { month practice { slug name } token { address symbol decimals } revenue expenses net
      budgetUsed budgetRemaining distributed closed }
    totals { token { address symbol decimals } revenue expenses net distributed }
    closes { month token { address symbol decimals } net toPractices lockstep carriedLoss } } }`;

/** The API's /books.csv URL next to its /graphql, with the same filters. */
export function booksCsvUrl(
  apiUrl: string,
  filters: { from?: string; to?: string; practice?: string },
): string {
  const url = new URL(apiUrl);
  url.pathname = `${url.pathname.replace(/\/graphql\/?$/, "")}/books.csv`;
  url.search = "";
  for (const [key, value] of Object.entries(filters))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** A base-unit amount (a BigInt decimal string, maybe signed) in the token's units, exactly; as it
 * is (base units) for a token whose decimals the indexer could not read. */
export function formatTokenAmount(amount: string, token: TokenRef): string {
  if (token.decimals === null) return amount;
  const negative = amount.startsWith("-");
  const digits = BigInt(negative ? amount.slice(1) : amount);
  return `${negative ? "-" : ""}${formatUnitsText(digits, token.decimals)}`;
}

export async function runBooks(args: string[], out: Output): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      from: { type: "string" },
      to: { type: "string" },
      practice: { type: "string" },
      firm: { type: "boolean", default: false },
      csv: { type: "boolean", default: false },
    },
    { usage: BOOKS_USAGE },
  );
  const from = values.from === undefined ? undefined : formatMonth(parseMonth(values.from, "--from"));
  const to = values.to === undefined ? undefined : formatMonth(parseMonth(values.to, "--to"));
  if (from && to && from > to)
    throw new UsageError(`--from ${from} is after --to ${to}`, "Give the earlier month as --from.");
  const practice =
    values.practice === undefined && !values.firm ? undefined : practiceOption(values, BOOKS_USAGE);
  if (values.csv && values.json)
    throw new UsageError("--csv and --json are two formats: give one", `Usage: firm ${BOOKS_USAGE}`);
  const api = openApi();
  if (values.csv) {
    const url = booksCsvUrl(api.url, { from, to, practice });
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new UsageError(
        `Cannot reach the firm's API at ${url} (${(error as Error).message})`,
        "Start the dev stack with `npm start`, or set FIRM_API_URL.",
      );
    }
    const body = await response.text();
    if (!response.ok)
      throw new UsageError(`The API answered HTTP ${response.status}: ${body.trim().split("\n")[0]}`);
    // Unchanged: a spreadsheet or an accounting import reads it as the API wrote it.
    process.stdout.write(body);
    return 0;
  }
  const { books } = await api.query<{ books: BooksAnswer }>(BOOKS_QUERY, {
    from: from ?? null,
    to: to ?? null,
    practice: practice ?? null,
  });
  out.line(
    `The books from ${books.fromMonth} to ${books.toMonth}${practice === undefined ? "" : ` for ${practiceName(practice)}`}:`,
  );
  if (books.rows.length === 0) out.line("  nothing moved");
  else
    out.line(
      "  month    practice          revenue          expenses         net              budget left      ",
    );
  for (const row of books.rows) {
    const t = (amount: string | null) =>
      (amount === null ? "—" : formatTokenAmount(amount, row.token)).padEnd(17);
    out.line(
      `  ${row.month}  ${(row.practice.slug || "(firm)").padEnd(16)}  ${t(row.revenue)}${t(row.expenses)}${t(row.net)}${t(row.budgetRemaining)}${row.token.symbol ?? shortAddress(row.token.address)}${row.closed ? "  closed" : ""}`,
    );
  }
  for (const total of books.totals)
    out.line(
      `  total ${total.token.symbol ?? total.token.address}: revenue ${formatTokenAmount(total.revenue, total.token)}, expenses ${formatTokenAmount(total.expenses, total.token)}, net ${formatTokenAmount(total.net, total.token)}, distributed ${formatTokenAmount(total.distributed, total.token)}`,
    );
  for (const close of books.closes)
    out.line(
      `  closed ${close.month} in ${close.token.symbol ?? close.token.address}: ${formatTokenAmount(close.toPractices, close.token)} to practice pools, ${formatTokenAmount(close.lockstep, close.token)} lockstep${close.carriedLoss !== "0" ? `, loss carried ${formatTokenAmount(close.carriedLoss, close.token)}` : ""}`,
    );
  out.result({ books });
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The books' proposal kinds (run by propose.ts)
// ---------------------------------------------------------------------------------------------

/** The options of `firm propose` the books' kinds read. */
export interface BooksProposeValues {
  practice?: string;
  firm?: boolean;
  amount?: string;
  token?: string;
  cadence?: string;
  rollover?: boolean;
  spender?: string[];
  "practice-share"?: string;
  weights?: string;
  month?: string;
}

type Connect = () => Promise<WriteSession>;

async function optionalToken(session: WriteSession, text: string | undefined): Promise<TokenInfo> {
  return tokenInfo(session, text === undefined ? zeroAddress : parseAddress(text, "--token"));
}

export async function planBudget(values: BooksProposeValues, connect: Connect, usage: string): Promise<Plan> {
  const slug = practiceOption(values, usage);
  const amountText = required(values.amount, "--amount", usage);
  const cadence = parseChoice(required(values.cadence, "--cadence", usage), "--cadence", CADENCES);
  const spenders = (values.spender ?? []).map((text) => parseAddress(text, "--spender"));
  if (spenders.length > MAX_SPENDERS)
    throw new UsageError(`${spenders.length} --spender given; a budget names at most ${MAX_SPENDERS}`);
  const session = await connect();
  const token = await optionalToken(session, values.token);
  const amount = parseAmount(amountText, "--amount", token);
  const books = session.context.manifest.contracts.books;
  const what = `${formatAmount(amount, token)} ${cadence}`;
  return {
    actions: [
      call(books, booksAbi, "setBudget", [
        slug,
        token.token,
        amount,
        CADENCES.indexOf(cadence),
        values.rollover ?? false,
        spenders,
      ]),
    ],
    title: `Budget for ${practiceName(slug)}: ${what}`,
    body: [
      `Approve a budget of ${what}${token.token === zeroAddress ? "" : ` (token ${token.token})`} for ${practiceName(slug)}, replacing any budget in force.`,
      values.rollover ? "Unspent allowance rolls over to the next period (one period's amount at most)." : "",
      `Spent without a vote by ${slug === "" ? "" : "the practice's lead and "}${spenders.length ? spenders.join(", ") : "no named spender"}.`,
    ]
      .filter(Boolean)
      .join(" "),
  };
}

export async function planBudgetCut(
  values: BooksProposeValues,
  connect: Connect,
  usage: string,
): Promise<Plan> {
  const slug = practiceOption(values, usage);
  const amountText = required(values.amount, "--amount", usage);
  const session = await connect();
  const budget = await readBudget(session.context, slug);
  if (budget.budgetId === 0n || budget.revoked)
    throw new UsageError(`${practiceName(slug)} has no budget in force to cut`, "See `firm budget`.");
  const token = await tokenInfo(session, budget.token);
  const amount = parseAmount(amountText, "--amount", token);
  if (amount >= budget.amount)
    throw new UsageError(
      `--amount ${formatAmount(amount, token)} is not below the budget's ${formatAmount(budget.amount, token)}`,
      "A cut lowers the budget; to raise it, propose a new budget (`firm propose budget`).",
    );
  return {
    actions: [call(session.context.manifest.contracts.books, booksAbi, "cutBudget", [slug, amount])],
    title: `Cut ${practiceName(slug)}'s budget to ${formatAmount(amount, token)}`,
    body: `Lower budget #${budget.budgetId} of ${practiceName(slug)} from ${formatAmount(budget.amount, token)} to ${formatAmount(amount, token)} per period, this period included.`,
  };
}

export async function planBudgetRevoke(
  values: BooksProposeValues,
  connect: Connect,
  usage: string,
): Promise<Plan> {
  const slug = practiceOption(values, usage);
  const session = await connect();
  return {
    actions: [call(session.context.manifest.contracts.books, booksAbi, "revokeBudget", [slug])],
    title: `Revoke ${practiceName(slug)}'s budget`,
    body: `Revoke the budget in force for ${practiceName(slug)}: no further payment under it. Payments already made stand.`,
  };
}

export async function planAllowToken(positionals: string[], connect: Connect, usage: string): Promise<Plan> {
  const token = parseAddress(required(positionals[0], "<address>", usage), "token");
  const session = await connect();
  const info = await readToken(session, token);
  return {
    actions: [call(session.context.manifest.contracts.books, booksAbi, "allowToken", [token, true])],
    title: `Allow ${info.symbol} on the books`,
    body: `Let clients pay the books in ${info.symbol} (token ${token}, ${info.decimals} decimals).`,
  };
}

export async function planProfitRule(
  values: BooksProposeValues,
  connect: Connect,
  usage: string,
): Promise<Plan> {
  const bps = parseShareBps(
    required(values["practice-share"], "--practice-share", usage),
    "--practice-share",
  );
  const [lead, member, technician] = parseWeights(required(values.weights, "--weights", usage), "--weights");
  const session = await connect();
  const percent = `${bps / 100}%`;
  return {
    actions: [
      call(session.context.manifest.contracts.books, booksAbi, "setProfitRule", [
        bps,
        lead,
        member,
        technician,
      ]),
    ],
    title: `Profit rule: ${percent} to practices, weights ${lead}/${member}/${technician}`,
    body: `For months closed from now on, ${percent} of each practice's positive net goes to its members, weighted lead ${lead}, member ${member}, technician ${technician}; the rest is shared lockstep.`,
  };
}

/** What closing a month does, as the close plan states it before sending. */
export interface ClosePreview {
  month: number;
  token: TokenInfo;
  net: bigint;
  toPractices: bigint;
  lockstep: bigint;
  pools: { slug: string; amount: bigint }[];
}

export async function planClosePeriod(
  values: BooksProposeValues,
  connect: Connect,
  usage: string,
  out: Output,
): Promise<Plan> {
  const month = parseMonth(required(values.month, "--month", usage), "--month");
  const session = await connect();
  const token = await optionalToken(session, values.token);
  const preview = await previewClose(session, month, token);
  const { contracts } = session.context.manifest;
  out.progress(describeClose(preview).join("\n"));
  const actions: PlannedAction[] = [
    // Dry-run: a close the free funds cannot cover (BooksInsufficientFunds) is refused here, not
    // after a four-day vote.
    {
      ...call(contracts.books, booksAbi, "closePeriod", [month, token.token, preview.lockstep]),
      dryRun: true,
    },
    ...(preview.lockstep === 0n
      ? []
      : distributionActions(
          contracts.revenueShare,
          token.token === zeroAddress ? undefined : token,
          preview.lockstep,
          {
            fundedInProposal: true,
          },
        )),
  ];
  return {
    actions,
    title: `Close ${formatMonth(month)} in ${token.symbol}`,
    body: describeClose(preview).join("\n"),
  };
}

function describeClose(p: ClosePreview): string[] {
  const lines = [
    `Close ${formatMonth(p.month)} in ${p.token.symbol}: the firm's net ${p.net < 0n ? "-" : ""}${formatAmount(p.net < 0n ? -p.net : p.net, p.token)}.`,
  ];
  for (const pool of p.pools) lines.push(`  pool of ${pool.slug}: ${formatAmount(pool.amount, p.token)}`);
  lines.push(
    `  lockstep: ${formatAmount(p.lockstep, p.token)}${p.lockstep === 0n ? " (no distribution)" : ", distributed to the equity holders pro rata"}`,
  );
  return lines;
}

/** Books.previewClose, with the pools' slugs. A departed member holds no seat (a departure empties
 * them all), so the close's pools count exactly the members who are still in the firm. */
async function previewClose(session: WriteSession, month: number, token: TokenInfo): Promise<ClosePreview> {
  const { publicClient, manifest } = session.context;
  const { books, practices } = manifest.contracts;
  const [net, toPractices, lockstep, ids, amounts] = (await publicClient.readContract({
    address: books,
    abi: booksAbi,
    functionName: "previewClose",
    args: [month, token.token],
  })) as readonly [bigint, bigint, bigint, readonly `0x${string}`[], readonly bigint[]];
  // Practice ids are keccak256(slug): the slugs come from Practices' list, bounded by its count.
  const count = Number(
    await publicClient.readContract({ address: practices, abi: practicesAbi, functionName: "practiceCount" }),
  );
  const slugs = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      publicClient.readContract({
        address: practices,
        abi: practicesAbi,
        functionName: "practiceSlugAt",
        args: [BigInt(i + 1)],
      }),
    ),
  );
  const slugOf = new Map(slugs.map((slug) => [keccak256(toBytes(slug)), slug]));
  const pools = ids
    .map((id, i) => ({ slug: slugOf.get(id) ?? id, amount: amounts[i] ?? 0n }))
    .filter((pool) => pool.amount > 0n);
  return { month, token, net, toPractices, lockstep, pools };
}

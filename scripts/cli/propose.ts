// `firm propose practice|admit|grant|retire|distribute` and the books' kinds (books.ts): builds the proposal's calls to the firm's
// contracts, dry-runs each as the treasury would run it now, then proposes through FirmGovernor with
// a description whose first line is a human title and whose end reserves it for the signer
// (`#proposer=0x…`), so no one else can propose it first and cancel it.
import { type Address, encodeFunctionData, erc20Abi, type Hex, parseEventLogs, zeroAddress } from "viem";
import { PRACTICE_NAME_MAX_BYTES, practiceProposalText } from "../../api/web/public/proposalText.js";
import { directoryAbi, firmGovernorAbi, partnershipAbi, practicesAbi } from "../../contracts/abi.ts";
import { formatDuration, formatEth, groupDigits, shortAddress } from "../../indexer/decode/format.ts";
import { decodeIntent } from "../../indexer/decode/intents.ts";
import {
  planAllowToken,
  planBudget,
  planBudgetCut,
  planBudgetRevoke,
  planClosePeriod,
  planProfitRule,
} from "./books.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import { chainNow } from "./lib/chain.ts";
import { capitalize, formatWhen, type Output } from "./lib/output.ts";
import {
  PRACTICE_ROLE_CODES,
  parseAddress,
  parseAmount,
  parseChoice,
  parseSlug,
  parseUint32Duration,
  parseUnitsCount,
  ROLE_CODES,
} from "./lib/parse.ts";
import {
  call,
  distributionActions,
  formatUnitsText,
  type Plan,
  type PlannedAction,
  readToken,
} from "./lib/plan.ts";
import { shortProposalId, withoutOwnProposerSuffix, withProposerSuffix } from "./lib/proposals.ts";
import { explainFailure, withFirmErrors } from "./lib/reverts.ts";
import { sendWrite, txFacts } from "./lib/send.ts";
import { openWriteSession, WRITE_OPTIONS, type WriteSession, waitForMirror } from "./lib/session.ts";
import { PROPOSE_KINDS } from "./proposeKinds.ts";

const OPTIONS = {
  ...WRITE_OPTIONS,
  title: { type: "string" },
  description: { type: "string" },
  "skip-dry-run": { type: "boolean", default: false },
  // practice
  slug: { type: "string" },
  name: { type: "string" },
  lead: { type: "string" },
  // admit
  account: { type: "string" },
  role: { type: "string" },
  practice: { type: "string" },
  "practice-role": { type: "string" },
  units: { type: "string" },
  cliff: { type: "string" },
  vesting: { type: "string" },
  mentor: { type: "string" },
  // grant
  to: { type: "string" },
  // retire
  partner: { type: "string" },
  successor: { type: "string" },
  "buyback-price": { type: "string" },
  "buyback-token": { type: "string" },
  // distribute
  amount: { type: "string" },
  token: { type: "string" },
  // the books
  firm: { type: "boolean" },
  cadence: { type: "string" },
  rollover: { type: "boolean" },
  spender: { type: "string", multiple: true },
  "practice-share": { type: "string" },
  weights: { type: "string" },
  month: { type: "string" },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>["values"];

const KINDS = [
  "practice",
  "admit",
  "grant",
  "retire",
  "distribute",
  "budget",
  "budget-cut",
  "budget-revoke",
  "allow-token",
  "profit-rule",
  "close-period",
] as const;
type Kind = (typeof KINDS)[number];

const USAGES: Record<Kind, string> = Object.fromEntries(
  KINDS.map((kind) => [kind, PROPOSE_KINDS[kind].usage]),
) as Record<Kind, string>;

/** The options each kind takes; any other is a mistake worth saying. */
const KIND_OPTIONS: Record<Kind, readonly string[]> = {
  practice: ["slug", "name", "lead"],
  admit: ["account", "role", "practice", "practice-role", "units", "cliff", "vesting", "mentor"],
  grant: ["to", "units", "cliff", "vesting"],
  retire: ["partner", "successor", "buyback-price", "buyback-token"],
  distribute: ["amount", "token"],
  budget: ["practice", "firm", "amount", "token", "cadence", "rollover", "spender"],
  "budget-cut": ["practice", "firm", "amount"],
  "budget-revoke": ["practice", "firm"],
  "allow-token": [],
  "profit-rule": ["practice-share", "weights"],
  "close-period": ["month", "token"],
};

export async function run(args: string[], out: Output): Promise<number> {
  const [first] = args;
  if (!first || first.startsWith("-")) {
    throw new UsageError(`Say what to propose: ${KINDS.join(", ")}`, "Run `firm propose --help`.");
  }
  const kind = parseChoice(first, "firm propose", KINDS);
  const positionalCount = kind === "allow-token" ? 1 : 0;
  const { values, positionals } = parseCommandArgs(args.slice(1), OPTIONS, {
    usage: USAGES[kind],
    min: positionalCount,
    max: positionalCount,
  });
  const common = new Set(["json", "as", "keystore", "wait", "title", "description", "skip-dry-run"]);
  for (const option of Object.keys(values)) {
    if (!common.has(option) && !KIND_OPTIONS[kind].includes(option)) {
      throw new UsageError(
        `--${option} does not apply to \`firm propose ${kind}\``,
        `Usage: firm ${USAGES[kind]}`,
      );
    }
  }
  // Arguments are checked before anything connects; a planner opens the session once they are.
  let opened: Promise<WriteSession> | undefined;
  const connect = () => {
    opened ??= openWriteSession(values);
    return opened;
  };
  const plan = await PLANNERS[kind](values, connect, { positionals, out });
  const session = await connect();
  const proposer = session.signer.address;
  // Checked before the dry run: a suffix naming someone else is refused whatever the actions do.
  const title = (values.title && withoutOwnProposerSuffix(values.title, "--title", proposer)) || plan.title;
  const userBody =
    values.description && withoutOwnProposerSuffix(values.description, "--description", proposer);
  const body = [userBody, plan.body].filter(Boolean).join("\n\n");
  const description = withProposerSuffix(body ? `${title}\n\n${body}` : title, proposer);
  if (!values["skip-dry-run"]) await dryRun(session, plan, out);

  const targets = plan.actions.map((a) => a.target);
  const callValues = plan.actions.map((a) => a.value);
  const calldatas = plan.actions.map(
    (a) => encodeFunctionData({ abi: a.abi, functionName: a.functionName, args: a.args } as never) as Hex,
  );
  const { context } = session;
  const sent = await sendWrite(
    context,
    session.signer,
    out,
    {
      address: context.manifest.contracts.governor,
      abi: firmGovernorAbi,
      functionName: "propose",
      args: [targets, callValues, calldatas, description],
    },
    "propose",
  );
  const [created] = parseEventLogs({
    abi: firmGovernorAbi,
    eventName: "ProposalCreated",
    logs: sent.receipt.logs,
  });
  if (!created) throw new Error(`The propose transaction ${sent.hash} emitted no ProposalCreated event`);
  const { proposalId, voteStart, voteEnd } = created.args;
  const actions = plan.actions.map((action, i) => ({
    target: action.target,
    value: action.value,
    calldata: calldatas[i] as Hex,
    summary: decodeIntent(
      { target: action.target, value: action.value, data: calldatas[i] as Hex },
      context.manifest.contracts,
    ).summary,
  }));
  await waitForMirror(session, sent, values.wait, out);

  const { timestamp: now } = await chainNow(context.publicClient);
  out.line(`Proposal ${shortProposalId(proposalId)} created: ${title}`);
  out.line(`  id       ${proposalId}`);
  actions.forEach((action, i) => {
    out.line(`  action ${i + 1} ${action.summary}`);
  });
  out.line(`  voting   starts ${formatWhen(voteStart, now)}`);
  out.line(`           ends   ${formatWhen(voteEnd, now)}`);
  out.line(`  tx       ${sent.hash} in block ${sent.blockNumber}, by ${session.signer.address}`);
  out.line(`Next: firm vote ${shortProposalId(proposalId).replace("…", "")} for`);
  out.result({
    proposal: {
      id: proposalId,
      title,
      description,
      proposer,
      voteStart,
      voteEnd,
      actions,
    },
    ...txFacts(sent),
  });
  return 0;
}

/**
 * Runs each action as the timelock (the treasury) would run it now. A proposal whose action reverts
 * now would most likely fail at execution: say why before anyone votes on it.
 */
async function dryRun(session: WriteSession, plan: Plan, out: Output): Promise<void> {
  const { publicClient, manifest } = session.context;
  const treasury = manifest.contracts.timelock;
  // An action not dry-run may spend what an earlier action of the proposal brings in (a close's lockstep).
  const ethNeeded = plan.actions.reduce((sum, action) => sum + (action.dryRun ? action.value : 0n), 0n);
  const skip = "Propose anyway with --skip-dry-run if the treasury will be funded before execution.";
  if (ethNeeded > 0n) {
    const balance = await publicClient.getBalance({ address: treasury });
    if (balance < ethNeeded) {
      throw new UsageError(
        `The treasury holds ${formatEth(balance)}; this proposal sends ${formatEth(ethNeeded)}`,
        skip,
      );
    }
  }
  if (plan.tokenNeeded) {
    const { token, amount, symbol, decimals } = plan.tokenNeeded;
    const balance = await publicClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [treasury],
    });
    if (balance < amount) {
      throw new UsageError(
        `The treasury holds ${formatUnitsText(balance, decimals)} ${symbol}; this proposal pays out ${formatUnitsText(amount, decimals)}`,
        skip,
      );
    }
  }
  for (const action of plan.actions) {
    if (!action.dryRun) continue;
    try {
      await publicClient.simulateContract({
        account: treasury,
        address: action.target,
        abi: withFirmErrors(action.abi),
        functionName: action.functionName,
        args: action.args,
        value: action.value,
      } as never);
    } catch (error) {
      const failure = explainFailure(error, "propose this");
      throw new UsageError(
        `${failure.shortMessage} (its action ${action.functionName} would revert if executed now)`,
        failure.hints[0] ?? "Propose anyway with --skip-dry-run if an earlier proposal will make it valid.",
        failure.details,
      );
    }
  }
  const count = plan.actions.length;
  out.progress(
    `Dry run passed: ${count === 1 ? "the action runs" : `all ${count} actions run`} as the treasury would run ${count === 1 ? "it" : "them"} now.`,
  );
}

type Planner = (
  values: Values,
  connect: () => Promise<WriteSession>,
  extra: { positionals: string[]; out: Output },
) => Promise<Plan>;

const PLANNERS: Record<Kind, Planner> = {
  async practice(values, connect) {
    const usage = USAGES.practice;
    const slug = parseSlug(required(values.slug, "--slug", usage), "--slug");
    const name = required(values.name, "--name", usage).trim();
    const bytes = Buffer.byteLength(name, "utf8");
    if (bytes === 0 || bytes > PRACTICE_NAME_MAX_BYTES)
      throw new UsageError(`--name must be 1 to ${PRACTICE_NAME_MAX_BYTES} bytes (it is ${bytes})`);
    const lead = parseAddress(required(values.lead, "--lead", usage), "--lead");
    const { contracts } = (await connect()).context.manifest;
    return {
      actions: [call(contracts.practices, practicesAbi, "createPractice", [slug, name, lead])],
      ...practiceProposalText({ slug, name, lead }),
    };
  },

  async admit(values, connect) {
    const usage = USAGES.admit;
    const account = parseAddress(required(values.account, "--account", usage), "--account");
    const roleName = parseChoice(required(values.role, "--role", usage), "--role", [
      "partner",
      "associate",
      "affiliate",
    ] as const);
    const practiceText = required(values.practice, "--practice", usage).trim();
    const practice = practiceText === "none" ? "" : parseSlug(practiceText, "--practice");
    const practiceRoleName = values["practice-role"]
      ? parseChoice(values["practice-role"], "--practice-role", ["member", "technician"] as const)
      : "member";
    const grant = grantTerms(values, false);
    const mentor = values.mentor === undefined ? undefined : parseAddress(values.mentor, "--mentor");
    if (mentor && roleName !== "associate")
      throw new UsageError(
        `--mentor applies to an associate's admission, and --role is ${roleName}`,
        "A mentor is a partner who mentors an associate; leave --mentor out for a partner or an affiliate.",
      );
    const role = ROLE_CODES[roleName];
    const practiceRole = practice ? PRACTICE_ROLE_CODES[practiceRoleName] : 0;
    const session = await connect();
    const { contracts } = session.context.manifest;
    if (mentor && !(await isActivePartner(session, mentor)))
      throw new UsageError(
        `--mentor ${mentor} is not an active partner of the firm`,
        "A mentor must be a partner who is active or on leave (see `firm status`).",
      );
    const where = practice ? ` in ${practice}` : "";
    const units = grant ? ` with ${describeGrant(grant)}` : "";
    const actions = [
      call(contracts.partnership, partnershipAbi, "admit", [
        account,
        role,
        practice,
        practiceRole,
        grant ?? { units: 0n, start: 0, cliff: 0, duration: 0 },
      ]),
    ];
    // Not dry-run: it needs the admission before it in the same execution to succeed.
    if (mentor)
      actions.push({
        ...call(contracts.directory, directoryAbi, "assignMentor", [account, mentor]),
        dryRun: false,
      });
    return {
      actions,
      title: `Admit ${shortAddress(account)} as ${capitalize(roleName)}${where}`,
      body: `Admit ${account} as ${capitalize(roleName)}${practice ? `, seated in ${practice} as ${capitalize(practiceRoleName)}` : ""}${units}.${mentor ? ` Mentored by ${mentor}.` : ""}`,
    };
  },

  async grant(values, connect) {
    const usage = USAGES.grant;
    const to = parseAddress(required(values.to, "--to", usage), "--to");
    const grant = grantTerms(values, true) as GrantTerms;
    const { contracts } = (await connect()).context.manifest;
    return {
      actions: [call(contracts.partnership, partnershipAbi, "createGrant", [to, grant])],
      title: `Grant ${groupDigits(grant.units)} units to ${shortAddress(to)}`,
      body: `Grant ${to} ${describeGrant(grant)}.`,
    };
  },

  async retire(values, connect) {
    const usage = USAGES.retire;
    const partner = parseAddress(required(values.partner, "--partner", usage), "--partner");
    const successor = values.successor ? parseAddress(values.successor, "--successor") : zeroAddress;
    if (values["buyback-token"] && !values["buyback-price"]) {
      throw new UsageError("--buyback-token needs --buyback-price", `Usage: firm ${usage}`);
    }
    const tokenAddress = values["buyback-token"]
      ? parseAddress(values["buyback-token"], "--buyback-token")
      : undefined;
    const session = await connect();
    const { contracts } = session.context.manifest;
    const currency = tokenAddress ? await readToken(session, tokenAddress) : undefined;
    const price = values["buyback-price"]
      ? parseAmount(values["buyback-price"], "--buyback-price", currency ?? { decimals: 18 })
      : 0n;
    const token = currency?.token ?? zeroAddress;
    // Retiring a partner by vote is an expulsion: the governor takes it only as the proposal's one
    // action (so the treasury cannot approve a token buy-back in the same proposal: the allowance
    // must be there already, which the dry run checks) and passes it only by a supermajority.
    const actions: PlannedAction[] = [
      call(
        contracts.partnership,
        partnershipAbi,
        "retire",
        [partner, successor, token, price],
        currency ? 0n : price,
      ),
    ];
    const priceText = currency
      ? `${formatUnitsText(price, currency.decimals)} ${currency.symbol}`
      : formatEth(price);
    const successorText = successor === zeroAddress ? "" : `; ${shortAddress(successor)} succeeds them`;
    return {
      actions,
      title: `Retire ${shortAddress(partner)}${successorText}`,
      body: [
        `Retire ${partner}.`,
        successor === zeroAddress ? "" : `${successor} takes over every practice they lead.`,
        price > 0n
          ? `Their vested units are bought back for ${priceText}; the unvested units are forfeited.`
          : "Their unvested units are forfeited.",
        currency
          ? `The treasury must already allow the partnership to take ${priceText}: an expulsion is a proposal of its own.`
          : "",
        "As an expulsion it passes only with For from a supermajority of all the other partners (three quarters by default), by equity and by headcount.",
      ]
        .filter(Boolean)
        .join(" "),
      ...(currency ? { tokenNeeded: { ...currency, amount: price } } : {}),
    };
  },

  async distribute(values, connect) {
    const usage = USAGES.distribute;
    const amountText = required(values.amount, "--amount", usage);
    const tokenAddress = values.token ? parseAddress(values.token, "--token") : undefined;
    // An ETH amount is checked before connecting; a token amount needs the token's decimals first.
    const ethAmount = tokenAddress ? undefined : parseAmount(amountText, "--amount", { decimals: 18 });
    const session = await connect();
    const { contracts } = session.context.manifest;
    const currency = tokenAddress ? await readToken(session, tokenAddress) : undefined;
    const amount = ethAmount ?? parseAmount(amountText, "--amount", currency ?? { decimals: 18 });
    const title = currency
      ? `${formatUnitsText(amount, currency.decimals)} ${currency.symbol}`
      : formatEth(amount);
    return {
      actions: distributionActions(contracts.revenueShare, currency, amount),
      title: `Distribute ${title} to equity holders`,
      body: `Send ${title}${currency ? ` (token ${currency.token})` : ""} from the treasury to the equity holders, pro rata to their released units now.`,
      ...(currency ? { tokenNeeded: { ...currency, amount } } : {}),
    };
  },
  budget: (values, connect) => planBudget(values, connect, USAGES.budget),
  "budget-cut": (values, connect) => planBudgetCut(values, connect, USAGES["budget-cut"]),
  "budget-revoke": (values, connect) => planBudgetRevoke(values, connect, USAGES["budget-revoke"]),
  "allow-token": (_values, connect, { positionals }) =>
    planAllowToken(positionals, connect, USAGES["allow-token"]),
  "profit-rule": (values, connect) => planProfitRule(values, connect, USAGES["profit-rule"]),
  "close-period": (values, connect, { out }) => planClosePeriod(values, connect, USAGES["close-period"], out),
};

interface GrantTerms {
  units: bigint;
  start: number;
  cliff: number;
  duration: number;
}

/** --units, --cliff and --vesting as grant terms starting at execution; undefined when no --units. */
function grantTerms(values: Values, needed: boolean): GrantTerms | undefined {
  if (!values.units) {
    if (needed) throw new UsageError("--units is required", `Usage: firm ${USAGES.grant}`);
    if (values.cliff || values.vesting)
      throw new UsageError("--cliff and --vesting describe a grant: add --units N");
    return undefined;
  }
  const units = parseUnitsCount(values.units, "--units");
  const duration = parseUint32Duration(
    required(values.vesting, "--vesting", "… --units N --cliff <d> --vesting <d>"),
    "--vesting",
  );
  const cliff = values.cliff ? parseUint32Duration(values.cliff, "--cliff") : 0;
  if (duration === 0) throw new UsageError("--vesting must be longer than zero", "Write 1s to vest at once.");
  if (cliff > duration)
    throw new UsageError(
      `--cliff (${formatDuration(cliff)}) is longer than --vesting (${formatDuration(duration)})`,
    );
  return { units, start: 0, cliff, duration };
}

function describeGrant({ units, cliff, duration }: GrantTerms): string {
  const cliffText = cliff > 0 ? `, ${formatDuration(cliff)} cliff` : "";
  return `${groupDigits(units)} units vesting over ${formatDuration(duration)}${cliffText}, from execution`;
}

async function isActivePartner(session: WriteSession, account: Address): Promise<boolean> {
  const { publicClient, manifest } = session.context;
  return publicClient.readContract({
    address: manifest.contracts.partnership,
    abi: partnershipAbi,
    functionName: "isActivePartner",
    args: [account],
  });
}

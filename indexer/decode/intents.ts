// Proposal actions → typed intents: what a proposal will do, in the firm's words, with its arguments
// and a one-line summary ("Admit 0xab12…cd34 as Associate in cloud with 1,000 units vesting 4y, 1y
// cliff"). Calls to the firm's contracts are decoded with their ABIs; anything else is OTHER, decoded
// as an ERC-20 call when it is one (a treasury approve, say), else kept as a raw selector.
// Also what kind of proposal the calls make, exactly as the governor classifies it
// (classifyProposal): whether it moves treasury funds, and whether it needs the supermajority.
import { type Abi, type Address, erc20Abi, type Hex, keccak256, size, toBytes, zeroAddress } from "viem";
import type { Manifest } from "../../contracts/manifest.ts";
import { compileCallDecoder, type DecodedCall } from "./abiDecoder.ts";
import { CADENCES, enumName, PRACTICE_ROLES, ROLES } from "./enums.ts";
import { formatBps, formatDate, formatDuration, formatEth, groupDigits, shortAddress } from "./format.ts";
import { type ContractName, FIRM_ABIS } from "./logs.ts";

export const INTENT_KINDS = [
  "ADMIT_MEMBER",
  "PROMOTE_MEMBER",
  "RETIRE_MEMBER",
  "SUCCESSION",
  "REMOVE_MEMBER",
  "CREATE_PRACTICE",
  "SUNSET_PRACTICE",
  "CHANGE_PRACTICE_LEAD",
  "SET_PRACTICE_MEMBER",
  "REMOVE_PRACTICE_MEMBER",
  "GRANT_EQUITY",
  "REVOKE_GRANT",
  "DISTRIBUTE",
  "SET_PARAMETER",
  "ASSIGN_MENTOR",
  "END_MENTORSHIP",
  "CLEAR_PROFILE",
  "ALLOW_TOKEN",
  "SET_BUDGET",
  "CUT_BUDGET",
  "REVOKE_BUDGET",
  "SET_PROFIT_RULE",
  "CLOSE_PERIOD",
  "PAY",
  "OTHER",
] as const;

export type IntentKind = (typeof INTENT_KINDS)[number];

/** One proposal call, as ProposalCreated lists it. */
export interface ProposalCall {
  target: Address;
  value: bigint;
  data: Hex;
}

/** What one call does. `args` holds JSON-able values (bigints are written as decimal strings). */
export interface Intent {
  kind: IntentKind;
  args: Record<string, unknown>;
  summary: string;
}

/** Grant terms as `admit` and `createGrant` take them. */
interface GrantTerms {
  units: bigint;
  start: number;
  cliff: number;
  duration: number;
}

/**
 * Decodes one proposal call into an intent.
 *
 * @example
 * decodeIntent({ target: manifest.contracts.practices, value: 0n, data }, manifest.contracts)
 * // { kind: "CREATE_PRACTICE", args: { slug: "cloud", name: "Cloud Services", lead }, summary: "Create practice cloud (Cloud Services) led by 0x70…79c8" }
 */
export function decodeIntent(call: ProposalCall, contracts: Manifest["contracts"]): Intent {
  const contract = contractAt(call.target, contracts);
  const decoded = contract ? decodeCall(FIRM_ABIS[contract], call.data) : undefined;
  if (!contract || !decoded) return otherIntent(call, contract);
  const intent = firmIntent(contract, decoded.functionName, decoded.args, call);
  return intent ?? otherIntent(call, contract);
}

function contractAt(target: Address, contracts: Manifest["contracts"]): ContractName | undefined {
  const lower = target.toLowerCase();
  const entry = Object.entries(contracts).find(([, address]) => address.toLowerCase() === lower);
  return entry?.[0] as ContractName | undefined;
}

/** One compiled decoder per ABI (./abiDecoder.ts): a proposal of 80 admissions decodes 80 calls. */
const callDecoders = new Map<Abi, (data: Hex) => DecodedCall>();

function decodeCall(abi: Abi, data: Hex): DecodedCall | undefined {
  if (size(data) < 4) return undefined;
  try {
    const decode = callDecoders.get(abi) ?? compileCallDecoder(abi);
    callDecoders.set(abi, decode);
    return decode(data);
  } catch {
    return undefined;
  }
}

/** The intent of a call to one of the firm's contracts, or undefined when it is a raw call (OTHER). */
function firmIntent(
  contract: ContractName,
  functionName: string,
  args: readonly unknown[],
  call: ProposalCall,
): Intent | undefined {
  // A contract with no intents of its own (or a function without one) reads as a raw call (OTHER).
  const decoders = FIRM_INTENTS[contract] as Record<string, IntentDecoder | undefined> | undefined;
  return decoders?.[functionName]?.(args, call);
}

type IntentDecoder = (args: readonly unknown[], call: ProposalCall) => Intent;

// Arguments arrive positionally, in each function's ABI order; addresses are lowercased so that
// intents compare with the mirror's tables.
const lower = (value: unknown) => (value as string).toLowerCase();

const FIRM_INTENTS: Partial<Record<ContractName, Record<string, IntentDecoder>>> = {
  partnership: {
    admit: ([account, role, practiceSlug, practiceRole, terms]) => {
      const grant = terms as GrantTerms;
      const args = {
        account: lower(account),
        role: enumName(ROLES, role as number, "role"),
        practice: (practiceSlug as string) || null,
        practiceRole: practiceSlug ? enumName(PRACTICE_ROLES, practiceRole as number, "practice role") : null,
        grant: grant.units > 0n ? grantArgs(grant) : null,
      };
      const where = args.practice ? ` in ${args.practice}${practiceRoleSuffix(args.practiceRole)}` : "";
      const units = grant.units > 0n ? ` with ${describeGrant(grant)}` : "";
      return {
        kind: "ADMIT_MEMBER",
        args,
        summary: `Admit ${shortAddress(args.account)} as ${args.role}${where}${units}`,
      };
    },
    setRole: ([account, newRole]) => {
      const args = { account: lower(account), role: enumName(ROLES, newRole as number, "role") };
      return {
        kind: "PROMOTE_MEMBER",
        args,
        summary: `Promote ${shortAddress(args.account)} to ${args.role}`,
      };
    },
    retire: ([partner, successor, buybackToken, buybackPrice]) => {
      const args = {
        partner: lower(partner),
        successor: lower(successor) === zeroAddress ? null : lower(successor),
        buybackToken: lower(buybackToken),
        buybackPrice: buybackPrice as bigint,
      };
      const buyback =
        args.buybackPrice > 0n
          ? `, buying back their units for ${describeAmount(args.buybackToken, args.buybackPrice)}`
          : "";
      if (args.successor) {
        return {
          kind: "SUCCESSION",
          args,
          summary: `Retire ${shortAddress(args.partner)}; ${shortAddress(args.successor)} succeeds them as practice lead${buyback}`,
        };
      }
      return { kind: "RETIRE_MEMBER", args, summary: `Retire ${shortAddress(args.partner)}${buyback}` };
    },
    remove: ([account]) => {
      const args = { account: lower(account) };
      return { kind: "REMOVE_MEMBER", args, summary: `Remove ${shortAddress(args.account)} from the firm` };
    },
    createGrant: ([beneficiary, terms]) => {
      const grant = terms as GrantTerms;
      const args = { beneficiary: lower(beneficiary), ...grantArgs(grant) };
      return {
        kind: "GRANT_EQUITY",
        args,
        summary: `Grant ${shortAddress(args.beneficiary)} ${describeGrant(grant)}`,
      };
    },
    setLeaveRules: ([minLeave, cooldown]) => ({
      kind: "SET_PARAMETER",
      args: {
        contract: "partnership",
        parameter: "leaveRules",
        minLeave: BigInt(minLeave as number),
        cooldown: BigInt(cooldown as number),
      },
      summary: `Set leaves to last at least ${formatDuration(BigInt(minLeave as number))}, ${formatDuration(BigInt(cooldown as number))} apart`,
    }),
    revokeGrant: ([grantId]) => {
      const args = { grantId: grantId as bigint };
      return {
        kind: "REVOKE_GRANT",
        args,
        summary: `Revoke grant #${args.grantId}; its unvested units are forfeited`,
      };
    },
  },
  practices: {
    createPractice: ([slug, name, lead]) => {
      const args = { slug: slug as string, name: name as string, lead: lower(lead) };
      return {
        kind: "CREATE_PRACTICE",
        args,
        summary: `Create practice ${args.slug} (${args.name}) led by ${shortAddress(args.lead)}`,
      };
    },
    sunsetPractice: ([slug]) => {
      const args = { slug: slug as string };
      return { kind: "SUNSET_PRACTICE", args, summary: `Sunset practice ${args.slug}` };
    },
    changePracticeLead: ([slug, newLead]) => {
      const args = { slug: slug as string, lead: lower(newLead) };
      return {
        kind: "CHANGE_PRACTICE_LEAD",
        args,
        summary: `Make ${shortAddress(args.lead)} lead of practice ${args.slug}`,
      };
    },
    setPracticeMember: ([slug, account, role]) => {
      const args = {
        slug: slug as string,
        account: lower(account),
        role: enumName(PRACTICE_ROLES, role as number, "practice role"),
      };
      return {
        kind: "SET_PRACTICE_MEMBER",
        args,
        summary: `Seat ${shortAddress(args.account)} in practice ${args.slug} as ${args.role}`,
      };
    },
    removePracticeMember: ([slug, account]) => {
      const args = { slug: slug as string, account: lower(account) };
      return {
        kind: "REMOVE_PRACTICE_MEMBER",
        args,
        summary: `Remove ${shortAddress(args.account)} from practice ${args.slug}`,
      };
    },
  },
  revenueShare: {
    createDistribution: ([token, amount]) => {
      const args = { token: lower(token), amount: amount as bigint };
      return {
        kind: "DISTRIBUTE",
        args,
        summary: `Distribute ${describeAmount(args.token, args.amount)} to equity holders`,
      };
    },
    setClaimWindow: ([newWindow]) =>
      durationParameter("revenueShare", "claimWindow", "claim window", newWindow),
  },
  governor: {
    setVotingDelay: ([value]) => durationParameter("governor", "votingDelay", "voting delay", value),
    setVotingPeriod: ([value]) => durationParameter("governor", "votingPeriod", "voting period", value),
    setGracePeriod: ([value]) => durationParameter("governor", "gracePeriod", "grace period", value),
    setQuorum: ([equityBps, headcountBps]) => ({
      kind: "SET_PARAMETER",
      args: {
        contract: "governor",
        parameter: "quorum",
        equityBps: Number(equityBps),
        headcountBps: Number(headcountBps),
      },
      summary: `Set quorums to ${formatBps(equityBps as number)} of equity and ${formatBps(headcountBps as number)} of headcount`,
    }),
    setExpulsionQuorum: ([equityBps, headcountBps]) => ({
      kind: "SET_PARAMETER",
      args: {
        contract: "governor",
        parameter: "expulsionQuorum",
        equityBps: Number(equityBps),
        headcountBps: Number(headcountBps),
      },
      summary: `Set the supermajority for expulsions and constitutional changes to ${formatBps(equityBps as number)} of equity and ${formatBps(headcountBps as number)} of headcount`,
    }),
  },
  withdrawals: {
    setTreasuryToken: ([token, listed]) => {
      const args = { contract: "withdrawals", parameter: "treasuryToken", token: lower(token), listed };
      return {
        kind: "SET_PARAMETER",
        args,
        summary: listed
          ? `List token ${shortAddress(args.token)}: withdrawals pay a share of it`
          : `Delist token ${shortAddress(args.token)}: withdrawals no longer pay a share of it`,
      };
    },
  },
  directory: {
    assignMentor: ([mentee, mentor]) => {
      const args = { mentee: lower(mentee), mentor: lower(mentor) };
      return {
        kind: "ASSIGN_MENTOR",
        args,
        summary: `Make ${shortAddress(args.mentor)} mentor of ${shortAddress(args.mentee)}`,
      };
    },
    endMentorship: ([mentee]) => {
      const args = { mentee: lower(mentee) };
      return {
        kind: "END_MENTORSHIP",
        args,
        summary: `End ${shortAddress(args.mentee)}'s mentorship`,
      };
    },
    clearProfileByGovernance: ([member, reason]) => {
      const args = { member: lower(member), reason: reason as string };
      return {
        kind: "CLEAR_PROFILE",
        args,
        summary: `Clear ${shortAddress(args.member)}'s directory profile: ${args.reason}`,
      };
    },
  },
  books: {
    allowToken: ([token, allowed]) => {
      const args = { token: lower(token), allowed: allowed as boolean };
      return {
        kind: "ALLOW_TOKEN",
        args,
        summary: args.allowed
          ? `Allow deposits in token ${shortAddress(args.token)}`
          : `Stop deposits in token ${shortAddress(args.token)}`,
      };
    },
    setBudget: ([slug, token, amount, cadence, rollover, spenders]) => {
      const args = {
        slug: slug as string,
        token: lower(token),
        amount: amount as bigint,
        cadence: enumName(CADENCES, cadence as number, "budget cadence"),
        rollover: rollover as boolean,
        spenders: (spenders as string[]).map(lower),
      };
      const who =
        args.spenders.length === 0 ? "" : `, spent by ${args.spenders.map(shortAddress).join(", ")}`;
      return {
        kind: "SET_BUDGET",
        args,
        summary: `Budget ${bookOf(args.slug)}: ${describeAmount(args.token, args.amount)} ${args.cadence === "Monthly" ? "a month" : "a quarter"}${args.rollover ? " rolling over" : ""}${who}`,
      };
    },
    cutBudget: ([budgetId, newAmount]) => {
      const args = { budgetId: budgetId as bigint, amount: newAmount as bigint };
      return {
        kind: "CUT_BUDGET",
        args,
        summary: `Cut budget #${args.budgetId} to ${groupDigits(args.amount)} a period`,
      };
    },
    revokeBudget: ([budgetId]) => {
      const args = { budgetId: budgetId as bigint };
      return { kind: "REVOKE_BUDGET", args, summary: `Revoke budget #${args.budgetId}` };
    },
    setProfitRule: ([bps, lead, member, technician]) => {
      const args = {
        practiceShareBps: Number(bps),
        leadWeight: Number(lead),
        memberWeight: Number(member),
        technicianWeight: Number(technician),
      };
      return {
        kind: "SET_PROFIT_RULE",
        args,
        summary: `Share ${formatBps(args.practiceShareBps)} of practice profits with their seats, weighted lead ${args.leadWeight}, member ${args.memberWeight}, technician ${args.technicianWeight}`,
      };
    },
    closePeriod: ([month, token, expectedLockstep]) => {
      const args = { month: Number(month), token: lower(token), lockstep: expectedLockstep as bigint };
      const label = `${Math.floor(args.month / 100)}-${String(args.month % 100).padStart(2, "0")}`;
      return {
        kind: "CLOSE_PERIOD",
        args,
        summary: `Close the books of ${label} in ${args.token === zeroAddress ? "ETH" : `token ${shortAddress(args.token)}`}, ${describeAmount(args.token, args.lockstep)} to the lockstep distribution`,
      };
    },
    payByProposal: ([slug, token, payee, amount, ref, memo]) => {
      const args = {
        slug: slug as string,
        token: lower(token),
        payee: lower(payee),
        amount: amount as bigint,
        reference: ref as string,
        memo: memo as string,
      };
      const why = [args.reference, args.memo].filter(Boolean).join(": ");
      return {
        kind: "PAY",
        args,
        summary: `Pay ${shortAddress(args.payee)} ${describeAmount(args.token, args.amount)} from ${bookOf(args.slug)}${why ? ` (${why})` : ""}`,
      };
    },
  },
  timelock: {
    updateDelay: ([value]) => durationParameter("timelock", "timelockDelay", "timelock delay", value),
  },
};

/** Whose books a budget or payment is in: the firm's (empty slug) or a practice's. */
function bookOf(slug: string): string {
  return slug === "" ? "the firm" : `practice ${slug}`;
}

function durationParameter(contract: ContractName, parameter: string, label: string, value: unknown): Intent {
  const seconds = BigInt(value as number | bigint);
  return {
    kind: "SET_PARAMETER",
    args: { contract, parameter, value: seconds },
    summary: `Set ${label} to ${formatDuration(seconds)}`,
  };
}

function grantArgs(terms: GrantTerms) {
  return { units: terms.units, start: terms.start, cliff: terms.cliff, duration: terms.duration };
}

/** "1,000 units vesting 4y, 1y cliff" ; a duration of a second or less vests at once. */
function describeGrant(terms: GrantTerms): string {
  const units = `${groupDigits(terms.units)} units`;
  const from = terms.start !== 0 ? ` from ${formatDate(terms.start)}` : "";
  if (terms.duration <= 1) return `${units} vested at once${from}`;
  const cliff = terms.cliff > 0 ? `, ${formatDuration(terms.cliff)} cliff` : "";
  return `${units} vesting ${formatDuration(terms.duration)}${cliff}${from}`;
}

function practiceRoleSuffix(role: string | null): string {
  return role && role !== "None" && role !== "Member" ? ` (${role})` : "";
}

/** An amount of ETH (the zero address) or of an ERC-20 whose decimals the mirror does not know. */
function describeAmount(token: string, amount: bigint): string {
  return token === zeroAddress ? formatEth(amount) : `${groupDigits(amount)} of token ${shortAddress(token)}`;
}

/** A raw call: a firm function with no intent of its own, an ERC-20 call, a plain transfer, or unknown. */
function otherIntent(call: ProposalCall, contract: ContractName | undefined): Intent {
  const target = call.target.toLowerCase();
  const withValue = call.value > 0n ? ` with ${formatEth(call.value)}` : "";
  const where = contract ?? shortAddress(target);
  if (size(call.data) === 0) {
    return {
      kind: "OTHER",
      args: { target, value: call.value },
      summary: `Send ${formatEth(call.value)} to ${where}`,
    };
  }
  const decoded = decodeCall(contract ? FIRM_ABIS[contract] : erc20Abi, call.data);
  if (decoded) {
    const shown = decoded.args.map(describeArgument).join(", ");
    return {
      kind: "OTHER",
      args: { target, function: decoded.functionName, args: [...decoded.args].map(jsonArgument) },
      summary: `Call ${decoded.functionName}(${shown}) on ${where}${withValue}`,
    };
  }
  const selector = call.data.slice(0, 10);
  return {
    kind: "OTHER",
    args: { target, selector, data: call.data },
    summary: `Call ${selector} on ${where}${withValue}`,
  };
}

function describeArgument(value: unknown): string {
  if (typeof value === "bigint") return groupDigits(value);
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value))
    return shortAddress(value.toLowerCase());
  if (typeof value === "string") return value.length > 20 ? `${value.slice(0, 20)}…` : value;
  if (Array.isArray(value)) return `[${value.map(describeArgument).join(", ")}]`;
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}

function jsonArgument(value: unknown): unknown {
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) return value.toLowerCase();
  if (Array.isArray(value)) return value.map(jsonArgument);
  return value;
}

// ------------------------------------------------------------------------------------------------
// What kind of proposal: FirmGovernor._classify and _subjectOf, on the raw calldata
// ------------------------------------------------------------------------------------------------

const selectorOf = (signature: string) => keccak256(toBytes(signature)).slice(0, 10) as Hex;

/** The selectors the governor's classification compares (FirmGovernor's constants). */
export const CLASSIFIED_SELECTORS = {
  admit: selectorOf("admit(address,uint8,string,uint8,(uint64,uint48,uint32,uint32))"),
  setRole: selectorOf("setRole(address,uint8)"),
  retire: selectorOf("retire(address,address,address,uint256)"),
  remove: selectorOf("remove(address)"),
  revokeGrant: selectorOf("revokeGrant(uint256)"),
  updateDelay: selectorOf("updateDelay(uint256)"),
  setClaimWindow: selectorOf("setClaimWindow(uint48)"),
  setExpulsionQuorum: selectorOf("setExpulsionQuorum(uint16,uint16)"),
} as const;

/** What the governor records of a proposal's kind (its MOVES_FUNDS, SUPERMAJORITY and HAS_SUBJECT flags). */
export interface ProposalClass {
  /** Any value, a call outside the firm's own contracts (but the timelock's delay and the claim
   * window), or a buy-back: its For voters cannot withdraw until it is over. */
  movesFunds: boolean;
  /** An expulsion, or a constitutional change (the timelock's roles, the expulsion quorum). */
  supermajority: boolean;
  /** Some call is about a member (admit, setRole, retire, remove, revokeGrant). */
  hasSubject: boolean;
  /** It expels a partner: remove, retire or revokeGrant of an active partner at propose time. */
  expels: boolean;
}

/** What the classification needs to know about the firm at the moment of the proposal. */
export interface ClassificationLookups {
  /** Partnership.isActivePartner: a partner, active or on leave. */
  isActivePartner(account: string): boolean;
  /** Partnership.grantOf(id).beneficiary, lowercase; the zero address for a grant that does not exist. */
  grantBeneficiary(grantId: bigint): string;
}

/**
 * Classifies a proposal's calls exactly as FirmGovernor._classify does: the same selectors, the same
 * calldata lengths, the same words read, whether or not the calls decode. The one place the mirror
 * decides what a proposal needs to pass.
 *
 * @example
 * classifyProposal([{ target: contracts.partnership, value: 0n, data: removeCalldata }], contracts, lookups)
 * // { movesFunds: false, supermajority: true, hasSubject: true, expels: true }
 */
export function classifyProposal(
  calls: readonly ProposalCall[],
  contracts: Manifest["contracts"],
  lookups: ClassificationLookups,
): ProposalClass {
  const at = {
    partnership: contracts.partnership.toLowerCase(),
    practices: contracts.practices.toLowerCase(),
    revenueShare: contracts.revenueShare.toLowerCase(),
    governor: contracts.governor.toLowerCase(),
    timelock: contracts.timelock.toLowerCase(),
  };
  const kind: ProposalClass = { movesFunds: false, supermajority: false, hasSubject: false, expels: false };
  const S = CLASSIFIED_SELECTORS;
  for (const call of calls) {
    const target = call.target.toLowerCase();
    const data = call.data.toLowerCase() as Hex;
    const length = (data.length - 2) / 2;
    const selector = length >= 4 ? data.slice(0, 10) : "0x00000000";
    if (call.value !== 0n || !movesNoFunds(at, target, selector, data, length)) kind.movesFunds = true;
    if (
      (target === at.timelock && selector !== S.updateDelay) ||
      (target === at.governor && selector === S.setExpulsionQuorum)
    )
      kind.supermajority = true;
    if (target !== at.partnership || length < 36) continue;
    const first = data.slice(10, 74);
    let subject: string = zeroAddress;
    let expelling = false;
    if (selector === S.remove || selector === S.retire) [subject, expelling] = [wordAddress(first), true];
    else if (selector === S.revokeGrant)
      [subject, expelling] = [lookups.grantBeneficiary(BigInt(`0x${first}`)).toLowerCase(), true];
    else if (selector === S.admit || selector === S.setRole) subject = wordAddress(first);
    if (subject === zeroAddress && !expelling) continue;
    kind.hasSubject = true;
    if (expelling && lookups.isActivePartner(subject)) kind.expels = true;
  }
  if (kind.expels) kind.supermajority = true;
  return kind;
}

function movesNoFunds(
  at: Record<"partnership" | "practices" | "revenueShare" | "governor" | "timelock", string>,
  target: string,
  selector: string,
  data: string,
  length: number,
): boolean {
  const S = CLASSIFIED_SELECTORS;
  // retire(partner, successor, token, price): a price pays the treasury out.
  if (target === at.partnership)
    return selector !== S.retire || length < 132 || BigInt(`0x${data.slice(202, 266)}`) === 0n;
  if (target === at.practices || target === at.governor) return true;
  if (target === at.timelock) return selector === S.updateDelay;
  if (target === at.revenueShare) return selector === S.setClaimWindow;
  return false;
}

/** address(uint160(word)): the low 20 bytes of a 32-byte word, whatever its high bytes hold. */
function wordAddress(word: string): string {
  return `0x${word.slice(24, 64)}`;
}

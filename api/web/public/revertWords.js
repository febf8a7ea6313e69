// Reverts in words: the sentence for each custom error of the firm's contracts (and the OpenZeppelin
// and ERC-20 ones a proposal can bubble up through the timelock), with what to do next. One module
// for the CLI (scripts/cli/lib/reverts.ts) and the page's browser wallet (wallet.js), so a vote refused
// on the page reads exactly as in the terminal. Plain JavaScript with no import but words.js: the
// page loads it as is, and the enums come from the caller (contracts/abi.ts's ENUMS, or the page's
// /assets/abi.json built from it).
import { hasLeftTheFirm, memberStatusWords } from "./words.js";

/**
 * @typedef {{ Role: readonly string[], MemberStatus: readonly string[], ProposalState: readonly string[] }} RevertEnums
 */

/** OpenZeppelin's IERC20Errors, which a token distribution or buy-back can bubble up. */
export const ERC20_ERRORS = [
  {
    type: "error",
    name: "ERC20InsufficientBalance",
    inputs: [
      { name: "sender", type: "address" },
      { name: "balance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
  },
  {
    type: "error",
    name: "ERC20InsufficientAllowance",
    inputs: [
      { name: "spender", type: "address" },
      { name: "allowance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
  },
];

/**
 * Every error of `abis` and ERC20_ERRORS, once each by signature, so a decoder knows an error
 * bubbled up from another contract.
 * @param {readonly (readonly { type: string }[])[]} abis
 */
export function errorsOf(abis) {
  const seen = new Map();
  for (const abi of [...abis, ERC20_ERRORS]) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const error = /** @type {{ name: string, inputs: { type: string }[] }} */ (
        /** @type {unknown} */ (item)
      );
      const signature = `${error.name}(${error.inputs.map((input) => input.type).join(",")})`;
      if (!seen.has(signature)) seen.set(signature, item);
    }
  }
  return [...seen.values()];
}

/** "0xab12…cd34", as indexer/decode/format.ts writes it. @param {string} address */
function shortAddress(address) {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** 1234567n → "1,234,567". @param {bigint | number} value */
function grouped(value) {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Wei as ETH: 1500000000000000000n → "1.5 ETH". @param {bigint} wei */
function formatEth(wei) {
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return `${grouped(wei / 10n ** 18n)}${fraction ? `.${fraction}` : ""} ETH`;
}

/** Seconds in the largest unit that divides them exactly: 86400 → "1d". @param {bigint | number} seconds */
function formatDuration(seconds) {
  const s = Number(seconds);
  if (s === 0) return "0s";
  for (const [unit, size] of /** @type {const} */ ([
    ["y", 365 * 86_400],
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
  ])) {
    if (s % size === 0) return `${grouped(s / size)}${unit}`;
  }
  return `${grouped(s)}s`;
}

/** Unix seconds as "2026-05-01 12:00:00 UTC". @param {number | bigint} seconds */
export function formatTime(seconds) {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** @param {unknown} value */
function isZeroAddress(value) {
  return /^0x0{40}$/i.test(String(value));
}

const GOVERNANCE_ONLY = {
  message: "only the firm's governance can do this (it takes a passed proposal)",
  hint: "Make it a proposal: see `firm propose --help`.",
};

/**
 * The firm's words for one custom error: the message completes "Cannot <do>: …".
 * @param {string} name the error's name
 * @param {readonly unknown[]} args its decoded arguments
 * @param {RevertEnums} enums the contracts' enums (contracts/abi.ts's ENUMS)
 * @returns {{ message: string, hint?: string }}
 */
export function describeRevert(name, args, enums) {
  const [a, b, c] = args;
  const who = (value) => shortAddress(String(value));
  switch (name) {
    // The governor
    case "GovernorProposerNotPartner":
      return {
        message: `not a partner: only active partners may propose, and ${who(a)} is not one`,
        hint: "Propose as a partner: --as <partner> on the dev chain, or that partner's --keystore.",
      };
    case "GovernorVoterNotEligible":
      return {
        message: `not a partner: ${who(a)} holds no ballot on this proposal`,
        hint: "Only partners at the proposal's snapshot vote (a partner on leave then whose cover had accepted is represented by that cover).",
      };
    case "GovernorVoterRecused":
      return {
        message: `you are the subject of this proposal and cannot vote on it (${who(b)} is the member it admits, promotes, retires, removes or claws back from: neither their own ballot nor one they cover can be cast)`,
        hint: "The other partners decide it; a partner you cover casts their own ballot on it.",
      };
    case "GovernorBallotHeldByCover":
      return {
        message: `your ballot on this proposal is held by your cover ${String(b)}, who accepted to cover your leave at the proposal's snapshot: they cast it, not you`,
        hint: "Ask them to vote as you would. Proposals whose snapshot comes after your cover ends (`firm leave end`, or `firm cover resign` by them) are yours to vote.",
      };
    case "GovernorExpulsionNotAlone":
      return {
        message: `an expulsion (removing a partner, retiring them by vote or clawing back their grant) must be the proposal's only action, and this one has ${a}`,
        hint: "Propose it on its own: it needs a supermajority of all the other partners, by equity and by headcount.",
      };
    case "GovernorInvalidExpulsionQuorum":
      return {
        message: `invalid expulsion quorums (${a} and ${b} basis points): each must be a supermajority, above 5,000 and at most 10,000`,
      };
    case "GovernorAlreadyCastVote":
      return {
        message: `already voted: ${who(a)} has cast every ballot they hold on this proposal`,
        hint: "A ballot cannot be changed once cast.",
      };
    case "GovernorUnexpectedProposalState":
      return describeProposalState(Number(b), BigInt(c), enums.ProposalState);
    case "GovernorNonexistentProposal":
      return { message: `no such proposal ${a}`, hint: "List proposals with `firm proposals`." };
    case "GovernorRestrictedProposer":
      return { message: "the description reserves this proposal for another proposer (#proposer=…)" };
    case "GovernorInvalidProposalLength":
      return { message: "a proposal needs at least one action" };
    case "GovernorInvalidVoteType":
      return { message: "support must be for, against or abstain" };
    case "GovernorUnableToCancel":
      return { message: "only the proposer can cancel a proposal, and only while it is pending" };
    case "GovernorInvalidQuorum":
      return { message: `invalid quorums (${a} and ${b} basis points): each must be from 1 to 10,000` };
    case "GovernorInvalidVotingDelay":
      return { message: "the voting delay must be from 1 second to 1 year" };
    case "GovernorInvalidVotingPeriod":
      return { message: "the voting period must be from 1 second to 1 year" };
    case "GovernorInvalidGracePeriod":
      return { message: "the grace period must be from 1 day to 1 year" };
    case "GovernorOnlyGovernance":
    case "PartnershipUnauthorized":
    case "PracticesUnauthorized":
    case "RevenueShareUnauthorized":
    case "TimelockUnauthorizedCaller":
    case "AccessControlUnauthorizedAccount":
    case "WithdrawalsUnauthorized":
    case "DirectoryUnauthorized":
    case "BooksUnauthorized":
      return GOVERNANCE_ONLY;
    // The timelock
    case "TimelockUnexpectedOperationState":
      return describeOperationState(BigInt(b));
    case "TimelockInsufficientDelay":
      return { message: `the delay ${a}s is below the timelock's minimum of ${b}s` };
    case "TimelockPayOutFailed":
      return {
        message: `the treasury could not pay ${formatEth(BigInt(b))} to the withdrawal desk ${who(a)}`,
      };
    case "FailedCall":
      return {
        message: "a call of the proposal failed without a reason",
        hint: "Often the treasury lacks the ETH the proposal sends: check it with `firm status`.",
      };
    // Members
    case "MemberNotPartner":
      return { message: `not a partner: ${who(a)} is not an active partner` };
    case "MemberAlreadyAdmitted":
      return { message: `already a member: ${who(a)} was admitted before (a departed member cannot return)` };
    case "MemberUnknown":
      return { message: `not a member: ${who(a)} is not an active member of the firm` };
    case "MemberInvalidRole":
      return {
        message: `${who(a)} cannot take the role ${enums.Role[Number(b)] ?? b}`,
        hint: "Members move only up the ladder: Affiliate → Associate → Partner.",
      };
    case "MemberInvalidTransition":
      return describeTransition(String(a), Number(b), Number(c), enums.MemberStatus);
    case "PartnershipInvalidAccount":
      return { message: `${who(a)} cannot be a member (the zero address or the treasury)` };
    // Leave
    case "LeaveInvalidUntil":
      return {
        message: `a leave ending ${formatTime(Number(a))} is out of range: it must end no earlier than ${formatTime(Number(b))} (the firm's minimum leave) and no later than ${formatTime(Number(c))}`,
        hint: "Pick another --until. The minimum leave is a governance setting (`firm leave --help`).",
      };
    case "LeaveCooldown":
      return {
        message: `${who(a)}'s last leave ended too recently: the firm's cooldown between leaves lets the next one start from ${formatTime(Number(b))}`,
      };
    case "LeaveInvalidRules":
      return {
        message: `invalid leave rules (a minimum leave of ${formatDuration(BigInt(a))}, a cooldown of ${formatDuration(BigInt(b))}): each must be at most a year`,
      };
    case "CoverNotRequested":
      return {
        message: `${who(b)} was not asked to cover ${who(a)}: ${who(a)} is not on leave now, asked someone else, or the cover was already accepted`,
        hint: "See the leave with `firm show member <partner>`; the partner names their cover with `firm leave --until <date> --cover <you>`.",
      };
    case "CoverNotCovering":
      return {
        message: `${who(a)} covers no one now: there is no accepted cover in force to resign from`,
      };
    case "PartnershipNotWithdrawalDesk":
      return {
        message: `only the withdrawal desk may withdraw a member, and ${who(a)} is not it`,
        hint: "Withdraw from the firm with `firm ragequit`.",
      };
    case "LeaveInvalidCover":
      return {
        message: `${who(a)} cannot cover: a cover must be another active partner, not on leave and not covering anyone`,
      };
    case "LeaveWhileCovering":
      return { message: "you are covering a colleague on leave, and cannot leave until that cover ends" };
    case "LeaveNotOnLeave":
      return { message: `not on leave: ${who(a)} has no leave in force` };
    // Grants and equity
    case "GrantInvalidTerms":
      return {
        message: `invalid grant terms (${a} units, cliff ${b}s, vesting ${c}s)`,
        hint: "Units and vesting must be more than zero, and the cliff no longer than the vesting.",
      };
    case "GrantUnknown":
      return {
        message: `no grant #${a}`,
        hint: "See the grants of an address with `firm vesting <address>`.",
      };
    case "GrantNothingToRelease":
      return {
        message: `nothing to release on grant #${a} yet`,
        hint: "See when the next units vest with `firm vesting <address>`.",
      };
    case "GrantAlreadyRevoked":
      return { message: `grant #${a} is already revoked` };
    case "EquityFutureLookup":
      return {
        message: `votes at ${formatTime(Number(a))} cannot be read yet: that time is not in the past`,
      };
    case "EquityNonTransferable":
      return { message: "partnership units cannot be transferred, approved or delegated" };
    case "BuybackValueMismatch":
      return {
        message: `the ETH sent (${formatEth(BigInt(a))}) does not match the buy-back price`,
      };
    case "BuybackNothingOwed":
      return { message: `nothing is owed to ${who(a)}` };
    case "PartnershipPaymentFailed":
    case "RevenueSharePaymentFailed":
    case "WithdrawalPaymentFailed":
      return { message: `the payment to ${who(a)} failed: that account does not accept the funds` };
    case "SnapshotUnknown":
      return { message: `no balance snapshot #${a}` };
    // Practices
    case "PracticeSlugInvalid":
      return {
        message: `invalid practice slug "${a}"`,
        hint: "A slug is 1 to 32 characters of a-z, 0-9 and '-'.",
      };
    case "PracticeNameInvalid":
      return { message: "a practice name must be 1 to 64 bytes" };
    case "PracticeSlugTaken":
      return {
        message: `practice slug taken: "${a}" is already used (a sunset practice keeps its slug)`,
        hint: "Choose another --slug; see the practices with `firm status`.",
      };
    case "PracticeNotActive":
      return { message: "practice is not active: there is no such practice, or it is sunset" };
    case "PracticeNotMember":
      return { message: `${who(b)} is not in that practice` };
    case "PracticeMemberNotActive":
      return { message: `${who(a)} is not an active member of the firm` };
    case "PracticeLeadNotPartner":
      return { message: `${who(a)} is not an active partner, so cannot lead a practice` };
    case "PracticeInvalidRole":
      return {
        message: `${who(a)} cannot take that practice role`,
        hint: "A lead changes only by a lead change; seats are Member or Technician.",
      };
    // Revenue share
    case "DistributionUnknown":
      return { message: `no distribution #${a}` };
    case "DistributionInvalidAmount":
      return { message: "a distribution needs an amount above zero (and, for ETH, exactly that much sent)" };
    case "DistributionNoSupply":
      return {
        message: "no equity units have been released yet, so there is no one to distribute to",
        hint: "Holders release vested units with `firm release`.",
      };
    case "DistributionAlreadyClaimed":
      return { message: `already claimed: ${who(b)} has claimed distribution #${a}` };
    case "DistributionNothingToClaim":
      return { message: `nothing to claim: ${who(b)} held no units at distribution #${a}'s snapshot` };
    case "DistributionClaimClosed":
      return { message: `the claim window of distribution #${a} closed at ${formatTime(Number(b))}` };
    case "DistributionClaimOpen":
      return { message: `the claim window of distribution #${a} is open until ${formatTime(Number(b))}` };
    case "ClaimWindowInvalid":
      return { message: "the claim window must be from 1 day to 2 years" };
    // Withdrawals (rage-quit)
    case "WithdrawalLockedByVotes":
      return {
        message: `${who(a)} still holds ${b} For vote(s) on proposals that move treasury funds and are not over yet (executed, defeated, canceled or expired): no one may vote to spend the treasury and leave with a share of it first`,
        hint: "Run `firm ragequit` again once each of those proposals is over.",
      };
    case "WithdrawalNothingOwed":
      return {
        message: `nothing to claim: the withdrawal desk owes ${who(a)} nothing in ${isZeroAddress(b) ? "ETH" : `token ${String(b)}`}`,
        hint: "A withdrawal (`firm ragequit --yes`) credits ETH and each listed token; claim each with `firm ragequit claim [--token <address>]`.",
      };
    case "TreasuryTokenInvalid":
      return {
        message: `token ${who(a)} cannot be listed or delisted: it is the zero address, already in the state asked, or the list is full`,
      };
    case "WithdrawalsUnexpectedEth":
      return { message: `the withdrawal desk takes ETH from the treasury only, not from ${who(a)}` };
    // The talent directory
    case "DirectoryNotMember":
      return {
        message: `${who(a)} is not an active member (or on leave) of the firm: only members publish a profile`,
      };
    case "ProfileFieldInvalid":
      return {
        message: `the profile's ${String(a)} is out of bounds`,
        hint: "See `firm profile set --help` for each field's rule (the CLI checks them before sending).",
      };
    case "ProfileNotFound":
      return { message: `${who(a)} has no profile to clear` };
    case "ProfileOwnerStillMember":
      return {
        message: `${who(a)} is still a member: only they, or governance by proposal, may clear their profile`,
      };
    case "MentorshipInvalid":
      return {
        message: `${who(a)} cannot mentor ${who(b)}: a mentor must be an active partner, the mentee an active associate, not the same account, and not already linked or offered`,
      };
    case "MentorshipOfferNotFound":
      return {
        message: `no standing mentorship offer from ${who(a)} to ${who(b)} (never made, withdrawn or already used)`,
        hint: "The partner offers first with `firm mentor offer <associate>`.",
      };
    case "MentorshipNotFound":
      return {
        message: `${who(a)} has no mentor, or ${who(b)} may not end that link (only the mentor, the mentee, governance, or anyone once one of them left the firm)`,
      };
    // The books
    case "BooksTokenNotAllowed":
      return {
        message: `token ${who(a)} is not on the books' allow-list`,
        hint: "Governance allows a token by proposal (`firm propose allow-token <address>`); ETH needs no listing.",
      };
    case "BooksUnknownPractice":
      return {
        message: `no active practice has the slug "${a}"`,
        hint: "See the practices with `firm status`; leave --practice out for the firm itself.",
      };
    case "BooksInvalidAmount":
      return { message: `the amount ${a} is not valid: it must be above zero and below 2^96` };
    case "BooksTextTooLong":
      return { message: `the text is ${a} bytes long; at most ${b} are allowed` };
    case "BooksInvalidBudget":
      return {
        message:
          "the budget is not valid: it needs an amount above zero (a cut must lower it) and at most 16 spenders, each an active member",
      };
    case "BooksNoBudget":
      return {
        message: "that practice has no budget in force (never set, or revoked)",
        hint: "Governance approves one with `firm propose budget`.",
      };
    case "BooksNotSpender":
      return {
        message: `${who(a)} may not spend this budget: only the practice's lead, or a spender the vote named who is still an active member seated in the practice`,
      };
    case "BooksOverBudget":
      return {
        message: `the payment of ${a} is over budget: ${b} is left this period`,
        hint: "See what is left with `firm budget <practice>`; a larger payment goes by proposal.",
      };
    case "BooksInsufficientFunds":
      return {
        message: `the books cannot pay ${b} of token ${who(a)}: only ${c} is free (the rest is set aside for claims)`,
        hint: "A close needs its month's distributable net in free funds: wait for deposits, or for pools to be claimed or reclaimed; see `firm books`.",
      };
    case "BooksInvalidPayee":
      return { message: `cannot pay ${who(a)}: not the zero address, nor the books themselves` };
    case "BooksInvalidRule":
      return {
        message:
          "the profit rule needs a practice share of at most 10,000 basis points and a lead weight above zero",
      };
    case "BooksCannotClose":
      return {
        message:
          Number(b) === 0
            ? `month ${a} cannot close: nothing has moved in this token yet`
            : `month ${a} cannot close: the next month to close is ${b}, and only once it has ended`,
        hint: "Months close in order, once each; `firm books` shows the next one.",
      };
    case "BooksCloseMismatch":
      return {
        message: `the close would send ${b} to the lockstep distribution, not the ${a} the proposal was written for`,
        hint: "Money moved since the proposal was written: propose the close again (`firm propose close-period`).",
      };
    case "BooksUnknownPool":
      return { message: `there is no practice pool ${a}` };
    case "BooksClaimClosed":
      return { message: `the claim window of pool ${a} closed at ${formatTime(Number(b))}` };
    case "BooksClaimOpen":
      return {
        message: `pool ${a} can still be claimed until ${formatTime(Number(b))}; its rest returns after that`,
      };
    case "BooksAlreadyClaimed":
      return { message: `${who(b)} already claimed pool ${a}` };
    case "BooksNothingToClaim":
      return { message: `${who(b)} has nothing to claim from pool ${a}` };
    case "BooksPaymentFailed":
      return {
        message: `sending ${formatEth(BigInt(b))} to ${who(a)} failed: the receiver refused ETH`,
      };
    // Tokens and guards
    case "ERC20InsufficientBalance":
      return { message: `${who(a)} holds ${b} of the token; ${c} is needed` };
    case "ERC20InsufficientAllowance":
      return { message: `the token allowance of ${who(a)} is ${b}; ${c} is needed` };
    case "SafeERC20FailedOperation":
      return { message: `the token ${who(a)} refused the transfer` };
    case "ReentrancyGuardReentrantCall":
      return { message: "a reentrant call was refused" };
    default:
      return { message: `${name}(${args.map((arg) => String(arg)).join(", ")})` };
  }
}

/**
 * The governor's state error: which state it wanted (a bitmap of ProposalState) and which it found.
 * @param {number} current @param {bigint} expected @param {readonly string[]} PROPOSAL_STATES
 */
function describeProposalState(current, expected, PROPOSAL_STATES) {
  const state = PROPOSAL_STATES[current] ?? `state ${current}`;
  const wanted = (s) => (expected & (1n << BigInt(PROPOSAL_STATES.indexOf(s)))) !== 0n;
  if (expected === 0n) {
    return {
      message: "this exact proposal already exists (the same actions and description)",
      hint: "Give it another --title or --description to make it a new proposal.",
    };
  }
  const hints = {
    Pending:
      "Voting has not started yet: it opens after the voting delay (on the dev chain: `firm dev advance <duration>`).",
    Active: "Voting is still open; it can be queued once the voting period ends.",
    Defeated:
      "It did not pass: For must reach a majority of all the partners eligible to vote (a supermajority for an expulsion), by equity and by headcount, and the quorums.",
    Succeeded: "It passed: queue it with `firm queue <proposal>`.",
    Queued: "It is queued: execute it with `firm execute <proposal>` once the timelock delay has passed.",
    Executed: "It has already been executed.",
    Canceled: "Its proposer canceled it.",
    Expired:
      "It was not queued within its grace period after voting ended, or not executed within it after its eta.",
  };
  const hint = hints[state];
  if (wanted("Active")) return { message: `proposal is not active: it is ${state}`, hint };
  if (wanted("Succeeded")) return { message: `proposal cannot be queued: it is ${state}`, hint };
  if (wanted("Queued")) return { message: `proposal cannot be executed: it is ${state}`, hint };
  return { message: `the proposal is ${state}`, hint };
}

/** TimelockController.OperationState: Unset, Waiting, Ready, Done (as bits of the expected bitmap). */
/** @param {bigint} expected */
function describeOperationState(expected) {
  if (expected & (1n << 2n)) {
    return {
      message: "the timelock delay has not passed yet",
      hint: "See its eta with `firm show proposal <id>`; on the dev chain, `firm dev advance <duration>`.",
    };
  }
  if (expected & 1n) return { message: "this batch is already scheduled in the timelock" };
  return { message: "the timelock operation is not in the expected state" };
}

/** @param {string} account @param {number} from @param {number} to @param {readonly string[]} MEMBER_STATUSES */
function describeTransition(account, from, to, MEMBER_STATUSES) {
  const fromName = MEMBER_STATUSES[from] ?? String(from);
  const toName = MEMBER_STATUSES[to] ?? String(to);
  if (fromName === "OnLeave" && toName === "OnLeave")
    return {
      message: `already on leave: ${shortAddress(account)} is on leave now`,
      hint: "End it first with `firm leave end`.",
    };
  if (hasLeftTheFirm(fromName))
    return { message: `${shortAddress(account)} has left the firm (${memberStatusWords(fromName)})` };
  return { message: `${shortAddress(account)} cannot go from ${fromName} to ${toName}` };
}

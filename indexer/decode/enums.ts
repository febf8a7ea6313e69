// Solidity enums by name: the mirror stores names ("Partner", "OnLeave"), the chain speaks ordinals.
// The orders are those of contracts/interfaces/*.sol and OpenZeppelin's IGovernor.

/** IPartnership.Role */
export const ROLES = ["None", "Partner", "Associate", "Affiliate"] as const;
/** IPartnership.MemberStatus */
export const MEMBER_STATUSES = ["None", "Active", "OnLeave", "Retired", "Removed"] as const;
/** IPartnership.PracticeRole */
export const PRACTICE_ROLES = ["None", "Lead", "Member", "Technician"] as const;
/** IPractices.PracticeStatus */
export const PRACTICE_STATUSES = ["None", "Active", "Sunset"] as const;
/** GovernorCountingSimple's support values, which the firm governor keeps. */
export const SUPPORTS = ["Against", "For", "Abstain"] as const;
/** IGovernor.ProposalState */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

export type RoleName = (typeof ROLES)[number];
export type MemberStatusName = (typeof MEMBER_STATUSES)[number];
export type PracticeRoleName = (typeof PRACTICE_ROLES)[number];
export type PracticeStatusName = (typeof PRACTICE_STATUSES)[number];
export type SupportName = (typeof SUPPORTS)[number];
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/** The name of ordinal `value` in `names`; throws on an ordinal the contracts never emit. */
export function enumName<const T extends readonly string[]>(
  names: T,
  value: number | bigint,
  what: string,
): T[number] {
  const name = names[Number(value)];
  if (name === undefined) throw new Error(`Unknown ${what} ordinal ${value}`);
  return name;
}

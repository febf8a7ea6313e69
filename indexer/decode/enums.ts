// Solidity enums by name: the mirror stores names ("Partner", "OnLeave"), the chain speaks ordinals.
// The names come from the contracts' source: contracts/abi.ts's ENUMS, which every build derives from
// the compiler's AST (contracts/interfaces/*.sol and OpenZeppelin's IGovernor), so no list here can
// fall out of order with the Solidity.
import { ENUMS } from "../../contracts/abi.ts";

/** IPartnership.Role */
export const ROLES = ENUMS.Role;
/** IPartnership.MemberStatus */
export const MEMBER_STATUSES = ENUMS.MemberStatus;
/** IPartnership.PracticeRole */
export const PRACTICE_ROLES = ENUMS.PracticeRole;
/** IPractices.PracticeStatus */
export const PRACTICE_STATUSES = ENUMS.PracticeStatus;
/** IBooks.Cadence */
export const CADENCES = ENUMS.Cadence;
/**
 * GovernorCountingSimple's support values, which the firm governor keeps. Written out: the governor
 * takes them as a plain uint8, so no enum of the ABIs names them.
 */
export const SUPPORTS = ["Against", "For", "Abstain"] as const;
/** IDirectory.WorkMode */
export const WORK_MODES = ENUMS.WorkMode;
/** IGovernor.ProposalState */
export const PROPOSAL_STATES = ENUMS.ProposalState;

export type RoleName = (typeof ROLES)[number];
export type MemberStatusName = (typeof MEMBER_STATUSES)[number];
export type PracticeRoleName = (typeof PRACTICE_ROLES)[number];
export type PracticeStatusName = (typeof PRACTICE_STATUSES)[number];
export type SupportName = (typeof SUPPORTS)[number];
export type WorkModeName = (typeof WORK_MODES)[number];
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

/**
 * An enum's ordinals by name, as a contract call takes them.
 *
 * @example
 * const Role = enumOrdinals(ROLES); // { None: 0, Partner: 1, Associate: 2, Affiliate: 3 }
 */
export function enumOrdinals<const T extends readonly string[]>(names: T): EnumOrdinals<T> {
  return Object.fromEntries(names.map((name, ordinal) => [name, ordinal])) as EnumOrdinals<T>;
}

/** `{ None: 0, Partner: 1, … }`, with each ordinal as its literal type. */
export type EnumOrdinals<T extends readonly string[]> = {
  readonly [I in keyof T & `${number}` as T[I]]: I extends `${infer N extends number}` ? N : never;
};

// The contracts' enums as ordinals by name (Role.Partner === 1), for building calls. Derived from the
// name lists the indexer decodes with (indexer/decode/enums.ts), so the order is written down once.
import {
  MEMBER_STATUSES,
  PRACTICE_ROLES,
  PROPOSAL_STATES,
  ROLES,
  SUPPORTS,
} from "../../indexer/decode/enums.ts";

/** `["None", "Lead"]` → `{ None: 0, Lead: 1 }`, each value its literal ordinal. */
type Ordinals<Names extends readonly string[]> = {
  readonly [Index in keyof Names as Index extends `${number}`
    ? Names[Index] & string
    : never]: Index extends `${infer Ordinal extends number}` ? Ordinal : never;
};

function ordinals<const Names extends readonly string[]>(names: Names): Ordinals<Names> {
  return Object.fromEntries(names.map((name, ordinal) => [name, ordinal])) as Ordinals<Names>;
}

export const Support = ordinals(SUPPORTS);
export const Role = ordinals(ROLES);
export const Status = ordinals(MEMBER_STATUSES);
export const PracticeRole = ordinals(PRACTICE_ROLES);
export const ProposalState = ordinals(PROPOSAL_STATES);

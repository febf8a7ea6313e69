// The contracts' enums as ordinals by name (Role.Partner === 1), for building calls. Derived from the
// name lists the indexer decodes with (indexer/decode/enums.ts, themselves read from the compiler's
// AST), so the order is written down once.
import {
  enumOrdinals,
  MEMBER_STATUSES,
  PRACTICE_ROLES,
  PROPOSAL_STATES,
  ROLES,
  SUPPORTS,
  WORK_MODES,
} from "../../indexer/decode/enums.ts";

export const Support = enumOrdinals(SUPPORTS);
export const Role = enumOrdinals(ROLES);
export const Status = enumOrdinals(MEMBER_STATUSES);
export const PracticeRole = enumOrdinals(PRACTICE_ROLES);
export const ProposalState = enumOrdinals(PROPOSAL_STATES);
/** IDirectory.WorkMode */
export const WorkMode = enumOrdinals(WORK_MODES);

// The proposal enums: stored names ("For", "Defeated") ↔ GraphQL values (FOR, DEFEATED); resolvers
// return the stored name.
export const Support = { FOR: "For", AGAINST: "Against", ABSTAIN: "Abstain" };

export const ProposalState = {
  PENDING: "Pending",
  ACTIVE: "Active",
  CANCELED: "Canceled",
  DEFEATED: "Defeated",
  SUCCEEDED: "Succeeded",
  QUEUED: "Queued",
  EXPIRED: "Expired",
  EXECUTED: "Executed",
};

// The member enums: stored names ("OnLeave") ↔ GraphQL values (ON_LEAVE); resolvers return the stored
// name.
export const Role = { PARTNER: "Partner", ASSOCIATE: "Associate", AFFILIATE: "Affiliate" };

export const MemberStatus = {
  NONE: "None",
  ACTIVE: "Active",
  ON_LEAVE: "OnLeave",
  RETIRED: "Retired",
  REMOVED: "Removed",
};

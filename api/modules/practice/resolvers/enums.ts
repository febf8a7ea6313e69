// The practice enums: stored names ("Sunset") ↔ GraphQL values (SUNSET); resolvers return the stored
// name.
export const PracticeStatus = { ACTIVE: "Active", SUNSET: "Sunset" };

export const PracticeRole = { LEAD: "Lead", MEMBER: "Member", TECHNICIAN: "Technician" };

// The verification module: verifyMembership, checked in the mirror and on the chain. Its logic is
// api/verifyMembership.ts (the CLI's tests name that file, so it stays there).
import { defineModule } from "../defineModule.ts";
import { verifyMembership } from "./resolvers/Query/verifyMembership.ts";

export const verificationModule = defineModule(import.meta.url, {
  resolvers: { Query: { verifyMembership } },
});

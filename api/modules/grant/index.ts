// The grant module: equity grants (terms, releases, revocation, vesting at any time) and the grants
// list.
import { defineModule } from "../defineModule.ts";
import { createGrantLoaders } from "./loaders.ts";
import { Grant } from "./resolvers/Grant.ts";
import { grant } from "./resolvers/Query/grant.ts";
import { grants } from "./resolvers/Query/grants.ts";
import { createGrantStatements } from "./statements.ts";

export const grantModule = defineModule(import.meta.url, {
  resolvers: { Query: { grant, grants }, Grant },
  loaders: createGrantLoaders,
  statements: createGrantStatements,
});

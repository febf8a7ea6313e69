// The API's modules, listed once: the schema, the resolvers, each request's loaders and the app's
// prepared statements are all built from this list. A new concept is a folder in api/modules (see
// defineModule.ts) and one line here.
import { createSchema } from "graphql-yoga";
import type { ApiContext } from "../context.ts";
import { booksModule } from "./books/index.ts";
import { composeModules } from "./composeModules.ts";
import { coreModule } from "./core/index.ts";
import type { ApiModule, Loaders, Statements } from "./defineModule.ts";
import { directoryModule } from "./directory/index.ts";
import { distributionModule } from "./distribution/index.ts";
import { firmModule } from "./firm/index.ts";
import { grantModule } from "./grant/index.ts";
import { memberModule } from "./member/index.ts";
import { practiceModule } from "./practice/index.ts";
import { presenceModule } from "./presence/index.ts";
import { proposalModule } from "./proposal/index.ts";
import { verificationModule } from "./verification/index.ts";

/** In the order of their types and root fields in the printed schema. */
export const MODULES = [
  coreModule,
  firmModule,
  memberModule,
  practiceModule,
  proposalModule,
  grantModule,
  distributionModule,
  verificationModule,
  presenceModule,
  directoryModule,
  booksModule,
] as const;

const api = composeModules(MODULES);

/**
 * Builds the API's schema.
 *
 * @example
 * const schema = createApiSchema();
 * printSchema(schema); // the public contract, snapshot-tested
 */
export function createApiSchema() {
  return createSchema<ApiContext>({ typeDefs: api.typeDefs, resolvers: api.resolvers });
}

/**
 * Prepares the modules' statements on `db`, once per app.
 *
 * @example
 * const statements = createStatements(db);
 * const rows = await statements.membersByAddress.execute({ keys: ["0xab…", "0xcd…"] });
 */
export const createStatements = api.createStatements;

/**
 * Creates a fresh set of the modules' loaders, once per request.
 *
 * @example
 * const loaders = createLoaders({ db, statements, metrics, chainId });
 * const [a, b] = await Promise.all([loaders.memberByAddress.load(x), loaders.memberByAddress.load(y)]); // one query
 */
export const createLoaders = api.createLoaders;

// Every loader and statement a module declares on Loaders and Statements must come from a module in
// MODULES: a module left out of the list fails to compile here, naming what it would have provided.
type Provided<Module, Part extends "loaders" | "statements"> =
  Module extends ApiModule<infer L, infer S> ? keyof (Part extends "loaders" ? L : S) : never;
type Unlisted<Part extends "loaders" | "statements", Declared> = Exclude<
  keyof Declared,
  Provided<(typeof MODULES)[number], Part>
>;
const everyLoaderListed: [Unlisted<"loaders", Loaders>] extends [never]
  ? true
  : Unlisted<"loaders", Loaders> = true;
const everyStatementListed: [Unlisted<"statements", Statements>] extends [never]
  ? true
  : Unlisted<"statements", Statements> = true;
void everyLoaderListed;
void everyStatementListed;

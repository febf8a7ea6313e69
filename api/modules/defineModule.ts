// An API module: one concept's whole part of the GraphQL API, in api/modules/<concept>/: its SDL
// (<concept>.graphql, descriptions and all), its resolvers (its types' and its own Query and
// Subscription fields), the loaders it adds to every request and the prepared statements they use.
// api/modules/index.ts lists the modules once and builds the schema, the loaders and the statements
// from that list.
//
// ctx.loaders and the statements are typed by declaration merging, as graphql-modules types its
// context: each module adds the types of its loaders and statements to the Loaders and Statements
// interfaces below (`declare module "../defineModule.ts"` in its index.ts). A resolver thus sees
// every module's loaders through ApiContext without importing the list of modules, which imports
// the resolvers: no import cycle. modules/index.ts checks at compile time that every loader so
// declared comes from a listed module.
import { readFileSync } from "node:fs";
import type { GraphQLScalarType } from "graphql/index.js";
import type { Database } from "../../indexer/store/db.ts";
import type { ApiMetrics } from "../metrics.ts";

/** A request's loaders, by name: each module adds its own (see above). */
// biome-ignore lint/suspicious/noEmptyInterface: the modules' declarations fill it.
export interface Loaders {}

/** The app's prepared statements, by name: each module adds its own (see above). */
// biome-ignore lint/suspicious/noEmptyInterface: the modules' declarations fill it.
export interface Statements {}

/** What a module's loader factory gets: the database, the app's prepared statements and its metrics. */
export interface LoaderDeps {
  db: Database;
  statements: Statements;
  metrics: ApiMetrics;
  chainId: number;
}

/** A module's resolvers: per GraphQL type, its field resolvers (or the scalar itself). */
export type ModuleResolvers = Record<string, GraphQLScalarType | Record<string, unknown>>;

export interface ApiModule<ModuleLoaders extends object = object, ModuleStatements extends object = object> {
  /** The concept, as its folder is named. */
  name: string;
  /** The SDL: its types, and `extend type Query` / `extend type Subscription` for its root fields. */
  typeDefs: string;
  resolvers: ModuleResolvers;
  /** Builds the module's loaders for one request (a cache never outlives its request). */
  loaders?: ((deps: LoaderDeps) => ModuleLoaders) | undefined;
  /** Prepares the module's statements once per app (named: each name is unique in the app). */
  statements?: ((db: Database) => ModuleStatements) | undefined;
}

/**
 * Defines a module, reading its SDL from `typeDefs`.
 *
 * @example
 * export const memberModule = defineModule({
 *   name: "member",
 *   typeDefs: new URL("./member.graphql", import.meta.url),
 *   resolvers: { Query: { member, members }, Member },
 *   loaders: createMemberLoaders,
 *   statements: createMemberStatements,
 * });
 */
export function defineModule<
  ModuleLoaders extends object = Record<never, never>,
  ModuleStatements extends object = Record<never, never>,
>({
  typeDefs,
  ...module
}: Omit<ApiModule<ModuleLoaders, ModuleStatements>, "typeDefs"> & { typeDefs: URL }): ApiModule<
  ModuleLoaders,
  ModuleStatements
> {
  return { ...module, typeDefs: readFileSync(typeDefs, "utf8") };
}

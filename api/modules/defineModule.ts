// An API module: one concept's whole part of the GraphQL API, in api/modules/<concept>/: its SDL
// (<concept>.graphql, descriptions and all), its resolvers (resolvers/<Type>.ts, and its own Query and
// Subscription fields in resolvers/Query/<field>.ts and resolvers/Subscription/<field>.ts, as
// graphql-hive lays out its modules), its queries (queries/), the loaders it adds to every request
// (loaders.ts) and the prepared statements they use (statements.ts). index.ts defines the module;
// api/modules/index.ts lists the modules once and builds the schema, the loaders and the statements
// from that list.
//
// ctx.loaders and the statements are typed by declaration merging, as graphql-modules types its
// context: a module's loaders.ts and statements.ts add their types to the Loaders and Statements
// interfaces below (`declare module "../defineModule.ts"`). A resolver thus sees every module's
// loaders through ApiContext without importing the list of modules, which imports the resolvers: no
// import cycle. modules/index.ts checks at compile time that every loader and statement so declared
// comes from a listed module.
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
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
 * Defines the module whose index.ts is at `moduleUrl` (its import.meta.url): named after its folder,
 * with the SDL of <folder>/<name>.graphql.
 *
 * @example
 * export const memberModule = defineModule(import.meta.url, {
 *   resolvers: { Query: { member, members }, Member },
 *   loaders: createMemberLoaders,
 *   statements: createMemberStatements,
 * });
 */
export function defineModule<
  ModuleLoaders extends object = Record<never, never>,
  ModuleStatements extends object = Record<never, never>,
>(
  moduleUrl: string,
  parts: Omit<ApiModule<ModuleLoaders, ModuleStatements>, "name" | "typeDefs">,
): ApiModule<ModuleLoaders, ModuleStatements> {
  const name = basename(dirname(fileURLToPath(moduleUrl)));
  return { name, typeDefs: readFileSync(new URL(`./${name}.graphql`, moduleUrl), "utf8"), ...parts };
}

// The executable schema: the SDL in schema.graphql with the resolvers of ../resolvers.
import { readFileSync } from "node:fs";
import { createSchema } from "graphql-yoga";
import type { ApiContext } from "../context.ts";
import { resolvers } from "../resolvers/index.ts";

/** The SDL, as written (descriptions included). */
export const TYPE_DEFS = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");

/**
 * Builds the API's schema.
 *
 * @example
 * const schema = createApiSchema();
 * printSchema(schema); // the public contract, snapshot-tested
 */
export function createApiSchema() {
  return createSchema<ApiContext>({ typeDefs: TYPE_DEFS, resolvers });
}

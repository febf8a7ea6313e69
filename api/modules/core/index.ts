// The core module: what every concept's part of the schema stands on (the description, the roots,
// the scalars, AsOf, Transaction, PageInfo), the block-time loader and the mirror's checkpoint.
import { defineModule } from "../defineModule.ts";
import { createCoreLoaders } from "./loaders.ts";
import { Transaction } from "./resolvers/Transaction.ts";
import { BigIntScalar, JSONScalar, Timestamp } from "./scalars.ts";
import { createCoreStatements } from "./statements.ts";

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createCoreLoaders> {}
  interface Statements extends ReturnType<typeof createCoreStatements> {}
}

export const coreModule = defineModule({
  name: "core",
  typeDefs: new URL("./core.graphql", import.meta.url),
  resolvers: { Timestamp, BigInt: BigIntScalar, JSON: JSONScalar, Transaction },
  loaders: createCoreLoaders,
  statements: createCoreStatements,
});

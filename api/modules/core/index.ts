// The core module: what every concept's part of the schema stands on (the description, the roots,
// the scalars, AsOf, Transaction, PageInfo), the block-time loader and the mirror's checkpoint.
import { defineModule } from "../defineModule.ts";
import { createCoreLoaders } from "./loaders.ts";
import { Transaction } from "./resolvers/Transaction.ts";
import { BigIntScalar, JSONScalar, Timestamp } from "./scalars.ts";
import { createCoreStatements } from "./statements.ts";

export const coreModule = defineModule(import.meta.url, {
  resolvers: { Timestamp, BigInt: BigIntScalar, JSON: JSONScalar, Transaction },
  loaders: createCoreLoaders,
  statements: createCoreStatements,
});

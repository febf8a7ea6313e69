// The distribution module: revenue distributions, their claim windows, and the distributions list.
import { defineModule } from "../defineModule.ts";
import { createDistributionLoaders } from "./loaders.ts";
import { Distribution } from "./resolvers/Distribution.ts";
import { distributions } from "./resolvers/Query/distributions.ts";
import { createDistributionStatements } from "./statements.ts";

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createDistributionLoaders> {}
  interface Statements extends ReturnType<typeof createDistributionStatements> {}
}

export const distributionModule = defineModule({
  name: "distribution",
  typeDefs: new URL("./distribution.graphql", import.meta.url),
  resolvers: { Query: { distributions }, Distribution },
  loaders: createDistributionLoaders,
  statements: createDistributionStatements,
});

// The distribution module: revenue distributions, their claim windows, and the distributions list.
import { defineModule } from "../defineModule.ts";
import { createDistributionLoaders } from "./loaders.ts";
import { Distribution } from "./resolvers/Distribution.ts";
import { distributions } from "./resolvers/Query/distributions.ts";
import { createDistributionStatements } from "./statements.ts";

export const distributionModule = defineModule(import.meta.url, {
  resolvers: { Query: { distributions }, Distribution },
  loaders: createDistributionLoaders,
  statements: createDistributionStatements,
});

// The firm module: the deployment, its contracts, the governance parameters in force, the treasury
// tokens and the counts; and how far the mirror has indexed the chain (indexingStatus).
import { defineModule } from "../defineModule.ts";
import { createFirmLoaders } from "./loaders.ts";
import { Firm } from "./resolvers/Firm.ts";
import { firm } from "./resolvers/Query/firm.ts";
import { indexingStatus } from "./resolvers/Query/indexingStatus.ts";
import { createFirmStatements } from "./statements.ts";

export const firmModule = defineModule(import.meta.url, {
  resolvers: { Query: { firm, indexingStatus }, Firm },
  loaders: createFirmLoaders,
  statements: createFirmStatements,
});

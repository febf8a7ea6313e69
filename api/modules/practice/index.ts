// The practice module: practices now or as of a point, their seats, and the practices list.
import { defineModule } from "../defineModule.ts";
import { createPracticeLoaders } from "./loaders.ts";
import { PracticeRole, PracticeStatus } from "./resolvers/enums.ts";
import { Practice } from "./resolvers/Practice.ts";
import { PracticeSeat } from "./resolvers/PracticeSeat.ts";
import { practice } from "./resolvers/Query/practice.ts";
import { practices } from "./resolvers/Query/practices.ts";
import { createPracticeStatements } from "./statements.ts";

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createPracticeLoaders> {}
  interface Statements extends ReturnType<typeof createPracticeStatements> {}
}

export const practiceModule = defineModule({
  name: "practice",
  typeDefs: new URL("./practice.graphql", import.meta.url),
  resolvers: {
    Query: { practice, practices },
    PracticeStatus,
    PracticeRole,
    Practice,
    PracticeSeat,
  },
  loaders: createPracticeLoaders,
  statements: createPracticeStatements,
});

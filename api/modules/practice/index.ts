// The practice module: practices now or as of a point, their seats, and the practices list.
import { PRACTICE_ROLES, PRACTICE_STATUSES } from "../../../indexer/decode/enums.ts";
import { enumResolver } from "../core/enumResolver.ts";
import { defineModule } from "../defineModule.ts";
import { createPracticeLoaders } from "./loaders.ts";
import { Practice } from "./resolvers/Practice.ts";
import { PracticeSeat } from "./resolvers/PracticeSeat.ts";
import { practice } from "./resolvers/Query/practice.ts";
import { practices } from "./resolvers/Query/practices.ts";
import { createPracticeStatements } from "./statements.ts";

export const practiceModule = defineModule(import.meta.url, {
  resolvers: {
    Query: { practice, practices },
    PracticeStatus: enumResolver(PRACTICE_STATUSES, { omit: ["None"] }),
    PracticeRole: enumResolver(PRACTICE_ROLES, { omit: ["None"] }),
    Practice,
    PracticeSeat,
  },
  loaders: createPracticeLoaders,
  statements: createPracticeStatements,
});

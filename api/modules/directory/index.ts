// The directory module: members' public profiles, mentor links, and the technicians of a practice
// near a place, remote-capable, in a region or with a skill.
import { WORK_MODES } from "../../../indexer/decode/enums.ts";
import { enumResolver } from "../core/enumResolver.ts";
import { defineModule } from "../defineModule.ts";
import { createDirectoryLoaders } from "./loaders.ts";
import { Member } from "./resolvers/Member.ts";
import { technicians } from "./resolvers/Query/technicians.ts";
import { Technician } from "./resolvers/Technician.ts";
import { createDirectoryStatements } from "./statements.ts";

export const directoryModule = defineModule(import.meta.url, {
  resolvers: {
    Query: { technicians },
    Member,
    Technician,
    WorkMode: enumResolver(WORK_MODES, { omit: ["None"] }),
  },
  loaders: createDirectoryLoaders,
  statements: createDirectoryStatements,
});

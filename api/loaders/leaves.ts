// leaves: every leave a partner declared, oldest first.
import type { LeaveRow } from "../../indexer/store/mirror.ts";
import { createLoader, groupedByKey } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createLeaveLoaders({ statements, metrics }: LoaderDeps) {
  return {
    leavesByPartner: createLoader<string, LeaveRow[]>({ name: "leaves", metrics }, async (keys) =>
      groupedByKey(keys, await statements.leavesByPartner.execute({ keys: [...keys] }), (row) => row.partner),
    ),
  };
}

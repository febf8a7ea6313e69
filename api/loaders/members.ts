// members: the current record of each member, by address.
import type { MemberRow } from "../../indexer/store/mirror.ts";
import { byKey, createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createMemberLoaders({ statements, metrics }: LoaderDeps) {
  return {
    /** address (lowercase) → the member, or null. */
    memberByAddress: createLoader<string, MemberRow | null>({ name: "members", metrics }, async (keys) =>
      byKey(keys, await statements.membersByAddress.execute({ keys: [...keys] }), (row) => row.address),
    ),
  };
}

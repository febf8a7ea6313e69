// accounts: current balance (released units) and votes of each account.
import type { AccountRow } from "../../indexer/store/mirror.ts";
import { byKey, createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createAccountLoaders({ statements, metrics }: LoaderDeps) {
  return {
    accountByAddress: createLoader<string, AccountRow | null>({ name: "accounts", metrics }, async (keys) =>
      byKey(keys, await statements.accountsByAddress.execute({ keys: [...keys] }), (row) => row.address),
    ),
  };
}

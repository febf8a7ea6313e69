// governance_settings: the one row of parameters in force.
import type { SettingsRow } from "../../indexer/store/mirror.ts";
import { createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createSettingsLoaders({ statements, metrics }: LoaderDeps) {
  return {
    /** Always loaded with the key "current"; null before the mirror saw a setter event. */
    settings: createLoader<"current", SettingsRow | null>(
      { name: "governance_settings", metrics },
      async (keys) => {
        const [row] = await statements.settings.execute();
        return keys.map(() => row ?? null);
      },
    ),
  };
}

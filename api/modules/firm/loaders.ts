// The firm module's loaders: governance_settings, the one row of parameters in force.
import type { SettingsRow } from "../../../indexer/store/mirror.ts";
import { createLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createFirmLoaders({ statements, metrics }: LoaderDeps) {
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

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createFirmLoaders> {}
}

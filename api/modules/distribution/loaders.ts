// The distribution module's loaders: distributions by id (decimal string).
import { createRowLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createDistributionLoaders({ statements, metrics }: LoaderDeps) {
  return { distributionById: createRowLoader(statements.distributionsById, metrics) };
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createDistributionLoaders> {}
}

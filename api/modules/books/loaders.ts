// The books module's loaders: an allowed token's row by address.
import { createRowLoader } from "../core/createLoader.ts";
import type { LoaderDeps } from "../defineModule.ts";

export function createBooksLoaders({ statements, metrics }: LoaderDeps) {
  return { bookTokenByToken: createRowLoader(statements.bookTokensByToken, metrics) };
}

declare module "../defineModule.ts" {
  interface Loaders extends ReturnType<typeof createBooksLoaders> {}
}

// The books module's by-key statements: allowed tokens (symbol and decimals) by address.
import type { Database } from "../../../indexer/store/db.ts";
import { bookTokens } from "../../../indexer/store/schema.ts";
import { prepareByKeys } from "../core/prepareByKeys.ts";

export function createBooksStatements(db: Database) {
  return {
    bookTokensByToken: prepareByKeys(db, "api_book_tokens_by_token", bookTokens, "token"),
  };
}

declare module "../defineModule.ts" {
  interface Statements extends ReturnType<typeof createBooksStatements> {}
}

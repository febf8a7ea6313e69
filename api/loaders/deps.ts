// What every loader factory needs: the database, the app's prepared statements and its metrics.
import type { Database } from "../../indexer/store/db.ts";
import type { ApiMetrics } from "../metrics.ts";
import type { Statements } from "../queries/statements.ts";

export interface LoaderDeps {
  db: Database;
  statements: Statements;
  metrics: ApiMetrics;
  chainId: number;
}

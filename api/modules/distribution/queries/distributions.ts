// The distributions list: keyset pages in id order over the primary key.
import { asc, sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import type { DistributionRow } from "../../../../indexer/store/mirror.ts";
import { distributions } from "../../../../indexer/store/schema.ts";
import { countRows } from "../../core/countRows.ts";

export function listDistributions(
  db: Database,
  { after, limit }: { after: string | undefined; limit: number },
): Promise<DistributionRow[]> {
  return db
    .select()
    .from(distributions)
    .where(after === undefined ? undefined : sql`${distributions.distributionId} > ${after}::numeric`)
    .orderBy(asc(distributions.distributionId))
    .limit(limit);
}

export function countDistributions(db: Database): Promise<number> {
  return countRows(db, distributions);
}

// The practices list: keyset pages in slug order over the unique index on slug.
import { and, asc, eq, gt } from "drizzle-orm";
import type { PracticeStatusName } from "../../../../indexer/decode/enums.ts";
import type { Database } from "../../../../indexer/store/db.ts";
import type { PracticeRow } from "../../../../indexer/store/mirror.ts";
import { practices } from "../../../../indexer/store/schema.ts";
import { countRows } from "../../core/countRows.ts";

export interface PracticeFilter {
  status?: PracticeStatusName | null | undefined;
  lead?: string | null | undefined;
}

export function listPractices(
  db: Database,
  { filter, after, limit }: { filter: PracticeFilter; after: string | undefined; limit: number },
): Promise<PracticeRow[]> {
  return db
    .select()
    .from(practices)
    .where(and(...conditions(filter), after === undefined ? undefined : gt(practices.slug, after)))
    .orderBy(asc(practices.slug))
    .limit(limit);
}

export function countPractices(db: Database, filter: PracticeFilter): Promise<number> {
  return countRows(db, practices, and(...conditions(filter)));
}

function conditions({ status, lead }: PracticeFilter) {
  return [status ? eq(practices.status, status) : undefined, lead ? eq(practices.lead, lead) : undefined];
}

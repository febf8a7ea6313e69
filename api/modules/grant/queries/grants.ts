// The grants list: keyset pages in id order over the primary key.
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import type { GrantRow } from "../../../../indexer/store/mirror.ts";
import { grants } from "../../../../indexer/store/schema.ts";
import { countRows } from "../../core/countRows.ts";

export interface GrantFilter {
  beneficiary?: string | null | undefined;
  revoked?: boolean | null | undefined;
}

export function listGrants(
  db: Database,
  { filter, after, limit }: { filter: GrantFilter; after: string | undefined; limit: number },
): Promise<GrantRow[]> {
  return db
    .select()
    .from(grants)
    .where(
      and(
        ...conditions(filter),
        after === undefined ? undefined : sql`${grants.grantId} > ${after}::numeric`,
      ),
    )
    .orderBy(asc(grants.grantId))
    .limit(limit);
}

export function countGrants(db: Database, filter: GrantFilter): Promise<number> {
  return countRows(db, grants, and(...conditions(filter)));
}

function conditions({ beneficiary, revoked }: GrantFilter) {
  return [
    beneficiary ? eq(grants.beneficiary, beneficiary) : undefined,
    revoked === true ? isNotNull(grants.revokedAt) : revoked === false ? isNull(grants.revokedAt) : undefined,
  ];
}

// The firm's counts in one round trip.
import { sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import { queryRows } from "../../../../indexer/store/sql.ts";
import { toNumber } from "../../../domain/rows.ts";

export interface FirmCounts {
  members: number;
  activeMembers: number;
  onLeave: number;
  partners: number;
  practices: number;
  activePractices: number;
  proposals: number;
  grants: number;
  distributions: number;
}

/** The counts with statuses read at `now` (a leave lapses by itself). */
export async function countFirm(db: Database, now: number): Promise<FirmCounts> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT
          (SELECT count(*) FROM members) AS members,
          (SELECT count(*) FROM members WHERE status IN ('Active', 'OnLeave')) AS active_members,
          (SELECT count(*) FROM members
             WHERE status = 'OnLeave' AND (leave_until IS NULL OR leave_until > ${now})) AS on_leave,
          (SELECT count(*) FROM members WHERE role = 'Partner' AND status IN ('Active', 'OnLeave')) AS partners,
          (SELECT count(*) FROM practices) AS practices,
          (SELECT count(*) FROM practices WHERE status = 'Active') AS active_practices,
          (SELECT count(*) FROM proposals) AS proposals,
          (SELECT count(*) FROM grants) AS grants,
          (SELECT count(*) FROM distributions) AS distributions`,
  );
  return {
    members: toNumber(row?.members),
    activeMembers: toNumber(row?.active_members),
    onLeave: toNumber(row?.on_leave),
    partners: toNumber(row?.partners),
    practices: toNumber(row?.practices),
    activePractices: toNumber(row?.active_practices),
    proposals: toNumber(row?.proposals),
    grants: toNumber(row?.grants),
    distributions: toNumber(row?.distributions),
  };
}

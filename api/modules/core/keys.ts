// By-key statements: a batch of keys bound as one array parameter (`= any($1)`), so one prepared
// statement serves a batch of any size.
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** The batch of keys a statement looks up. */
export const KEYS = sql.placeholder("keys");

/**
 * The condition "`column` is one of the batch's keys".
 *
 * @example
 * const membersByAddress = db.select().from(members).where(inKeys(members.address)).prepare("api_members_by_address");
 * await membersByAddress.execute({ keys: ["0xab…", "0xcd…"] });
 */
export function inKeys(column: PgColumn): SQL {
  return sql`${column} = any(${KEYS})`;
}

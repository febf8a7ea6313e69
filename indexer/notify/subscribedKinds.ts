// Which notification kinds some enabled endpoint listens to, read at the start of every range. A
// notification is fanned out to its endpoints when it is written, so one that nobody subscribes to
// would reach no one, ever: the range does not build it. That keeps a firm with no webhooks (and a
// large backfill) from paying for news: the vote outcome alone reads the quorum bases at the
// snapshot, three queries over the equity history per proposal.
import { sql } from "drizzle-orm";
import { queryRows, type SqlExecutor } from "../store/sql.ts";
import type { NotificationKind } from "./notification.ts";

/** The kinds some enabled endpoint subscribes to. */
export interface SubscribedKinds {
  /** No enabled endpoint at all: nothing is built. */
  readonly none: boolean;
  has(kind: NotificationKind): boolean;
}

/** Subscribed to everything, for a caller that writes the outbox whatever the endpoints (tests of the outbox itself). */
export const EVERY_KIND: SubscribedKinds = { none: false, has: () => true };

/**
 * Reads the subscribed kinds in one small query (the endpoints table holds a handful of rows).
 *
 * @example
 * const subscribed = await readSubscribedKinds(tx);
 * if (subscribed.has("proposal.created")) …
 */
export async function readSubscribedKinds(executor: SqlExecutor): Promise<SubscribedKinds> {
  const rows = await queryRows<{ kind: string }>(
    executor,
    sql`SELECT DISTINCT unnest(events) AS kind FROM webhook_endpoints WHERE enabled`,
  );
  const kinds = new Set(rows.map((row) => row.kind));
  if (kinds.has("*")) return EVERY_KIND;
  return { none: kinds.size === 0, has: (kind) => kinds.has(kind) };
}

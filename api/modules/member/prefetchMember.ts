// Query.member (read now) in one round trip: the member, and what its selection asks of the loaders
// (seats and their practices, grants, equity), with the mirror's checkpoint for its status
// (core/prefetch.ts says why and how).
import { sql } from "drizzle-orm";
import type { FieldNode } from "graphql/index.js";
import type { ApiContext } from "../../context.ts";
import { keysOf, type PrefetchPart, prefetch, rowPart, rowsPart } from "../core/prefetch.ts";
import { grantsPart } from "../grant/prefetchGrants.ts";
import { practicesPart } from "../practice/prefetchPractice.ts";

/** Primes the request's loaders with `address`'s member and the parts of it `selected` asks for. */
export function prefetchMember(
  ctx: ApiContext,
  address: string,
  selected: ReadonlyMap<string, readonly FieldNode[]>,
): Promise<void> {
  const { statements, loaders } = ctx;
  const has = (field: string) => selected.has(field);
  // The selection decides which parts the statement has; the address is bound.
  const shape = `member:${["practices", "grants", "equity"].filter(has).join(",")}`;
  return prefetch(
    ctx,
    (_, bind) => {
      const keys = keysOf(bind, [address]);
      const parts: PrefetchPart[] = [rowPart(statements.membersByAddress, loaders.memberByAddress, keys)];
      if (has("practices")) {
        let practiceIds: string[] = [];
        const seats = statements.seatsByAccount;
        parts.push(
          rowsPart(seats, loaders.seatsByAccount, keys, (rows) => {
            practiceIds = rows.map((seat) => seat.practiceId);
          }),
          practicesPart(
            ctx,
            () => sql`array(SELECT s.practice_id FROM (${seats.select(keys.sql)}) s)`,
            () => practiceIds,
          ),
        );
      }
      if (has("grants")) parts.push(grantsPart(ctx, keys));
      if (has("equity")) parts.push(rowPart(statements.accountsByAddress, loaders.accountByAddress, keys));
      return parts;
    },
    { shape },
  );
}

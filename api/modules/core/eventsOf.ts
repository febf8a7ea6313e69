// Subscriptions, served over SSE: each commit notice the bus delivers (one per committed block range)
// is turned into the events a subscription asks for; each module's Subscription fields re-read the
// mirror per event with fresh loaders (ctx.refresh()), so a subscriber sees exactly what a query
// would return at that moment.
import { Repeater } from "graphql-yoga";
import type { CommitNotice } from "../../../indexer/store/types.ts";
import type { ApiContext } from "../../context.ts";

/**
 * The events of each notice selected by `select`, until the client goes away.
 *
 * @example
 * subscribe: (_, { id }, ctx) => eventsOf(ctx, (notice) => (notice.proposalIds.includes(id) ? [id] : [])),
 */
export function eventsOf<Event>(
  ctx: ApiContext,
  select: (notice: CommitNotice) => Event[],
): AsyncIterable<Event> {
  return new Repeater<Event>(async (push, stop) => {
    const unsubscribe = ctx.bus.subscribe((notice) => {
      if (notice.chainId !== ctx.manifest.chainId) return;
      for (const event of select(notice)) void push(event);
    });
    await stop;
    unsubscribe();
  });
}

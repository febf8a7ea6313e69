// Transaction: a transaction the mirror recorded; its time comes from the block's firm events where
// the table that recorded it keeps none.
import type { ApiContext } from "../../../context.ts";
import type { TransactionNode } from "../nodes.ts";

export const Transaction = {
  timestamp: (t: TransactionNode, _: unknown, ctx: ApiContext) =>
    t.timestamp ?? ctx.loaders.blockTime.load(t.blockNumber),
};

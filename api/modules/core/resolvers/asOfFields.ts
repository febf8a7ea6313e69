// asOfBlock and asOfTimestamp, for every node that can be read as of a point (Member, Practice): the
// resolved asOf point, else the mirror's indexed block and its time.
import type { ApiContext } from "../../../context.ts";
import type { AsOfNode } from "../nodes.ts";

export const asOfFields = {
  async asOfBlock(node: AsOfNode, _: unknown, ctx: ApiContext) {
    return node.asOf?.block ?? (await ctx.mirror()).checkpointBlock;
  },

  async asOfTimestamp(node: AsOfNode, _: unknown, ctx: ApiContext) {
    return node.asOf?.timestamp ?? (await ctx.mirror()).checkpointTimestamp;
  },
};

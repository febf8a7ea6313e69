// A node read now or as of a point: the mirror's row (current, or from its history table at the
// point's block) plus the point, so what it links to is read at the same point.
import type DataLoader from "dataloader";
import type { AsOfPoint } from "../../context.ts";
import type { PointKey } from "./createHistoryLoader.ts";

/**
 * The row of `key` now (from `current`) or after the last change at or before `asOf`'s block (from
 * `history`), with the point; null when there was none then.
 *
 * @example
 * loadAsOf(address, asOf, ctx.loaders.memberByAddress, ctx.loaders.memberAsOfBlock);
 */
export async function loadAsOf<Row extends object>(
  key: string,
  asOf: AsOfPoint | null,
  current: DataLoader<string, Row | null>,
  history: DataLoader<PointKey, Row | null, string>,
): Promise<(Row & { asOf: AsOfPoint | null }) | null> {
  const row = asOf ? await history.load({ key, point: asOf.block }) : await current.load(key);
  return row ? { ...row, asOf } : null;
}

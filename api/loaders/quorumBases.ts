// The quorum bases of proposals, batched by snapshot time: the partners' voting units then (the equity
// quorum's base) and the partners then who were not on leave (the headcount quorum's base). This is
// indexer/store/views.ts `proposalBases` for many snapshots in one query; api.test.ts checks that
// both agree for every proposal of the scenario.
import { sql } from "drizzle-orm";
import { queryRows } from "../../indexer/store/sql.ts";
import { headcountAtSql, type ProposalStateContext, partnerVotesAtSql } from "../../indexer/store/views.ts";
import { toNumber } from "../domain/rows.ts";
import { createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export type QuorumBases = Pick<ProposalStateContext, "equityBase" | "headcountBase">;

export function createQuorumBaseLoaders({ db, metrics }: LoaderDeps) {
  return {
    /** snapshot (unix seconds) → the totals at that time. */
    quorumBases: createLoader<number, QuorumBases>({ name: "quorum_bases", metrics }, async (keys) => {
      const rows = await queryRows<{
        key_index: number | string;
        equity_base: string;
        headcount_base: unknown;
      }>(
        db,
        sql`SELECT k.i AS key_index,
              ${partnerVotesAtSql(sql`k.ts`)}::text AS equity_base,
              ${headcountAtSql(sql`k.ts`)} AS headcount_base
            FROM unnest(${sql.param([...keys])}::bigint[]) WITH ORDINALITY AS k(ts, i)`,
      );
      const found = new Map(
        rows.map((row) => [
          Number(row.key_index) - 1,
          { equityBase: BigInt(row.equity_base), headcountBase: toNumber(row.headcount_base) },
        ]),
      );
      return keys.map((_, i) => found.get(i) ?? { equityBase: 0n, headcountBase: 0 });
    }),
  };
}

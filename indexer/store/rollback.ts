// Undoing blocks: every derived table goes back to its state at the end of the ancestor block, in
// set-based SQL (a couple of statements per table, whatever the number of blocks undone):
// - journaled entities take their earliest undo image above the ancestor, or disappear when a
//   rolled-back block created them;
// - entities with history rows take their latest history row at or below the ancestor (accounts:
//   their latest equity delta), or disappear when they have none;
// - append-only rows above the ancestor are deleted (after the step above, which reads them).
import { getTableColumns, sql, type Table } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { primaryKeyColumns, tableName } from "./bulk.ts";
import { appendOnlyTables, ENTITY_TABLES } from "./mirror.ts";
import { accounts, equityHistory, rawEvents } from "./schema.ts";
import { run, type SqlExecutor } from "./sql.ts";

/**
 * Restores every derived table to its state at the end of block `ancestor`, and forgets the undo
 * records above it. The caller moves the checkpoint and holds the transaction.
 */
export async function undoAbove(executor: SqlExecutor, ancestor: number, chainId: number): Promise<void> {
  for (const entity of Object.values(ENTITY_TABLES)) {
    if (entity.undo === "journal") await restoreFromJournal(executor, entity.table, ancestor);
    else if ("history" in entity) await restoreFromHistory(executor, entity.table, entity.history, ancestor);
    else if (entity.table === accounts) await restoreAccounts(executor, ancestor);
    else throw new Error(`${tableName(entity.table)} has no way to be rolled back`);
  }
  for (const table of appendOnlyTables()) {
    const chain = table === rawEvents ? sql` AND chain_id = ${chainId}` : sql``;
    await run(executor, sql`DELETE FROM ${table} WHERE block_number > ${ancestor}${chain}`);
  }
  await run(executor, sql`DELETE FROM undo_log WHERE block_number > ${ancestor}`);
}

async function restoreFromJournal(executor: SqlExecutor, table: PgTable, ancestor: number): Promise<void> {
  const name = tableName(table);
  // The row key as entities.ts builds it: primary-key values as text, joined by ':'.
  const keyExpression = primaryKeyColumns(table)
    .map((column) => `t."${column}"::text`)
    .join(", ");
  await run(
    executor,
    sql`DELETE FROM ${table} t USING (
          SELECT DISTINCT row_key FROM undo_log WHERE table_name = ${name} AND block_number > ${ancestor}
        ) u
        WHERE concat_ws(':', ${sql.raw(keyExpression)}) = u.row_key`,
  );
  await run(
    executor,
    sql`INSERT INTO ${table}
        SELECT r.* FROM (
          SELECT DISTINCT ON (row_key) previous FROM undo_log
          WHERE table_name = ${name} AND block_number > ${ancestor}
          ORDER BY row_key, block_number, seq
        ) u CROSS JOIN LATERAL json_populate_record(NULL::${table}, u.previous) r
        WHERE u.previous IS NOT NULL`,
  );
}

/** The history table holds every entity column under the same name, plus where the change happened. */
async function restoreFromHistory(
  executor: SqlExecutor,
  table: PgTable,
  history: PgTable,
  ancestor: number,
): Promise<void> {
  const keys = sql.raw(
    primaryKeyColumns(table)
      .map((c) => `"${c}"`)
      .join(", "),
  );
  const columns = sql.raw(
    Object.values(getTableColumns(table as Table))
      .map((c) => `"${c.name}"`)
      .join(", "),
  );
  const changed = sql`SELECT ${keys} FROM ${history} WHERE block_number > ${ancestor}`;
  await run(executor, sql`DELETE FROM ${table} WHERE (${keys}) IN (${changed})`);
  await run(
    executor,
    sql`INSERT INTO ${table} (${columns})
        SELECT DISTINCT ON (${keys}) ${columns} FROM ${history}
        WHERE (${keys}) IN (${changed}) AND block_number <= ${ancestor}
        ORDER BY ${keys}, block_number DESC, log_index DESC`,
  );
}

/** An account is its latest equity delta: the resulting balance and votes, and that delta's block. */
async function restoreAccounts(executor: SqlExecutor, ancestor: number): Promise<void> {
  const changed = sql`SELECT account FROM ${equityHistory} WHERE block_number > ${ancestor}`;
  await run(executor, sql`DELETE FROM ${accounts} WHERE address IN (${changed})`);
  await run(
    executor,
    sql`INSERT INTO ${accounts} (address, balance, votes, updated_block)
        SELECT DISTINCT ON (account) account, balance, votes, block_number FROM ${equityHistory}
        WHERE account IN (${changed}) AND block_number <= ${ancestor}
        ORDER BY account, block_number DESC, log_index DESC`,
  );
}

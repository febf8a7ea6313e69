// Applies a webhooks file's endpoints to the mirror: each is matched on its name, added when new,
// updated when it differs, left alone when equal, so applying one file twice changes nothing (and
// `npm start` can apply it at every start). With `prune`, named endpoints the file no longer declares
// are removed with their deliveries; endpoints added by `firm webhooks add` (no name) are never touched.
// The plan names fields that change, never their values: a secret or a URL's token must not be printed.
import { sql } from "drizzle-orm";
import type { Database } from "../store/sql.ts";
import { queryRows } from "../store/sql.ts";
import type { DeclaredEndpoint } from "./webhooksFile.ts";

export type WebhookChange = "add" | "update" | "unchanged" | "remove";

export interface PlannedEndpointChange {
  name: string;
  change: WebhookChange;
  /** The id in the mirror (absent for an endpoint to add, until it is added). */
  id?: number | undefined;
  /** For an update: which fields differ (url, format, events, secret, enabled). */
  fields?: string[];
}

export interface ApplyWebhooksFileParameters {
  endpoints: readonly DeclaredEndpoint[];
  /** Remove named endpoints the file does not declare. */
  prune?: boolean;
  /** Plan only; write nothing. */
  dryRun?: boolean;
}

interface NamedRow extends Record<string, unknown> {
  id: number;
  name: string;
  url: string;
  format: string;
  events: string[];
  secret: string;
  enabled: boolean;
}

const COMPARED = ["url", "format", "events", "secret", "enabled"] as const;

/** The advisory lock of applying a file: any fixed 64-bit number; this one spells "webhooks" in ASCII. */
const APPLY_LOCK_KEY = 0x776562686f6f6b73n;

/**
 * Plans the changes that make the mirror's named endpoints match `endpoints` and, unless `dryRun`,
 * makes them in one transaction.
 *
 * @example
 * const { endpoints } = await readWebhooksFile({ file, allowPrivate, env: process.env });
 * const plan = await applyWebhooksFile(db, { endpoints, prune: true });
 */
export async function applyWebhooksFile(
  db: Database,
  { endpoints, prune = false, dryRun = false }: ApplyWebhooksFileParameters,
): Promise<PlannedEndpointChange[]> {
  return db.transaction(async (tx) => {
    // Two processes applying at once (two `firm index` on one PostgreSQL) queue up on this lock, so
    // the second finds what the first added instead of failing on the unique name index. FOR UPDATE
    // alone would not do: it cannot lock a row that does not exist yet. Held until the commit.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${APPLY_LOCK_KEY})`);
    const rows = await queryRows<NamedRow>(
      tx,
      sql`SELECT id, name, url, format, events, secret, enabled FROM webhook_endpoints
          WHERE name IS NOT NULL ORDER BY id FOR UPDATE`,
    );
    const byName = new Map(rows.map((row) => [row.name, row]));
    const plan: PlannedEndpointChange[] = [];
    for (const endpoint of endpoints) {
      const row = byName.get(endpoint.name);
      if (!row) {
        plan.push({ name: endpoint.name, change: "add" });
        if (!dryRun) plan.at(-1)!.id = await insert(tx, endpoint);
        continue;
      }
      const fields = COMPARED.filter(
        (field) => JSON.stringify(comparable(row, field)) !== JSON.stringify(comparable(endpoint, field)),
      );
      if (fields.length === 0) {
        plan.push({ name: endpoint.name, change: "unchanged", id: row.id });
        continue;
      }
      plan.push({ name: endpoint.name, change: "update", id: row.id, fields: [...fields] });
      // An endpoint's pending deliveries go to its new URL, in its new format, signed with its new
      // secret: the worker reads the endpoint at each claim.
      if (!dryRun)
        await tx.execute(sql`UPDATE webhook_endpoints SET url = ${endpoint.url}, format = ${endpoint.format},
            events = ${textArray(endpoint.events)}, secret = ${endpoint.secret}, enabled = ${endpoint.enabled}
            WHERE id = ${row.id}`);
    }
    if (prune) {
      const declared = new Set(endpoints.map((endpoint) => endpoint.name));
      for (const row of rows) {
        if (declared.has(row.name)) continue;
        plan.push({ name: row.name, change: "remove", id: row.id });
        // Its deliveries go with it (ON DELETE CASCADE), as with `firm webhooks remove`.
        if (!dryRun) await tx.execute(sql`DELETE FROM webhook_endpoints WHERE id = ${row.id}`);
      }
    }
    return plan;
  });
}

function comparable(endpoint: Pick<NamedRow, (typeof COMPARED)[number]>, field: (typeof COMPARED)[number]) {
  return field === "events" ? [...endpoint.events].sort() : endpoint[field];
}

function textArray(items: readonly string[]) {
  return sql`ARRAY[${sql.join(
    items.map((item) => sql`${item}`),
    sql`, `,
  )}]::text[]`;
}

async function insert(tx: Pick<Database, "execute">, endpoint: DeclaredEndpoint): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO webhook_endpoints (name, url, events, format, secret, enabled)
        VALUES (${endpoint.name}, ${endpoint.url}, ${textArray(endpoint.events)}, ${endpoint.format},
                ${endpoint.secret}, ${endpoint.enabled})
        RETURNING id`,
  );
  if (!row) throw new Error("INSERT … RETURNING gave no row");
  return Number(row.id);
}

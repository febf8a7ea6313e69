// Adds a webhook endpoint, checked as the worker will check it at every delivery: an http(s) URL to a
// public target (unless the operator allows private ones), known kinds, a known format, and a
// Standard Webhooks secret (a new random one unless the receiver already gave one).
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { BaseError } from "../../kernel/errors.ts";
import { queryRows, type SqlExecutor } from "../store/sql.ts";
import { isNotificationKind, WEBHOOK_FORMATS, type WebhookFormat } from "./notification.ts";
import { assertPublicWebhookUrl } from "./ssrfGuard.ts";

/** 24 random bytes (192 bits): the Standard Webhooks spec asks for 24 to 64 bytes of key. */
const SECRET_BYTES = 24;
/** "whsec_" and base64 of at least 24 bytes, as the Standard Webhooks spec writes a secret. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/** An endpoint's settings are not usable as given. */
export class WebhookEndpointInvalidError extends BaseError {
  override name = "WebhookEndpointInvalidError";
}

export interface AddWebhookEndpointParameters {
  url: string;
  /** Notification kinds, or ["*"] for all of them. */
  events: readonly string[];
  format: WebhookFormat;
  /** A "whsec_…" secret; a new one is generated when absent. */
  secret?: string | undefined;
  allowPrivate: boolean;
}

export interface AddWebhookEndpointReturnType {
  id: number;
  /** Shown once, to configure the receiver with; never logged. */
  secret: string;
}

/**
 * Checks and stores a new enabled endpoint. Only notifications enqueued after this are sent to it.
 *
 * @throws {WebhookUrlRefusedError} for a URL the SSRF guard refuses.
 * @throws {WebhookEndpointInvalidError} for an unknown kind or format, or a malformed secret.
 * @example
 * const { id, secret } = await addWebhookEndpoint(db, { url, events: ["*"], format: "slack", allowPrivate: false });
 */
export async function addWebhookEndpoint(
  executor: SqlExecutor,
  { url, events, format, secret, allowPrivate }: AddWebhookEndpointParameters,
): Promise<AddWebhookEndpointReturnType> {
  const unknown = events.filter((kind) => kind !== "*" && !isNotificationKind(kind));
  if (events.length === 0 || unknown.length > 0)
    throw new WebhookEndpointInvalidError(
      events.length === 0
        ? "A webhook endpoint needs at least one event."
        : `Unknown event kinds: ${unknown.join(", ")}.`,
      { hints: ['Give "*" for every kind, or kinds such as proposal.created, member.admitted.'] },
    );
  if (!(WEBHOOK_FORMATS as readonly string[]).includes(format))
    throw new WebhookEndpointInvalidError(`Unknown webhook format ${JSON.stringify(format)}.`, {
      hints: [`Use one of ${WEBHOOK_FORMATS.join(", ")}.`],
    });
  // The secret's own value never goes into the message.
  if (secret !== undefined && !WEBHOOK_SECRET_PATTERN.test(secret))
    throw new WebhookEndpointInvalidError("The webhook secret is not a Standard Webhooks secret.", {
      hints: ['It is "whsec_" followed by base64 of at least 24 bytes; leave it out to have one generated.'],
    });
  await assertPublicWebhookUrl(url, { allowPrivate });
  const key = secret ?? `whsec_${randomBytes(SECRET_BYTES).toString("base64")}`;
  const [row] = await queryRows<{ id: number }>(
    executor,
    sql`INSERT INTO webhook_endpoints (url, events, format, secret, enabled)
        VALUES (${url}, ${sql`ARRAY[${sql.join(
          events.map((kind) => sql`${kind}`),
          sql`, `,
        )}]::text[]`}, ${format}, ${key}, true)
        RETURNING id`,
  );
  if (!row) throw new Error("INSERT … RETURNING gave no row");
  return { id: Number(row.id), secret: key };
}

// Subscribes a test receiver (./webhookReceiver.ts) as `firm webhooks add` would: an enabled endpoint
// for its URL, private targets allowed (it listens on 127.0.0.1). Not a test file.
import { addWebhookEndpoint } from "../notify/addWebhookEndpoint.ts";
import type { WebhookFormat } from "../notify/notification.ts";
import type { SqlExecutor } from "../store/sql.ts";
import type { WebhookReceiver } from "./webhookReceiver.ts";

export interface SubscribeReceiverOptions {
  /** Kinds, or ["*"] (the default). */
  events?: string[];
  format?: WebhookFormat;
  /** The receiver's secret; a new one is generated when absent (the receiver then cannot verify). */
  secret?: string;
}

/**
 * Adds an endpoint for `receiver` and returns its id.
 *
 * @example
 * const id = await subscribeReceiver(db, await startWebhookReceiver(SECRET), { secret: SECRET });
 */
export async function subscribeReceiver(
  db: SqlExecutor,
  receiver: Pick<WebhookReceiver, "url">,
  { events = ["*"], format = "raw", secret }: SubscribeReceiverOptions = {},
): Promise<number> {
  const { id } = await addWebhookEndpoint(db, {
    url: receiver.url,
    events,
    format,
    secret,
    allowPrivate: true,
  });
  return id;
}

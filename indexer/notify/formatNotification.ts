// The body an endpoint receives, by its format: one formatter per format, picked here only.
import { formatRaw } from "./formatRaw.ts";
import { formatSlack } from "./formatSlack.ts";
import { formatTeams } from "./formatTeams.ts";
import type { Notification, WebhookFormat } from "./notification.ts";

const FORMATTERS: Record<WebhookFormat, (notification: Notification) => unknown> = {
  raw: formatRaw,
  slack: formatSlack,
  teams: formatTeams,
};

/**
 * The JSON text POSTed to an endpoint of `format` (signed as it is: the signature covers these bytes).
 *
 * @example
 * formatNotification("slack", notification) // '{"text":"New proposal: …","blocks":[…]}'
 */
export function formatNotification(format: WebhookFormat, notification: Notification): string {
  return JSON.stringify(FORMATTERS[format](notification));
}

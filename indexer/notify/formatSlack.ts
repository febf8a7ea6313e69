// The Slack format: an incoming-webhook message, `text` (the notification's fallback and push text)
// plus Block Kit `blocks` (a header, the summary and the facts as fields).
import { describeNotification, type Notification } from "./notification.ts";

/** Slack's limits: 10 fields per section block, 2,000 characters per field, 3,000 per section text,
 * 150 per header. A block over a limit makes Slack refuse the whole message. */
const SLACK_MAX_FIELDS = 10;
const SLACK_MAX_FIELD_CHARS = 2_000;
const SLACK_MAX_SECTION_CHARS = 3_000;
const SLACK_MAX_HEADER_CHARS = 150;

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/**
 * The Slack incoming-webhook body of `notification`. Facts beyond Slack's 10 fields are left out
 * (the raw format carries everything).
 *
 * @example
 * formatSlack(notification).text // "New proposal: Admit 0xab… as a partner"
 */
export function formatSlack(notification: Notification): SlackMessage {
  const { title, summary, facts } = describeNotification(notification);
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: clip(title, SLACK_MAX_HEADER_CHARS) } },
  ];
  if (summary)
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: clip(escapeMrkdwn(summary), SLACK_MAX_SECTION_CHARS) },
    });
  if (facts.length > 0) {
    blocks.push({
      type: "section",
      fields: facts.slice(0, SLACK_MAX_FIELDS).map(({ name, value }) => ({
        type: "mrkdwn",
        text: clip(`*${escapeMrkdwn(name)}*\n${escapeMrkdwn(value)}`, SLACK_MAX_FIELD_CHARS),
      })),
    });
  }
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `${notification.kind} · ${notification.eventId}` }],
  });
  // `text` is mrkdwn too (the push notification and the fallback), so it is escaped the same way.
  return { text: escapeMrkdwn(summary ? `${title}: ${summary}` : title), blocks };
}

/** Slack reads &, < and > as markup (links, mentions); chain data must not be able to ping @channel. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

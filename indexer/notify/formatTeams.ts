// The Microsoft Teams format: a Workflows webhook ("When a Teams webhook request is received") takes
// only Adaptive Cards, sent as a message with one card attachment; the retired Office 365 connectors'
// MessageCard is deliberately not offered.
import { describeNotification, type Notification } from "./notification.ts";

/** Adaptive Card 1.4: what Teams renders on desktop, web and mobile alike (1.5 is desktop-only in places). */
const ADAPTIVE_CARD_VERSION = "1.4";

export interface TeamsMessage {
  type: "message";
  attachments: { contentType: "application/vnd.microsoft.card.adaptive"; content: Record<string, unknown> }[];
}

/**
 * The Teams Workflows webhook body of `notification`: a title, the summary and a fact set.
 *
 * @example
 * formatTeams(notification).attachments[0].content.type // "AdaptiveCard"
 */
export function formatTeams(notification: Notification): TeamsMessage {
  const { title, summary, facts } = describeNotification(notification);
  const body: Record<string, unknown>[] = [
    { type: "TextBlock", text: title, weight: "Bolder", size: "Medium", wrap: true },
  ];
  if (summary) body.push({ type: "TextBlock", text: summary, wrap: true });
  if (facts.length > 0)
    body.push({ type: "FactSet", facts: facts.map(({ name, value }) => ({ title: name, value })) });
  body.push({ type: "TextBlock", text: notification.eventId, isSubtle: true, size: "Small", wrap: true });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: ADAPTIVE_CARD_VERSION,
          body,
        },
      },
    ],
  };
}

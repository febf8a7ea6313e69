import { describe, expect, it } from "vitest";
import { formatNotification } from "./formatNotification.ts";
import { formatRaw } from "./formatRaw.ts";
import { formatSlack } from "./formatSlack.ts";
import { formatTeams } from "./formatTeams.ts";
import {
  isNotificationKind,
  NOTIFICATION_KINDS,
  type Notification,
  WEBHOOK_FORMATS,
} from "./notification.ts";
import { notificationId } from "./notificationId.ts";

const admitted: Notification = {
  eventId: notificationId({
    chainId: 31337,
    blockNumber: 42,
    blockHash: "0xab12cd34ef",
    position: 3,
    kind: "member.admitted",
  }),
  kind: "member.admitted",
  occurredAt: 1_796_000_000,
  data: {
    summary: "0xab…cd joined as a <Partner> & lead",
    member: "0xabcd",
    role: "Partner",
    nested: { x: 1 },
  },
};

describe("notification ids", () => {
  it("are the same for the same chain position and kind, and differ by kind and by block hash", () => {
    const at = { chainId: 1, blockNumber: 10, blockHash: "0xAB12CD34EF567890", position: 0 };
    expect(notificationId({ ...at, kind: "proposal.created" })).toBe("evt_1_10_ab12cd34_0_proposal.created");
    // The same height on the other side of a reorg is another block: a re-announcement is not a repeat.
    expect(notificationId({ ...at, blockHash: "0xcd34ab12", kind: "proposal.created" })).not.toBe(
      notificationId({ ...at, kind: "proposal.created" }),
    );
    expect(notificationId({ ...at, kind: "proposal.created" })).toBe(
      notificationId({ ...at, kind: "proposal.created" }),
    );
    expect(notificationId({ ...at, kind: "proposal.queued" })).not.toBe(
      notificationId({ ...at, kind: "proposal.created" }),
    );
  });
});

describe("formatters", () => {
  it("raw is the Standard Webhooks body {type, timestamp, data}", () => {
    expect(formatRaw(admitted)).toMatchInlineSnapshot(`
      {
        "data": {
          "member": "0xabcd",
          "nested": {
            "x": 1,
          },
          "role": "Partner",
          "summary": "0xab…cd joined as a <Partner> & lead",
        },
        "timestamp": "2026-11-30T00:53:20.000Z",
        "type": "member.admitted",
      }
    `);
  });

  it("slack is text plus Block Kit blocks, with Slack's markup characters escaped", () => {
    expect(formatSlack(admitted)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Member admitted",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "0xab…cd joined as a &lt;Partner&gt; &amp; lead",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "fields": [
              {
                "text": "*member*
      0xabcd",
                "type": "mrkdwn",
              },
              {
                "text": "*role*
      Partner",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "member.admitted · evt_31337_42_ab12cd34_3_member.admitted",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Member admitted: 0xab…cd joined as a &lt;Partner&gt; &amp; lead",
      }
    `);
  });

  it("teams is a message with one Adaptive Card attachment", () => {
    expect(formatTeams(admitted)).toMatchInlineSnapshot(`
      {
        "attachments": [
          {
            "content": {
              "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
              "body": [
                {
                  "size": "Medium",
                  "text": "Member admitted",
                  "type": "TextBlock",
                  "weight": "Bolder",
                  "wrap": true,
                },
                {
                  "text": "0xab…cd joined as a <Partner> & lead",
                  "type": "TextBlock",
                  "wrap": true,
                },
                {
                  "facts": [
                    {
                      "title": "member",
                      "value": "0xabcd",
                    },
                    {
                      "title": "role",
                      "value": "Partner",
                    },
                  ],
                  "type": "FactSet",
                },
                {
                  "isSubtle": true,
                  "size": "Small",
                  "text": "evt_31337_42_ab12cd34_3_member.admitted",
                  "type": "TextBlock",
                  "wrap": true,
                },
              ],
              "type": "AdaptiveCard",
              "version": "1.4",
            },
            "contentType": "application/vnd.microsoft.card.adaptive",
          },
        ],
        "type": "message",
      }
    `);
  });

  it("slack keeps a long summary within a section's 3,000 characters", () => {
    const section = formatSlack({ ...admitted, data: { summary: "x".repeat(5_000) } }).blocks[1] as {
      text: { text: string };
    };
    expect(section.text.text).toHaveLength(3_000);
    expect(section.text.text.endsWith("…")).toBe(true);
  });

  it("slack keeps to 10 fields per section", () => {
    const data = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`field${i}`, i]));
    const section = formatSlack({ ...admitted, data }).blocks.find((block) => "fields" in block) as {
      fields: unknown[];
    };
    expect(section.fields).toHaveLength(10);
  });

  it("formatNotification gives the JSON text of each format's formatter", () => {
    const expected = { raw: formatRaw(admitted), slack: formatSlack(admitted), teams: formatTeams(admitted) };
    for (const format of WEBHOOK_FORMATS) {
      expect(JSON.parse(formatNotification(format, admitted))).toEqual(expected[format]);
    }
  });

  it("has a title for every kind issue 15 lists", () => {
    // The 14 kinds, and the correction a reorg sends.
    expect(Object.keys(NOTIFICATION_KINDS)).toHaveLength(15);
    for (const kind of Object.keys(NOTIFICATION_KINDS)) expect(isNotificationKind(kind)).toBe(true);
    expect(isNotificationKind("toString")).toBe(false);
  });
});

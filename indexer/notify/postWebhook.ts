// One signed POST to a webhook endpoint, bounded by a timeout. node:http rather than fetch: it takes a
// `lookup`, so the SSRF guard checks the very address the socket connects to (./ssrfGuard.ts), and a
// redirect is never followed (a 3xx could point anywhere, the private network included).
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Webhook } from "standardwebhooks";
import { assertPublicWebhookUrl, guardedLookup } from "./ssrfGuard.ts";

/** A receiver's answer is read to its end but kept only this far: we need the status, not a body. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface PostWebhookParameters {
  url: string;
  /** The Standard Webhooks signing secret ("whsec_…"). */
  secret: string;
  /** The `webhook-id`: the notification's event id. */
  eventId: string;
  /** The exact bytes to send (and sign). */
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Cuts the request short before its timeout (a worker stopping); rejects as the timeout does. */
  signal?: AbortSignal | undefined;
  /** The `webhook-timestamp`; the time of sending, so a receiver's tolerance window holds on retries. */
  now?: Date;
}

/**
 * Signs `body` per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) and POSTs it.
 * Resolves with the HTTP status whatever it is; rejects on a refused target, a network error or the
 * timeout (AbortSignal.timeout covers connecting, sending and reading the answer).
 *
 * @example
 * const status = await postWebhook({ url, secret, eventId, body, timeoutMs: 10_000, allowPrivate: false });
 */
export async function postWebhook({
  url,
  secret,
  eventId,
  body,
  timeoutMs,
  allowPrivate,
  signal,
  now = new Date(),
}: PostWebhookParameters): Promise<number> {
  await assertPublicWebhookUrl(url, { allowPrivate });
  const signature = new Webhook(secret).sign(eventId, now, body);
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      target,
      {
        method: "POST",
        // A fresh connection per attempt: a pooled socket to a receiver that hung would outlive the attempt.
        agent: false,
        lookup: guardedLookup({ allowPrivate }),
        signal: signal
          ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
          : AbortSignal.timeout(timeoutMs),
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "firm-webhooks/1",
          "webhook-id": eventId,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": signature,
        },
      },
      (response) => {
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("close", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

// A real webhook receiver for tests: node:http on 127.0.0.1, verifying every request's Standard
// Webhooks signature with the standardwebhooks package, as a receiver of ours would. Each test says
// how it answers (a status, or "hang" to never answer) and reads what arrived.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import type { WebhookConfig } from "../notify/config.ts";

/** A Standard Webhooks secret: "whsec_" and base64 of 33 bytes. */
export const SECRET = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Fast settings for tests: tiny backoff, a short timeout, loopback allowed (the receiver is local). */
export const FAST_WEBHOOK_CONFIG: WebhookConfig = {
  worker: true,
  file: undefined,
  allowPrivate: true,
  timeoutMs: 400,
  maxAttempts: 3,
  backoffBaseMs: 20,
  backoffMaxMs: 40,
  leaseMs: 5_000,
  pollIntervalMs: 20,
  batchSize: 10,
};

export interface ReceivedWebhook {
  id: string;
  body: string;
  /** Whether the signature verified against the receiver's secret (and the timestamp is in tolerance). */
  verified: boolean;
  /** Requests with this id in flight when this one arrived (including itself). */
  concurrentWithSameId: number;
}

/** How to answer the nth request (0-based) overall: a status code, or "hang" (never answer). */
export type Answer = (request: { id: string; index: number }) => number | "hang";

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  answer: Answer;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a receiver that verifies signatures with `secret`; answers 200 unless `answer` says otherwise.
 *
 * @example
 * const receiver = await startWebhookReceiver(secret, ({ index }) => (index === 0 ? 500 : 200));
 */
export async function startWebhookReceiver(
  secret: string,
  answer: Answer = () => 200,
): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const received: ReceivedWebhook[] = [];
  const inFlight = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<() => void>();

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const id = String(request.headers["webhook-id"]);
    let verified = true;
    try {
      verifier.verify(body, request.headers as Record<string, string>);
    } catch {
      verified = false;
    }
    const concurrent = (inFlight.get(id) ?? 0) + 1;
    inFlight.set(id, concurrent);
    const index = received.length;
    received.push({ id, body, verified, concurrentWithSameId: concurrent });
    for (const wake of waiters) wake();
    const done = () => inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
    const status = receiver.answer({ id, index });
    if (status === "hang") {
      hanging.add(response);
      response.on("close", done);
      return;
    }
    // A short pause, so that two deliveries of one id at the same time would overlap and be seen.
    await new Promise((resolve) => setTimeout(resolve, 20));
    done();
    response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hooks/firm?token=receiver-token`,
    received,
    answer,
    waitForRequests(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`Only ${received.length} of ${count} webhook requests arrived within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}

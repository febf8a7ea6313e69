// Talking to the app in tests the way a client would, with no port: GraphQL over yoga.fetch, and an
// SSE subscription read event by event. Not a test file.
import type { YogaServerInstance } from "graphql-yoga";
import type { ServerContext } from "../app.ts";
import type { ApiContext } from "../context.ts";

export type TestYoga = YogaServerInstance<ServerContext, ApiContext>;

/** Response data as tests read it: its shape is the query's, and the assertions check it. */
// biome-ignore lint/suspicious/noExplicitAny: a GraphQL response is typed by its query, not by TypeScript.
export type Loose = any;

export interface GraphQLResponse<Data = Record<string, Loose>> {
  status: number;
  headers: Headers;
  body: {
    data?: Data | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, Loose> }[];
  };
}

/** The client address the rate limiter sees, per test (they must not share a bucket by accident). */
export function fromAddress(ip: string) {
  return { req: { ip } } as unknown as ServerContext;
}

/** POSTs a GraphQL request and parses the JSON answer. */
export async function gql<Data = Record<string, Loose>>(
  yoga: TestYoga,
  query: string,
  variables?: Record<string, unknown>,
  { ip = "198.51.100.1", headers = {} }: { ip?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<Data>> {
  const response = await yoga.fetch(
    "http://api.test/graphql",
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    },
    fromAddress(ip),
  );
  const text = await response.text();
  let body: GraphQLResponse<Data>["body"];
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `Not JSON (${response.status}): ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, headers: response.headers, body };
}

/** Data of a query that must succeed (fails the test with the errors otherwise). */
export async function data<Data = Record<string, Loose>>(
  yoga: TestYoga,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Data> {
  const { status, body } = await gql<Data>(yoga, query, variables);
  if (status !== 200 || body.errors?.length || !body.data) {
    throw new Error(`Query failed (${status}): ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

export interface SseSubscription<Event> {
  /** Resolves with the next event's data. */
  next(timeoutMs?: number): Promise<Event>;
  close(): Promise<void>;
}

/** Opens a subscription over SSE (yoga's "distinct connections" mode) and reads its events. */
export async function subscribe<Event = Record<string, Loose>>(
  yoga: TestYoga,
  query: string,
  variables?: Record<string, unknown>,
): Promise<SseSubscription<Event>> {
  const abort = new AbortController();
  const response = await yoga.fetch(
    "http://api.test/graphql",
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    },
    fromAddress("198.51.100.200"),
  );
  if (response.status !== 200 || !response.body) throw new Error(`Subscription refused: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const queue: Event[] = [];
  const waiting: ((event: Event) => void)[] = [];
  let failure: unknown;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          const dataLines = message.split("\n").filter((line) => line.startsWith("data:"));
          if (!message.split("\n").some((line) => line === "event: next") || dataLines.length === 0) continue;
          const event = JSON.parse(dataLines.map((line) => line.slice(5).trim()).join("\n")) as Event;
          const waiter = waiting.shift();
          if (waiter) waiter(event);
          else queue.push(event);
        }
      }
    } catch (error) {
      failure = error;
    }
  })();
  return {
    next(timeoutMs = 5_000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (failure) return Promise.reject(failure);
      return new Promise<Event>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No SSE event within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((event) => {
          clearTimeout(timer);
          resolve(event);
        });
      });
    },
    async close() {
      abort.abort();
      await reader.cancel().catch(() => {});
    },
  };
}

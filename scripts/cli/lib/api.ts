// The read side: the firm's GraphQL API (the mirror), at FIRM_API_URL. One POST per question; when the
// API is not there, the error says so and how to start it.
import { DEFAULT_API_URL } from "../../../kernel/defaults.ts";
import { UsageError } from "../errors.ts";
import { firstLine } from "./chain.ts";

const START_HINT =
  "Start the dev stack with `npm start` (chain, indexer and API), or the API alone with `firm serve`; or set FIRM_API_URL.";

/** An answer the API gave as an error; `code` is its extensions.code (NOT_FOUND, BAD_USER_INPUT, …). */
export class ApiError extends UsageError {
  override name = "ApiError";
  readonly code: string;
  constructor(message: string, code: string, hint?: string) {
    super(message, hint);
    this.code = code;
  }
}

export interface ApiClient {
  readonly url: string;
  /** Runs `query` and returns its data; throws ApiError for errors and when the API is unreachable. */
  query<Data>(query: string, variables?: Record<string, unknown>): Promise<Data>;
}

export function createApiClient(url: string, { timeoutMs = 15_000 } = {}): ApiClient {
  return {
    url,
    async query<Data>(query: string, variables?: Record<string, unknown>): Promise<Data> {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new ApiError(
          `Cannot reach the firm's API at ${url} (${firstLine(error)})`,
          "UNREACHABLE",
          START_HINT,
        );
      }
      const text = await response.text();
      let body: { data?: Data | null; errors?: { message: string; extensions?: { code?: string } }[] };
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError(
          `${url} answered HTTP ${response.status} with something that is not GraphQL`,
          "NOT_GRAPHQL",
          `Check FIRM_API_URL: it should end in /graphql, e.g. ${DEFAULT_API_URL}.`,
        );
      }
      const [first] = body.errors ?? [];
      if (first) {
        const code = first.extensions?.code ?? "INTERNAL_SERVER_ERROR";
        throw new ApiError(`The API answered: ${first.message}`, code);
      }
      if (!body.data) throw new ApiError(`The API answered HTTP ${response.status} with no data`, "NO_DATA");
      return body.data;
    },
  };
}

/** Runs `read`; a NOT_FOUND answer becomes `null`, anything else is thrown. */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ApiError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

/** Whether the error means the API could not be reached at all. */
export function isUnreachable(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === "UNREACHABLE";
}

/** The API's "now": the later of this clock and the indexed head's time (a dev chain runs ahead). */
export async function apiNow(api: ApiClient): Promise<number> {
  const { indexingStatus } = await api.query<{ indexingStatus: { indexedTimestamp: number | null } }>(
    "{ indexingStatus { indexedTimestamp } }",
  );
  return Math.max(Math.floor(Date.now() / 1000), indexingStatus.indexedTimestamp ?? 0);
}

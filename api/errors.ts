// The API's expected failures, each a GraphQLError with `extensions.code`, so clients branch on the
// code and never on the text. Anything else that goes wrong is a bug: plugins/useErrorMasking.ts
// replaces it with INTERNAL_SERVER_ERROR and the request id, and logs the original with its stack.
import { GraphQLError } from "graphql/index.js";

/** Every code a client can see, and what it means for them. */
export const ERROR_CODES = {
  /** An argument is malformed (address, slug, id, time, cursor, page size): fix the request. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** The thing asked for is not in the mirror (or did not exist at the asOf point). */
  NOT_FOUND: "NOT_FOUND",
  /** Too many requests from this address this minute: wait `retryAfterSeconds`. */
  RATE_LIMITED: "RATE_LIMITED",
  /** The request took longer than the server's per-request limit: ask for less. */
  TIMEOUT: "TIMEOUT",
  /** The document is too deep, too costly, has too many aliases or tokens: ask for less. */
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  /** The request body is larger than the server accepts. */
  REQUEST_TOO_LARGE: "REQUEST_TOO_LARGE",
  /** verifyMembership could not reach the chain for its live check: retry later. */
  CHAIN_UNAVAILABLE: "CHAIN_UNAVAILABLE",
  /** A bug or an outage on our side; the message carries a request id to quote. */
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Codes graphql-yoga itself attaches (parse and validation failures, malformed HTTP requests). */
export const YOGA_ERROR_CODES = ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"] as const;

interface CodedErrorOptions {
  /** Extra machine-readable fields, e.g. the limit that was exceeded. */
  details?: Record<string, unknown>;
  /** The HTTP status to answer with when the error ends the request before execution. */
  httpStatus?: number;
  httpHeaders?: Record<string, string>;
}

/** A GraphQLError with `extensions.code` (and optional details next to it). */
export function codedError(code: ErrorCode, message: string, options: CodedErrorOptions = {}): GraphQLError {
  const http =
    options.httpStatus === undefined
      ? undefined
      : { status: options.httpStatus, ...(options.httpHeaders ? { headers: options.httpHeaders } : {}) };
  return new GraphQLError(message, { extensions: { code, ...options.details, ...(http ? { http } : {}) } });
}

/**
 * A malformed argument: names the argument, shows the value and says what was expected.
 *
 * @example
 * throw badUserInput("address", "0x12", "a 0x-prefixed address of 40 hex digits");
 * // "Invalid address "0x12": expected a 0x-prefixed address of 40 hex digits."
 */
export function badUserInput(argument: string, value: unknown, expected: string): GraphQLError {
  return codedError(
    ERROR_CODES.BAD_USER_INPUT,
    `Invalid ${argument} ${showValue(value)}: expected ${expected}.`,
    {
      details: { argument },
    },
  );
}

/** Nothing in the mirror answers to `key`. */
export function notFound(what: string, key: string, hint?: string): GraphQLError {
  return codedError(
    ERROR_CODES.NOT_FOUND,
    `No ${what} ${showValue(key)} in the mirror${hint ? `: ${hint}` : ""}.`,
  );
}

/** Shows a user's value in a message, cut short so a huge input does not make a huge error. */
export function showValue(value: unknown): string {
  const MAX_SHOWN_CHARS = 80;
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text;
}

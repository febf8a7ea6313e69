// The page's only way to the data: POST /graphql on the page's own origin. Every failure becomes an
// ApiError with a code (the API's extensions.code, or UNREACHABLE / BAD_RESPONSE when there was no
// GraphQL answer at all), and describeError turns it into a sentence for the reader.

export const GRAPHQL_ENDPOINT = "/graphql";

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {{ code: string, extensions?: Record<string, unknown> }} details
   */
  constructor(message, { code, extensions = {} }) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.extensions = extensions;
  }
}

/**
 * Runs a GraphQL query and returns its data.
 * @param {string} document
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<any>}
 * @throws {ApiError}
 */
export async function query(document, variables = {}) {
  const endpoint = new URL(GRAPHQL_ENDPOINT, window.location.href).href;
  let response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: document, variables }),
    });
  } catch {
    throw new ApiError(`Cannot reach the API at ${endpoint}. Check that it is running, then try again.`, {
      code: "UNREACHABLE",
    });
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(
      `The API at ${endpoint} answered HTTP ${response.status} with something other than GraphQL. ` +
        "A proxy in front of it may be failing; try again shortly.",
      { code: "BAD_RESPONSE" },
    );
  }
  const [first] = body?.errors ?? [];
  if (first) {
    throw new ApiError(String(first.message), {
      code: String(first.extensions?.code ?? "UNKNOWN"),
      extensions: first.extensions ?? {},
    });
  }
  if (!body?.data) {
    throw new ApiError(`The API answered HTTP ${response.status} with no data.`, { code: "BAD_RESPONSE" });
  }
  return body.data;
}

/** The arguments, across the page's queries, that take an account address. */
const ADDRESS_ARGUMENTS = new Set(["address", "where.beneficiary"]);

/**
 * What to tell the reader about a failed query.
 * @param {unknown} error
 * @param {{ address?: string }} [inputs] what the reader typed, to quote back
 * @returns {string}
 */
export function describeError(error, inputs = {}) {
  if (!(error instanceof ApiError)) {
    return `Something went wrong in this page: ${error instanceof Error ? error.message : String(error)}`;
  }
  switch (error.code) {
    case "BAD_USER_INPUT":
      if (ADDRESS_ARGUMENTS.has(String(error.extensions.argument)) && inputs.address !== undefined) {
        return (
          `That is not an address: “${inputs.address}”. An address is 0x followed by 40 hexadecimal ` +
          "digits; in mixed case it must also carry a valid EIP-55 checksum."
        );
      }
      return error.message;
    case "RATE_LIMITED":
      return `Too many requests from here this minute. Try again in ${error.extensions.retryAfterSeconds ?? 60} s.`;
    case "TIMEOUT":
      return "The API took too long to answer. Try again; if it keeps happening, the API is overloaded.";
    case "CHAIN_UNAVAILABLE":
      return `The live check on the chain could not run: ${error.message}`;
    case "INTERNAL_SERVER_ERROR":
      return `The API failed on its side. ${error.message}`;
    default:
      return error.message;
  }
}

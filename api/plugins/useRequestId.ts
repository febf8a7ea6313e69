// Gives every request an id: the client's X-Request-Id when it is a sane token (so a gateway's id
// carries through), else a new UUID. It goes back in the response header, into every log line of the
// request, and into masked errors, so a client can quote it and an operator can find the logs.
import { randomUUID } from "node:crypto";
import type { Plugin } from "graphql-yoga";

const HEADER = "x-request-id";
/** Short printable tokens only: the id lands in logs and headers verbatim. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RequestIds {
  plugin: Plugin;
  /** The id of `request` (assigned on arrival). */
  idOf(request: Request): string;
}

/**
 * Creates the request-id plugin and its lookup (the context factory reads the id from it).
 *
 * @example
 * const ids = useRequestId();
 * createYoga({ plugins: [ids.plugin], context: ({ request }) => ({ requestId: ids.idOf(request) }) });
 */
export function useRequestId(): RequestIds {
  const ids = new WeakMap<Request, string>();
  const idOf = (request: Request) => {
    let id = ids.get(request);
    if (!id) {
      const offered = request.headers.get(HEADER);
      id = offered && CLIENT_ID.test(offered) ? offered : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  return {
    idOf,
    plugin: {
      onRequest({ request }) {
        idOf(request);
      },
      onResponse({ request, response }) {
        response.headers.set(HEADER, idOf(request));
      },
    },
  };
}

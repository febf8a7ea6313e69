// A limit on request bodies, checked before the body is parsed: by Content-Length when the client
// sends one (the HTTP parser then reads that many bytes and no more), and by counting bytes as they
// stream otherwise (chunked uploads). Over the limit the
// client gets HTTP 400 with REQUEST_TOO_LARGE. (graphql-yoga's own limit answers 413 with another
// code; this one keeps every client error to 200 or 400 with our codes.)
import type { Plugin } from "graphql-yoga";
import { codedError, ERROR_CODES } from "../errors.ts";

/**
 * 100 KB: the largest legitimate document (GraphiQL's introspection, a big query with variables) is
 * well under 20 KB; the token limit rejects anything bigger anyway, this just refuses it sooner.
 */
export const DEFAULT_MAX_BODY_BYTES = 100_000;

function tooLarge(maxBytes: number) {
  return codedError(ERROR_CODES.REQUEST_TOO_LARGE, `The request body is larger than ${maxBytes} bytes.`, {
    httpStatus: 400,
    details: { maxBytes },
  });
}

/**
 * Refuses request bodies over `maxBytes`.
 *
 * @example
 * createYoga({ plugins: [useBodyLimit({ maxBytes: 100_000 })] });
 */
export function useBodyLimit({ maxBytes }: { maxBytes: number }): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get("content-length");
      // A malformed Content-Length is yoga's to refuse (400, BAD_REQUEST).
      if (declared !== null && /^\d+$/.test(declared)) {
        if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
        // Node's HTTP parser reads exactly Content-Length bytes of body, no more: nothing to count.
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser(async (incoming) => {
        const body = await readLimited(incoming, maxBytes);
        const copy = new fetchAPI.Request(incoming.url, {
          method: incoming.method,
          headers: incoming.headers,
          body,
        });
        return parse(copy);
      });
    },
  };
}

async function readLimited(request: Request, maxBytes: number): Promise<Blob> {
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new Blob(chunks as BlobPart[]);
}

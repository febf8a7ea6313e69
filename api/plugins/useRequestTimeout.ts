// A per-request time limit on query execution. When it passes, the client gets a TIMEOUT error at
// once and the request's connection is freed; queries already sent to the database finish there
// (PostgreSQL cannot be told to stop a statement from a pooled connection without cancelling
// others), and their results are dropped. Subscriptions are long-lived by design and not limited.
import type { Plugin } from "graphql-yoga";
import { codedError, ERROR_CODES } from "../errors.ts";

/**
 * Limits each query's execution to `timeoutMs`.
 *
 * @example
 * createYoga({ plugins: [useRequestTimeout({ timeoutMs: 10_000 })] });
 */
export function useRequestTimeout({ timeoutMs }: { timeoutMs: number }): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<{ errors: ReturnType<typeof codedError>[] }>((resolve) => {
          timer = setTimeout(
            () =>
              resolve({
                errors: [
                  codedError(
                    ERROR_CODES.TIMEOUT,
                    `The request took longer than ${timeoutMs} ms and was stopped. Ask for less (smaller pages, fewer fields).`,
                    { details: { timeoutMs } },
                  ),
                ],
              }),
            timeoutMs,
          );
        });
        try {
          return await Promise.race([executeFn(args), timeout]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}

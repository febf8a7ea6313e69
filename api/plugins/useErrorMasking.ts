// Errors as clients see them: every one carries extensions.code, and none carries a stack trace or an
// internal message. Expected errors (GraphQLErrors we or graphql-js raised on purpose) pass through;
// anything else is a bug or an outage: it is logged in full with the request id and replaced by
// INTERNAL_SERVER_ERROR quoting that id. Runs before yoga's own masking, which then finds nothing left
// to mask.
import { GraphQLError } from "graphql/index.js";
import { handleStreamOrSingleExecutionResult, type Plugin } from "graphql-yoga";
import type { ApiContext } from "../context.ts";
import { ERROR_CODES } from "../errors.ts";

/** An error we (or graphql-js, for input coercion) raised on purpose, not a wrapped exception. */
export function isExpected(error: GraphQLError): boolean {
  let cause: unknown = error.originalError;
  while (cause instanceof GraphQLError) cause = cause.originalError;
  return cause === undefined || cause === null;
}

/** The error as the client sees it. */
export function maskError(
  error: GraphQLError,
  context: Pick<ApiContext, "requestId" | "log"> | undefined,
): GraphQLError {
  if (isExpected(error)) {
    if (error.extensions.code) return error;
    // graphql-js's own request errors (a variable of the wrong type) have no path and no code.
    const code = error.path === undefined ? ERROR_CODES.BAD_USER_INPUT : ERROR_CODES.INTERNAL_SERVER_ERROR;
    if (code === ERROR_CODES.BAD_USER_INPUT) {
      return new GraphQLError(error.message, {
        nodes: error.nodes,
        extensions: { ...error.extensions, code },
      });
    }
  }
  const requestId = context?.requestId ?? "unknown";
  context?.log.error({
    msg: "Unexpected error in a resolver",
    path: error.path?.join("."),
    err: error.originalError ?? error,
  });
  return new GraphQLError(`Unexpected error. Quote request id ${requestId} when reporting it.`, {
    nodes: error.nodes,
    path: error.path,
    extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR, requestId },
  });
}

/**
 * Masks the errors of every execution and subscription event.
 *
 * @example
 * createYoga({ plugins: [useErrorMasking()] });
 */
export function useErrorMasking(): Plugin {
  const handle =
    (context: ApiContext) =>
    ({
      result,
      setResult,
    }: {
      result: { errors?: readonly GraphQLError[] };
      setResult: (r: never) => void;
    }) => {
      if (result.errors?.length)
        setResult({ ...result, errors: result.errors.map((e) => maskError(e, context)) } as never);
    };
  return {
    onExecute({ args }) {
      const context = args.contextValue as unknown as ApiContext;
      return {
        onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, handle(context) as never),
      };
    },
    onSubscribe({ args }) {
      const context = args.contextValue as unknown as ApiContext;
      return {
        onSubscribeResult: (payload) =>
          handleStreamOrSingleExecutionResult(payload, handle(context) as never),
        onSubscribeError({ error, setError }) {
          if (error instanceof GraphQLError) setError(maskError(error, context));
          else
            setError(
              maskError(new GraphQLError("Subscription failed", { originalError: error as Error }), context),
            );
        },
      };
    },
  };
}

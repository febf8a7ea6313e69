// Limits on what one document may ask for, checked before anything runs: depth, aliases, tokens and
// a static cost (graphql-armor), plus a node limit that multiplies page sizes down nested connections
// (armor's cost sees `members(first: 100) { votes(first: 100) }` as two fields; it can fetch 10,100
// rows). Every rejection is QUERY_TOO_COMPLEX and states the limit.
import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql/index.js";
import type { Plugin } from "graphql-yoga";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../domain/pagination.ts";
import { codedError, ERROR_CODES } from "../errors.ts";

export interface QueryLimits {
  /** Nesting of selections (introspection excluded). */
  maxDepth: number;
  /** Aliased fields in one document. */
  maxAliases: number;
  /** Lexical tokens in one document: bounds parsing work before anything else runs. */
  maxTokens: number;
  /** graphql-armor's static cost (objects 2, scalars 1, ×1.5 per level). */
  maxCost: number;
  /** Rows the connections of one operation may fetch, page sizes multiplied down the nesting. */
  maxNodes: number;
}

/**
 * The limits. Depth 10 fits the deepest useful query (proposal → votes → edges → node → voterMember
 * → practices → practice → members → edges → node); 30 aliases is Ponder's; 2,000 tokens admits
 * GraphiQL's introspection query (about 1,100) and any hand-written query. Armor's cost grows 1.5×
 * per level and Relay's edges/node add two levels to every list, so its default 5,000 refuses
 * ordinary queries (a member's ballots with their proposals cost about 11,500): 20,000 admits those
 * and still refuses wide, deep documents. The node limit bounds the real work: 20,000 rows is a full
 * page of members with a full page of each one's ballots, not a third level of full pages.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 2_000,
  maxCost: 20_000,
  maxNodes: 20_000,
};

/**
 * The document limits as one plugin set.
 *
 * @example
 * createYoga({ plugins: [...useQueryLimits()] });
 */
export function useQueryLimits(limits: QueryLimits = DEFAULT_QUERY_LIMITS): Plugin[] {
  // Validation rules report (so every problem of the document is listed); the token limit runs in the
  // parser, where there is nothing to report to, so it throws.
  const report = {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(tooComplex(error.message)),
    ],
  };
  return [
    maxTokensPlugin({
      n: limits.maxTokens,
      onReject: [
        (_: unknown, error: GraphQLError) =>
          Object.assign(error.extensions, { code: ERROR_CODES.QUERY_TOO_COMPLEX }),
      ],
    }),
    maxDepthPlugin({ n: limits.maxDepth, ...report }),
    maxAliasesPlugin({ n: limits.maxAliases, ...report }),
    costLimitPlugin({ maxCost: limits.maxCost, ...report }),
    useNodeLimit(limits.maxNodes),
  ] as Plugin[];
}

function tooComplex(message: string): GraphQLError {
  return codedError(ERROR_CODES.QUERY_TOO_COMPLEX, message.replace(/^Syntax Error: /, ""), {
    httpStatus: 400,
  });
}

/** Rejects an operation whose connections could fetch more than `maxNodes` rows. */
function useNodeLimit(maxNodes: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const nodes = estimateNodes(args.schema, args.document, args.operationName, args.variableValues ?? {});
      if (nodes > maxNodes) {
        setResultAndStopExecution({
          errors: [
            tooComplex(
              `The operation could fetch ${nodes} rows through nested connections; the limit is ${maxNodes}. Ask for smaller pages (first) or fewer levels.`,
            ),
          ],
        });
      }
    },
  };
}

/**
 * Rows the operation's connections could return: each field that takes `first` fetches `first`
 * (default 20, at most 100) rows per parent row, so nested pages multiply. Plain lists count once.
 */
export function estimateNodes(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (!operationName || definition.name?.value === operationName) operation ??= definition;
    }
  }
  const pageOf = (value: unknown) =>
    typeof value === "number" && Number.isFinite(value)
      ? Math.min(Math.max(value, 0), MAX_PAGE_SIZE)
      : DEFAULT_PAGE_SIZE;
  const walk = (
    set: SelectionSetNode,
    type: GraphQLNamedType | undefined,
    parents: number,
    seen: Set<string>,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A cycle is a validation error reported elsewhere; do not loop on it here.
        if (fragment && !seen.has(fragment.name.value)) {
          const on = schema.getType(fragment.typeCondition.name.value);
          total += walk(fragment.selectionSet, on, parents, new Set([...seen, fragment.name.value]));
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        total += walk(selection.selectionSet, on, parents, seen);
      } else if (selection.selectionSet) {
        const field = isObjectType(type) ? type.getFields()[selection.name.value] : undefined;
        let rows = parents;
        if (field?.args.some((argument) => argument.name === "first")) {
          const first = selection.arguments?.find((argument) => argument.name.value === "first");
          const value =
            first?.value.kind === Kind.INT
              ? Number(first.value.value)
              : first?.value.kind === Kind.VARIABLE
                ? variables[first.value.name.value]
                : undefined;
          rows = parents * pageOf(value);
          total += rows;
        }
        total += walk(selection.selectionSet, field ? getNamedType(field.type) : undefined, rows, seen);
      }
    }
    return total;
  };
  if (!operation) return 0;
  const root = operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  return walk(operation.selectionSet, root ?? undefined, 1, new Set());
}

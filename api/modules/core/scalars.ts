// The custom scalars: Timestamp (unix seconds out; seconds or ISO 8601 in), BigInt (uint256 as a
// decimal string) and JSON (decoded proposal arguments). A malformed literal or variable is a
// BAD_USER_INPUT error, thrown as a GraphQLError so graphql-js keeps its code.
import { GraphQLScalarType, Kind, valueFromASTUntyped } from "graphql/index.js";
import { parseTimestamp } from "../../domain/time.ts";
import { badUserInput } from "../../errors.ts";

export const Timestamp = new GraphQLScalarType<number, number>({
  name: "Timestamp",
  serialize: (value) => Number(value),
  parseValue: (value) => parseTimestamp(value, "time"),
  parseLiteral(ast) {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) {
      return parseTimestamp(ast.kind === Kind.INT ? Number(ast.value) : ast.value, "time");
    }
    throw badUserInput("time", valueFromASTUntyped(ast), "unix seconds or an ISO 8601 string");
  },
});

const DECIMAL = /^\d{1,78}$/;

function parseBigInt(value: unknown): bigint {
  if (typeof value === "string" && DECIMAL.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw badUserInput("integer", value, "an unsigned integer as a decimal string");
}

export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: "BigInt",
  serialize: (value) => String(value),
  parseValue: parseBigInt,
  parseLiteral(ast) {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING)
      return parseBigInt(ast.kind === Kind.INT ? Number(ast.value) : ast.value);
    throw badUserInput("integer", valueFromASTUntyped(ast), "an unsigned integer as a decimal string");
  },
});

/** JSON-safe copy: bigints (uint256 arguments) become decimal strings. */
function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: toJson,
  parseValue: (value) => value,
  parseLiteral: (ast) => valueFromASTUntyped(ast),
});

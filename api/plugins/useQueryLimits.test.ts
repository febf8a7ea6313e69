import { parse } from "graphql/index.js";
import { describe, expect, it } from "vitest";
import { createApiSchema } from "../modules/index.ts";
import { estimateNodes } from "./useQueryLimits.ts";

const schema = createApiSchema();
const estimate = (query: string, variables: Record<string, unknown> = {}) =>
  estimateNodes(schema, parse(query), undefined, variables);

describe("estimateNodes", () => {
  it("multiplies page sizes down nested connections", () => {
    expect(estimate("{ members(first: 10) { edges { node { address } } } }")).toBe(10);
    expect(estimate("{ members { edges { node { address } } } }")).toBe(20);
    expect(estimate("{ members(first: 100) { edges { node { votes(first: 100) { totalCount } } } } }")).toBe(
      10_100,
    );
    expect(estimate("query($n: Int) { members(first: $n) { totalCount } }", { n: 7 })).toBe(7);
  });

  it("counts plain lists once and follows fragments", () => {
    expect(
      estimate('{ member(address: "0x") { practices { practice { members(first: 5) { totalCount } } } } }'),
    ).toBe(5);
    expect(
      estimate(
        "{ members(first: 10) { ...M } } fragment M on MemberConnection { edges { node { votes(first: 10) { totalCount } } } }",
      ),
    ).toBe(110);
  });

  it("caps a page at the maximum page size whatever is asked", () => {
    expect(estimate("{ members(first: 100000) { totalCount } }")).toBe(100);
  });
});

// The schema the modules compose (./index.ts) is the API's published contract: a change here is a
// change to every client's contract, made deliberately.
import { printSchema } from "graphql/index.js";
import { describe, expect, it } from "vitest";
import { createApiSchema } from "./index.ts";

describe("the schema", () => {
  it("is the published contract", () => {
    // A change here is a change to every client's contract: update the snapshot deliberately.
    expect(printSchema(createApiSchema())).toMatchSnapshot();
  });
});

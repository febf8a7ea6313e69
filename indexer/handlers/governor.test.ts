import { describe, expect, it } from "vitest";
import { proposalTitle } from "./governor.ts";

describe("proposalTitle", () => {
  it("is the first non-empty line, without Markdown heading marks or a proposer suffix", () => {
    expect(proposalTitle("# Create the cloud practice\n\nManaged cloud services.")).toBe(
      "Create the cloud practice",
    );
    expect(proposalTitle("\n\n  Admit two members  \nbody")).toBe("Admit two members");
    expect(proposalTitle(`Retire p1 #proposer=0x${"ab".repeat(20)}`)).toBe("Retire p1");
    expect(proposalTitle("")).toBe("");
  });
});

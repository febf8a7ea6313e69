import { describe, expect, it } from "vitest";
import { parseAddress, parseSlug, parseUintId } from "./inputs.ts";

describe("input parsers", () => {
  it("lowercases addresses in any valid form", () => {
    const checksummed = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    expect(parseAddress(checksummed)).toBe(checksummed.toLowerCase());
    expect(parseAddress(checksummed.toLowerCase())).toBe(checksummed.toLowerCase());
    expect(parseAddress(`0x${checksummed.slice(2).toUpperCase()}`)).toBe(checksummed.toLowerCase());
  });

  it.each([
    "0x70997970C51812dc3A010C7d01b50e0d17dc79c8",
    "0x123",
    "70997970c51812dc3a010c7d01b50e0d17dc79c8",
    "",
  ])("refuses the address %j", (value) => {
    expect(() => parseAddress(value)).toThrowError(/Invalid address/);
  });

  it("takes slugs exactly as the contract does", () => {
    expect(parseSlug("cloud-2")).toBe("cloud-2");
    for (const bad of ["", "Cloud", "a".repeat(33), "cloud services", "clöud"])
      expect(() => parseSlug(bad)).toThrowError(/Invalid slug/);
  });

  it("reads uint256 ids in decimal or hex", () => {
    expect(parseUintId("00042")).toBe("42");
    expect(parseUintId("0x2a")).toBe("42");
    expect(parseUintId((2n ** 256n - 1n).toString())).toBe((2n ** 256n - 1n).toString());
    for (const bad of ["", "-1", "1.0", "1e3", (2n ** 256n).toString(), `0x${"f".repeat(65)}`]) {
      expect(() => parseUintId(bad)).toThrowError(/Invalid id/);
    }
  });
});

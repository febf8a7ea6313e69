import { describe, expect, it } from "vitest";
import { MAX_TIMESTAMP, parseTimestamp } from "./time.ts";

describe("parseTimestamp", () => {
  it.each([
    [1_767_225_600, 1_767_225_600],
    ["1767225600", 1_767_225_600],
    ["2026-01-01", 1_767_225_600],
    ["2026-01-01T00:00:00Z", 1_767_225_600],
    ["2026-01-01T01:00:00+01:00", 1_767_225_600],
    ["2026-01-01T00:00:00.999Z", 1_767_225_600],
    ["2026-01-01T00:00Z", 1_767_225_600],
    [0, 0],
    [MAX_TIMESTAMP, MAX_TIMESTAMP],
  ])("reads %j as %i", (input, seconds) => {
    expect(parseTimestamp(input)).toBe(seconds);
  });

  it.each([
    -1,
    1.5,
    MAX_TIMESTAMP + 1,
    Number.NaN,
    "",
    "tomorrow",
    "2026-01-01T00:00:00",
    "2026-02-30T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "01/01/2026",
    "1e9",
    null,
    { at: 1 },
  ])("refuses %j with BAD_USER_INPUT", (input) => {
    expect(() => parseTimestamp(input, "at")).toThrowError(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "BAD_USER_INPUT", argument: "at" }),
      }),
    );
  });
});

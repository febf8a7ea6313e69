// The CSV's formatting rules on their own: token units from integers, signs, RFC 4180 quoting.
import { describe, expect, it } from "vitest";
import { csvField } from "./csv.ts";
import { formatUnits } from "./units.ts";

describe("books CSV fields", () => {
  it("formats base units in token units with integer arithmetic, signed", () => {
    expect(formatUnits(1_250_000_000n, 6)).toBe("1250.000000");
    expect(formatUnits(-5n, 6)).toBe("-0.000005");
    expect(formatUnits(10n ** 18n + 1n, 18)).toBe("1.000000000000000001");
    // Beyond a double's precision: no float ever touches the amount.
    expect(formatUnits(2n ** 96n - 1n, 6)).toBe("79228162514264337593543.950335");
    expect(formatUnits(123n, null)).toBe("123");
  });

  it("quotes a field with a comma, quote or line break and doubles its quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('Licences, "pro" plan')).toBe('"Licences, ""pro"" plan"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
});

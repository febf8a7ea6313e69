// What the books show is exact: base-unit amounts (BigInt decimal strings) formatted in whole tokens
// without a float anywhere, by the page (api/web/public/books.js) and the CLI (scripts/cli/books.ts)
// alike (the page keeps a token of unknown decimals in base units, as the CSV does); the CSV URL sits
// next to the API's /graphql with the same filters; months and shares parse as people write them.
import { describe, expect, it } from "vitest";
import { formatAmount } from "../../api/web/public/books.js";
import {
  booksCsvUrl,
  formatMonth,
  formatTokenAmount,
  parseMonth,
  parseShareBps,
  parseWeights,
} from "../../scripts/cli/books.ts";

describe("amounts", () => {
  it("formats base units exactly, beyond a double's precision, signed or not", () => {
    const cases: [string, number, string][] = [
      ["1250000000", 6, "1,250"],
      ["1250500000", 6, "1,250.5"],
      ["-900000000", 6, "-900"],
      ["0", 6, "0"],
      ["1", 18, "0.000000000000000001"],
      ["123456789012345678901234567", 18, "123,456,789.012345678901234567"],
    ];
    for (const [amount, decimals, text] of cases) {
      expect(formatAmount(amount, decimals)).toBe(text);
      expect(formatTokenAmount(amount, { address: "0x", symbol: null, decimals })).toBe(text);
    }
  });

  it("leaves the page's amounts of a token with unknown decimals in base units, as the CSV does", () => {
    expect(formatAmount("5250000000", null)).toBe("5,250,000,000");
    expect(formatAmount("-40000000", null)).toBe("-40,000,000");
  });
});

describe("the CLI's books arguments", () => {
  it("reads months, shares and weights, and refuses what they are not", () => {
    expect(parseMonth("2026-11", "--month")).toBe(202611);
    expect(formatMonth(202601)).toBe("2026-01");
    expect(() => parseMonth("2026-00", "--month")).toThrow('--month "2026-00" is not a month');
    expect(parseShareBps("50%", "--practice-share")).toBe(5000);
    expect(parseShareBps("37.5%", "--practice-share")).toBe(3750);
    expect(parseShareBps("2500bps", "--practice-share")).toBe(2500);
    expect(() => parseShareBps("-5%", "--practice-share")).toThrow("is not a share");
    expect(parseWeights("3/2/1", "--weights")).toEqual([3, 2, 1]);
    expect(() => parseWeights("0/0/0", "--weights")).toThrow("is not lead/member/technician weights");
    expect(() => parseWeights("256/2/1", "--weights")).toThrow("is not lead/member/technician weights");
  });

  it("asks the API's /books.csv next to its /graphql, with the filters given", () => {
    expect(booksCsvUrl("http://127.0.0.1:4000/graphql", {})).toBe("http://127.0.0.1:4000/books.csv");
    expect(
      booksCsvUrl("https://firm.example.com/api/graphql", { from: "2026-01", to: "2026-03", practice: "" }),
    ).toBe("https://firm.example.com/api/books.csv?from=2026-01&to=2026-03&practice=");
  });
});

// The CLI's parsers (durations, amounts, dates, addresses, proposal ids, enum words), its revert
// sentences, the description's proposer suffix and its vesting chart: pure functions, so every bad
// input can be tried.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../scripts/cli/errors.ts";
import type { ChainContext } from "../../scripts/cli/lib/chain.ts";
import { vestingChart } from "../../scripts/cli/lib/chart.ts";
import { formatSpan } from "../../scripts/cli/lib/output.ts";
import {
  DURATION_UNITS,
  parseAddress,
  parseAmount,
  parseChoice,
  parseDate,
  parseDuration,
  parsePositiveId,
  parseProposalRef,
  parseSlug,
  parseUint32Duration,
  parseUnitsCount,
} from "../../scripts/cli/lib/parse.ts";
import {
  hashProposal,
  proposerSuffixOf,
  shortProposalId,
  stripProposerSuffix,
  titleOf,
  withoutOwnProposerSuffix,
  withProposerSuffix,
} from "../../scripts/cli/lib/proposals.ts";
import { describeError, FIRM_ERRORS } from "../../scripts/cli/lib/reverts.ts";
import { resolveSigner } from "../../scripts/cli/lib/signer.ts";

const DAY = 86_400;

/** Runs `parse` and returns the UsageError it threw (fails if it did not throw one). */
function usageErrorOf(parse: () => unknown): UsageError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("parseDuration", () => {
  it.each([
    ["1y", 365 * DAY],
    ["6mo", 180 * DAY],
    ["2w", 14 * DAY],
    ["30d", 30 * DAY],
    ["12h", 12 * 3600],
    ["90m", 90 * 60],
    ["45s", 45],
    ["1y6mo", 365 * DAY + 180 * DAY],
    ["2d12h", 2 * DAY + 12 * 3600],
    ["61m", 3660],
    [" 3D ", 3 * DAY],
    ["0", 0],
  ])("reads %s", (text, seconds) => {
    expect(parseDuration(text, "--vesting")).toBe(seconds);
  });

  it.each([
    ["30", "has no unit"],
    ["", "is not a duration"],
    ["1.5y", "is not a duration"],
    ["-1d", "is not a duration"],
    ["1x", "is not a duration"],
    ["1y1y", "repeats a unit"],
    ["6mo1y", "puts a smaller one first"],
    ["d", "is not a duration"],
  ])("refuses %j, saying it %s", (text, problem) => {
    const error = usageErrorOf(() => parseDuration(text, "--cliff"));
    expect(error.shortMessage).toContain("--cliff");
    expect(error.shortMessage).toContain(problem);
    expect(error.hints[0]).toBeTruthy();
  });

  it("adds up any combination of units written largest first", () => {
    const units = Object.entries(DURATION_UNITS);
    fc.assert(
      fc.property(fc.array(fc.nat(999), { minLength: units.length, maxLength: units.length }), (counts) => {
        const parts = units.map(([unit, size], i) => ({
          text: `${counts[i]}${unit}`,
          seconds: (counts[i] as number) * size,
        }));
        const text = parts.map((p) => p.text).join("");
        expect(parseDuration(text, "--d")).toBe(parts.reduce((sum, p) => sum + p.seconds, 0));
      }),
    );
  });

  it("refuses durations that do not fit the contracts' uint32 fields", () => {
    expect(parseUint32Duration("136y", "--vesting")).toBe(136 * 365 * DAY);
    expect(usageErrorOf(() => parseUint32Duration("137y", "--vesting")).shortMessage).toContain(
      "longer than the contracts allow",
    );
  });
});

describe("parseAmount", () => {
  const eth = { decimals: 18 };
  it.each([
    ["1", 10n ** 18n],
    ["1.5", 15n * 10n ** 17n],
    ["1,000", 1000n * 10n ** 18n],
    ["1,000,000.25", 1_000_000n * 10n ** 18n + 25n * 10n ** 16n],
    ["1_000", 1000n * 10n ** 18n],
    ["0.000000000000000001", 1n],
    ["2 ETH", 2n * 10n ** 18n],
    ["2eth", 2n * 10n ** 18n],
  ])("reads %s ETH", (text, wei) => {
    expect(parseAmount(text, "--amount", eth)).toBe(wei);
  });

  it("reads token amounts in the token's decimals", () => {
    expect(parseAmount("1,250.5", "--amount", { decimals: 6, symbol: "USDC" })).toBe(1_250_500_000n);
    expect(parseAmount("3 USDC", "--amount", { decimals: 6, symbol: "USDC" })).toBe(3_000_000n);
  });

  it.each([
    ["-1", "is not an amount"],
    ["abc", "is not an amount"],
    ["1e18", "is not an amount"],
    ["1,00", "commas must separate thousands"],
    ["10,0000", "commas must separate thousands"],
    ["0", "must be more than zero"],
    ["0.0", "must be more than zero"],
    ["0.0000000000000000001", "has 19 decimals; ETH has 18"],
    ["", "is not an amount"],
  ])("refuses %j, saying it %s", (text, problem) => {
    expect(usageErrorOf(() => parseAmount(text, "--amount", eth)).shortMessage).toContain(problem);
  });

  it("refuses more decimals than a token has", () => {
    expect(
      usageErrorOf(() => parseAmount("1.1234567", "--amount", { decimals: 6, symbol: "USDC" })).shortMessage,
    ).toContain("has 7 decimals; USDC has 6");
  });

  it("reads equity units as whole numbers within uint64", () => {
    expect(parseUnitsCount("1,000", "--units")).toBe(1000n);
    expect(parseUnitsCount("18446744073709551615", "--units")).toBe(2n ** 64n - 1n);
    expect(usageErrorOf(() => parseUnitsCount("18446744073709551616", "--units")).shortMessage).toContain(
      "more units",
    );
    expect(usageErrorOf(() => parseUnitsCount("1.5", "--units")).shortMessage).toContain("has 1 decimals");
    expect(usageErrorOf(() => parseUnitsCount("0", "--units")).shortMessage).toContain("more than zero");
  });

  it("round-trips any wei amount written with grouping", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 30n }), (wei) => {
        const whole = (wei / 10n ** 18n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
        const fraction = (wei % 10n ** 18n).toString().padStart(18, "0");
        expect(parseAmount(`${whole}.${fraction}`, "--amount", eth)).toBe(wei);
      }),
    );
  });
});

describe("parseDate", () => {
  const now = Date.UTC(2026, 4, 1, 12) / 1000;
  it.each([
    ["2027-01-31", Date.UTC(2027, 0, 31) / 1000],
    ["2027-01-31T09:30Z", Date.UTC(2027, 0, 31, 9, 30) / 1000],
    ["2027-01-31T09:30:15+02:00", Date.UTC(2027, 0, 31, 7, 30, 15) / 1000],
    ["2028-02-29", Date.UTC(2028, 1, 29) / 1000],
    ["30d", now + 30 * DAY],
    ["+2w", now + 14 * DAY],
    ["1y6mo", now + 545 * DAY],
  ])("reads %s", (text, seconds) => {
    expect(parseDate(text, "--until", now)).toBe(seconds);
  });

  it.each([
    ["2027-02-30", "not a day on the calendar"],
    ["2027-02-29", "not a day on the calendar"],
    ["2027-13-01", "not a day on the calendar"],
    ["2027-01-31T25:00Z", "not a day on the calendar"],
    ["2027-01-31T09:30", "is not a date"],
    ["31/01/2027", "is not a date"],
    ["tomorrow", "is not a date"],
    ["30", "is not a date"],
  ])("refuses %j, saying it is %s", (text, problem) => {
    const error = usageErrorOf(() => parseDate(text, "--until", now));
    expect(error.shortMessage).toContain(problem);
    expect(error.hints[0]).toContain("2027-01-31");
  });
});

describe("parseAddress", () => {
  const checksummed = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  it("accepts lowercase, uppercase and valid checksums, and returns the checksum", () => {
    expect(parseAddress(checksummed.toLowerCase(), "--lead")).toBe(checksummed);
    expect(parseAddress(`0x${checksummed.slice(2).toUpperCase()}`, "--lead")).toBe(checksummed);
    expect(parseAddress(` ${checksummed} `, "--lead")).toBe(checksummed);
  });

  it("refuses a wrong checksum, a short address and garbage, each with its own hint", () => {
    const typo = usageErrorOf(() => parseAddress(checksummed.replace("C5", "c5"), "--lead"));
    expect(typo.shortMessage).toContain("--lead");
    expect(typo.hints[0]).toContain("checksum");
    expect(usageErrorOf(() => parseAddress("0x1234", "--lead")).hints[0]).toContain("40 hex digits");
    expect(usageErrorOf(() => parseAddress("alice", "--to")).shortMessage).toContain(
      '--to "alice" is not an address',
    );
  });
});

describe("parseProposalRef", () => {
  const full = "44522235451494606352349261286592123233227622300056997269889340519817718005046";
  it("reads a full decimal id, a hex id and prefixes (with or without the ellipsis)", () => {
    expect(parseProposalRef(full)).toEqual({ kind: "id", id: BigInt(full) });
    expect(parseProposalRef("0x1f")).toEqual({ kind: "id", id: 31n });
    expect(parseProposalRef("4452223545…")).toEqual({ kind: "prefix", prefix: "4452223545" });
    expect(parseProposalRef("4452...")).toEqual({ kind: "prefix", prefix: "4452" });
    expect(parseProposalRef(shortProposalId(full))).toEqual({ kind: "prefix", prefix: full.slice(0, 10) });
  });

  it("refuses what cannot name a proposal", () => {
    expect(usageErrorOf(() => parseProposalRef("12")).shortMessage).toContain("too short");
    expect(usageErrorOf(() => parseProposalRef("abc")).shortMessage).toContain("is not a proposal id");
    expect(usageErrorOf(() => parseProposalRef("0x")).shortMessage).toContain("is not a proposal id");
    expect(usageErrorOf(() => parseProposalRef(`0x${"f".repeat(65)}`)).shortMessage).toContain(
      "is not a proposal id",
    );
    expect(usageErrorOf(() => parseProposalRef("9".repeat(80))).shortMessage).toContain(
      "larger than any proposal id",
    );
  });
});

describe("ids, slugs and choices", () => {
  it("reads grant and distribution numbers", () => {
    expect(parsePositiveId("3", "grant")).toBe(3n);
    expect(parsePositiveId("#12", "grant")).toBe(12n);
    for (const bad of ["0", "-1", "1.5", "x", ""]) {
      expect(usageErrorOf(() => parsePositiveId(bad, "distribution")).shortMessage).toContain("is not an id");
    }
  });

  it("reads slugs by the contract's rule", () => {
    expect(parseSlug("managed-print", "--slug")).toBe("managed-print");
    for (const bad of ["Cloud", "a b", "", "x".repeat(33), "café"]) {
      expect(usageErrorOf(() => parseSlug(bad, "--slug")).hints[0]).toContain("1 to 32 characters");
    }
  });

  it("reads enum words case-insensitively and lists the choices otherwise", () => {
    expect(parseChoice("FOR", "support", ["for", "against", "abstain"] as const)).toBe("for");
    const error = usageErrorOf(() => parseChoice("yes", "support", ["for", "against", "abstain"] as const));
    expect(error.shortMessage).toBe('support "yes" is not one of for, against, abstain');
  });
});

describe("revert sentences", () => {
  it.each([
    ["GovernorAlreadyCastVote", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"], "already voted"],
    ["GovernorProposerNotPartner", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"], "not a partner"],
    ["GovernorVoterNotEligible", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"], "not a partner"],
    ["PracticeSlugTaken", ["cloud"], 'practice slug taken: "cloud"'],
    [
      "GovernorUnexpectedProposalState",
      [1n, 0, `0x${"0".repeat(62)}02`],
      "proposal is not active: it is Pending",
    ],
    [
      "GovernorUnexpectedProposalState",
      [1n, 1, `0x${"0".repeat(62)}10`],
      "proposal cannot be queued: it is Active",
    ],
    [
      "GovernorUnexpectedProposalState",
      [1n, 4, `0x${"0".repeat(62)}20`],
      "proposal cannot be executed: it is Succeeded",
    ],
    ["GovernorUnexpectedProposalState", [1n, 0, `0x${"0".repeat(64)}`], "this exact proposal already exists"],
    [
      "TimelockUnexpectedOperationState",
      [`0x${"1".repeat(64)}`, `0x${"0".repeat(62)}04`],
      "timelock delay has not passed",
    ],
    ["MemberInvalidTransition", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 2, 2], "already on leave"],
    ["GrantNothingToRelease", [6n], "nothing to release on grant #6 yet"],
    ["DistributionAlreadyClaimed", [1n, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"], "already claimed"],
    ["LeaveInvalidCover", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"], "cannot cover"],
    ["ProfileFieldInvalid", ["contactUrl"], "profile's contactUrl is out of bounds"],
    [
      "MentorshipOfferNotFound",
      ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"],
      "no standing mentorship offer",
    ],
  ])("%s(%s) is said in words", (name, args, words) => {
    expect(describeError(name, args).message).toContain(words);
  });

  it("has words for every custom error of the firm's own contracts", () => {
    const generic = FIRM_ERRORS.filter((error) => {
      const args = error.inputs.map((input) =>
        input.type === "address"
          ? `0x${"1".repeat(40)}`
          : input.type.startsWith("bytes")
            ? `0x${"0".repeat(64)}`
            : 1n,
      );
      return describeError(error.name, args).message.startsWith(`${error.name}(`);
    });
    // Only OpenZeppelin internals no partner can reach are left to their decoded name and arguments.
    expect(generic.map((e) => e.name).sort()).toEqual(
      [
        "CheckpointUnorderedInsertion",
        "GovernorAlreadyQueuedProposal",
        "GovernorDisabledDeposit",
        "GovernorInsufficientProposerVotes",
        "GovernorInvalidSignature",
        "GovernorInvalidVoteParams",
        "GovernorOnlyExecutor",
        "GovernorProposalQueueingFailed",
        "GovernorProposalQueueingNotRequired",
        "InvalidAccountNonce",
        "InvalidShortString",
        "StringTooLong",
        "VotesExpiredSignature",
        "AccessControlBadConfirmation",
        "TimelockInvalidOperationLength",
        "TimelockUnexecutedPredecessor",
      ].sort(),
    );
    expect(describeError("SomethingNew", [1n, "x"]).message).toBe("SomethingNew(1, x)");
  });
});

describe("proposal helpers", () => {
  it("hashes a proposal as the governor does", () => {
    // The seeded demo's practice proposal is checked against the chain in walkthrough.test.ts; here
    // the hash depends on every part.
    const target = "0x9f1ac54BEF0DD2f6f3462EA0fa94fC62300d3a8e";
    const base = hashProposal([target], [0n], ["0x1234"], "Title");
    expect(hashProposal([target], [1n], ["0x1234"], "Title")).not.toBe(base);
    expect(hashProposal([target], [0n], ["0x1235"], "Title")).not.toBe(base);
    expect(hashProposal([target], [0n], ["0x1234"], "Title ")).not.toBe(base);
    expect(base).toBe(hashProposal([target], [0n], ["0x1234"], "Title"));
  });

  it("titles a description by its first line without a Markdown heading mark", () => {
    expect(titleOf("# Create practice X (x)\n\nbody")).toBe("Create practice X (x)");
    expect(titleOf("Plain")).toBe("Plain");
    expect(titleOf(`Plain #proposer=${"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}`)).toBe("Plain");
  });

  it("writes spans in their two largest units", () => {
    expect(formatSpan(93_784)).toBe("1d 2h");
    expect(formatSpan(-3_600)).toBe("1h");
    expect(formatSpan(0)).toBe("0s");
    expect(formatSpan(400 * DAY)).toBe("1y 35d");
  });
});

describe("the proposer suffix", () => {
  const me = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const other = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
  const suffixes = (text: string) => text.split("#proposer=").length - 1;

  it("reads the suffix the governor honours: 0x and 40 hex digits, in any case, as the very end", () => {
    expect(proposerSuffixOf(`Title\n\n#proposer=${me.toLowerCase()}`)).toBe(me);
    expect(proposerSuffixOf(`Title#proposer=0x${me.slice(2).toUpperCase()}`)).toBe(me);
    // Anything after it, a short address or no 0x: the governor restricts nothing.
    expect(proposerSuffixOf(`Title #proposer=${me} `)).toBeUndefined();
    expect(proposerSuffixOf(`Title #proposer=${me}.`)).toBeUndefined();
    expect(proposerSuffixOf("Title #proposer=0x1234")).toBeUndefined();
    expect(proposerSuffixOf(`Title #proposer=${me.slice(2)}`)).toBeUndefined();
    expect(proposerSuffixOf("Title")).toBeUndefined();
  });

  it("appends the signer's checksummed suffix on a line of its own, once", () => {
    const once = withProposerSuffix("Create practice X (x)\n\nWhy.", me.toLowerCase() as `0x${string}`);
    expect(once).toBe(`Create practice X (x)\n\nWhy.\n\n#proposer=${me}`);
    expect(withProposerSuffix(once, me)).toBe(once);
    expect(withProposerSuffix(`Title #proposer=${me.toLowerCase()}`, me)).toBe(
      `Title #proposer=${me.toLowerCase()}`,
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const suffixed = withProposerSuffix(text, me);
        expect(proposerSuffixOf(suffixed)).toBe(me);
        expect(withProposerSuffix(suffixed, me)).toBe(suffixed);
        if (!text.includes("#proposer=")) {
          expect(suffixes(suffixed)).toBe(1);
          expect(stripProposerSuffix(suffixed)).toBe(text.trimEnd());
        }
      }),
    );
  });

  it("refuses a description reserved for another address, saying how to fix it", () => {
    const error = usageErrorOf(() => withProposerSuffix(`Title #proposer=${other}`, me));
    expect(error.shortMessage).toBe(
      `The description ends with #proposer=${other}, but you are proposing as ${me}: only ${other} may propose it`,
    );
    expect(error.hints[0]).toContain("Remove the #proposer= suffix");
    expect(error.hints[0]).toContain("--as or --keystore");
  });

  it("takes the signer's own suffix off --description and --title, and refuses another's", () => {
    expect(withoutOwnProposerSuffix(`  Why. #proposer=${me.toLowerCase()}  `, "--description", me)).toBe(
      "Why.",
    );
    expect(withoutOwnProposerSuffix(" Why. ", "--description", me)).toBe("Why.");
    // Not at the end, it reserves nothing and is the user's text.
    expect(withoutOwnProposerSuffix(`#proposer=${other} then more`, "--description", me)).toBe(
      `#proposer=${other} then more`,
    );
    const error = usageErrorOf(() =>
      withoutOwnProposerSuffix(`Why. #proposer=${other.toLowerCase()}`, "--title", me),
    );
    expect(error.shortMessage).toMatch(
      /^--title ends with #proposer=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC, /,
    );
    expect(error.shortMessage).toContain(`you are proposing as ${me}`);
  });

  it("strips the suffix for display, with the whitespace before it, and nothing else", () => {
    expect(stripProposerSuffix(`Title\n\nBody.\n\n#proposer=${me}`)).toBe("Title\n\nBody.");
    expect(stripProposerSuffix(`Retire p1 #proposer=${other.toLowerCase()}\n`)).toBe("Retire p1");
    expect(stripProposerSuffix("Title\n\n#proposer=0x1234")).toBe("Title\n\n#proposer=0x1234");
    expect(stripProposerSuffix(`#proposer=${me} is how to reserve it`)).toBe(
      `#proposer=${me} is how to reserve it`,
    );
  });
});

describe("vestingChart", () => {
  const start = Date.UTC(2026, 0, 1) / 1000;
  const end = start + 4 * 365 * DAY;
  const cliff = start + 365 * DAY;
  const units = 1_000n;
  const points = Array.from({ length: 48 }, (_, i) => {
    const at = start + Math.round(((end - start) * i) / 47);
    const vested = at < cliff ? 0n : (units * BigInt(at - start)) / BigInt(end - start);
    return { at, vested };
  });

  it("draws the curve, marks the cliff and today, and labels the dates", () => {
    const now = start + 2 * 365 * DAY;
    const lines = vestingChart({ units, start, cliff, end, now, points });
    expect(lines).toHaveLength(6 + 3);
    expect(lines[0]).toMatch(/^1,000 ┤/);
    const axis = lines[6] as string;
    const axisStart = axis.indexOf("└") + 1;
    expect(axis.indexOf("┴") - axisStart).toBe(12); // a quarter of the way: the 1-year cliff of 4
    expect(axis.indexOf("▲") - axisStart).toBe(24); // half way: today
    // Nothing before the cliff, full height at the end.
    const bottom = lines[5] as string;
    expect(bottom.slice(axisStart, axisStart + 11).trim()).toBe("");
    expect((lines[0] as string).endsWith("█")).toBe(true);
    expect(lines[7]).toContain("2026-01-01");
    expect(lines[7]).toContain("2029-12-31");
    expect(lines[8]).toContain("┴ cliff 2027-01-01");
    expect(lines[8]).toContain("▲ today 2028-01-01");
  });

  it("says when today is before the start or after the end", () => {
    expect(vestingChart({ units, start, cliff, end, now: start - DAY, points }).at(-1)).toContain(
      "(not started)",
    );
    expect(vestingChart({ units, start, cliff, end, now: end + DAY, points }).at(-1)).toContain(
      "(fully vested)",
    );
  });
});

describe("choosing the signer", () => {
  // Each refusal comes before any request to the chain, so a context without a client is enough.
  const chain = (chainId: number) => ({ chainId, isDevChain: chainId === 31337 }) as ChainContext;

  it("refuses --as anywhere but the dev chain", async () => {
    await expect(resolveSigner(chain(8453), { as: "1" })).rejects.toThrow(
      "--as works only on the dev chain (chain id 31337); RPC_URL serves chain 8453",
    );
  });

  it("refuses --as with --keystore, and asks for one of them when neither is given", async () => {
    await expect(resolveSigner(chain(31337), { as: "1", keystore: "k.json" })).rejects.toThrow("not both");
    const devHint = await resolveSigner(chain(31337), {}).catch((error: UsageError) => error.hints[0]);
    expect(devHint).toContain("--as <index|address>");
    const realHint = await resolveSigner(chain(8453), {}).catch((error: UsageError) => error.hints[0]);
    expect(realHint).toContain("--keystore <file>");
    expect(realHint).not.toContain("--as");
  });
});

// The configuration reader: each method's reading and its one wording of what was expected, and
// every bad variable reported in one ConfigError.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigReader, createConfigReader, parseTogether } from "./config.ts";

const cwd = mkdtempSync(join(tmpdir(), "kernel-config-"));
writeFileSync(join(cwd, "present.json"), "{}");

/** The problems `read` records from `env`, as ConfigError's hint lines. */
function problemsOf(env: NodeJS.ProcessEnv, read: (reader: ConfigReader) => unknown): string[] {
  const reader = createConfigReader(env, { cwd });
  read(reader);
  try {
    reader.throwIfProblems();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).hints];
  }
  return [];
}

describe("createConfigReader", () => {
  it("reports every bad variable at once, in the order read, and nothing when all are good", () => {
    const env = { A: "x", B: "ftp://host", C: "7" };
    const readAll = (read: ConfigReader) => {
      read.wholeNumber("A", { min: 1, max: 5 });
      read.url("B", { kind: "http", example: "http://127.0.0.1:8545" });
      read.wholeNumber("C", { min: 1, max: 5 });
      read.url("D", { kind: "http", example: "http://127.0.0.1:8545", required: true });
    };
    const reader = createConfigReader(env, { cwd });
    readAll(reader);
    expect(() => reader.finish({})).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: Invalid configuration (4 problems).

      - A is "x": expected a whole number from 1 to 5.
      - B is "ftp://host": expected an http(s) URL such as http://127.0.0.1:8545.
      - C is "7": expected a whole number from 1 to 5.
      - D is not set: expected an http(s) URL such as http://127.0.0.1:8545.]
    `);
    expect(problemsOf({ A: "3", B: "http://x", C: "5", D: "https://y" }, readAll)).toEqual([]);
  });

  it("returns the configuration frozen, with the warnings", () => {
    const read = createConfigReader({}, { cwd });
    read.warn("something soft");
    const { config, warnings } = read.finish({ port: 1 });
    expect(config).toEqual({ port: 1 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(warnings).toEqual(["something soft"]);
  });

  it("trims values and reads a blank one as unset", () => {
    const read = createConfigReader({ A: "  hello ", B: "   " }, { cwd });
    expect(read.string("A")).toBe("hello");
    expect(read.string("B")).toBeUndefined();
    expect(read.string("C")).toBeUndefined();
    expect(read.wholeNumber("B", { min: 1, max: 2 })).toBeUndefined();
  });

  it("wholeNumber: digits only, within the range", () => {
    const read = createConfigReader({ A: " 42 ", B: "0" }, { cwd });
    expect(read.wholeNumber("A", { min: 0, max: 100 })).toBe(42);
    expect(read.wholeNumber("B", { min: 0, max: 100 })).toBe(0);
    for (const bad of ["-1", "1.5", "1e3", "0x10", "101", "9007199254740993", "lots"]) {
      expect(problemsOf({ N: bad }, (r) => r.wholeNumber("N", { min: 0, max: 100 }))).toEqual([
        `- N is ${JSON.stringify(bad)}: expected a whole number from 0 to 100.`,
      ]);
    }
  });

  it("port: 1 to 65535, or 0 too with anyFree", () => {
    expect(createConfigReader({ P: "8080" }).port("P")).toBe(8080);
    expect(createConfigReader({ P: "0" }).port("P", { anyFree: true })).toBe(0);
    expect(problemsOf({ P: "0" }, (r) => r.port("P"))).toEqual([
      '- P is "0": expected a port number from 1 to 65535.',
    ]);
    expect(problemsOf({ P: "70000" }, (r) => r.port("P", { anyFree: true }))).toEqual([
      '- P is "70000": expected a port number from 1 to 65535 (0: any free port).',
    ]);
  });

  it("url: the kind's protocols, with an example and a note; redacted in the message", () => {
    const read = createConfigReader({ U: "postgresql://db/firm" });
    expect(read.url("U", { kind: "postgres", example: "postgres://db/firm" })).toBe("postgresql://db/firm");
    expect(read.url("NONE", { kind: "redis", example: "redis://127.0.0.1:6379" })).toBeUndefined();
    expect(
      problemsOf({ U: "https://node.example.com/v3/SECRET" }, (r) =>
        r.url("U", { kind: "postgres", example: "postgres://db/firm", note: "not PGlite" }),
      ),
    ).toEqual([
      '- U is "https://node.example.com/…": expected a PostgreSQL URL such as postgres://db/firm (not PGlite).',
    ]);
    expect(
      problemsOf({ U: "not a url" }, (r) => r.url("U", { kind: "redis", example: "redis://r:6379" })),
    ).toEqual(['- U is "not a url": expected a Redis URL such as redis://r:6379.']);
  });

  it("oneOf: any case, else the fallback", () => {
    const levels = ["info", "debug"] as const;
    expect(createConfigReader({ L: "DEBUG" }).oneOf("L", levels, "info")).toBe("debug");
    expect(createConfigReader({}).oneOf("L", levels, "info")).toBe("info");
    expect(problemsOf({ L: "Loud" }, (r) => r.oneOf("L", levels, "info"))).toEqual([
      '- L is "Loud": expected one of info, debug.',
    ]);
  });

  it("matching: the pattern, described by the caller", () => {
    expect(createConfigReader({ N: "firm-1" }).matching("N", /^[a-z0-9-]+$/, "letters")).toBe("firm-1");
    expect(problemsOf({ N: "firm *" }, (r) => r.matching("N", /^[a-z0-9-]+$/, "letters"))).toEqual([
      '- N is "firm *": expected letters.',
    ]);
  });

  it("path: absolute, against the reader's folder", () => {
    expect(createConfigReader({ D: "data/x" }, { cwd }).path("D", "data/mirror")).toBe(join(cwd, "data/x"));
    expect(createConfigReader({}, { cwd }).path("D", "data/mirror")).toBe(join(cwd, "data/mirror"));
  });

  it("existingFile: set, and there; the message names the absent path and how to create one", () => {
    const manifest = {
      what: "deployment manifest",
      example: "deployments/dev.json",
      create: "deploy writes it",
    };
    expect(createConfigReader({ F: "present.json" }, { cwd }).existingFile("F", manifest)).toBe(
      join(cwd, "present.json"),
    );
    expect(problemsOf({}, (r) => r.existingFile("F", manifest))).toEqual([
      "- F is not set: expected the path of an existing deployment manifest, e.g. deployments/dev.json (deploy writes it).",
    ]);
    expect(problemsOf({ F: "absent.json" }, (r) => r.existingFile("F", manifest))).toEqual([
      `- F is "absent.json": expected the path of an existing deployment manifest, e.g. deployments/dev.json (${join(cwd, "absent.json")} does not exist; deploy writes it).`,
    ]);
  });

  it("host: an IP address or a host name, else a problem", () => {
    for (const good of ["127.0.0.1", "0.0.0.0", "::1", "localhost", "api.example.com"]) {
      expect(createConfigReader({ H: good }).host("H", "127.0.0.1")).toBe(good);
    }
    expect(createConfigReader({}).host("H", "127.0.0.1")).toBe("127.0.0.1");
    expect(problemsOf({ H: "not a host" }, (r) => r.host("H", "127.0.0.1"))).toEqual([
      '- H is "not a host": expected an IP address or host name to listen on, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).',
    ]);
  });

  it("list: comma-separated items, trimmed; the message names the first bad one", () => {
    const digits = {
      isValid: (item: string) => /^\d+$/.test(item),
      expected: (bad: string) => `digits (not ${bad})`,
    };
    expect(createConfigReader({ L: "1, 2 ,3" }).list("L", digits)).toEqual(["1", "2", "3"]);
    expect(createConfigReader({}).list("L", digits)).toBeUndefined();
    expect(problemsOf({ L: "1,x,y" }, (r) => r.list("L", digits))).toEqual([
      '- L is "1,x,y": expected digits (not x).',
    ]);
  });

  it("problem: records what no method describes, beside the others", () => {
    expect(
      problemsOf({ A: "x" }, (r) => {
        r.problem({ variable: "B", value: undefined, expected: "to be set with A" });
        r.wholeNumber("A", { min: 1, max: 2 });
      }),
    ).toEqual([
      "- B is not set: expected to be set with A.",
      '- A is "x": expected a whole number from 1 to 2.',
    ]);
  });
});

describe("parseTogether", () => {
  const parseA = (env: NodeJS.ProcessEnv) => () => {
    const read = createConfigReader(env, { cwd });
    const a = read.wholeNumber("A", { min: 1, max: 2 }) ?? 1;
    read.warn("about A");
    return read.finish({ a });
  };
  const parseB = (env: NodeJS.ProcessEnv) => () => {
    const read = createConfigReader(env, { cwd });
    return read.finish({ b: read.oneOf("B", ["x", "y"], "x") });
  };

  it("returns every parser's result, in order", () => {
    const [a, b] = parseTogether(parseA({ A: "2" }), parseB({ B: "y" }));
    expect(a).toEqual({ config: { a: 2 }, warnings: ["about A"] });
    expect(b).toEqual({ config: { b: "y" }, warnings: [] });
  });

  it("reports the bad variables of every parser in one ConfigError", () => {
    const env = { A: "3", B: "z" };
    expect(() => parseTogether(parseA(env), parseB(env))).toThrow(ConfigError);
    try {
      parseTogether(parseA(env), parseB(env));
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(["A", "B"]);
    }
  });
});

// The one reader of configuration from environment variables, for every stage (the indexer, the API,
// `npm start` and the CLI). Each method reads one kind of value; a bad value is recorded as a problem
// instead of thrown, so a parser reads every variable and then reports all the bad ones in one
// ConfigError: an operator fixes the whole environment in one go, not one variable per restart. Each
// kind of value is described in one wording wherever it is read ("a whole number from 1 to 256").
import { existsSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";
import { FatalError, redactUrls } from "./errors.ts";

/** One environment variable with a bad value. */
export interface ConfigProblem {
  variable: string;
  value: string | undefined;
  expected: string;
}

/** The environment failed validation; lists every bad variable at once, not just the first. */
export class ConfigError extends FatalError {
  override name = "ConfigError";
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      problems.length === 1
        ? "Invalid configuration."
        : `Invalid configuration (${problems.length} problems).`,
      { hints: problems.map(describeProblem) },
    );
    this.problems = problems;
  }
}

function describeProblem({ variable, value, expected }: ConfigProblem): string {
  const shown = value === undefined ? "is not set" : `is ${JSON.stringify(redactUrls(value))}`;
  return `- ${variable} ${shown}: expected ${expected}.`;
}

/** What a parser returns: the configuration, frozen, and soft problems for the caller to log as warnings. */
export interface ParsedConfig<T> {
  config: Readonly<T>;
  warnings: string[];
}

/** The kinds of URL a variable can hold, each with the protocols it admits and its name in messages. */
export const URL_KINDS = {
  http: { protocols: ["http:", "https:"], described: "an http(s) URL" },
  postgres: { protocols: ["postgres:", "postgresql:"], described: "a PostgreSQL URL" },
  redis: { protocols: ["redis:", "rediss:"], described: "a Redis URL" },
} as const satisfies Record<string, { protocols: readonly string[]; described: string }>;

export interface UrlOptions {
  kind: keyof typeof URL_KINDS;
  /** A good value, for the message: "an http(s) URL such as <example>". */
  example: string;
  /** Said after the example, in parentheses: why this kind, or what the URL is for. */
  note?: string;
}

export interface ExistingFileOptions {
  /** What the file is: "deployment manifest". */
  what: string;
  /** A typical path: "deployments/dev.json". */
  example: string;
  /** How to get one: "`npx firm deploy` writes it". */
  create: string;
}

export interface ListOptions {
  /** Whether one comma-separated item is good. */
  isValid: (item: string) => boolean;
  /** What was expected, given the first bad item. */
  expected: (badItem: string) => string;
}

export interface ConfigReader {
  /** The value, trimmed; undefined when the variable is unset or blank (as every method reads it). */
  string(name: string): string | undefined;
  /** A URL of `kind`; with `required`, an unset variable is a problem too. */
  url(name: string, options: UrlOptions & { required: true }): string;
  url(name: string, options: UrlOptions): string | undefined;
  /** Digits only (no sign, point or exponent), from `min` to `max`. */
  wholeNumber(name: string, range: { min: number; max: number }): number | undefined;
  /** A TCP port from 1 to 65535; with `anyFree`, 0 too (the system picks a free one). */
  port(name: string, options?: { anyFree?: boolean }): number | undefined;
  /** One of `allowed`, in any case (LOG_LEVEL=DEBUG reads as "debug"). */
  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  /** A value matching `pattern`; `expected` describes it. */
  matching(name: string, pattern: RegExp, expected: string): string | undefined;
  /** A path, absolute (resolved against the reader's `cwd`). */
  path(name: string, fallback: string): string;
  /** The absolute path of a file that exists; unset or missing is a problem. */
  existingFile(name: string, options: ExistingFileOptions): string;
  /** An IP address or host name to listen on. */
  host(name: string, fallback: string): string;
  /** Comma-separated items, each trimmed and checked. */
  list(name: string, options: ListOptions): string[] | undefined;
  /** Records a problem no method describes (one variable that needs another, say). */
  problem(problem: ConfigProblem): void;
  /** Records a soft problem: said, but the configuration stands. */
  warn(warning: string): void;
  /** @throws {ConfigError} listing every problem recorded so far, if any. */
  throwIfProblems(): void;
  /**
   * The parser's result: `config` frozen, with the warnings.
   * @throws {ConfigError} listing every problem recorded, if any.
   */
  finish<T extends object>(config: T): ParsedConfig<T>;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const MAX_PORT = 65_535;

/**
 * Creates a reader of `env`. Methods return the value, or undefined (or a placeholder) when it is bad:
 * a parser calls `finish` before the configuration is used, which throws if anything was bad.
 *
 * @example
 * const read = createConfigReader(process.env);
 * const rpcUrl = read.url("RPC_URL", { kind: "http", example: "http://127.0.0.1:8545", required: true });
 * const concurrency = read.wholeNumber("RPC_CONCURRENCY", { min: 1, max: 256 }) ?? 4;
 * read.throwIfProblems();
 * if (concurrency > 64) read.warn("RPC_CONCURRENCY above 64 may trip the provider's rate limit.");
 * const { config, warnings } = read.finish({ rpcUrl, concurrency });
 */
export function createConfigReader(
  env: NodeJS.ProcessEnv,
  { cwd = process.cwd() }: { cwd?: string } = {},
): ConfigReader {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];

  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const problem = (recorded: ConfigProblem) => {
    problems.push(recorded);
  };

  /** The value when `isValid` says so; otherwise a problem, and undefined. */
  function checked(name: string, isValid: (value: string) => boolean, expected: string) {
    const value = text(name);
    if (value === undefined || isValid(value)) return value;
    problem({ variable: name, value, expected });
    return undefined;
  }

  function url(name: string, { kind, example, note, required }: UrlOptions & { required?: boolean }) {
    const { protocols, described } = URL_KINDS[kind];
    const expected = `${described} such as ${example}${note ? ` (${note})` : ""}`;
    if (required && text(name) === undefined) {
      problem({ variable: name, value: undefined, expected });
      return "";
    }
    const isValid = (value: string) =>
      URL.canParse(value) && (protocols as readonly string[]).includes(new URL(value).protocol);
    return checked(name, isValid, expected) ?? (required ? "" : undefined);
  }

  function wholeNumber(name: string, { min, max }: { min: number; max: number }, expected?: string) {
    const isValid = (value: string) => {
      const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      return Number.isSafeInteger(parsed) && parsed >= min && parsed <= max;
    };
    const value = checked(name, isValid, expected ?? `a whole number from ${min} to ${max}`);
    return value === undefined ? undefined : Number(value);
  }

  function port(name: string, { anyFree = false }: { anyFree?: boolean } = {}) {
    const expected = `a port number from 1 to ${MAX_PORT}${anyFree ? " (0: any free port)" : ""}`;
    return wholeNumber(name, { min: anyFree ? 0 : 1, max: MAX_PORT }, expected);
  }

  function oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = text(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if ((allowed as readonly string[]).includes(lower)) return lower as T;
    problem({ variable: name, value, expected: `one of ${allowed.join(", ")}` });
    return fallback;
  }

  function existingFile(name: string, { what, example, create }: ExistingFileOptions): string {
    const value = text(name);
    const path = value === undefined ? "" : resolve(cwd, value);
    const absent = value === undefined ? "" : `${path} does not exist; `;
    if (value === undefined || !existsSync(path)) {
      problem({
        variable: name,
        value,
        expected: `the path of an existing ${what}, e.g. ${example} (${absent}${create})`,
      });
    }
    return path;
  }

  function host(name: string, fallback: string): string {
    const isValid = (value: string) => isIP(value) !== 0 || HOSTNAME.test(value);
    const expected =
      "an IP address or host name to listen on, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)";
    return checked(name, isValid, expected) ?? fallback;
  }

  function list(name: string, { isValid, expected }: ListOptions): string[] | undefined {
    const value = text(name);
    if (value === undefined) return undefined;
    const items = value.split(",").map((item) => item.trim());
    const bad = items.find((item) => !isValid(item));
    if (bad === undefined) return items;
    problem({ variable: name, value, expected: expected(bad) });
    return undefined;
  }

  function throwIfProblems(): void {
    if (problems.length > 0) throw new ConfigError(problems);
  }

  return {
    string: text,
    url: url as ConfigReader["url"],
    wholeNumber: (name, range) => wholeNumber(name, range),
    port,
    oneOf,
    matching: (name, pattern, expected) => checked(name, (value) => pattern.test(value), expected),
    path: (name, fallback) => resolve(cwd, text(name) ?? fallback),
    existingFile,
    host,
    list,
    problem,
    warn: (warning) => {
      warnings.push(warning);
    },
    throwIfProblems,
    finish(config) {
      throwIfProblems();
      return { config: Object.freeze(config), warnings: [...warnings] };
    },
  };
}

/**
 * Runs several parsers of one environment (the indexer's and the webhooks', say) and reports every
 * bad variable of all of them in one ConfigError, as one parser would: a process whose settings come
 * from two modules still says everything wrong in one go.
 *
 * @throws {ConfigError} listing the problems of every parser that had any.
 * @example
 * const [indexer, webhooks] = parseTogether(() => parseConfig(env), () => parseWebhookConfig(env));
 */
export function parseTogether<const Parsers extends readonly (() => ParsedConfig<object>)[]>(
  ...parsers: Parsers
): { [K in keyof Parsers]: ReturnType<Parsers[K]> } {
  const results: ParsedConfig<object>[] = [];
  const problems: ConfigProblem[] = [];
  for (const parse of parsers) {
    try {
      results.push(parse());
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return results as { [K in keyof Parsers]: ReturnType<Parsers[K]> };
}

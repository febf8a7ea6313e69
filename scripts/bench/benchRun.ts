// What every benchmark script shares: progress lines on stderr stamped with the time since start,
// the report on stdout, phases with a start and an end line, a work folder whose logs outlive a
// failure, and the machine's load average (benchmarks on a shared machine must say how busy it was).
import { mkdirSync, mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { zeroAddress } from "viem";
import { CONTRACT_NAMES, MANIFEST_VERSION, type Manifest } from "../../contracts/manifest.ts";

export interface BenchRun {
  /** A line on stderr, prefixed with [mm:ss] since the run began. */
  progress(line: string): void;
  /** A line of the report on stdout. */
  out(line?: string): void;
  /** Runs `work` between a start line and an end line with its duration (and `summary`, if given). */
  phase<T>(name: string, work: () => Promise<T>, summary?: (result: T) => string): Promise<T>;
  /** The run's temporary folder, and its `logs` folder inside. */
  workDir: string;
  logDir: string;
  /** The load average when the run began. */
  loadBefore: number[];
  /** Whole seconds since the run began. */
  seconds(): number;
}

/**
 * Starts a benchmark run: makes its work folder and prints the load average and where the logs go.
 *
 * @example
 * const run = startBenchRun("bench-api");
 * const chain = await run.phase("Building the chain", () => build(), (c) => `${c.events} events`);
 * run.out("| query | p50 |");
 */
export function startBenchRun(name: string): BenchRun {
  const startedAt = performance.now();
  const seconds = () => Math.round((performance.now() - startedAt) / 1000);
  const elapsed = () => {
    const s = seconds();
    return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  };
  const progress = (line: string) => void process.stderr.write(`[${elapsed()}] ${line}\n`);
  const workDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const logDir = join(workDir, "logs");
  mkdirSync(logDir);
  const loadBefore = loadavg();
  progress(
    `Load average ${fmtLoad(loadBefore)} on ${cpus().length} CPUs; logs in ${logDir} (kept on failure)`,
  );
  return {
    progress,
    out: (line = "") => void process.stdout.write(`${line}\n`),
    async phase(phaseName, work, summary) {
      progress(`${phaseName}…`);
      const started = performance.now();
      const result = await work();
      const took = ((performance.now() - started) / 1000).toFixed(1);
      progress(`${phaseName}: done in ${took} s${summary ? ` (${summary(result)})` : ""}`);
      return result;
    },
    workDir,
    logDir,
    loadBefore,
    seconds,
  };
}

/** "1.20 / 0.90 / 0.70": the 1, 5 and 15 minute load averages. */
export function fmtLoad(load: number[]): string {
  return load.map((l) => l.toFixed(2)).join(" / ");
}

/**
 * A bench flag's integer, from `min` to `max`; a bad value throws an error naming the flag, which each
 * bench reports its own way (api.ts with its usage).
 */
export function integerFlag(flag: string, raw: unknown, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new Error(
      `${flag} ${String(raw)}: expected an integer ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}`,
    );
  return value;
}

/**
 * The `q` quantile (0.99 for p99) of latencies sorted ascending, in ms rounded to hundredths: the
 * nearest-rank value, so a p99 of 300 samples is the 297th, never an interpolation.
 */
export function percentileMs(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 100) / 100;
}

/** A manifest for an API served from a synthetic mirror: no chain behind it, every address zero. */
export function syntheticManifest(name: string): Manifest {
  return {
    version: MANIFEST_VERSION,
    name,
    chainId: 31337,
    startBlock: 0,
    deployedAt: new Date(0).toISOString(),
    contracts: Object.fromEntries(
      CONTRACT_NAMES.map((contract) => [contract, zeroAddress]),
    ) as unknown as Manifest["contracts"],
    abis: "",
    parameters: {},
  };
}

/**
 * A bench's flags, parsed strictly, with `--json` and `--help` added: --help prints `usage` and exits
 * 0; a bad flag, or a `check` that throws, prints the problem and `usage` on stderr and exits 2.
 *
 * @example
 * const { values, json } = readBenchFlags("bench:books", USAGE, { requests: { type: "string", default: "300" } }, (v) => v);
 */
export function readBenchFlags<T>(
  name: string,
  usage: string,
  options: ParseArgsConfig["options"],
  check: (values: Record<string, string | boolean | undefined>) => T,
): T & { json: boolean } {
  try {
    const { values } = parseArgs({
      options: {
        ...options,
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return { ...check(values as Record<string, string | boolean | undefined>), json: Boolean(values.json) };
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    process.exit(2);
  }
}

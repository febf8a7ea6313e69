// The project's logger (indexer, API, CLI and dev stack), and the only code that writes to the console. pino, called with an object
// first: `logger.info({ msg: "Indexed block range", fromBlock, toBlock, events, durationMs })`.
// Lines are JSON when the output is not a terminal (for log shippers), and a short human format on a
// terminal, where a long backfill also shows a progress bar on the bottom line. The bar and the log
// lines share one writer, so a log line never lands in the middle of the bar.
import { type Logger, pino } from "pino";
import { serializeError } from "./errors.ts";

export type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CreateLoggerParameters {
  level?: LogLevel;
  /** Human-readable lines (and the progress bar) instead of JSON; defaults to "stream is a TTY". */
  pretty?: boolean;
  /** Where lines go; JSON defaults to stdout, pretty output to stderr (beside the progress bar). */
  stream?: NodeJS.WritableStream;
}

const TERMINAL = Symbol("terminal");
type LoggerWithTerminal = Logger & { [TERMINAL]?: Terminal };

/**
 * Creates the process's root logger; give each stage a child (`logger.child({ stage: "backfill" })`).
 *
 * @example
 * const logger = createLogger({ level: config.logLevel });
 * logger.info({ msg: "Indexer started", chainId });
 */
export function createLogger({ level = "info", pretty, stream }: CreateLoggerParameters = {}): Logger {
  const options = { level, serializers: { err: serializeError }, base: undefined };
  const usePretty = pretty ?? isTerminal(stream);
  if (!usePretty) return pino(options, stream ?? process.stdout);
  const terminal = createTerminal(stream ?? process.stderr);
  const logger: LoggerWithTerminal = pino(options, {
    write: (line: string) => terminal.writeLine(formatPretty(JSON.parse(line) as PinoRecord)),
  });
  // Children inherit this through pino's prototype chain, so any stage can reach the bar.
  logger[TERMINAL] = terminal;
  return logger;
}

/** A given stream decides for itself; by default both stdout and stderr must be a terminal, so that
 * `indexer > log.json` or a log shipper on stdout gets JSON even when stderr is a terminal. */
function isTerminal(stream: NodeJS.WritableStream | undefined): boolean {
  if (stream) return Boolean((stream as NodeJS.WriteStream).isTTY);
  return Boolean(process.stdout.isTTY && process.stderr.isTTY);
}

// ---------------------------------------------------------------------------------------------
// Terminal: log lines above, one status line (the progress bar) at the bottom

interface Terminal {
  writeLine(line: string): void;
  setStatus(status: string | undefined): void;
}

function createTerminal(stream: NodeJS.WritableStream): Terminal {
  let status: string | undefined;
  // "\r\x1b[2K" returns to the line's start and erases it, so the bar can be redrawn in place.
  const clearStatus = () => (status === undefined ? "" : "\r\x1b[2K");
  return {
    writeLine(line) {
      stream.write(`${clearStatus()}${line}\n${status ?? ""}`);
    },
    setStatus(next) {
      stream.write(`${clearStatus()}${next ?? ""}`);
      status = next;
    },
  };
}

interface PinoRecord {
  level: number;
  time: number;
  msg?: string;
  stage?: string;
  err?: Record<string, unknown>;
  [field: string]: unknown;
}

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO ",
  40: "WARN ",
  50: "ERROR",
  60: "FATAL",
};
const LEVEL_COLORS: Record<number, string> = { 10: "90", 20: "36", 30: "32", 40: "33", 50: "31", 60: "35" };

function formatPretty({
  level,
  time,
  msg,
  stage,
  err,
  pid: _pid,
  hostname: _host,
  ...fields
}: PinoRecord): string {
  const clock = new Date(time).toISOString().slice(11, 23);
  const levelName = `\x1b[${LEVEL_COLORS[level] ?? "0"}m${LEVEL_NAMES[level] ?? level}\x1b[0m`;
  const where = stage ? `\x1b[90m${stage.padEnd(8)}\x1b[0m ` : "";
  const extras = Object.entries(fields)
    .map(
      ([key, value]) => `\x1b[90m${key}=\x1b[0m${typeof value === "string" ? value : JSON.stringify(value)}`,
    )
    .join(" ");
  const lines = [`${clock} ${levelName} ${where}${msg ?? ""}${extras ? ` ${extras}` : ""}`];
  if (err) lines.push(...formatErrorLines(err));
  return lines.join("\n");
}

function formatErrorLines(err: Record<string, unknown>, indent = "  "): string[] {
  const lines = [`${indent}${err.type ?? "Error"}: ${err.message}`];
  for (const hint of (err.hints as string[] | undefined) ?? []) lines.push(`${indent}  ${hint}`);
  if (typeof err.stack === "string")
    lines.push(
      ...err.stack
        .split("\n")
        .slice(1, 6)
        .map((l) => `${indent}${l}`),
    );
  if (err.cause) lines.push(...formatErrorLines(err.cause as Record<string, unknown>, `${indent}  `));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Progress

export interface Progress {
  /** Reports that the work reached `doneBlocks` of `totalBlocks`, with `events` applied so far. */
  update(doneBlocks: number, events: number): void;
  /** Removes the bar (on a terminal). */
  finish(): void;
}

/** Redraws at most 10 times a second: smooth to the eye, negligible cost. */
const BAR_REDRAW_MS = 100;
/** Without a terminal, one progress line every 10 s keeps a JSON log informative but short. */
const LOG_PROGRESS_EVERY_MS = 10_000;
/** Rates are averaged over the last 10 s, so the ETA follows the current speed, not the start's. */
const RATE_WINDOW_MS = 10_000;
const BAR_WIDTH = 24;

/**
 * A progress report for `totalBlocks` blocks: a bar with blocks, events per second and an ETA on a
 * terminal, a "Backfill progress" log line every 10 s otherwise.
 */
export function createProgress(logger: Logger, label: string, totalBlocks: number): Progress {
  const terminal = (logger as LoggerWithTerminal)[TERMINAL];
  const rate = createRateWindow();
  rate.add(Date.now(), 0, 0);
  // A log line only once the work has run for a while: a short backfill needs no progress report.
  let lastDraw = terminal ? 0 : Date.now();
  return {
    update(doneBlocks, events) {
      const now = Date.now();
      rate.add(now, doneBlocks, events);
      const interval = terminal ? BAR_REDRAW_MS : LOG_PROGRESS_EVERY_MS;
      const finalFrame = terminal !== undefined && doneBlocks >= totalBlocks;
      if (now - lastDraw < interval && !finalFrame) return;
      lastDraw = now;
      const { blocksPerSecond, eventsPerSecond } = rate.current();
      const etaSeconds = blocksPerSecond > 0 ? (totalBlocks - doneBlocks) / blocksPerSecond : undefined;
      if (terminal) terminal.setStatus(drawBar(label, doneBlocks, totalBlocks, eventsPerSecond, etaSeconds));
      else
        logger.info({
          msg: `${label} progress`,
          doneBlocks,
          totalBlocks,
          eventsPerSecond: Math.round(eventsPerSecond),
          etaSeconds: etaSeconds === undefined ? null : Math.round(etaSeconds),
        });
    },
    finish() {
      terminal?.setStatus(undefined);
    },
  };
}

function drawBar(label: string, done: number, total: number, eventsPerSecond: number, eta?: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const counts = `${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} blocks`;
  const speed = `${Math.round(eventsPerSecond).toLocaleString("en-US")} events/s`;
  return `${label} ${bar} ${percent} ${counts} · ${speed} · ETA ${formatDuration(eta)}`;
}

function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "--";
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function createRateWindow() {
  const samples: { time: number; blocks: number; events: number }[] = [];
  return {
    add(time: number, blocks: number, events: number) {
      samples.push({ time, blocks, events });
      while (samples.length > 2 && time - samples[0]!.time > RATE_WINDOW_MS) samples.shift();
    },
    current() {
      const first = samples[0];
      const last = samples[samples.length - 1];
      const seconds = first && last ? (last.time - first.time) / 1000 : 0;
      if (!first || !last || seconds <= 0) return { blocksPerSecond: 0, eventsPerSecond: 0 };
      return {
        blocksPerSecond: (last.blocks - first.blocks) / seconds,
        eventsPerSecond: (last.events - first.events) / seconds,
      };
    },
  };
}

import { PassThrough } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RetryableError } from "./errors.ts";
import { createLogger, createProgress } from "./logger.ts";

/** A stream that collects what is written, optionally pretending to be a terminal. */
function capture(isTTY = false) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { stream, text: () => text };
}

/** pino writes asynchronously through its stream; wait a turn for the data event. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe("createLogger", () => {
  it("writes one JSON object per line, message and stable fields, with the stage of a child", async () => {
    const out = capture();
    const logger = createLogger({ level: "info", pretty: false, stream: out.stream });
    logger
      .child({ stage: "live" })
      .info({ msg: "Indexed block range", fromBlock: 5, toBlock: 9, events: 3, durationMs: 2 });
    logger.debug({ msg: "Not shown at info" });
    await flush();
    const lines = out
      .text()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      stage: "live",
      msg: "Indexed block range",
      fromBlock: 5,
      toBlock: 9,
      events: 3,
    });
  });

  it("logs errors with hints and cause, and never an RPC URL's secret", async () => {
    const out = capture();
    const logger = createLogger({ pretty: false, stream: out.stream });
    const cause = new Error("request to https://node.example.com/v2/SECRET failed");
    logger.warn({
      msg: "Sync paused",
      err: new RetryableError("The node is away.", { hints: ["Wait."], cause }),
    });
    await flush();
    expect(out.text()).not.toContain("SECRET");
    expect(JSON.parse(out.text()).err).toMatchObject({
      type: "RetryableError",
      message: "The node is away.",
      hints: ["Wait."],
      cause: { message: "request to https://node.example.com/… failed" },
    });
  });

  it("prints short human lines on a terminal", async () => {
    const out = capture(true);
    const logger = createLogger({ stream: out.stream });
    logger.child({ stage: "backfill" }).info({ msg: "Backfill started", fromBlock: 1, toBlock: 100 });
    await flush();
    const plain = stripVTControlCharacters(out.text());
    expect(plain).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}backfill Backfill started fromBlock=1 toBlock=100\n$/,
    );
  });
});

describe("createProgress", () => {
  it("draws a bar with blocks, events per second and an ETA on a terminal, and clears it at the end", async () => {
    vi.useFakeTimers({ now: 0 });
    const out = capture(true);
    const logger = createLogger({ stream: out.stream });
    const progress = createProgress(logger, "Backfill", 1_000);
    vi.setSystemTime(2_000);
    progress.update(250, 500);
    const plain = stripVTControlCharacters(out.text()).replace("\r", "");
    expect(plain).toBe("Backfill ██████░░░░░░░░░░░░░░░░░░  25% 250/1,000 blocks · 250 events/s · ETA 6s");
    progress.finish();
    expect(out.text().endsWith("\r\x1b[2K")).toBe(true);
  });

  it("without a terminal, logs a progress line every 10 s and nothing for a short run", async () => {
    vi.useFakeTimers({ now: 0 });
    const out = capture(false);
    const logger = createLogger({ pretty: false, stream: out.stream });
    const progress = createProgress(logger, "Backfill", 1_000);
    vi.setSystemTime(5_000);
    progress.update(100, 10);
    vi.setSystemTime(10_001);
    progress.update(200, 20);
    vi.useRealTimers();
    await flush();
    const lines = out
      .text()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: "Backfill progress",
      doneBlocks: 200,
      totalBlocks: 1_000,
      eventsPerSecond: 2,
      etaSeconds: 40,
    });
  });
});

import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { createLogger } from "./logger.ts";
import { handleShutdownSignals, ShutdownSignal, sleep } from "./shutdown.ts";

const logger = createLogger({ level: "silent", pretty: false });

describe("handleShutdownSignals", () => {
  it("asks for a graceful stop on the first signal and exits at once on the second", () => {
    const signals = new EventEmitter();
    const onShutdown = vi.fn();
    const exit = vi.fn();
    const remove = handleShutdownSignals({
      logger,
      onShutdown,
      exit,
      target: signals as unknown as NodeJS.Process,
    });
    signals.emit("SIGTERM", "SIGTERM");
    expect(onShutdown).toHaveBeenCalledOnce();
    expect(exit).not.toHaveBeenCalled();
    signals.emit("SIGINT", "SIGINT");
    expect(exit).toHaveBeenCalledWith(130);
    remove();
    expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
  });
});

describe("sleep", () => {
  it("waits, or ends early with ShutdownSignal when aborted", async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(ShutdownSignal);
    await expect(sleep(1, controller.signal)).rejects.toBeInstanceOf(ShutdownSignal);
  });
});

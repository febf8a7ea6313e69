// `firm index`: runs the indexer on its own, configured from the environment (see the README).
// With REDIS_URL set, every committed range is published on Redis so that the API processes'
// subscriptions (firm serve) hear it.
import { runIndexerProcess } from "../../indexer/indexer.ts";
import { openMirrorStore } from "../../indexer/openMirror.ts";
import { parseCommandArgs } from "./lib/args.ts";

/** `firm index` */
export async function run(args: string[]): Promise<number> {
  parseCommandArgs(args, {}, { usage: "index" });
  return indexCommand();
}

/** Runs the indexer until SIGINT/SIGTERM or a fatal fault; returns the process exit code. */
export async function indexCommand(): Promise<number> {
  const redisUrl = process.env.REDIS_URL?.trim() || undefined;
  // Imported only when used: without REDIS_URL the indexer need not load a Redis client at start.
  const bus = redisUrl
    ? await (await import("../../api/createCommitBus.ts")).createCommitBus({ redisUrl })
    : undefined;
  try {
    return await runIndexerProcess({
      createStore: (config, manifest) => openMirrorStore(config, manifest),
      onCommit: bus ? (notice) => void bus.publish(notice) : undefined,
    });
  } finally {
    await bus?.close();
  }
}

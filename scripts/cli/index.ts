// `firm index`: runs the indexer on its own, configured from the environment (see the README).
// With REDIS_URL set, every committed range is published on Redis so that the API processes'
// subscriptions (firm serve) hear it, on the deployment's channel (REDIS_NAMESPACE, or the namespace
// derived from the chain and the governor, as the API derives it).
import type { CommitBus } from "../../api/createCommitBus.ts";
import { deploymentRedisNamespace } from "../../indexer/config.ts";
import { runIndexerProcess } from "../../indexer/indexer.ts";
import { openMirrorStore } from "../../indexer/openMirror.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { loadManifest, readCliEnv, withCliDefaults } from "./lib/env.ts";

/** `firm index` */
export async function run(args: string[]): Promise<number> {
  parseCommandArgs(args, {}, { usage: "index" });
  return indexCommand();
}

/** Runs the indexer until SIGINT/SIGTERM or a fatal fault; returns the process exit code. */
export async function indexCommand(): Promise<number> {
  // A missing manifest is said as every other command says it, before the indexer's own start-up.
  loadManifest(readCliEnv());
  const redisUrl = process.env.REDIS_URL?.trim() || undefined;
  let bus: CommitBus | undefined;
  try {
    return await runIndexerProcess({
      env: withCliDefaults(),
      // The bus opens here, where the validated config and the manifest that name its channel are
      // known; a Redis that cannot be reached then fails the start like an unreachable database.
      createStore: async (config, manifest) => {
        if (redisUrl) {
          // Imported only when used: without REDIS_URL the indexer need not load a Redis client.
          const { createCommitBus } = await import("../../api/createCommitBus.ts");
          const namespace = deploymentRedisNamespace(manifest, config.redisNamespace);
          bus = await createCommitBus({ redisUrl, namespace });
        }
        return openMirrorStore(config, manifest);
      },
      onCommit: redisUrl ? (notice) => void bus?.publish(notice) : undefined,
    });
  } finally {
    await bus?.close();
  }
}

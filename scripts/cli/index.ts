// `firm index`: runs the indexer on its own, configured from the environment (see the README).
import { runIndexerProcess } from "../../indexer/indexer.ts";
import { openMirrorStore } from "../../indexer/openMirror.ts";

/** Runs the indexer until SIGINT/SIGTERM or a fatal fault; returns the process exit code. */
export function indexCommand(): Promise<number> {
  return runIndexerProcess({ createStore: (config, manifest) => openMirrorStore(config, manifest) });
}

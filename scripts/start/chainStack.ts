// `npm start` pointed at a real chain (RPC_URL and DEPLOYMENT set): no chain of its own and no seed,
// only the indexer and the API over a mirror that persists and resumes from its checkpoint.
import { createPublicClient, http, type PublicClient } from "viem";
import type { Manifest } from "../../contracts/manifest.ts";
import type { Config } from "../../indexer/config.ts";
import type { WebhookConfig } from "../../indexer/notify/config.ts";
import { openMirrorDatabase } from "../../indexer/openMirror.ts";
import type { Logger } from "../../kernel/logger.ts";
import { assertPortsFree, type WantedPort } from "./ports.ts";
import { type ServedMirror, serveMirror } from "./serveMirror.ts";

export interface ChainStack {
  graphqlUrl: string;
  webUrl: string;
  served: ServedMirror;
  /** Where the mirror lives, for the banner (PostgreSQL URLs are not shown). */
  mirror: string;
  stop(): Promise<void>;
}

export interface StartChainStackParameters {
  config: Readonly<Config>;
  manifest: Manifest;
  api: WantedPort;
  webhooks?: WebhookConfig | undefined;
  logger: Logger;
}

/** Opens the mirror (migrating it if needed, keeping its data) and starts the indexer and the API. */
export async function startChainStack({
  config,
  manifest,
  api,
  webhooks,
  logger,
}: StartChainStackParameters): Promise<ChainStack> {
  await assertPortsFree([api]);
  const db = await openMirrorDatabase(config);
  const publicClient = createPublicClient({ transport: http(config.rpcUrl) }) as PublicClient;
  let served: ServedMirror;
  try {
    served = await serveMirror({ db, manifest, config, publicClient, api, webhooks, logger });
  } catch (error) {
    await db.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    graphqlUrl: `${served.api.origin}/graphql`,
    webUrl: `${served.api.origin}/`,
    served,
    mirror: config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `${config.dataDir} (PGlite)`,
    stop() {
      stopping ??= served.stop().finally(() => db.close());
      return stopping;
    },
  };
}

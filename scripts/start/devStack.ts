// The embedded dev stack behind `npm start`: a dev chain (Hardhat EDR) served over JSON-RPC, the firm
// deployed with the Ignition module and seeded through real proposals, the chain indexed into a PGlite
// mirror that is reset at each start (the chain is new each time), and the API and web page over it.
//
// Stages overlap where they can: the mirror (PGlite, the indexer and the API) lives on a worker thread
// that creates it while the main thread starts the chain, deploys and seeds (mirrorThread.ts). Modules
// load when a stage needs them, so the worker starts before Hardhat has even loaded.
import { existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import { rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Manifest } from "../../contracts/manifest.ts";
import type { AuditMirrorReturnType } from "../../indexer/audit/audit.ts";
import { assertDataFolderFree } from "../../indexer/store/folderLock.ts";
import { BaseError } from "../../kernel/errors.ts";
import type { LogLevel } from "../../kernel/logger.ts";
import { DEV_DEFAULTS } from "./config.ts";
import type { DevChain } from "./devChain.ts";
import { type MirrorThread, startMirrorThread } from "./mirrorThread.ts";
import { assertPortsFree, startPorts } from "./ports.ts";
import type { DemoAccounts } from "./seedDemoFirm.ts";

export interface DevStack {
  rpcUrl: string;
  graphqlUrl: string;
  webUrl: string;
  manifestPath: string;
  manifest: Manifest;
  accounts: DemoAccounts;
  openProposalId: bigint;
  /** From `startedAt` (default: the call) to ready: the seeded firm indexed and the API answering. */
  readyMs: number;
  /** Each start-up stage and how long it took, in the order they finished. */
  stages: StageTiming[];
  /** The mirror's PGlite folder. */
  dataDir: string;
  /** `firm audit`'s check, run where the mirror is open: every drift between the mirror and the chain. */
  audit(): Promise<AuditMirrorReturnType>;
  /** Rejects if the indexer stops by itself with a fatal fault after start-up. */
  failure: Promise<never>;
  /** Stops the API, the indexer, the mirror (closed) and the chain server; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartDevStackOptions {
  /** The JSON-RPC port; 0 picks a free one. Default 8545. */
  rpcPort?: number;
  /** The API and web page's port; 0 picks a free one. Default 4000. */
  apiPort?: number;
  /** The interface both listen on. Default 127.0.0.1. */
  host?: string;
  /** The mirror's PGlite folder, emptied at start. Default data/mirror (as for `firm index`). */
  dataDir?: string;
  /** Where the deployment manifest is written. Default deployments/dev.json (the CLI's default). */
  manifestPath?: string;
  /** Receives one line per finished stage, e.g. "  ✓ contracts deployed (Ignition)   0.5 s". */
  log?: (line: string) => void;
  /** The indexer's and the API's log level (on stderr). Default silent. */
  logLevel?: LogLevel;
  /** Human log lines rather than JSON. Default: whether stderr is a terminal. */
  prettyLogs?: boolean;
  /** performance.now() of the moment readyMs counts from (0: the process's start). */
  startedAt?: number;
  /** Aborts start-up: what has started is stopped and the promise rejects. */
  signal?: AbortSignal;
}

export interface StageTiming {
  stage: string;
  ms: number;
}

/** Live following polls this often: a dev chain mines only on demand, and a CLI user waits for it. */
const DEV_POLL_INTERVAL_MS = 250;

/**
 * Starts the whole dev stack and resolves when it is ready.
 *
 * @example
 * const stack = await startDevStack({ rpcPort: 0, apiPort: 0, dataDir: tmp, manifestPath: `${tmp}/dev.json` });
 * await fetch(stack.graphqlUrl, { method: "POST", … });
 * await stack.stop();
 */
export async function startDevStack(options: StartDevStackOptions = {}): Promise<DevStack> {
  const startedAt = options.startedAt ?? performance.now();
  const host = options.host ?? DEV_DEFAULTS.host;
  const dataDir = resolve(options.dataDir ?? DEV_DEFAULTS.dataDir);
  const manifestPath = resolve(options.manifestPath ?? DEV_DEFAULTS.manifestPath);
  const log = options.log ?? (() => {});
  const { rpc, api } = startPorts({
    host,
    rpcPort: options.rpcPort ?? DEV_DEFAULTS.rpcPort,
    apiPort: options.apiPort ?? DEV_DEFAULTS.apiPort,
  });
  const stages: StageTiming[] = [];
  const record = (stage: string, ms: number) => {
    stages.push({ stage, ms });
    log(`  ✓ ${stage.padEnd(44)} ${(ms / 1000).toFixed(1).padStart(5)} s`);
  };
  const timed = async <T>(stage: string, work: () => Promise<T>, since = performance.now()): Promise<T> => {
    const result = await work();
    record(stage, performance.now() - since);
    return result;
  };
  const aborted = new Promise<never>((_, reject) => {
    options.signal?.addEventListener("abort", () => reject(options.signal?.reason), { once: true });
  });
  aborted.catch(() => {});
  /** Waits for `work`, unless start-up is aborted or the mirror's thread fails first. */
  const until = <T>(work: Promise<T>, mirror: MirrorThread) => Promise.race([work, aborted, mirror.failure]);

  let mirror: MirrorThread | undefined;
  // Kept as a promise: a start-up aborted while the chain starts must still close it once it has.
  let chainStarting: Promise<DevChain> | undefined;
  let previousMirror: Promise<void> | undefined;
  // The indexer stops before the chain it reads from, and the old mirror's deletion is awaited last.
  const stopAll = async () => {
    await mirror?.stop().catch(() => {});
    await chainStarting?.then((chain) => chain.close()).catch(() => {});
    await previousMirror?.catch(() => {});
  };

  try {
    options.signal?.throwIfAborted();
    await assertPortsFree([rpc, api]);
    const reset = resetMirrorFolder(dataDir);
    previousMirror = reset.deleted;
    log(
      reset.hadMirror
        ? `  ✓ mirror reset: ${dataDir} (the dev chain is new at each start, so is its mirror)`
        : `  ✓ mirror folder: ${dataDir} (reset at each start: the dev chain is new each time)`,
    );
    const thread = startMirrorThread({
      dataDir,
      logLevel: options.logLevel ?? "silent",
      prettyLogs: options.prettyLogs ?? Boolean(process.stderr.isTTY),
    });
    mirror = thread;
    const mirrorOpened = timed("mirror created (PGlite, migrated)", () => thread.opened);
    mirrorOpened.catch(() => {});

    const { startDevChain } = await import("./devChain.ts");
    const chainStart = performance.now();
    const starting = startDevChain({
      ...rpc,
      onCompiling: (firstBuild) =>
        log(
          firstBuild
            ? "  … compiling the contracts: the first start after a clone takes a minute or two"
            : "  … compiling the contracts (sources changed since the last build)",
        ),
      onCompiled: (ms) => record("contracts compiled", ms),
    });
    chainStarting = starting;
    const chain = await timed(
      "dev chain serving JSON-RPC (Hardhat EDR)",
      () => until(starting, thread),
      chainStart,
    );
    const { connection } = chain;
    const { deployDemoFirm, seedDemoFirm } = await import("./seedDemoFirm.ts");
    const firm = await timed("contracts deployed (Ignition)", () =>
      until(deployDemoFirm(connection), thread),
    );
    const demo = await timed("demo firm seeded through governance", () =>
      until(seedDemoFirm(firm, { books: true }), thread),
    );
    const { writeManifest } = await import("../../contracts/manifest.ts");
    mkdirSync(dirname(manifestPath), { recursive: true });
    writeManifest(manifestPath, demo.manifest);

    await until(mirrorOpened, thread);
    const indexStart = performance.now();
    const { origin } = await until(
      thread.serve({
        manifest: demo.manifest,
        manifestPath,
        rpcUrl: chain.url,
        api,
        pollIntervalMs: DEV_POLL_INTERVAL_MS,
      }),
      thread,
    );
    await timed("seeded firm indexed", () => until(thread.waitForBlock(demo.lastBlock), thread), indexStart);
    const graphqlUrl = `${origin}/graphql`;
    await timed("API answering", () => assertApiAnswers(graphqlUrl, demo.lastBlock));

    let stopping: Promise<void> | undefined;
    return {
      rpcUrl: chain.url,
      graphqlUrl,
      webUrl: `${origin}/`,
      manifestPath,
      manifest: demo.manifest,
      accounts: demo.accounts,
      openProposalId: demo.openProposalId,
      readyMs: performance.now() - startedAt,
      stages,
      dataDir,
      audit: () => thread.audit(),
      failure: thread.failure,
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The suffix of a mirror moved aside to be deleted. */
const DISCARDED = ".discarded-";

/** The names PostgreSQL's initdb (and so PGlite) puts in a data folder. */
const DATA_FOLDER_ENTRY =
  /^(PG_VERSION|base|global|pg_[a-z_]+(\.conf)?|postgresql(\.auto)?\.conf|postmaster\.(pid|opts))$/;

/**
 * Empties the mirror's folder for a new chain. Refuses a folder holding anything a PostgreSQL data
 * folder does not (a half-made one from an interrupted start is fine): DATA_DIR pointing at the wrong
 * place must not delete someone's files. The old mirror is moved aside at once and deleted in the
 * background; `deleted` settles when it is gone.
 */
export function resetMirrorFolder(dataDir: string): { hadMirror: boolean; deleted: Promise<void> } {
  // Another live process's mirror (a second `npm start`, a `firm index`) is not ours to delete.
  assertDataFolderFree(dataDir);
  // Mirrors an interrupted start moved aside and could not delete.
  const leftovers = existsSync(dirname(dataDir))
    ? readdirSync(dirname(dataDir))
        .filter((name) => name.startsWith(`${basename(dataDir)}${DISCARDED}`))
        .map((name) => rm(join(dirname(dataDir), name), { recursive: true, force: true }))
    : [];
  const cleaned = Promise.all(leftovers).then(() => {});
  if (!existsSync(dataDir)) return { hadMirror: false, deleted: cleaned };
  const entries = readdirSync(dataDir);
  if (entries.length === 0) return { hadMirror: false, deleted: cleaned };
  const foreign = entries.filter((entry) => !DATA_FOLDER_ENTRY.test(entry));
  if (foreign.length > 0) {
    throw new BaseError(
      `${dataDir} is not a PGlite mirror (it holds ${foreign.slice(0, 3).join(", ")}), so npm start will not reset it.`,
      {
        hints: [
          "npm start empties the mirror's folder at each start (the dev chain is new each time).",
          "Point DATA_DIR at a new or empty folder, or at a mirror an earlier `npm start` made.",
        ],
      },
    );
  }
  const discarded = `${dataDir}${DISCARDED}${process.pid}-${Date.now().toString(36)}`;
  renameSync(dataDir, discarded);
  const deleted = Promise.all([cleaned, rm(discarded, { recursive: true, force: true })]).then(() => {});
  return { hadMirror: true, deleted };
}

/** One GraphQL round trip over HTTP, as a client makes it: the mirror answers at the seeded head. */
async function assertApiAnswers(graphqlUrl: string, lastBlock: bigint): Promise<void> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ indexingStatus { indexedBlock } }" }),
  });
  const body = (await response.json()) as { data?: { indexingStatus?: { indexedBlock: number | null } } };
  const indexed = body.data?.indexingStatus?.indexedBlock;
  if (response.status !== 200 || indexed === undefined || indexed === null || BigInt(indexed) < lastBlock) {
    throw new Error(`The API at ${graphqlUrl} did not answer as expected: ${JSON.stringify(body)}`);
  }
}

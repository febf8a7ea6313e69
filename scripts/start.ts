#!/usr/bin/env node
// `npm start`: with no configuration, the whole firm on this machine: a dev chain with the contracts
// deployed and a demo firm seeded through governance, indexed into a PGlite mirror (reset at each
// start), the GraphQL API and the web page. With RPC_URL and DEPLOYMENT set, only the indexer and the
// API against that chain, over a mirror that persists and resumes.
//
// Environment: RPC_PORT (8545), PORT (4000), HOST (127.0.0.1), DATA_DIR (data/mirror), LOG_LEVEL
// (warn; info against a real chain); RPC_URL and DEPLOYMENT for a real chain (then also the indexer's
// variables, see the README). Ctrl-C or SIGTERM stops everything and exits 0. Both run the webhooks
// (WEBHOOKS_FILE applied at start; the delivery worker unless WEBHOOKS_WORKER=0) over their mirror.
import { parseWebhookConfig } from "../indexer/notify/config.ts";
import { parseTogether } from "../kernel/config.ts";
import { createLogger, type Logger } from "../kernel/logger.ts";
import { reportError } from "./cli/errors.ts";
import { speedUpModuleLoading } from "./cli/lib/moduleLoading.ts";
import { parseStartConfig, type StartConfig } from "./start/config.ts";
import { assertPortsFree, startPorts } from "./start/ports.ts";

// Before the stack's modules are imported below.
speedUpModuleLoading();

const print = (line: string) => process.stdout.write(`${line}\n`);

/** One place that turns the first SIGINT/SIGTERM into a clean stop and a second one into an exit. */
function onShutdownSignal(): { requested: Promise<NodeJS.Signals>; signal: AbortSignal } {
  const controller = new AbortController();
  let resolveRequested: (signal: NodeJS.Signals) => void = () => {};
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    resolveRequested = resolve;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      print("Second signal: exiting now.");
      process.exit(130);
    }
    print(`\n${signal}: stopping…`);
    controller.abort();
    resolveRequested(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return { requested, signal: controller.signal };
}

async function startDev(config: StartConfig): Promise<number> {
  const shutdown = onShutdownSignal();
  // Before loading anything heavy: a port in use is reported at once.
  const { rpc, api } = startPorts(config);
  await assertPortsFree([rpc, api]);
  print("Starting the dev stack: chain, contracts, demo firm, mirror, API.");
  // Imported once the configuration is known good: bad settings are reported without loading it all.
  const { startDevStack } = await import("./start/devStack.ts");
  let stack: Awaited<ReturnType<typeof startDevStack>>;
  try {
    stack = await startDevStack({
      rpcPort: config.rpcPort,
      apiPort: config.apiPort,
      host: config.host,
      dataDir: config.dataDir,
      logLevel: config.logLevel,
      log: print,
      startedAt: 0,
      signal: shutdown.signal,
    });
  } catch (error) {
    if (shutdown.signal.aborted) {
      print("Stopped before the stack was ready.");
      return 0;
    }
    throw error;
  }
  const { formatDevBanner } = await import("./start/banner.ts");
  print(formatDevBanner(stack));
  return serveUntilStopped(stack, shutdown.requested, stack.failure, "API, indexer, mirror and chain closed");
}

async function startAgainstChain(config: StartConfig, logger: Logger): Promise<number> {
  const [{ parseConfig }, { readManifest }, { startChainStack }] = await Promise.all([
    import("../indexer/config.ts"),
    import("../contracts/manifest.ts"),
    import("./start/chainStack.ts"),
  ]);
  // The indexer's own validation (RPC_URL, DEPLOYMENT, DATABASE_URL, DATA_DIR, FINALITY_DEPTH, …),
  // with the webhooks' (main checked them already; their warnings were said there).
  const [{ config: indexerConfig, warnings }, { config: webhooks }] = parseTogether(
    () => parseConfig(process.env),
    () => parseWebhookConfig(process.env, { workerByDefault: true }),
  );
  for (const warning of warnings) logger.warn({ msg: warning });
  const manifest = readManifest(indexerConfig.deploymentPath);
  const shutdown = onShutdownSignal();
  const stack = await startChainStack({
    config: indexerConfig,
    manifest,
    api: startPorts(config).api,
    webhooks,
    logger,
  });
  print(`Serving the firm "${manifest.name}" on chain ${manifest.chainId} (no dev chain, no seed).`);
  print(`  GraphQL    ${stack.graphqlUrl}`);
  print(`  Web page   ${stack.webUrl}`);
  print(`  Mirror     ${stack.mirror}: kept between starts; the indexer resumes from its checkpoint.`);
  print("Ctrl-C stops everything.");
  return serveUntilStopped(stack, shutdown.requested, stack.served.failure, "API, indexer and mirror closed");
}

/** Waits for a signal (exit 0) or a fatal indexer fault (reported, non-zero exit), then stops everything. */
async function serveUntilStopped(
  stack: { stop(): Promise<void> },
  requested: Promise<NodeJS.Signals>,
  failure: Promise<never>,
  stopped: string,
): Promise<number> {
  let code = 0;
  try {
    await Promise.race([requested, failure]);
  } catch (error) {
    code = reportError(error, false);
  }
  await stack.stop();
  print(`Stopped: ${stopped}.`);
  return code;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseStartConfig>;
  let webhookWarnings: string[];
  try {
    // The webhooks' variables with the others, every bad one said at once (the worker is on by
    // default: this process owns the mirror, see indexer/notify/config.ts).
    [parsed, { warnings: webhookWarnings }] = parseTogether(
      () => parseStartConfig(process.env),
      () => parseWebhookConfig(process.env, { workerByDefault: true }),
    );
  } catch (error) {
    return reportError(error, false);
  }
  const { config } = parsed;
  const warnings = [...parsed.warnings, ...webhookWarnings];
  const logger = createLogger({ level: config.logLevel, stream: process.stderr });
  for (const warning of warnings) logger.warn({ msg: warning });
  try {
    return config.mode === "dev" ? await startDev(config) : await startAgainstChain(config, logger);
  } catch (error) {
    return reportError(error, false);
  }
}

// Exit explicitly: the chain's native threads and pending timers need not keep a stopped stack alive.
process.exit(await main());

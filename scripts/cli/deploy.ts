// `firm deploy --network <name> [--parameters <file>] [--out <file>] [--name <label>] [--keystore <file>]
//  [--force] [--fresh] [--json]`
//
// Says what it did: a new deployment, or the existing one Ignition's journal records (after checking
// that its contracts are on chain), each with the block of its first transaction as the start block.
// A journal whose contracts are gone (a node reset under the same chain id) is refused, and an
// existing manifest is only replaced with --force: an indexer started from a wrong manifest silently
// misses the firm's first events.
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { getAddress } from "viem";
import { type Manifest, readManifest, writeManifest } from "../../contracts/manifest.ts";
import FirmModule from "../../ignition/modules/Firm.ts";
import { deploy } from "../deploy/deploy.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import {
  checkExternalNetwork,
  checkJournalOnChain,
  contractsWithoutCode,
  ENV_NETWORK,
  isComplete,
  type Journal,
  journalFolder,
  readJournal,
  sameDeployment,
} from "./lib/deployment.ts";
import { decryptKeystoreFile, readPassword } from "./lib/keystore.ts";

export interface DeployCommandOptions {
  network: string;
  parameters?: string;
  out?: string;
  name?: string;
  keystore?: string;
  force?: boolean;
  fresh?: boolean;
  json: boolean;
}

const USAGE =
  "deploy --network <name> [--parameters <file>] [--out <file>] [--name <label>] [--keystore <file>] [--force] [--fresh]";

/** `firm deploy …` */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      network: { type: "string" },
      parameters: { type: "string" },
      out: { type: "string" },
      name: { type: "string" },
      keystore: { type: "string" },
      force: { type: "boolean", default: false },
      fresh: { type: "boolean", default: false },
    },
    { usage: USAGE },
  );
  if (!values.network)
    throw new UsageError(
      "deploy needs --network <name>",
      `Networks are defined in hardhat.config.ts: --network localhost (the node at RPC_URL, signing with its unlocked accounts), or --network ${ENV_NETWORK} (RPC_URL, and the deployer from a keystore or DEPLOYER_PRIVATE_KEY).`,
    );
  await deployCommand({ ...values, network: values.network, json: values.json ?? false });
  return 0;
}

/** Deploys the firm to a named Hardhat network (or finds it deployed) and writes its manifest. */
export async function deployCommand(options: DeployCommandOptions): Promise<void> {
  const parameters = readParameters(options.parameters ?? "ignition/parameters.example.json");
  const out = options.out ?? `deployments/${options.network}.json`;
  const networkConfig = hre.config.networks[options.network];
  if (networkConfig === undefined) {
    throw new UsageError(
      `There is no network "${options.network}" in hardhat.config.ts`,
      `Use one of: ${Object.keys(hre.config.networks).join(", ")}. --network ${ENV_NETWORK} takes everything from the environment.`,
    );
  }
  // FIRM_KEYSTORE is the partner's signer for every command: on the in-process chain, which has
  // no use for it, it is ignored rather than refused.
  const keystore =
    options.keystore ??
    (networkConfig.type === "http" ? process.env.FIRM_KEYSTORE?.trim() || undefined : undefined);
  if (options.network === ENV_NETWORK) checkExternalNetwork(process.env, keystore);
  let deployerKey: string | undefined;
  if (keystore !== undefined) {
    if (networkConfig.type !== "http") {
      throw new UsageError(
        `--network ${options.network} is Hardhat's in-process chain, which signs with its own accounts`,
        "Leave out --keystore, or deploy to an http network.",
      );
    }
    const password = await readPassword(`Password for ${keystore}: `);
    deployerKey = (await decryptKeystoreFile(keystore, password)).privateKey;
  }

  const connection = await hre.network.create({
    network: options.network,
    ...(deployerKey === undefined ? {} : { override: { accounts: [deployerKey] } }),
  });
  try {
    const result = await deployOnce(connection, options, out, parameters);
    report(result, options.json, keystore);
  } finally {
    await connection.close();
  }
}

interface DeployResult {
  deployed: "new" | "existing";
  /** The new deployment finished one an earlier run began (Ignition resumed its journal). */
  resumed: boolean;
  manifest: Manifest;
  out: string;
  manifestWritten: boolean;
  journal: string | undefined;
  setAside: string | undefined;
  deployer: string | undefined;
}

async function deployOnce(
  connection: NetworkConnection,
  options: DeployCommandOptions,
  out: string,
  parameters: Record<string, unknown>,
): Promise<DeployResult> {
  const unreachable = (error: unknown) =>
    new UsageError(
      `Cannot reach the node of network "${options.network}" (${(error instanceof Error ? error.message : String(error)).split("\n")[0]})`,
      "Check that the node is running and that RPC_URL (or the network's url in hardhat.config.ts) points at it.",
    );
  let client: Awaited<ReturnType<typeof connection.viem.getPublicClient>>;
  let chainId: number;
  try {
    client = await connection.viem.getPublicClient();
    chainId = await client.getChainId();
  } catch (error) {
    throw unreachable(error);
  }
  // Ignition keeps no journal for its in-process chain, which lives and dies with this process.
  const folder =
    connection.networkConfig.type === "edr-simulated"
      ? undefined
      : journalFolder(hre.config.paths.ignition, chainId);
  const before = folder === undefined ? undefined : readJournal(folder);

  let stale = false;
  if (before !== undefined) {
    const check = await checkJournalOnChain(before, client);
    stale = check.missingCode.length > 0 || check.missingTransactions.length > 0;
    if (stale && !options.fresh) throw staleJournalError(before, chainId, check);
    if (!stale && options.fresh) {
      throw new UsageError(
        `--fresh sets aside a journal whose contracts are gone, but every contract ${before.folder} names is on chain ${chainId}`,
        "Leave out --fresh to use that deployment. To deploy a second firm on this chain, move that folder away yourself first.",
      );
    }
  }
  const willSend = before === undefined || stale || !isComplete(before, FirmModule);
  if (willSend && existsSync(out) && !options.force) {
    throw new UsageError(
      `The manifest ${out} already exists, and this would be a new deployment; nothing was sent`,
      "Pass --force to deploy and overwrite it, or --out <file> to write the new manifest elsewhere.",
    );
  }
  let setAside: string | undefined;
  if (stale && folder !== undefined) {
    // Renamed, not deleted: a journal is the only record of what a deployment sent.
    setAside = `${folder}.stale-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(folder, setAside);
  }

  const { manifest: fromIgnition } = await deploy(connection, {
    name: options.name ?? options.network,
    parameters: parameters as never,
  }).catch((error: unknown) => {
    // Ignition compares the module with what its journal recorded and refuses a mismatch; its
    // message lists what differs but not what to do about it.
    const message = error instanceof Error ? error.message : String(error);
    if (folder === undefined || !message.includes("reconciliation errors")) throw error;
    throw new UsageError(
      `Ignition's journal ${folder} records a deployment made with other parameters or contracts; nothing was sent.\n${message.slice(message.indexOf("reconciliation errors") + "reconciliation errors:".length).trim()}`,
      "Run with the parameters file (and contracts) that deployment used. To deploy a second firm on this chain, move that folder aside first.",
    );
  });
  const after = folder === undefined ? undefined : readJournal(folder);
  const sentBefore = setAside === undefined ? (before?.sent ?? 0) : 0;
  const deployed = after === undefined || after.sent > sentBefore ? "new" : "existing";

  let manifest = fromIgnition;
  if (after !== undefined) {
    // The start block from the chain's receipts: deploy() can only guess it (the block after the
    // head it saw), which is wrong whenever Ignition sent nothing or resumed an earlier run.
    const check = await checkJournalOnChain(after, client);
    if (check.firstBlock === undefined || check.missingTransactions.length > 0) {
      throw new UsageError(
        `Ignition's journal ${after.folder} does not match chain ${chainId}: ${check.missingTransactions.length} of its transactions have no receipt`,
        "Check that RPC_URL serves the chain the journal was written for, then run firm deploy again.",
      );
    }
    const block = await client.getBlock({ blockNumber: BigInt(check.firstBlock) });
    manifest = {
      ...fromIgnition,
      startBlock: check.firstBlock,
      deployedAt: new Date(Number(block.timestamp) * 1000).toISOString(),
    };
  }
  const withoutCode = await contractsWithoutCode(manifest, client);
  if (withoutCode.length > 0) {
    throw new UsageError(
      `The firm's contracts are not all on chain ${chainId}: no code at ${withoutCode.join(", ")}`,
      "No manifest was written. Check that RPC_URL serves the chain you deployed to.",
    );
  }

  const manifestWritten = writeUnlessSame(out, manifest, options.force ?? false, {
    deployed,
    startBlock: manifest.startBlock,
  });
  const [wallet] = await connection.viem.getWalletClients();
  return {
    deployed,
    resumed: deployed === "new" && sentBefore > 0,
    manifest,
    out,
    manifestWritten,
    journal: after?.folder,
    setAside,
    deployer: wallet === undefined ? undefined : getAddress(wallet.account.address),
  };
}

/** Writes the manifest, unless one is there: then only with `force`, or when it already says the same. */
function writeUnlessSame(
  out: string,
  manifest: Manifest,
  force: boolean,
  details: Record<string, unknown>,
): boolean {
  if (existsSync(out) && !force) {
    let current: Manifest | undefined;
    try {
      current = readManifest(out);
    } catch {
      current = undefined;
    }
    if (current !== undefined && sameDeployment(current, manifest)) return false;
    throw new UsageError(
      `The manifest ${out} describes another deployment (or is not a valid manifest); it was left unchanged`,
      `Pass --force to overwrite it with this deployment (start block ${manifest.startBlock}), or --out <file> to write it elsewhere.`,
      { ...details, manifest: out, manifestWritten: false },
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  writeManifest(out, manifest);
  return true;
}

function report(result: DeployResult, json: boolean, keystore: string | undefined): void {
  const { manifest, out } = result;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        ok: true,
        deployed: result.deployed,
        resumed: result.resumed,
        manifest: out,
        manifestWritten: result.manifestWritten,
        journal: result.journal ?? null,
        staleJournalMovedTo: result.setAside ?? null,
        deployer: result.deployer ?? null,
        ...manifest,
      })}\n`,
    );
    return;
  }
  const write = (line: string) => process.stdout.write(`${line}\n`);
  if (result.setAside !== undefined) write(`Set aside the stale Ignition journal as ${result.setAside}.`);
  if (result.deployed === "new") {
    write(
      `Deployed the firm on chain ${manifest.chainId} (from block ${manifest.startBlock})${
        result.resumed ? ", completing the deployment an earlier run began" : ""
      }.`,
    );
  } else {
    write(
      `The firm was already deployed on chain ${manifest.chainId} (from block ${manifest.startBlock}); nothing was sent.`,
    );
    write(`  Ignition's journal ${result.journal} records it, and every contract is on chain.`);
  }
  for (const [name, address] of Object.entries(manifest.contracts)) write(`  ${name.padEnd(13)} ${address}`);
  if (result.deployer !== undefined && result.deployed === "new")
    write(`Deployer: ${result.deployer}${keystore === undefined ? "" : ` (keystore ${keystore})`}.`);
  if (result.manifestWritten) {
    write(
      `Manifest written to ${out}. The governor is the timelock's only proposer; the admin role is renounced.`,
    );
  } else {
    write(`Manifest ${out} already describes this deployment: left as it is (--force rewrites it).`);
  }
}

function readParameters(file: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { Firm?: Record<string, unknown> };
    if (!parsed.Firm) throw new Error('it has no "Firm" object');
    return parsed.Firm;
  } catch (error) {
    throw new UsageError(
      `Cannot use parameters file ${file}: ${(error as Error).message}`,
      "Copy ignition/parameters.example.json, set the founders and governance parameters, and pass it with --parameters.",
    );
  }
}

function staleJournalError(
  journal: Journal,
  chainId: number,
  check: Awaited<ReturnType<typeof checkJournalOnChain>>,
): UsageError {
  const gone = check.missingCode.map(({ futureId, address }) => `${futureId} at ${address}`);
  const what =
    gone.length > 0
      ? `names contracts that have no code on chain ${chainId} (${gone.join(", ")})`
      : `names ${check.missingTransactions.length} transactions chain ${chainId} has no receipt for`;
  return new UsageError(
    `Ignition's journal ${journal.folder} ${what}: the node was reset, or RPC_URL serves another chain with the same id. Nothing was sent`,
    `If this chain is the right one, run again with --fresh: it moves the journal aside (to ${journal.folder}.stale-<time>) and deploys anew. Or delete that folder yourself.`,
    { journal: journal.folder, missing: gone },
  );
}

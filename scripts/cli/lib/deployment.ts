// What Ignition's journal says was deployed on a chain, checked against the chain itself.
//
// Ignition trusts its journal (ignition/deployments/chain-<id>/journal.jsonl): a second run sends
// nothing and hands back the journal's addresses, even when the node was reset under the same chain
// id and nothing is there any more. `firm deploy` reads the journal before and after Ignition runs,
// and asks the chain for each contract's code and each transaction's receipt, so that it can say
// whether it deployed, and from which block the firm's events start.
//
// The journal is read line by line rather than through ignition-core's `status()`: that package is
// not a direct dependency, and the receipts' hashes, which `status()` leaves out, are what the start
// block is taken from.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { IgnitionModule } from "@nomicfoundation/ignition-core";
import { type Address, getAddress, type Hex, isAddress, type PublicClient } from "viem";
import { CONTRACT_NAMES, type Manifest } from "../../../contracts/manifest.ts";
import { createConfigReader } from "../../../kernel/config.ts";

/** The folder Ignition keeps a chain's journal in when no deployment id is given. */
export function journalFolder(ignitionRoot: string, chainId: number): string {
  return join(ignitionRoot, "deployments", `chain-${chainId}`);
}

export interface Journal {
  folder: string;
  /** Every contract the journal names, deployed or referenced (`contractAt`), by future id. */
  contracts: Map<string, Address>;
  /** Futures the journal records as done. */
  completed: Set<string>;
  /** Transactions the journal records as mined, in journal order. */
  confirmed: { futureId: string; hash: Hex }[];
  /** Transactions sent, mined or not: what tells whether a run of Ignition sent anything. */
  sent: number;
}

/** Messages whose future is done as soon as they are journaled (nothing is sent for them). */
const DONE_ON_INITIALIZE = new Set([
  "CONTRACT_AT_EXECUTION_STATE_INITIALIZE",
  "READ_EVENT_ARGUMENT_EXECUTION_STATE_INITIALIZE",
  "ENCODE_FUNCTION_CALL_EXECUTION_STATE_INITIALIZE",
]);

/** Reads the journal in `folder`; undefined when there is none (Ignition never ran on that chain). */
export function readJournal(folder: string): Journal | undefined {
  const file = join(folder, "journal.jsonl");
  if (!existsSync(file)) return undefined;
  const journal: Journal = { folder, contracts: new Map(), completed: new Set(), confirmed: [], sent: 0 };
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const message = JSON.parse(line) as Record<string, unknown> & { type: string; futureId?: string };
    const futureId = message.futureId;
    if (futureId === undefined) continue;
    if (message.type === "WIPE_APPLY") {
      // `ignition wipe` forgets a future, so Ignition will run it again.
      journal.contracts.delete(futureId);
      journal.completed.delete(futureId);
      journal.confirmed = journal.confirmed.filter((tx) => tx.futureId !== futureId);
    } else if (message.type === "TRANSACTION_SEND") {
      journal.sent += 1;
    } else if (message.type === "TRANSACTION_CONFIRM") {
      journal.confirmed.push({ futureId, hash: message.hash as Hex });
    } else if (message.type.endsWith("_EXECUTION_STATE_COMPLETE")) {
      const result = message.result as { type?: string; address?: string } | undefined;
      if (result?.type !== "SUCCESS") continue;
      journal.completed.add(futureId);
      if (typeof result.address === "string" && isAddress(result.address, { strict: false }))
        journal.contracts.set(futureId, getAddress(result.address));
    } else if (DONE_ON_INITIALIZE.has(message.type)) {
      journal.completed.add(futureId);
      const address = message.contractAddress;
      if (typeof address === "string" && isAddress(address, { strict: false }))
        journal.contracts.set(futureId, getAddress(address));
    }
  }
  return journal;
}

/** Every future id of `module` and its submodules. */
export function moduleFutureIds(module: IgnitionModule): Set<string> {
  const ids = new Set<string>();
  const visit = (m: IgnitionModule) => {
    for (const future of m.futures) ids.add(future.id);
    for (const sub of m.submodules) visit(sub);
  };
  visit(module);
  return ids;
}

/** Whether the journal records every future of `module` as done: a re-run would send nothing. */
export function isComplete(journal: Journal, module: IgnitionModule): boolean {
  for (const id of moduleFutureIds(module)) if (!journal.completed.has(id)) return false;
  return true;
}

export interface OnChainCheck {
  /** Contracts the journal names that have no code on chain. */
  missingCode: { futureId: string; address: Address }[];
  /** Mined transactions of the journal the chain has no receipt for. */
  missingTransactions: Hex[];
  /** The block of the journal's first mined transaction, as the chain reports it. */
  firstBlock: number | undefined;
}

/** Asks the chain for the code of every contract and the receipt of every transaction the journal names. */
export async function checkJournalOnChain(journal: Journal, client: PublicClient): Promise<OnChainCheck> {
  const missingCode: OnChainCheck["missingCode"] = [];
  for (const [futureId, address] of journal.contracts) {
    const code = await client.getCode({ address });
    if (code === undefined || code === "0x") missingCode.push({ futureId, address });
  }
  const missingTransactions: Hex[] = [];
  let firstBlock: number | undefined;
  for (const { hash } of journal.confirmed) {
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt === undefined) {
      missingTransactions.push(hash);
      continue;
    }
    const block = Number(receipt.blockNumber);
    if (firstBlock === undefined || block < firstBlock) firstBlock = block;
  }
  return { missingCode, missingTransactions, firstBlock };
}

/** Contracts of `manifest` with no code on chain (none, after a deployment that really happened). */
export async function contractsWithoutCode(manifest: Manifest, client: PublicClient): Promise<string[]> {
  const missing: string[] = [];
  for (const name of CONTRACT_NAMES) {
    const code = await client.getCode({ address: manifest.contracts[name] });
    if (code === undefined || code === "0x") missing.push(`${name} ${manifest.contracts[name]}`);
  }
  return missing;
}

/** Whether two manifests describe the same deployment; their names and write times may differ. */
export function sameDeployment(a: Manifest, b: Manifest): boolean {
  return (
    a.chainId === b.chainId &&
    a.startBlock === b.startBlock &&
    CONTRACT_NAMES.every((name) => a.contracts[name] === b.contracts[name])
  );
}

/** The network that takes everything from the environment (hardhat.config.ts). */
export const ENV_NETWORK = "external";

/**
 * Checks the environment the `external` network needs, before Hardhat resolves its configuration
 * variables (which would fail one at a time, at connection, naming no fix).
 *
 * @throws {ConfigError} listing every problem.
 */
export function checkExternalNetwork(env: NodeJS.ProcessEnv, keystore: string | undefined): void {
  const read = createConfigReader(env);
  read.url("RPC_URL", {
    kind: "http",
    example: "https://sepolia.base.org",
    note: "the JSON-RPC endpoint of the chain to deploy to",
    required: true,
  });
  const key = read.string("DEPLOYER_PRIVATE_KEY");
  if (keystore !== undefined && key !== undefined) {
    read.problem({
      variable: "DEPLOYER_PRIVATE_KEY",
      value: "(set)",
      expected:
        "unset when the deployer comes from a keystore (--keystore or FIRM_KEYSTORE); give one deployer",
    });
  } else if (keystore === undefined && key === undefined) {
    read.problem({
      variable: "FIRM_KEYSTORE",
      value: undefined,
      expected:
        "the deployer's keystore (or --keystore <file>; its password in FIRM_KEYSTORE_PASSWORD), or its private key in DEPLOYER_PRIVATE_KEY",
    });
  } else if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) {
    // The value itself is a secret: never echo it.
    read.problem({
      variable: "DEPLOYER_PRIVATE_KEY",
      value: "(hidden)",
      expected: "a private key: 0x and 64 hex digits",
    });
  }
  read.throwIfProblems();
}

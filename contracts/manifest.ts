// The deployment manifest: what the indexer, the API and the CLI need to find the firm on a chain.
// `firm deploy` (and `npm start` on the dev chain) writes it; everything else reads it through
// `readManifest`, which says exactly what is wrong with a bad file.
import { readFileSync, writeFileSync } from "node:fs";
import { type Address, getAddress, isAddress } from "viem";
import { FatalError } from "../kernel/errors.ts";

/** 2 added the withdrawal desk (`contracts.withdrawals`); 3 the talent directory (`contracts.directory`);
 * 4 the books (`contracts.books`). */
export const MANIFEST_VERSION = 4;

/** Where each contract lives; the ABIs are the `const` exports of contracts/abi.ts. */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  /** A human name for the deployment, e.g. "dev" or "base-mainnet". */
  name: string;
  chainId: number;
  /** The first block that can hold a firm event: the indexer's backfill starts here. */
  startBlock: number;
  deployedAt: string;
  contracts: {
    timelock: Address;
    partnership: Address;
    practices: Address;
    revenueShare: Address;
    governor: Address;
    withdrawals: Address;
    directory: Address;
    books: Address;
  };
  /** Where the ABIs are, for tools outside this repository. */
  abis: string;
  /** The Ignition module parameters it was deployed with. */
  parameters: Record<string, unknown>;
}

export const CONTRACT_NAMES = [
  "timelock",
  "partnership",
  "practices",
  "revenueShare",
  "governor",
  "withdrawals",
  "directory",
  "books",
] as const;

/** A manifest that failed validation: names the file, the field and what was expected. No retry fixes it. */
export class ManifestError extends FatalError {
  override name = "ManifestError";
  constructor(path: string, problem: string) {
    super(`Deployment manifest ${path}: ${problem}. Fix the file, or create it with \`npx firm deploy\`.`);
  }
}

/** Parses and validates a manifest's JSON text. */
export function parseManifest(text: string, path = "<manifest>"): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(path, `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null) throw new ManifestError(path, "must be a JSON object");
  const m = raw as Record<string, unknown>;
  if (m.version !== MANIFEST_VERSION) {
    throw new ManifestError(
      path,
      `has version ${JSON.stringify(m.version)}, expected ${MANIFEST_VERSION} (a manifest of version 1 predates the withdrawal desk, of version 2 the talent directory, and of version 3 the books: redeploy)`,
    );
  }
  if (!Number.isSafeInteger(m.chainId) || (m.chainId as number) <= 0) {
    throw new ManifestError(
      path,
      `field "chainId" must be a positive integer, got ${JSON.stringify(m.chainId)}`,
    );
  }
  if (!Number.isSafeInteger(m.startBlock) || (m.startBlock as number) < 0) {
    throw new ManifestError(
      path,
      `field "startBlock" must be a block number, got ${JSON.stringify(m.startBlock)}`,
    );
  }
  const contracts = m.contracts as Record<string, unknown> | undefined;
  if (typeof contracts !== "object" || contracts === null)
    throw new ManifestError(path, 'field "contracts" is missing');
  const addresses = {} as Manifest["contracts"];
  for (const name of CONTRACT_NAMES) {
    const value = contracts[name];
    if (typeof value !== "string" || !isAddress(value, { strict: false })) {
      throw new ManifestError(
        path,
        `field "contracts.${name}" must be an address, got ${JSON.stringify(value)}`,
      );
    }
    addresses[name] = getAddress(value);
  }
  return {
    version: MANIFEST_VERSION,
    name: typeof m.name === "string" ? m.name : "unnamed",
    chainId: m.chainId as number,
    startBlock: m.startBlock as number,
    deployedAt: typeof m.deployedAt === "string" ? m.deployedAt : "",
    contracts: addresses,
    abis: typeof m.abis === "string" ? m.abis : "contracts/abi.ts",
    parameters: (m.parameters as Record<string, unknown>) ?? {},
  };
}

/** Reads and validates the manifest at `path`. */
export function readManifest(path: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ManifestError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseManifest(text, path);
}

/** Writes `manifest` to `path` as indented JSON. */
export function writeManifest(path: string, manifest: Manifest): void {
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

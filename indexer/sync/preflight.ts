// Start-up checks that turn a misconfiguration into one clear message before anything is written:
// the endpoint serves the manifest's chain, every manifest address holds code, and each contract
// answers a view call of its ABI with the value the deployment wiring implies.
import {
  type Abi,
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
} from "viem";
import {
  booksAbi,
  directoryAbi,
  firmGovernorAbi,
  firmTimelockAbi,
  partnershipAbi,
  practicesAbi,
  revenueShareAbi,
  withdrawalsAbi,
} from "../../contracts/abi.ts";
import type { Manifest } from "../../contracts/manifest.ts";
import {
  AbiMismatchError,
  ChainIdMismatchError,
  NoCodeAtAddressError,
  RpcRejectedError,
} from "../../kernel/errors.ts";
import { FIRM_ABIS } from "../decode/logs.ts";
import type { Rpc } from "./rpc.ts";

/** The parts of a manifest the sync engine reads. */
export type SyncManifest = Pick<Manifest, "chainId" | "startBlock" | "contracts"> & { name?: string };

/** A zero-argument view call that a contract must answer if the ABI fits. */
export interface ContractProbe {
  /** The manifest's name for the contract, for the message. */
  contract: string;
  address: Address;
  abi: Abi;
  functionName: string;
  /** When set, the call must return this address (checks that the manifest's contracts belong together). */
  expect?: Address;
}

/** @throws {ChainIdMismatchError} when the endpoint serves another chain than `expected`. */
export async function checkChainId(rpc: Rpc, expected: number): Promise<void> {
  const actual = await rpc.chainId();
  if (actual !== expected) throw new ChainIdMismatchError({ expected, actual, rpcUrl: rpc.url });
}

/** @throws {NoCodeAtAddressError} for the first manifest contract without code at `blockNumber`. */
export async function checkContractsDeployed(
  rpc: Rpc,
  contracts: Record<string, Address>,
  blockNumber: bigint,
): Promise<void> {
  const entries = Object.entries(contracts);
  const codes = await Promise.all(entries.map(([, address]) => rpc.code(address, blockNumber)));
  entries.forEach(([contract, address], i) => {
    if (codes[i] === "0x") throw new NoCodeAtAddressError({ contract, address, blockNumber });
  });
}

/** @throws {AbiMismatchError} for the first probe (in order) that reverts, returns nothing usable or
 * the wrong address. One at a time, so the report names the same probe on every run. */
export async function checkAbis(
  rpc: Rpc,
  probes: readonly ContractProbe[],
  blockNumber: bigint,
): Promise<void> {
  // All at once (start-up waits on their round trips); the first failure in probe order is reported.
  const outcomes = await Promise.allSettled(probes.map((probe) => runProbe(rpc, probe, blockNumber)));
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
}

async function runProbe(rpc: Rpc, probe: ContractProbe, blockNumber: bigint): Promise<void> {
  const { contract, address, abi, functionName, expect } = probe;
  const data = encodeFunctionData({ abi, functionName } as Parameters<typeof encodeFunctionData>[0]);
  let returned: Hex;
  try {
    returned = await rpc.call(address, data, blockNumber);
  } catch (error) {
    // Transient faults stay retryable; only the node's refusal of the call says something about the ABI.
    if (!(error instanceof RpcRejectedError)) throw error;
    throw new AbiMismatchError({
      contract,
      address,
      problem: `reverts when called \`${functionName}()\``,
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = decodeFunctionResult({ abi, functionName, data: returned } as Parameters<
      typeof decodeFunctionResult
    >[0]);
  } catch (error) {
    const problem = `answers \`${functionName}()\` with ${returned === "0x" ? "no data" : "data the ABI cannot decode"}`;
    throw new AbiMismatchError({ contract, address, problem, cause: error });
  }
  if (expect && !(typeof value === "string" && isAddressEqual(value as Address, expect)))
    throw new AbiMismatchError({
      contract,
      address,
      problem: `answers \`${functionName}()\` with ${String(value)}, not the manifest's ${expect}: the manifest mixes contracts of different deployments`,
    });
}

/**
 * The probes for a firm deployed by ignition/modules/Firm.ts: each contract's links to the others,
 * as the module wires them, which checks the ABIs and the manifest's consistency in one go.
 */
export function firmAbiProbes({ contracts: c }: Pick<Manifest, "contracts">): ContractProbe[] {
  return [
    {
      contract: "partnership",
      address: c.partnership,
      abi: partnershipAbi,
      functionName: "governance",
      expect: c.timelock,
    },
    {
      contract: "partnership",
      address: c.partnership,
      abi: partnershipAbi,
      functionName: "practices",
      expect: c.practices,
    },
    {
      contract: "partnership",
      address: c.partnership,
      abi: partnershipAbi,
      functionName: "revenueShare",
      expect: c.revenueShare,
    },
    {
      contract: "governor",
      address: c.governor,
      abi: firmGovernorAbi,
      functionName: "partnership",
      expect: c.partnership,
    },
    {
      contract: "governor",
      address: c.governor,
      abi: firmGovernorAbi,
      functionName: "timelock",
      expect: c.timelock,
    },
    {
      contract: "practices",
      address: c.practices,
      abi: practicesAbi,
      functionName: "partnership",
      expect: c.partnership,
    },
    {
      contract: "revenueShare",
      address: c.revenueShare,
      abi: revenueShareAbi,
      functionName: "partnership",
      expect: c.partnership,
    },
    { contract: "timelock", address: c.timelock, abi: firmTimelockAbi, functionName: "getMinDelay" },
    {
      contract: "withdrawals",
      address: c.withdrawals,
      abi: withdrawalsAbi,
      functionName: "partnership",
      expect: c.partnership,
    },
    {
      contract: "withdrawals",
      address: c.withdrawals,
      abi: withdrawalsAbi,
      functionName: "governor",
      expect: c.governor,
    },
    {
      contract: "withdrawals",
      address: c.withdrawals,
      abi: withdrawalsAbi,
      functionName: "treasury",
      expect: c.timelock,
    },
    {
      contract: "directory",
      address: c.directory,
      abi: directoryAbi,
      functionName: "partnership",
      expect: c.partnership,
    },
    {
      contract: "directory",
      address: c.directory,
      abi: directoryAbi,
      functionName: "timelock",
      expect: c.timelock,
    },
    {
      contract: "books",
      address: c.books,
      abi: booksAbi,
      functionName: "partnership",
      expect: c.partnership,
    },
    { contract: "books", address: c.books, abi: booksAbi, functionName: "practices", expect: c.practices },
    { contract: "books", address: c.books, abi: booksAbi, functionName: "governance", expect: c.timelock },
  ];
}

export interface PreflightParameters {
  rpc: Rpc;
  manifest: SyncManifest;
  probes: readonly ContractProbe[];
}

/**
 * Runs every start-up check and returns the chain's head block number.
 *
 * @throws {ChainIdMismatchError | NoCodeAtAddressError | AbiMismatchError}
 */
export async function preflight({ rpc, manifest, probes }: PreflightParameters): Promise<bigint> {
  const [, head] = await Promise.all([checkChainId(rpc, manifest.chainId), rpc.blockNumber()]);
  // Side by side; a missing contract is the more precise message, so it is reported first.
  const deployed = checkContractsDeployed(rpc, manifest.contracts, head);
  const abis = checkAbis(rpc, probes, head);
  abis.catch(() => {});
  await deployed;
  await abis;
  return head;
}

/**
 * The addresses of the manifest's contracts whose events the indexer decodes (FIRM_ABIS), without
 * duplicates, for eth_getLogs. A contract the manifest lists before the indexer has its ABI and
 * handlers (the talent directory, deployed since manifest version 3) is not fetched, rather than
 * stopping the sync on its first event.
 */
export function manifestAddresses(manifest: Pick<Manifest, "contracts">): Address[] {
  const seen = new Map<string, Address>();
  for (const name of Object.keys(FIRM_ABIS) as (keyof typeof FIRM_ABIS)[]) {
    const address = manifest.contracts[name];
    seen.set(address.toLowerCase(), address);
  }
  return [...seen.values()];
}

// Deploys the firm through its Ignition module and describes the result as a manifest. The one way
// the project deploys: `firm deploy` calls `deploy`, and so does the dev firm
// (scripts/devFirm/deployFirm.ts) that `npm start`, the benchmarks and the tests start from.
import type { ModuleParameters } from "@nomicfoundation/ignition-core";
import type { NetworkConnection } from "hardhat/types/network";
import { MANIFEST_VERSION, type Manifest } from "../../contracts/manifest.ts";
import FirmModule from "../../ignition/modules/Firm.ts";

export interface DeployParameters {
  /** A human name for the deployment, written into the manifest. */
  name: string;
  /** The Ignition module parameters (see ignition/parameters.example.json). */
  parameters: ModuleParameters;
}

/**
 * Deploys the firm on `connection` and returns its contracts and manifest.
 *
 * @example
 * const connection = await network.connect("localhost");
 * const { manifest } = await deploy(connection, { name: "dev", parameters: { founders, founderUnits } });
 */
export async function deploy(connection: NetworkConnection, { name, parameters }: DeployParameters) {
  const publicClient = await connection.viem.getPublicClient();
  // Nothing of the firm exists before the next block, so the indexer can start there.
  const startBlock = Number(await publicClient.getBlockNumber()) + 1;
  const contracts = await connection.ignition.deploy(FirmModule, { parameters: { Firm: parameters } });
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    name,
    chainId: await publicClient.getChainId(),
    startBlock,
    deployedAt: new Date().toISOString(),
    contracts: {
      timelock: contracts.timelock.address,
      partnership: contracts.partnership.address,
      practices: contracts.practices.address,
      revenueShare: contracts.revenueShare.address,
      governor: contracts.governor.address,
      withdrawals: contracts.withdrawals.address,
      directory: contracts.directory.address,
      books: contracts.books.address,
    },
    abis: "contracts/abi.ts",
    parameters,
  };
  return { contracts, manifest };
}

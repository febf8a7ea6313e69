// A Hardhat network connection to the benchmark node that deploys into a private Ignition folder.
//
// Why not `network.connect({ network: "localhost" })` from "hardhat": on an http network Ignition keeps
// its journal in ignition/deployments/chain-<chainId>/. The benchmark node is chain 31337, the same
// as a developer's `npm start` chain, and every run starts a fresh node: a shared journal would make
// Ignition skip the deployment (it believes the contracts exist) or clobber a developer's journal.
// So this builds a runtime environment from the repository's own config, with two changes only: the
// `localhost` URL points at the benchmark node and `paths.ignition` at a throwaway folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { NetworkConnection } from "hardhat/types/network";
import userConfig from "../../../hardhat.config.ts";
import { REPO_ROOT } from "./startHardhatNode.ts";

export interface ConnectBenchNetworkReturnType {
  connection: NetworkConnection;
  /** Closes the connection and deletes the run's Ignition folder. */
  close(): Promise<void>;
}

/**
 * Connects to the Hardhat JSON-RPC node at `rpcUrl` as the repository's `localhost` network.
 *
 * @example
 * const bench = await connectBenchNetwork("http://127.0.0.1:18545");
 * const { manifest } = await deploy(bench.connection, { name: "bench", parameters });
 * await bench.close();
 */
export async function connectBenchNetwork(rpcUrl: string): Promise<ConnectBenchNetworkReturnType> {
  const ignitionDir = mkdtempSync(join(tmpdir(), "bench-ignition-"));
  const hre = await createHardhatRuntimeEnvironment(
    {
      ...userConfig,
      paths: { ...userConfig.paths, ignition: ignitionDir },
      networks: { ...userConfig.networks, localhost: { type: "http", chainType: "l1", url: rpcUrl } },
    },
    {},
    join(REPO_ROOT, "hardhat.config.ts"),
  );
  const connection = await hre.network.connect({ network: "localhost" });
  return {
    connection,
    close: async () => {
      await connection.close();
      rmSync(ignitionDir, { recursive: true, force: true });
    },
  };
}

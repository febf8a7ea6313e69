// Deploys the firm on a Hardhat connection with the dev accounts as its founders (#1 onwards; #0
// deploys) and a Governance driver attached: the firm the demo seed, the benchmarks and the tests
// start from. The deployment itself is scripts/deploy/deploy.ts, as for `firm deploy`.
import type { NetworkConnection } from "hardhat/types/network";
import { deploy } from "../deploy/deploy.ts";
import { Governance } from "./governance.ts";
import { FAST_PARAMETERS } from "./parameters.ts";

export interface FirmOptions {
  /** How many of the dev accounts (from index 1) are founding partners. */
  founders?: number;
  /** Units each founder starts with. */
  founderUnits?: bigint;
  parameters?: Partial<typeof FAST_PARAMETERS>;
}

/** Deploys the firm with its Ignition module and returns its contracts and accounts. */
export async function deployFirm(connection: NetworkConnection, options: FirmOptions = {}) {
  const { viem, networkHelpers } = connection;
  const wallets = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const [deployer] = wallets;
  if (!deployer) throw new Error("The network has no accounts");
  const founderCount = options.founders ?? 5;
  const founders = wallets.slice(1, 1 + founderCount).map((w) => w.account.address);
  const founderUnits = founders.map(() => Number(options.founderUnits ?? 1_000n));
  const parameters = { ...FAST_PARAMETERS, ...options.parameters, founders, founderUnits };
  const { contracts, manifest } = await deploy(connection, { name: "test", parameters });
  // Founders' units vest after one second: mine past it so they can release at once if they wish.
  await networkHelpers.time.increase(2);
  const governance = new Governance(connection, contracts.governor, publicClient);
  return {
    connection,
    viem,
    publicClient,
    networkHelpers,
    wallets,
    deployer,
    founders,
    parameters,
    governance,
    manifest,
    ...contracts,
  };
}

export type Firm = Awaited<ReturnType<typeof deployFirm>>;

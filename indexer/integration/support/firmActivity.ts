// Firm activity for the integration tests, through the firm's real contracts on an in-process chain:
// a firm whose addresses differ from run to run, and bulk governance (batch proposals of admissions
// with grants, then releases) that yields thousands of events in seconds.
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, getAddress, type Hex, numberToHex } from "viem";
import { action } from "../../../scripts/devFirm/action.ts";
import { deployFirm, type Firm, type FirmOptions } from "../../../scripts/devFirm/deployFirm.ts";
import { PracticeRole, Role } from "../../../scripts/devFirm/enums.ts";
import type { Proposal } from "../../../scripts/devFirm/governance.ts";

/**
 * Sends `count` plain transfers from the first dev account, so the firm it deploys next lands at other
 * addresses: the writer lock's key derives from them, and test files sharing a PostgreSQL server must
 * not contend for one lock.
 */
export async function burnNonces(connection: NetworkConnection, count: number): Promise<void> {
  const [sender] = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
  for (let i = 0; i < count; i++)
    await connection.provider.request({
      method: "eth_sendTransaction",
      params: [{ from: sender, to: sender, value: "0x1" }],
    });
}

/** Deploys the firm after a random number (0–`maxBurn`) of burnt nonces. */
export async function deployDistinctFirm(
  connection: NetworkConnection,
  maxBurn = 60,
  options: FirmOptions = {},
): Promise<Firm> {
  await burnNonces(connection, Math.floor(Math.random() * (maxBurn + 1)));
  return deployFirm(connection, options);
}

/** The `n`-th made-up member address of a batch (never a dev account or a precompile). */
export function memberAddress(batch: number, n: number): Address {
  return getAddress(
    `0x${(0xa11ce000_0000n + BigInt(batch) * 0x10000n + BigInt(n)).toString(16).padStart(40, "0")}`,
  );
}

/**
 * Passes one proposal that admits `count` associates, each with a grant of `units` that vests in one
 * second (so it can be released right away). Every founder votes For. Returns the proposal and the
 * new grants' ids.
 */
export async function admitBatch(
  firm: Firm,
  batch: number,
  count: number,
  units = 5n,
): Promise<{ proposal: Proposal; grantIds: bigint[]; members: Address[] }> {
  const members = Array.from({ length: count }, (_, n) => memberAddress(batch, n));
  const [, grantsBefore] = await firm.partnership.read.counts();
  const actions = members.map((account) =>
    action(firm.partnership, "admit", [
      account,
      Role.Associate,
      "",
      PracticeRole.None,
      { units, start: 0, cliff: 0, duration: 1 },
    ]),
  );
  const proposal = await firm.governance.pass(actions, `Admit batch ${batch}`, firm.founders as Address[]);
  const grantIds = members.map((_, n) => BigInt(grantsBefore) + BigInt(n) + 1n);
  return { proposal, grantIds, members };
}

/**
 * Releases each grant in its own transaction (one block each), `perBlock` transactions per block
 * (mined with evm_mine).
 */
export async function releaseGrants(firm: Firm, grantIds: readonly bigint[], perBlock = 1): Promise<void> {
  const provider = firm.connection.provider;
  const [caller] = firm.founders as Address[];
  for (let start = 0; start < grantIds.length; start += perBlock) {
    const slice = grantIds.slice(start, start + perBlock);
    await provider.request({ method: "evm_setAutomine", params: [false] });
    const hashes: Hex[] = [];
    try {
      for (const grantId of slice)
        hashes.push(await firm.partnership.write.release([grantId], { account: caller, gas: 300_000n }));
      await provider.request({ method: "evm_mine", params: [] });
    } finally {
      await provider.request({ method: "evm_setAutomine", params: [true] });
    }
    for (const hash of hashes) {
      const receipt = await firm.publicClient.getTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`release ${hash} reverted`);
    }
  }
}

/** Mines `count` empty blocks with evm_mine (true parent hashes, unlike hardhat_mine). */
export async function mineBlocks(connection: NetworkConnection, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await connection.provider.request({ method: "evm_mine", params: [] });
}

/** Moves the chain's clock by `seconds` and mines one block there with evm_mine. */
export async function advanceTime(connection: NetworkConnection, seconds: number): Promise<void> {
  await connection.provider.request({ method: "evm_increaseTime", params: [numberToHex(seconds)] });
  await connection.provider.request({ method: "evm_mine", params: [] });
}

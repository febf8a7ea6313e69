// The set-up every contract test file shares: one Hardhat connection for the file, closed after it,
// and fixture loaders (Hardhat's loadFixture reverts to a snapshot instead of redeploying, which
// needs the same fixture function every time: hence these module-level ones).
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { afterAll } from "vitest";
import { action } from "../../scripts/devFirm/action.ts";
import { deployFirm } from "../../scripts/devFirm/deployFirm.ts";
import { partnersOf } from "./firm.ts";

/** The default firm: five founding partners with 1,000 units each. */
export function firmFixture(connection: NetworkConnection) {
  return deployFirm(connection);
}

/**
 * Unequal equity, set by a real proposal: p1 gets a further 5,000 units, so p1 holds 6,000 of the
 * 10,000 voting units while having one vote in five by headcount.
 */
export async function unequalFirmFixture(connection: NetworkConnection) {
  const firm = await deployFirm(connection);
  const [p1, p2, p3] = partnersOf(firm);
  await firm.governance.pass(
    [action(firm.partnership, "createGrant", [p1, { units: 5_000n, start: 0, cliff: 0, duration: 1 }])],
    "A large grant for p1",
    [p1, p2, p3],
  );
  return firm;
}

/** Connects for one test file and returns the connection, its clock and the fixture loaders. */
export async function connectForTests() {
  const connection = await network.connect();
  afterAll(async () => {
    await connection.close();
  });
  return {
    connection,
    time: connection.networkHelpers.time,
    loadFirm: () => connection.networkHelpers.loadFixture(firmFixture),
    loadUnequalFirm: () => connection.networkHelpers.loadFixture(unequalFirmFixture),
  };
}

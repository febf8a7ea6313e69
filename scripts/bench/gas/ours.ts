// Our side of the side-by-side gas benchmark: the same life cycle as scripts/bench/gas/reference.ts,
// played on the firm's contracts. Every figure is a receipt's gasUsed (what the sender pays,
// intrinsic 21,000 and calldata included).
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, parseEther } from "viem";
import { action } from "../../devFirm/action.ts";
import { confirmTransaction } from "../../devFirm/confirmTransaction.ts";
import { deployFirm } from "../../devFirm/deployFirm.ts";
import { Role, Support } from "../../devFirm/enums.ts";
import { TYPICAL_PROFILE } from "../../devFirm/profiles.ts";
import { DAY, YEAR } from "../../devFirm/time.ts";

/** Action name → gas used by its transaction. */
export type GasMap = Record<string, number>;

/** Runs the scenario on a fresh firm of 5 partners with 100 units each and returns the gas map. */
export async function runOurScenario(connection: NetworkConnection): Promise<GasMap> {
  const firm = await deployFirm(connection, { founders: 5, founderUnits: 100n });
  const { publicClient, networkHelpers, governance, partnership, revenueShare, timelock } = firm;
  const gas: GasMap = {};
  const record = async (name: string, hash: Promise<Hex>) => {
    gas[name] = Number((await confirmTransaction(publicClient, hash, name)).gasUsed);
  };
  const [p1, p2, p3, p4, p5] = firm.founders as [Address, Address, Address, Address, Address];

  // The same single action as the reference: the timelock changes its own delay.
  const updateDelay = action(timelock, "updateDelay", [2n * BigInt(DAY)]);
  const description = "Lengthen the timelock delay to two days";
  const { governor } = governance;
  const targets = [updateDelay.target];
  const values = [updateDelay.value];
  const calldatas = [updateDelay.data];
  const proposalId: bigint = await governor.read.hashProposal([
    targets,
    values,
    calldatas,
    descriptionHashOf(description),
  ]);
  await record("propose", governor.write.propose([targets, values, calldatas, description], { account: p1 }));
  await governance.startVoting();
  await record("castVote.first", governor.write.castVote([proposalId, Support.For], { account: p1 }));
  await record("castVote.later", governor.write.castVote([proposalId, Support.For], { account: p2 }));
  for (const voter of [p3, p4, p5])
    await governor.write.castVote([proposalId, Support.For], { account: voter });
  await governance.endVoting();
  const proposal = {
    id: proposalId,
    targets,
    values,
    calldatas,
    description,
    descriptionHash: descriptionHashOf(description),
  };
  await record("queue", governor.write.queue([targets, values, calldatas, proposal.descriptionHash]));
  await governance.passTimelock();
  await record("execute", governor.write.execute([targets, values, calldatas, proposal.descriptionHash]));

  // Grants are created by passed proposals, so the timelock sends them; impersonating it measures
  // the grant's own transaction, as deploying a vesting wallet is measured on the reference side.
  await networkHelpers.impersonateAccount(timelock.address);
  await networkHelpers.setBalance(timelock.address, parseEther("100"));
  const associate = firm.wallets[7]!.account.address;
  await partnership.write.admit(
    [associate, Role.Associate, "", 0, { units: 0n, start: 0, cliff: 0, duration: 0 }],
    {
      account: timelock.address,
    },
  );
  const terms = { units: 4_800n, start: 0, cliff: YEAR, duration: 4 * YEAR };
  await record(
    "grant.create",
    partnership.write.createGrant([associate, terms], { account: timelock.address }),
  );
  await record(
    "grant.create.toHolder",
    partnership.write.createGrant([p5, terms], { account: timelock.address }),
  );
  const grantId = 6n; // five founders' grants, then the associate's

  await networkHelpers.time.increase(YEAR + DAY);
  await record("release.first", partnership.write.release([grantId], { account: associate }));
  await networkHelpers.time.increase(30 * DAY);
  await record("release.later", partnership.write.release([grantId], { account: associate }));

  const now = await networkHelpers.time.latest();
  await record("cover.start", partnership.write.declareLeave([now + 30 * DAY, p1], { account: p2 }));
  await record("cover.accept", partnership.write.acceptCover([p2], { account: p1 }));

  // A cover casting both ballots at once on a fresh proposal.
  const second = await governance.propose([updateDelay], "Lengthen the delay again", p1);
  await governance.startVoting();
  await governor.write.castVote([second.id, Support.For], { account: p3 });
  await record("castVote.cover", governor.write.castVote([second.id, Support.For], { account: p1 }));

  // An ETH distribution of 10 ETH over released balances, then one holder claims.
  for (const founderGrant of [1n, 2n, 3n, 4n, 5n])
    await partnership.write.release([founderGrant], { account: p3 });
  await revenueShare.write.createDistribution(
    ["0x0000000000000000000000000000000000000000", parseEther("10")],
    {
      account: timelock.address,
      value: parseEther("10"),
    },
  );
  await networkHelpers.stopImpersonatingAccount(timelock.address);
  await record("distribution.claim", revenueShare.write.claim([1n], { account: p3 }));

  // A first directory record with every field (name, 3 skills, on site in Montréal with coordinates,
  // 50 km, an https contact): two fresh slots (the packed fields and the content hash) and the event.
  await record("setProfile", firm.directory.write.setProfile([TYPICAL_PROFILE], { account: p4 }));
  return gas;
}

function descriptionHashOf(description: string): Hex {
  return keccak(description);
}

import { keccak256, toBytes } from "viem";

function keccak(text: string): Hex {
  return keccak256(toBytes(text));
}

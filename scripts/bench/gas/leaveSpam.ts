// The leave-spam scenario of issue 9: one partner writes thousands of leave records (declare, the
// accomplice cover accepts, end early), then the firm governs as usual. The gas benchmark prints its
// rows next to the same actions on a fresh firm, and test/attacks.test.ts asserts the ratios, so both
// measure one scenario.
import { type Address, type Hex, keccak256, toBytes } from "viem";
import { action } from "../../devFirm/action.ts";
import { confirmTransaction } from "../../devFirm/confirmTransaction.ts";
import type { Firm } from "../../devFirm/deployFirm.ts";
import { Support } from "../../devFirm/enums.ts";
import type { Proposal } from "../../devFirm/governance.ts";
import { DAY } from "../../devFirm/time.ts";

/** Gas of each governance call, by name: receipts' gasUsed, or estimates for views. */
export type SpamGas = Record<string, number>;

/** A transaction sent without estimation (the spam is thousands of them) and checked. */
function mined(firm: Firm, what: string, hash: Promise<Hex>) {
  return confirmTransaction(firm.publicClient, hash, what);
}

/**
 * `spammer` writes `records` leaves, each asking `cover`, who accepts at once, and each ended the
 * next second; then waits out the cooldown. Runs under whatever leave rules the firm has: with the
 * defaults (a day's minimum, a week's cooldown) the records are spread over simulated years, which
 * is the fastest a partner can write them. Returns how many were written.
 */
export async function writeLeaveRecords(
  firm: Firm,
  spammer: Address,
  cover: Address,
  records: number,
  onProgress?: (written: number) => void,
): Promise<number> {
  const { networkHelpers, partnership } = firm;
  const [minLeave, cooldown] = await partnership.read.leaveRules();
  const gas = 300_000n;
  let now = await networkHelpers.time.latest();
  for (let i = 0; i < records; i++) {
    await networkHelpers.time.setNextBlockTimestamp(now + 1);
    // At least three seconds, so the acceptance and the early end (one block each) fall inside it.
    const until = now + 1 + Math.max(minLeave, 3);
    await mined(
      firm,
      "declareLeave",
      partnership.write.declareLeave([until, cover], { account: spammer, gas }),
    );
    await mined(firm, "acceptCover", partnership.write.acceptCover([spammer], { account: cover, gas }));
    await mined(firm, "endLeave", partnership.write.endLeave({ account: spammer, gas }));
    now = (await networkHelpers.time.latest()) + cooldown;
    if (onProgress && (i + 1) % 1_000 === 0) onProgress(i + 1);
  }
  await networkHelpers.time.setNextBlockTimestamp(now + 1);
  return records;
}

/**
 * One governance cycle measured call by call: `proposer` proposes a harmless change, `voters` vote
 * For (the first two measured: the spammer and their cover), and the proposal is queued and executed.
 * The views read what state, queue and execute read.
 */
export async function measureGovernanceCycle(
  firm: Firm,
  proposer: Address,
  voters: [Address, Address, ...Address[]],
  description: string,
): Promise<SpamGas> {
  const { governance, governor, partnership, publicClient, networkHelpers } = firm;
  const gas: SpamGas = {};
  const change = action(governor, "setGracePeriod", [14 * DAY]);
  const targets = [change.target];
  const values = [change.value];
  const calldatas = [change.data];
  const descriptionHash = keccak256(toBytes(description));
  const proposal: Proposal = {
    id: await governor.read.hashProposal([targets, values, calldatas, descriptionHash]),
    targets,
    values,
    calldatas,
    description,
    descriptionHash,
  };
  gas.propose = Number(
    (
      await mined(
        firm,
        "propose",
        governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, description], {
          account: proposer,
        }),
      )
    ).gasUsed,
  );
  await governance.startVoting();
  const [spammer, cover, ...others] = voters;
  const vote = async (voter: Address) =>
    Number(
      (await mined(firm, "castVote", governor.write.castVote([proposal.id, Support.For], { account: voter })))
        .gasUsed,
    );
  gas.castVote = await vote(spammer);
  gas["castVote.cover"] = await vote(cover);
  for (const voter of others) await vote(voter);
  await networkHelpers.time.increase(Number(await governor.read.votingPeriod()) + 1);
  const snapshot = await governor.read.proposalSnapshot([proposal.id]);
  const estimate = (functionName: string, args: readonly unknown[], address: Address, abi: unknown) =>
    publicClient.estimateContractGas({ address, abi, functionName, args } as never).then(Number);
  gas.state = await estimate("state", [proposal.id], governor.address, governor.abi);
  gas.headcountAt = await estimate("headcountAt", [snapshot], partnership.address, partnership.abi);
  gas.ballot = await estimate("ballot", [spammer, snapshot], partnership.address, partnership.abi);
  gas["ballot.cover"] = await estimate("ballot", [cover, snapshot], partnership.address, partnership.abi);
  gas.queue = Number(
    (await mined(firm, "queue", governor.write.queue([targets, values, calldatas, descriptionHash]))).gasUsed,
  );
  await governance.passTimelock();
  gas.execute = Number(
    (await mined(firm, "execute", governor.write.execute([targets, values, calldatas, descriptionHash])))
      .gasUsed,
  );
  return gas;
}

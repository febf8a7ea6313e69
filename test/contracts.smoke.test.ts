import { network } from "hardhat";
import { describe, expect, it } from "vitest";
import { action } from "../scripts/devFirm/action.ts";
import { deployFirm } from "../scripts/devFirm/deployFirm.ts";
import { ProposalState, Support } from "../scripts/devFirm/enums.ts";

describe("firm smoke", () => {
  it("passes a practice proposal and measures a vote", async () => {
    const connection = await network.connect();
    const firm = await deployFirm(connection);
    const [p1, p2, p3, p4, p5] = firm.founders;
    const proposal = await firm.governance.propose(
      [action(firm.practices, "createPractice", ["cloud", "Cloud Services", p1!])],
      "Create the cloud practice",
      p1!,
    );
    await firm.governance.startVoting();
    await firm.governance.vote(proposal, [p1!, p2!, p3!]);
    await firm.governance.vote(proposal, [p4!, p5!], Support.Against);
    expect(await firm.governor.read.proposalVotes([proposal.id])).toEqual([2000n, 3000n, 0n, 2n, 3n, 0n]);
    await firm.governance.endVoting();
    expect(await firm.governance.state(proposal)).toBe(ProposalState.Succeeded);
    await firm.governance.queue(proposal);
    await firm.governance.passTimelock();
    await firm.governance.execute(proposal);
    const membership = await firm.practices.read.membership(["cloud", p1!]);
    expect(membership.isMember).toBe(true);
    await connection.close();
  });
});

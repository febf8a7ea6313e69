import type { NetworkConnection } from "hardhat/types/network";
import { type Address, getAddress, parseEther, parseEventLogs, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { action } from "../scripts/devFirm/action.ts";
import { deployFirm, type Firm } from "../scripts/devFirm/deployFirm.ts";
import { FAST_PARAMETERS } from "../scripts/devFirm/parameters.ts";
import { DAY } from "../scripts/devFirm/time.ts";
import { connectForTests } from "./support/connection.ts";
import { confirm, customError, impersonateGovernance, outsiderOf, partnersOf } from "./support/firm.ts";

const { connection, time, loadFirm } = await connectForTests();

/**
 * Balances p1 3,000, p2 1,000, p3 0 (vested but not released), p4 1,000, p5 1,000: a supply of
 * 6,000. p4 is on leave, covered by p5. The treasury holds 100 ETH.
 */
async function holdersFixture(c: NetworkConnection) {
  const firm = await deployFirm(c);
  const [p1, , p3, p4, p5] = partnersOf(firm);
  const gov = await impersonateGovernance(firm);
  await confirm(
    firm,
    firm.partnership.write.createGrant([p1, { units: 2_000n, start: 0, cliff: 0, duration: 1 }], {
      account: gov,
    }),
  );
  await c.networkHelpers.time.increase(2);
  for (const grantId of [1n, 2n, 4n, 5n, 6n]) await confirm(firm, firm.partnership.write.release([grantId]));
  await confirm(
    firm,
    firm.partnership.write.declareLeave([(await c.networkHelpers.time.latest()) + 60 * DAY, p5], {
      account: p4,
    }),
  );
  await confirm(firm, firm.deployer.sendTransaction({ to: firm.timelock.address, value: parseEther("100") }));
  expect(await firm.partnership.read.balanceOf([p3])).toBe(0n);
  return firm;
}

const loadHolders = () => connection.networkHelpers.loadFixture(holdersFixture);

const ethOf = (firm: Firm, address: Address) => firm.publicClient.getBalance({ address });

/** Shares of `amount` for balances 3,000 / 1,000 / 1,000 / 1,000 of 6,000, rounded down. */
function sharesOf(amount: bigint) {
  return { big: (amount * 3_000n) / 6_000n, small: (amount * 1_000n) / 6_000n };
}

describe("ETH distributions", () => {
  it("pays pro rata to balances at the snapshot: leave does not matter, later releases do not count", async () => {
    const firm = await loadHolders();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const stranger = outsiderOf(firm);
    const amount = parseEther("6") + 5n;
    await firm.governance.pass(
      [action(firm.revenueShare, "createDistribution", [zeroAddress, amount], amount)],
      "Share Q1 revenue",
      [p1, p2, p3],
    );
    const createdAt = await time.latest();
    expect(await firm.revenueShare.read.distribution([1n])).toEqual([
      zeroAddress,
      amount,
      0n,
      1n,
      6_000n,
      createdAt + FAST_PARAMETERS.claimWindow,
    ]);
    expect(await ethOf(firm, firm.revenueShare.address)).toBe(amount);

    // After the snapshot: p3 releases their units, p2 gets and releases more. Neither changes a share.
    const gov = await impersonateGovernance(firm);
    await confirm(
      firm,
      firm.partnership.write.createGrant([p2, { units: 5_000n, start: 0, cliff: 0, duration: 1 }], {
        account: gov,
      }),
    );
    await time.increase(2);
    await confirm(firm, firm.partnership.write.release([3n]));
    await confirm(firm, firm.partnership.write.release([7n]));
    expect(await firm.partnership.read.balanceOf([p2])).toBe(6_000n);
    expect(await firm.partnership.read.balanceOfAt([p2, 1n])).toBe(1_000n);
    expect(await firm.partnership.read.totalSupplyAt([1n])).toBe(6_000n);

    const { big, small } = sharesOf(amount);
    expect(big).toBe(parseEther("3") + 2n);
    expect(small).toBe(parseEther("1"));
    expect(await firm.revenueShare.read.claimable([1n, p1])).toBe(big);
    expect(await firm.revenueShare.read.claimable([1n, p2])).toBe(small);
    expect(await firm.revenueShare.read.claimable([1n, p3])).toBe(0n);
    expect(await firm.revenueShare.read.claimable([1n, p4])).toBe(small);
    await expect(firm.revenueShare.write.claim([1n], { account: p3 })).rejects.toThrow(
      customError("DistributionNothingToClaim", 1n, p3),
    );

    // claimFor: anyone pays the holder; the holder's balance rises by exactly their share.
    for (const [holder, share] of [
      [p1, big],
      [p2, small],
      [p4, small],
      [p5, small],
    ] as const) {
      const before = await ethOf(firm, holder);
      const receipt = await confirm(
        firm,
        firm.revenueShare.write.claimFor([1n, holder], { account: stranger }),
      );
      expect((await ethOf(firm, holder)) - before).toBe(share);
      const [claimed] = parseEventLogs({
        abi: firm.revenueShare.abi,
        logs: receipt.logs,
        eventName: "DistributionClaimed",
      });
      expect(claimed?.args).toEqual({ distributionId: 1n, holder, amount: share });
      expect(await firm.revenueShare.read.hasClaimed([1n, holder])).toBe(true);
    }
    const claimed = big + 3n * small;
    expect(claimed).toBeLessThanOrEqual(amount);
    expect((await firm.revenueShare.read.distribution([1n]))[2]).toBe(claimed);
    expect(await ethOf(firm, firm.revenueShare.address)).toBe(amount - claimed);
  });

  it("lets each holder claim once, by claim or claimFor", async () => {
    const firm = await loadHolders();
    const [p1, p2] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const amount = parseEther("1");
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([zeroAddress, amount], { account: gov, value: amount }),
    );
    await confirm(firm, firm.revenueShare.write.claim([1n], { account: p1 }));
    await expect(firm.revenueShare.write.claim([1n], { account: p1 })).rejects.toThrow(
      customError("DistributionAlreadyClaimed", 1n, p1),
    );
    await expect(firm.revenueShare.write.claimFor([1n, p1], { account: p2 })).rejects.toThrow(
      customError("DistributionAlreadyClaimed", 1n, p1),
    );
    expect(await firm.revenueShare.read.claimable([1n, p1])).toBe(0n);
    await confirm(firm, firm.revenueShare.write.claimFor([1n, p2], { account: p1 }));
    await expect(firm.revenueShare.write.claim([1n], { account: p2 })).rejects.toThrow(
      /DistributionAlreadyClaimed/,
    );
    expect((await firm.revenueShare.read.distribution([1n]))[2]).toBe(
      sharesOf(amount).big + sharesOf(amount).small,
    );
  });

  it("returns the rest to the treasury after the claim window, and closes claims", async () => {
    const firm = await loadHolders();
    const [p1, p2, , p4] = partnersOf(firm);
    const stranger = outsiderOf(firm);
    const gov = await impersonateGovernance(firm);
    const amount = parseEther("1") + 1n;
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([zeroAddress, amount], { account: gov, value: amount }),
    );
    const deadline = (await firm.revenueShare.read.distribution([1n]))[5];
    await confirm(firm, firm.revenueShare.write.claim([1n], { account: p1 }));
    await expect(firm.revenueShare.write.reclaim([1n], { account: stranger })).rejects.toThrow(
      customError("DistributionClaimOpen", 1n, deadline),
    );

    // The deadline itself is still inside the window.
    await time.setNextBlockTimestamp(deadline);
    await confirm(firm, firm.revenueShare.write.claim([1n], { account: p2 }));
    await expect(firm.revenueShare.simulate.reclaim([1n], { account: stranger })).rejects.toThrow(
      /DistributionClaimOpen/,
    );
    await time.increase(1);
    await expect(firm.revenueShare.write.claim([1n], { account: p4 })).rejects.toThrow(
      customError("DistributionClaimClosed", 1n, deadline),
    );
    await expect(firm.revenueShare.write.claimFor([1n, p4], { account: stranger })).rejects.toThrow(
      /DistributionClaimClosed/,
    );
    expect(await firm.revenueShare.read.claimable([1n, p4])).toBe(0n);

    const { big, small } = sharesOf(amount);
    const rest = amount - big - small;
    const treasuryBefore = await ethOf(firm, firm.timelock.address);
    const receipt = await confirm(firm, firm.revenueShare.write.reclaim([1n], { account: stranger }));
    const [reclaimed] = parseEventLogs({
      abi: firm.revenueShare.abi,
      logs: receipt.logs,
      eventName: "DistributionReclaimed",
    });
    expect(reclaimed?.args).toEqual({ distributionId: 1n, amount: rest });
    expect((await ethOf(firm, firm.timelock.address)) - treasuryBefore).toBe(rest);
    expect(await ethOf(firm, firm.revenueShare.address)).toBe(0n);
    expect((await firm.revenueShare.read.distribution([1n]))[2]).toBe(amount);
    await expect(firm.revenueShare.write.reclaim([1n], { account: stranger })).rejects.toThrow(
      /DistributionNothingToClaim/,
    );
    await expect(firm.revenueShare.write.claim([1n], { account: p4 })).rejects.toThrow(
      /DistributionClaimClosed/,
    );
  });

  it("keeps each distribution on its own snapshot, also across a buy-back that burns units", async () => {
    const firm = await loadHolders();
    const [p1, , p3, , p5] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    const amount = parseEther("6");
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([zeroAddress, amount], { account: gov, value: amount }),
    );
    // Between the two snapshots: p3 releases 1,000; p5 retires and their 1,000 units are bought back.
    await confirm(firm, firm.partnership.write.release([3n]));
    const price = parseEther("2");
    await confirm(
      firm,
      firm.partnership.write.retire([p5, p1, zeroAddress, price], { account: gov, value: price }),
    );
    expect(await firm.partnership.read.balanceOf([p5])).toBe(0n);
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([zeroAddress, amount], { account: gov, value: amount }),
    );

    expect(await firm.partnership.read.totalSupplyAt([1n])).toBe(6_000n);
    expect(await firm.partnership.read.totalSupplyAt([2n])).toBe(6_000n);
    expect(await firm.revenueShare.read.claimable([1n, p3])).toBe(0n);
    expect(await firm.revenueShare.read.claimable([2n, p3])).toBe(parseEther("1"));
    expect(await firm.revenueShare.read.claimable([1n, p5])).toBe(parseEther("1"));
    expect(await firm.revenueShare.read.claimable([2n, p5])).toBe(0n);
    const before = await ethOf(firm, p3);
    await confirm(firm, firm.revenueShare.write.claimFor([2n, p3], { account: p1 }));
    expect((await ethOf(firm, p3)) - before).toBe(parseEther("1"));
    await confirm(firm, firm.revenueShare.write.claimFor([1n, p5], { account: p1 }));
    await expect(firm.revenueShare.write.claimFor([2n, p5], { account: p1 })).rejects.toThrow(
      /DistributionNothingToClaim/,
    );
    await expect(firm.partnership.read.balanceOfAt([p1, 3n])).rejects.toThrow(/SnapshotUnknown/);
  });
});

describe("ERC-20 distributions", () => {
  it("pays a stablecoin pro rata; the proposal approves the revenue share, then distributes", async () => {
    const firm = await loadHolders();
    const [p1, p2, p3, p4, p5] = partnersOf(firm);
    const usd = await firm.viem.deployContract("TestStablecoin");
    expect(await usd.read.decimals()).toBe(6);
    const amount = 12_345_678_901n;
    await confirm(firm, usd.write.mint([firm.timelock.address, amount]));
    await firm.governance.pass(
      [
        action(usd, "approve", [firm.revenueShare.address, amount]),
        action(firm.revenueShare, "createDistribution", [usd.address, amount]),
      ],
      "Share Q1 revenue in tUSD",
      [p1, p2, p3],
    );
    expect(await usd.read.balanceOf([firm.timelock.address])).toBe(0n);
    expect(await usd.read.balanceOf([firm.revenueShare.address])).toBe(amount);
    expect((await firm.revenueShare.read.distribution([1n]))[0]).toBe(getAddress(usd.address));

    const { big, small } = sharesOf(amount);
    for (const [holder, share] of [
      [p1, big],
      [p2, small],
      [p4, small],
      [p5, small],
    ] as const) {
      await confirm(firm, firm.revenueShare.write.claim([1n], { account: holder }));
      expect(await usd.read.balanceOf([holder])).toBe(share);
    }
    await expect(firm.revenueShare.write.claim([1n], { account: p3 })).rejects.toThrow(
      /DistributionNothingToClaim/,
    );
    const claimed = big + 3n * small;
    expect(claimed).toBeLessThanOrEqual(amount);
    expect(await usd.read.balanceOf([firm.revenueShare.address])).toBe(amount - claimed);

    await time.increase(FAST_PARAMETERS.claimWindow + 1);
    await confirm(firm, firm.revenueShare.write.reclaim([1n]));
    expect(await usd.read.balanceOf([firm.timelock.address])).toBe(amount - claimed);
    expect(await usd.read.balanceOf([firm.revenueShare.address])).toBe(0n);
  });
});

describe("distribution rules", () => {
  it("rejects empty, mismatched and unbacked distributions, and unknown ids", async () => {
    const firm = await loadFirm();
    const [p1] = partnersOf(firm);
    const gov = await impersonateGovernance(firm);
    // Nobody has released a unit yet: there is nothing to share over.
    expect(await firm.partnership.read.totalSupply()).toBe(0n);
    await expect(
      firm.revenueShare.write.createDistribution([zeroAddress, 10n], { account: gov, value: 10n }),
    ).rejects.toThrow(/DistributionNoSupply/);
    await confirm(firm, firm.partnership.write.release([1n]));
    await expect(
      firm.revenueShare.write.createDistribution([zeroAddress, 0n], { account: gov }),
    ).rejects.toThrow(customError("DistributionInvalidAmount", 0n, 0n));
    await expect(
      firm.revenueShare.write.createDistribution([zeroAddress, 10n], { account: gov, value: 9n }),
    ).rejects.toThrow(customError("DistributionInvalidAmount", 10n, 9n));
    await expect(
      firm.revenueShare.write.createDistribution([outsiderOf(firm), 10n], { account: gov, value: 10n }),
    ).rejects.toThrow(/DistributionInvalidAmount/);
    await expect(
      firm.revenueShare.write.createDistribution([zeroAddress, 2n ** 96n], { account: gov, value: 0n }),
    ).rejects.toThrow(/DistributionInvalidAmount/);
    await expect(firm.revenueShare.write.claim([1n], { account: p1 })).rejects.toThrow(
      customError("DistributionUnknown", 1n),
    );
    await expect(firm.revenueShare.write.reclaim([7n])).rejects.toThrow(/DistributionUnknown/);
  });

  it("bounds the claim window, and a new window applies to later distributions only", async () => {
    const firm = await loadHolders();
    const gov = await impersonateGovernance(firm);
    const min = await firm.revenueShare.read.MIN_CLAIM_WINDOW();
    const max = await firm.revenueShare.read.MAX_CLAIM_WINDOW();
    expect([min, max]).toEqual([DAY, 730 * DAY]);
    await expect(firm.revenueShare.write.setClaimWindow([min - 1], { account: gov })).rejects.toThrow(
      customError("ClaimWindowInvalid", min - 1),
    );
    await expect(firm.revenueShare.write.setClaimWindow([max + 1], { account: gov })).rejects.toThrow(
      /ClaimWindowInvalid/,
    );
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([zeroAddress, 10n], { account: gov, value: 10n }),
    );
    const firstDeadline = (await firm.revenueShare.read.distribution([1n]))[5];
    await confirm(firm, firm.revenueShare.write.setClaimWindow([max], { account: gov }));
    expect(await firm.revenueShare.read.claimWindow()).toBe(max);
    expect((await firm.revenueShare.read.distribution([1n]))[5]).toBe(firstDeadline);
    await confirm(
      firm,
      firm.revenueShare.write.createDistribution([zeroAddress, 10n], { account: gov, value: 10n }),
    );
    expect((await firm.revenueShare.read.distribution([2n]))[5]).toBe((await time.latest()) + max);
  });
});

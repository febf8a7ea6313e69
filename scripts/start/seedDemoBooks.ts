// The demo firm's books (Books.sol), seeded for `npm start` so the Books view and `firm books` are not
// empty on the first start, in two proposals only (each costs a voting delay, a period and the
// timelock): a test stablecoin (tUSD, 6 decimals, dev chain only) allowed with a cloud budget and the
// firm's shared-costs budget; two months of clients' invoices across the three practices and some
// payments; then the first month closed into practice pools with its lockstep distribution, and two
// pool claims. Part of seedDemoFirm's story (it runs before the leave and the open proposal, whose
// timing the month's advance would break).
import { type Address, erc20Abi, getContract, type Hex, parseAbi, parseUnits } from "viem";
import { action } from "../devFirm/action.ts";
import { confirmTransaction } from "../devFirm/confirmTransaction.ts";
import type { Firm } from "../devFirm/deployFirm.ts";
import { DAY } from "../devFirm/time.ts";

const usd = (amount: string) => parseUnits(amount, 6);
const MONTHLY = 0;

export interface DemoBooks {
  stablecoin: Address;
  /** The month closed by proposal (yyyymm). */
  closedMonth: number;
  /** The RevenueShare distribution the close created from its lockstep share. */
  lockstepDistributionId: bigint;
}

/** Month `yyyymm` + 1. */
const nextMonth = (yyyymm: number) => (yyyymm % 100 === 12 ? yyyymm + 89 : yyyymm + 1);
/** The first second of month `yyyymm` (UTC). */
const monthStart = (yyyymm: number) => Date.UTC(Math.floor(yyyymm / 100), (yyyymm % 100) - 1, 1) / 1000;

export async function seedDemoBooks(
  firm: Firm,
  { partners, client, vendor }: { partners: Address[]; client: Address; vendor: Address },
): Promise<DemoBooks> {
  const { governance, networkHelpers, publicClient, viem, revenueShare, books } = firm;
  const [p1, p2] = partners as [Address, Address];
  const send = (hash: Promise<Hex>) => confirmTransaction(publicClient, hash, "Books seed transaction");
  const deployed = await viem.deployContract("TestStablecoin");
  // The ERC-20 ABI plus the test token's open mint, so the seed reads and mints with one client.
  const coin = getContract({
    address: deployed.address,
    abi: [...erc20Abi, ...parseAbi(["function mint(address to, uint256 amount)"])],
    client: { public: publicClient, wallet: firm.deployer },
  });

  await governance.pass(
    [
      action(books, "allowToken", [coin.address, true]),
      action(books, "setBudget", ["cloud", coin.address, usd("2000"), MONTHLY, false, []]),
      action(books, "setBudget", ["", coin.address, usd("1500"), MONTHLY, true, [p1]]),
    ],
    "# Books: accept tUSD, a cloud budget and the firm's shared costs\n\n" +
      "Clients may pay in tUSD. Cloud Services spends up to 2,000 tUSD a month without a vote (its lead, #2); " +
      "the firm's shared costs up to 1,500 tUSD a month, unspent rolling over, spent by #1.",
    partners,
  );

  await send(coin.write.mint([client, usd("100000")]));
  await send(coin.write.approve([books.address, usd("100000")], { account: client }));
  const invoice = (slug: string, amount: string, ref: string) =>
    send(books.write.depositToken([coin.address, usd(amount), slug, ref], { account: client }));
  const pay = (slug: string, payee: Address, amount: string, ref: string, memo: string, spender: Address) =>
    send(books.write.pay([slug, payee, usd(amount), ref, memo], { account: spender }));

  const first = Number(await books.read.monthOf([BigInt(await networkHelpers.time.latest())]));
  await invoice("accounting", "4200", "INV-2026-0139");
  await invoice("cloud", "6800", "INV-2026-0140");
  await invoice("phones", "2900", "INV-2026-0141");
  await pay("cloud", vendor, "1250", "AZ-7731", "Azure subscription", p2);
  await pay("", vendor, "900", "RENT-01", "Office rent", p1);

  // The next month: the first has ended and may close.
  await networkHelpers.time.increaseTo(monthStart(nextMonth(first)) + DAY);
  await invoice("accounting", "3900", "INV-2026-0142");
  await invoice("cloud", "7400", "INV-2026-0143");
  await invoice("phones", "3100", "INV-2026-0144");
  await pay("cloud", vendor, "1310", "AZ-7802", "Azure subscription", p2);
  await pay("", vendor, "900", "RENT-02", "Office rent", p1);

  // Months close in order from the first the token moved in: the allowance's proposal's month.
  const closedMonth = Number(await books.read.nextMonthToClose([coin.address]));
  const [, , lockstep] = await books.read.previewClose([closedMonth, coin.address]);
  const distributionsBefore = await revenueShare.read.distributionCount();
  await governance.pass(
    [
      action(books, "closePeriod", [closedMonth, coin.address, lockstep]),
      action(coin, "approve", [revenueShare.address, lockstep]),
      action(revenueShare, "createDistribution", [coin.address, lockstep]),
    ],
    `# Close ${Math.floor(closedMonth / 100)}-${String(closedMonth % 100).padStart(2, "0")} in tUSD\n\n` +
      "Each practice's pool takes half its net; the lockstep rest is distributed to the equity holders.",
    partners,
  );
  // Two members claim their share of their practice's pool.
  const poolCount = Number(await books.read.poolCount());
  for (let poolId = 1n; poolId <= BigInt(poolCount); poolId++) {
    for (const member of [p1, p2]) {
      if ((await books.read.claimablePool([poolId, member])) > 0n)
        await send(books.write.claimPool([poolId], { account: member }));
    }
  }
  return { stablecoin: coin.address, closedMonth, lockstepDistributionId: distributionsBefore + 1n };
}

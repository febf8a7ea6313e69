// The books' rows of the gas benchmark (issue 13): deposits, a payment within a budget against a bare
// ERC-20 transfer of the same token, the monthly close of a firm of three practices and twenty
// members, and a member's pool claim. Every figure is a receipt's gasUsed. Governance calls are sent
// by the impersonated timelock, as the grant rows are: the figure is the call itself, not a vote.
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, keccak256, parseEther, toBytes } from "viem";
import { confirmTransaction } from "../../devFirm/confirmTransaction.ts";
import { deployFirm } from "../../devFirm/deployFirm.ts";
import { PracticeRole, Role } from "../../devFirm/enums.ts";
import type { GasMap } from "./ours.ts";

const SLUGS = ["net", "sec", "cloud"] as const;
/** Members besides the five founders, so that the firm has twenty. */
const EXTRA_MEMBERS = 15;

/** The calendar month (`yyyymm`, UTC) of a Unix time, as Books.monthOf computes it. */
export function monthOf(seconds: number): number {
  const date = new Date(seconds * 1000);
  return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
}

/** The first second of the month after the one `seconds` falls in. */
export function startOfNextMonth(seconds: number): number {
  const date = new Date(seconds * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
}

/** Runs the books' scenario on a fresh firm; returns our figures and their references (a bare transfer for `pay`). */
export async function runBooksScenario(
  connection: NetworkConnection,
): Promise<{ ours: GasMap; reference: GasMap }> {
  const firm = await deployFirm(connection, { founders: 5 });
  const { publicClient, networkHelpers, books, practices, partnership, timelock, wallets } = firm;
  const ours: GasMap = {};
  const reference: GasMap = {};
  const gasOf = async (name: string, hash: Promise<Hex>) =>
    Number((await confirmTransaction(publicClient, hash, name)).gasUsed);
  const [p1, p2, p3] = firm.founders as [Address, Address, Address];
  const client = wallets[6]!.account.address;

  await networkHelpers.impersonateAccount(timelock.address);
  await networkHelpers.setBalance(timelock.address, parseEther("100"));
  const asTimelock = { account: timelock.address };
  const usd = await connection.viem.deployContract("TestStablecoin");
  await confirmTransaction(publicClient, books.write.allowToken([usd.address, true], asTimelock));

  // Three practices led by three founders; the other two founders and fifteen associates seated
  // across them as members and technicians: twenty members in all.
  for (const [i, slug] of SLUGS.entries()) {
    await confirmTransaction(
      publicClient,
      practices.write.createPractice([slug, `Practice ${slug}`, [p1, p2, p3][i]!], asTimelock),
    );
  }
  const extra = Array.from(
    { length: EXTRA_MEMBERS },
    (_, i) => keccak256(toBytes(`bench member ${i}`)).slice(0, 42) as Address,
  );
  for (const [i, account] of extra.entries()) {
    const role = i % 3 === 0 ? PracticeRole.Technician : PracticeRole.Member;
    await confirmTransaction(
      publicClient,
      partnership.write.admit(
        [account, Role.Associate, SLUGS[i % 3]!, role, { units: 0n, start: 0, cliff: 0, duration: 0 }],
        asTimelock,
      ),
    );
  }
  for (const [i, founder] of firm.founders.slice(3).entries()) {
    await confirmTransaction(
      publicClient,
      practices.write.setPracticeMember([SLUGS[i]!, founder as Address, PracticeRole.Member], asTimelock),
    );
  }

  // Money in: the first deposit of the month starts the month's books for the firm; the measured
  // ones are a client paying an invoice of a practice already paid this month, in ETH and in USD.
  await confirmTransaction(
    publicClient,
    books.write.deposit(["net", "INV-1000"], { account: client, value: parseEther("1") }),
  );
  ours.deposit = await gasOf(
    "deposit",
    books.write.deposit(["net", "INV-1001"], { account: client, value: parseEther("30") }),
  );
  await confirmTransaction(publicClient, usd.write.mint([client, 1_000_000_000_000n]));
  await confirmTransaction(
    publicClient,
    usd.write.approve([books.address, 1_000_000_000_000n], { account: client }),
  );
  await confirmTransaction(
    publicClient,
    books.write.depositToken([usd.address, 10_000_000n, "net", "INV-1002"], { account: client }),
  );
  ours["deposit.token"] = await gasOf(
    "deposit.token",
    books.write.depositToken([usd.address, 50_000_000_000n, "net", "INV-1003"], { account: client }),
  );
  for (const [i, slug] of SLUGS.slice(1).entries()) {
    await confirmTransaction(
      publicClient,
      books.write.depositToken([usd.address, BigInt(20_000_000_000 * (i + 1)), slug, `INV-20${i}`], {
        account: client,
      }),
    );
  }

  // A payment within the practice's USD budget, by its lead, to a supplier who never held USD, with
  // an invoice reference and a memo; the reference is a bare transfer of the same token to another
  // such supplier, from an account that already holds it.
  await confirmTransaction(
    publicClient,
    books.write.setBudget(["net", usd.address, 5_000_000_000n, 0, false, []], asTimelock),
  );
  await confirmTransaction(
    publicClient,
    books.write.pay(["net", client, 1_000_000n, "SUP-1", "first bill"], { account: p1 }),
  );
  ours.pay = await gasOf(
    "pay",
    books.write.pay(["net", wallets[8]!.account.address, 1_200_000_000n, "SUP-2", "Licences, March"], {
      account: p1,
    }),
  );
  reference.pay = await gasOf(
    "pay.reference",
    usd.write.transfer([wallets[9]!.account.address, 1_200_000_000n], { account: client }),
  );
  // A firm cost paid by proposal, so the close nets the firm's own line too.
  await confirmTransaction(
    publicClient,
    books.write.payByProposal(
      ["", usd.address, wallets[10]!.account.address, 3_000_000_000n, "RENT", ""],
      asTimelock,
    ),
  );

  // The close of the month in USD: three practice pools frozen over twenty seats, the lockstep rest
  // sent to the timelock.
  const now = await networkHelpers.time.latest();
  const month = monthOf(now);
  await networkHelpers.time.increaseTo(startOfNextMonth(now) + 60);
  const [, , lockstep] = await books.read.previewClose([month, usd.address]);
  ours.closePeriod = await gasOf(
    "closePeriod",
    books.write.closePeriod([month, usd.address, lockstep], asTimelock),
  );
  await networkHelpers.stopImpersonatingAccount(timelock.address);

  // The lead of "net" claims its pool (the first created).
  ours.claimPool = await gasOf("claimPool", books.write.claimPool([1n], { account: p1 }));
  return { ours, reference };
}

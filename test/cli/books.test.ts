// The books from the command line, against the demo firm of `npm start` on a real in-process chain
// (test/cli/support/seededChain.ts: no mirror, no API), each command a child process, in order on one
// chain: a budget for cloud passed by proposal (propose, vote, queue, execute through the CLI), a
// client's deposit, a payment within the budget and one over it, a payment by someone who may not
// spend it, and the month closed by proposal into cloud's pool and a lockstep distribution.
import { createPublicClient, http, parseEther, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { booksAbi } from "../../contracts/abi.ts";
import { expectExit, type FirmResult } from "./support/runFirm.ts";
import { useSeededChain } from "./support/useSeededChain.ts";

const SLOW = 300_000;
const chain = useSeededChain("books");
const { firm, partner } = chain;

function readBooks<T>(functionName: string, args: readonly unknown[]): Promise<T> {
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  return client.readContract({
    address: chain.manifest.contracts.books,
    abi: booksAbi,
    functionName,
    args,
  } as never) as Promise<T>;
}

/** Proposes with `firm propose … --as 1 --json`, and passes it: #1–#3 vote For, queue, execute. */
async function pass(...args: string[]): Promise<{ description: string; events: string[] }> {
  const proposed = expectExit(await firm("propose", ...args, "--as", "1", "--json"), 0);
  const { id, description } = proposed.json<{ proposal: { id: string; description: string } }>().proposal;
  expectExit(await firm("dev", "advance", "61m"), 0);
  for (const voter of ["1", "2", "3"]) expectExit(await firm("vote", id, "for", "--as", voter), 0);
  expectExit(await firm("dev", "advance", "3d"), 0);
  expectExit(await firm("queue", id, "--as", "1"), 0);
  expectExit(await firm("dev", "advance", "1d1m"), 0);
  const executed = expectExit(await firm("execute", id, "--as", "1", "--json"), 0).json<{
    events: string[];
  }>();
  return { description, events: executed.events };
}

let depositMonth: string;

/** The transaction hash a `firm pay` printed. */
function paidTx(result: FirmResult): string {
  const hash = /0x[0-9a-f]{64}/.exec(result.stdout)?.[0];
  expect(hash, result.stdout).toBeDefined();
  return hash as string;
}

describe("a budget, payments and a deposit", () => {
  it(
    "passes a monthly ETH budget for cloud by proposal",
    async () => {
      const { events } = await pass(
        "budget",
        "--practice",
        "cloud",
        "--amount",
        "1",
        "--cadence",
        "monthly",
        "--spender",
        partner(4),
      );
      expect(events).toContain("BudgetSet");
      const budget = expectExit(await firm("budget", "cloud", "--json"), 0).json<{
        budget: { amount: string; cadence: string; used: string; remaining: string; token: string };
      }>().budget;
      expect(budget).toMatchObject({
        amount: parseEther("1").toString(),
        cadence: "MONTHLY",
        used: "0",
        remaining: parseEther("1").toString(),
        token: zeroAddress,
      });
      expect(expectExit(await firm("budget"), 0).stdout).toContain("the firm has no budget");
    },
    SLOW,
  );

  it(
    "takes a client's deposit tagged with cloud and an invoice",
    async () => {
      const deposited = expectExit(
        await firm(
          "deposit",
          "--practice",
          "cloud",
          "--amount",
          "3",
          "--ref",
          "INV-2026-0142",
          "--as",
          "9",
          "--json",
        ),
        0,
      ).json<{ amount: string; ref: string; month: string; repeatedReference: boolean }>();
      expect(deposited).toMatchObject({
        amount: parseEther("3").toString(),
        ref: "INV-2026-0142",
        repeatedReference: false,
      });
      depositMonth = deposited.month;
      expect(depositMonth).toMatch(/^\d{4}-\d{2}$/);
      const again = expectExit(
        await firm(
          "deposit",
          "--practice",
          "cloud",
          "--amount",
          "0.000001",
          "--ref",
          "INV-2026-0142",
          "--as",
          "9",
        ),
        0,
      );
      expect(again.stdout).toContain("was used by an earlier deposit");
    },
    SLOW,
  );

  it(
    "pays within the budget, and refuses over it, twice against one reference, or by a non-spender",
    async () => {
      const payee = partner(5);
      /** `firm pay` from cloud's budget to #5, as `signer`, with `--ref` when given. */
      const payCloud = (amount: string, memo: string, signer: string, ref?: string) =>
        firm(
          ...[
            "pay",
            "--practice",
            "cloud",
            "--to",
            payee,
            "--amount",
            amount,
            "--memo",
            memo,
            "--as",
            signer,
          ],
          ...(ref ? ["--ref", ref] : []),
        );
      const paid = expectExit(await payCloud("0.4", "Cloud hosting", "2", "AWS-2026-11"), 0);
      expect(paid.stdout).toContain(
        `Paid 0.4 ETH to ${payee} from cloud's budget (ref AWS-2026-11): Cloud hosting`,
      );
      expect(paid.stdout).toContain("0.6 ETH left this period");

      const over = expectExit(await payCloud("0.7", "Too much", "2"), 2);
      expect(over.stderr).toContain("is over budget");
      expect(over.stderr).toContain("firm budget <practice>");

      // Refused by the CLI itself, before sending: the earlier Paid event, found by its payee topic.
      const twice = expectExit(await payCloud("0.1", "Again", "2", "AWS-2026-11"), 2);
      expect(twice.stderr).toContain(
        `${payee} was already paid against reference "AWS-2026-11", in transaction ${paidTx(paid)}`,
      );
      expect(twice.stderr).toContain("nothing was sent");
      expect(twice.stderr).toContain("--allow-repeat");
      // Another reference to the same payee, or no reference, is not a repeat (refused here for the budget).
      const other = expectExit(await payCloud("0.7", "Other invoice", "2", "AWS-2026-12"), 2);
      expect(other.stderr).toContain("is over budget");

      const stranger = expectExit(await payCloud("0.1", "Mine", "3"), 2);
      expect(stranger.stderr).toContain("may not spend this budget");

      const noBudget = expectExit(
        await firm("pay", "--firm", "--to", payee, "--amount", "0.1", "--memo", "Rent", "--as", "1"),
        2,
      );
      expect(noBudget.stderr).toContain("the firm has no budget in force");

      const budget = expectExit(await firm("budget", "cloud", "--json"), 0).json<{
        budget: { used: string; remaining: string };
      }>().budget;
      expect(budget).toEqual(
        expect.objectContaining({
          used: parseEther("0.4").toString(),
          remaining: parseEther("0.6").toString(),
        }),
      );
    },
    SLOW,
  );
});

describe("closing a month by proposal", () => {
  it(
    "closes the deposit's month into cloud's pool and a lockstep distribution",
    async () => {
      // Past the month's end: a month closes only once it has ended.
      expectExit(await firm("dev", "advance", "32d"), 0);
      const early = expectExit(await firm("propose", "close-period", "--month", "2099-01", "--as", "1"), 2);
      expect(early.stderr).toContain("cannot close");
      const [yyyy, mm] = depositMonth.split("-").map(Number) as [number, number];
      const month = yyyy * 100 + mm;
      // Earlier months this token moved in (none in the demo so far) close first, in order.
      for (;;) {
        const next = Number(await readBooks<number>("nextMonthToClose", [zeroAddress]));
        expect(next).toBeGreaterThan(0);
        if (next > month) break;
        const label = `${Math.floor(next / 100)}-${String(next % 100).padStart(2, "0")}`;
        const [, , lockstep] = await readBooks<readonly [bigint, bigint, bigint]>("previewClose", [
          next,
          zeroAddress,
        ]);
        // The proposal says what it will do: the preview is its description.
        const { description: stderr, events } = await pass("close-period", "--month", label);
        expect(stderr).toContain(`Close ${label} in ETH`);
        expect(events).toContain("PeriodClosed");
        if (next === month) {
          // cloud: 3.000001 in, 0.4 out; half its net to its pool by the default rule, the rest lockstep.
          expect(stderr).toContain("pool of cloud: 1.3000005 ETH");
          expect(lockstep).toBe(parseEther("1.3000005"));
          expect(stderr).toContain("lockstep: 1.3000005 ETH, distributed");
          expect(events).toEqual(expect.arrayContaining(["PoolCreated", "DistributionCreated"]));
        }
      }
      const again = expectExit(
        await firm("propose", "close-period", "--month", depositMonth, "--as", "1"),
        2,
      );
      expect(again.stderr).toContain("cannot close");
    },
    SLOW,
  );
});

describe("bad input, refused before anything is sent", () => {
  it("names the flag and the fix", async () => {
    const cases: [string[], string][] = [
      [["pay", "--to", partner(5), "--amount", "1", "--memo", "x"], "--practice is required"],
      [
        ["pay", "--practice", "cloud", "--firm", "--to", partner(5), "--amount", "1", "--memo", "x"],
        "--firm and --practice name two budgets",
      ],
      [["pay", "--practice", "cloud", "--to", partner(5), "--amount", "1"], "--memo is required"],
      [
        ["pay", "--practice", "cloud", "--to", "0x12", "--amount", "1", "--memo", "x"],
        '--to "0x12" is not an address',
      ],
      [["deposit", "--practice", "cloud", "--amount", "1", "--ref", " "], "--ref is empty"],
      [["books", "--from", "2026-13"], '--from "2026-13" is not a month'],
      [["books", "--csv", "--json"], "--csv and --json are two formats"],
      [
        ["propose", "budget", "--practice", "cloud", "--amount", "1", "--cadence", "weekly"],
        '--cadence "weekly" is not one of monthly, quarterly',
      ],
      [
        ["propose", "profit-rule", "--practice-share", "50%", "--weights", "3/2"],
        '--weights "3/2" is not lead/member/technician weights',
      ],
      [
        ["propose", "profit-rule", "--practice-share", "101%", "--weights", "3/2/1"],
        '--practice-share "101%" is not a share',
      ],
      [["propose", "close-period", "--month", "November"], '--month "November" is not a month'],
      [["propose", "allow-token"], "`firm propose allow-token` is missing an argument"],
      [
        ["propose", "close-period", "--month", "2026-11", "--cadence", "monthly"],
        "--cadence does not apply to `firm propose close-period`",
      ],
    ];
    for (const [args, message] of cases) {
      const result = expectExit(await firm(...args), 2);
      // With --json the refusal is the JSON object on stdout.
      expect(result.stderr + result.stdout, args.join(" ")).toContain(message);
    }
  });
});

describe("a repeated payment reference, knowingly", () => {
  // The contract accepts a repeat (the mirror flags it); the CLI refuses it unless told. Last in the
  // file, so the extra payment changes no figure the tests above check.
  it(
    "pays again with --allow-repeat after the CLI's refusal",
    async () => {
      const payee = partner(4);
      expectExit(
        await firm("deposit", "--practice", "cloud", "--amount", "1", "--ref", "INV-REPEAT", "--as", "9"),
        0,
      );
      const pay = (...extra: string[]) =>
        firm(
          ...["pay", "--practice", "cloud", "--to", payee, "--amount", "0.01", "--memo", "Licences"],
          ...["--ref", "LIC-1", "--as", "2", ...extra],
        );
      const first = expectExit(await pay(), 0);
      expect(expectExit(await pay(), 2).stderr).toContain(`in transaction ${paidTx(first)}`);
      const again = expectExit(await pay("--allow-repeat"), 0);
      expect(again.stdout).toContain(`to ${payee} from cloud's budget (ref LIC-1)`);
      expect(paidTx(again)).not.toBe(paidTx(first));
    },
    SLOW,
  );
});

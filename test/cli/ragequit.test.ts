// `firm ragequit` and `firm ragequit claim`: a member withdraws from the firm with their share of the
// treasury, against the demo firm of `npm start` on a real in-process chain (test/cli/support/
// seededChain.ts: no mirror, no API), each command a child process. The tests run in order and share
// the chain. In the seed every founder voted For the executed 2 ETH distribution, a fund-moving
// proposal that is over: the command finds it in the chain's events and hands it to the desk. A new
// distribution is then proposed and voted For by #1 and by #5 (casting #4's ballot as their cover):
// while it is live, neither #1 nor #4 may leave; #2 may, and claims; once it executed, #1 may too.
import { createPublicClient, http, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { asSentence } from "../../api/web/public/words.js";
import { partnershipAbi, withdrawalsAbi } from "../../contracts/abi.ts";
import { expectExit } from "./support/runFirm.ts";
import { useSeededChain } from "./support/useSeededChain.ts";

const SLOW = 300_000;
const chain = useSeededChain("ragequit");
const { firm, partner } = chain;

function client() {
  return createPublicClient({ transport: http(chain.rpcUrl) });
}

/** A member's status (IPartnership.MemberStatus) and unit balance, read from the chain. */
async function memberState(account: `0x${string}`): Promise<{ status: number; units: bigint }> {
  const address = chain.manifest.contracts.partnership;
  const [[, status], units] = await Promise.all([
    client().readContract({ address, abi: partnershipAbi, functionName: "memberOf", args: [account] }),
    client().readContract({ address, abi: partnershipAbi, functionName: "balanceOf", args: [account] }),
  ]);
  return { status, units };
}

interface Share {
  token: string | null;
  symbol: string;
  amount: string;
}

/** The distribution proposed in these tests: live while #1 and #4 try to leave, then executed. */
let liveDistribution: string;
/** What `firm ragequit` (without --yes) said #2 would get. */
let previewShares: Share[];

describe("refusals", () => {
  it(
    "sends nothing without --yes, and shows what the member would get",
    async () => {
      const before = await memberState(partner(2));
      const dry = expectExit(await firm("ragequit", "--as", "2"), 2);
      expect(dry.stdout).toContain(`Withdrawing ${partner(2)} from the firm would, irreversibly:`);
      expect(dry.stdout).toMatch(/burn {11}1,000 units of [\d,]+ outstanding \([\d.]+%\)/);
      expect(dry.stdout).toMatch(/credit about {3}[\d.]+ ETH, claimed with firm ragequit claim/);
      expect(dry.stdout).toContain("release        your For votes on 1 finished fund-moving proposal(s)");
      expect(dry.stdout).toContain("and retire you");
      expect(dry.stderr).toContain(
        "error: `firm ragequit` is irreversible, so it needs --yes: nothing was sent",
      );
      expect(dry.stderr).toContain("Run `firm ragequit --yes` to withdraw");

      const json = expectExit(await firm("ragequit", "--as", "2", "--json"), 2).json<{
        ok: boolean;
        preview: { units: string; shares: Share[]; releasedProposals: string[]; lockedBy: unknown[] };
      }>();
      expect(json.ok).toBe(false);
      expect(json.preview).toMatchObject({
        units: "1000",
        releasedProposals: [chain.demo.proposals.distribution.id.toString()],
        lockedBy: [],
      });
      previewShares = json.preview.shares;
      expect(previewShares).toEqual([
        { token: null, symbol: "ETH", decimals: 18, amount: expect.stringMatching(/^[1-9]\d+$/) },
      ]);
      expect(await memberState(partner(2))).toEqual(before);
    },
    SLOW,
  );

  it(
    "refuses a non-member, and a claim with nothing owed",
    async () => {
      const outsider = expectExit(await firm("ragequit", "--yes", "--as", "0"), 2);
      expect(outsider.stderr).toContain("is not a member of the firm: there is nothing to withdraw");
      const nothing = expectExit(await firm("ragequit", "claim", "--as", "3", "--json"), 2).json();
      expect(nothing).toMatchObject({ ok: false, revert: { name: "WithdrawalNothingOwed" } });
      expect(String(nothing.error)).toContain(
        `Cannot claim ETH from the withdrawal desk: nothing to claim: the withdrawal desk owes ${partner(3).slice(0, 6)}`,
      );
      expect(expectExit(await firm("ragequit", "now", "--as", "3"), 2).stderr).toContain(
        "Unknown `firm ragequit now`",
      );
      expect(expectExit(await firm("ragequit", "--token", zeroAddress, "--as", "3"), 2).stderr).toContain(
        "--token applies to `firm ragequit claim`",
      );
    },
    SLOW,
  );

  it(
    "refuses whoever's ballot stands For a live fund-moving proposal, naming it: the voter and the partner their cover voted for",
    async () => {
      const proposed = expectExit(
        await firm("propose", "distribute", "--amount", "1", "--as", "1", "--json"),
        0,
      ).json<{ proposal: { id: string; title: string } }>();
      liveDistribution = proposed.proposal.id;
      expectExit(await firm("dev", "advance", "61m"), 0);
      const voted = expectExit(await firm("vote", liveDistribution, "for", "--as", "1"), 0).stdout;
      expect(voted).toContain(
        "exit lock       it moves treasury funds: until it is over, you cannot withdraw",
      );
      const byCover = expectExit(await firm("vote", liveDistribution, "for", "--as", "5"), 0).stdout;
      const short = (n: 1 | 2 | 3 | 4 | 5) => `${partner(n).slice(0, 6)}…${partner(n).slice(-4)}`;
      expect(byCover).toContain(
        `exit lock       it moves treasury funds: until it is over, you and ${short(4)} cannot withdraw`,
      );

      for (const n of [1, 4] as const) {
        const locked = expectExit(await firm("ragequit", "--yes", "--as", String(n)), 2);
        expect(locked.stderr).toContain(
          `error: Cannot withdraw from the firm: ${short(n)} still holds 1 For vote(s) on proposals that move treasury funds and are not over yet`,
        );
        expect(locked.stderr).toContain(
          "Your ballot stands For these proposals, which move treasury funds and are not over:",
        );
        expect(locked.stderr).toContain(
          `${liveDistribution.slice(0, 10)}… (Active) ${proposed.proposal.title}`,
        );
        expect((await memberState(partner(n))).units).toBe(1_000n);
      }
      const json = expectExit(await firm("ragequit", "--yes", "--as", "4", "--json"), 2).json();
      expect(json).toMatchObject({
        revert: { name: "WithdrawalLockedByVotes", args: [partner(4).toLowerCase(), "1"] },
      });
    },
    SLOW,
  );
});

describe("withdrawing", () => {
  it(
    "withdraws a partner who voted For only finished proposals, credits their share, and pays it on claim",
    async () => {
      const left = expectExit(await firm("ragequit", "--yes", "--as", "2", "--json"), 0).json<{
        units: string;
        supply: string;
        departed: boolean;
        credited: Share[];
        releasedProposals: string[];
      }>();
      expect(left).toMatchObject({
        units: "1000",
        departed: true,
        releasedProposals: [chain.demo.proposals.distribution.id.toString()],
      });
      // Nothing moved the treasury since the preview: the credit is what it showed.
      expect(left.credited).toEqual(previewShares);
      expect(await memberState(partner(2))).toEqual({ status: 3, units: 0n });
      const desk = chain.manifest.contracts.withdrawals;
      const owed = () =>
        client().readContract({
          address: desk,
          abi: withdrawalsAbi,
          functionName: "owed",
          args: [partner(2), zeroAddress],
        });
      expect((await owed()).toString()).toBe(left.credited[0]?.amount);

      const again = expectExit(await firm("ragequit", "--yes", "--as", "2"), 2);
      expect(again.stderr).toContain(
        `Nothing to withdraw: ${partner(2)} has left the firm (retired) and holds no units`,
      );
      // The words of the API's verifyMembership and of the page for the same departure.
      const verified = expectExit(
        await firm("verify", "--practice", "cloud", "--account", partner(2), "--json"),
        1,
      ).json<{ reason: string }>();
      expect(verified.reason).toBe("the account has left the firm (retired)");
      expect(asSentence(verified.reason)).toBe("The account has left the firm (retired).");

      const claimed = expectExit(await firm("ragequit", "claim", "--as", "2"), 0).stdout;
      expect(claimed).toMatch(
        new RegExp(`^Claimed [\\d.]+ ETH from the withdrawal desk to ${partner(2)}\\.`),
      );
      expect(await owed()).toBe(0n);
      expect(expectExit(await firm("ragequit", "claim", "--as", "2"), 2).stderr).toContain(
        "nothing to claim",
      );
    },
    SLOW,
  );

  it(
    "withdraws a partner once the fund-moving proposal they voted For has executed",
    async () => {
      expectExit(await firm("dev", "advance", "3d"), 0);
      expectExit(await firm("queue", liveDistribution, "--as", "1"), 0);
      const stillLocked = expectExit(await firm("ragequit", "--yes", "--as", "1"), 2);
      expect(stillLocked.stderr).toContain(`${liveDistribution.slice(0, 10)}… (Queued)`);
      expectExit(await firm("dev", "advance", "1d1m"), 0);
      expectExit(await firm("execute", liveDistribution, "--as", "1"), 0);

      const left = expectExit(await firm("ragequit", "--yes", "--as", "1"), 0).stdout;
      expect(left).toContain(`${partner(1)} withdrew from the firm: retired, by their own choice.`);
      expect(left).toMatch(/units burned {3}1,000 units of [\d,]+ outstanding \([\d.]+%\)/);
      expect(left).toMatch(/credited {7}[\d.]+ ETH/);
      expect(left).toContain("released       your For votes on 2 finished fund-moving proposal(s)");
      expect(left).toContain("firm ragequit claim");
      expect(await memberState(partner(1))).toEqual({ status: 3, units: 0n });
    },
    SLOW,
  );
});

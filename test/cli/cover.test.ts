// `firm leave`, `firm cover accept|resign` and the vote refusals they lead to, against the demo firm
// of `npm start` on a real in-process chain (test/cli/support/seededChain.ts: no mirror, no API), each
// command a child process as a partner would run it. The tests run in order and share the chain:
// #4 is on leave and #5 accepted to cover them (the seed); the refusals come first, then #5 steps
// down, then a new leave is asked, accepted and ended; the clock moves ahead as it goes.
import { describe, expect, it } from "vitest";
import { expectExit } from "./support/runFirm.ts";
import { useSeededChain } from "./support/useSeededChain.ts";

const SLOW = 300_000;
const chain = useSeededChain("cover");
const { firm, partner } = chain;
/** An address as --json prints it (as the API does). */
const lower = (address: string) => address.toLowerCase();

/** `firm propose practice` as partner #1, past the voting delay; returns the proposal's id. */
async function proposeAndOpen(...extra: string[]): Promise<string> {
  const proposed = expectExit(await firm(...extra, "--as", "1", "--json"), 0).json<{
    proposal: { id: string };
  }>();
  expectExit(await firm("dev", "advance", "61m"), 0);
  return proposed.proposal.id;
}

describe("covers that were not asked, or are already held", () => {
  it(
    "refuses to accept a cover nobody asked of you, twice, or of a partner not on leave",
    async () => {
      const again = expectExit(await firm("cover", "accept", partner(4), "--as", "5"), 2);
      expect(again.stderr).toContain(`error: You already cover ${partner(4)}: you accepted at`);
      expect(again.stderr).toContain("Step down with `firm cover resign`.");

      const notAsked = expectExit(await firm("cover", "accept", partner(4), "--as", "3", "--json"), 2).json();
      expect(notAsked).toMatchObject({
        ok: false,
        error: `Cannot accept to cover ${partner(4)}: they asked ${partner(5)} to cover their leave, not you (${partner(3)})`,
        reason: "not asked",
      });

      const notOnLeave = expectExit(await firm("cover", "accept", partner(1), "--as", "2"), 2);
      expect(notOnLeave.stderr).toContain(`Cannot accept to cover ${partner(1)}: they are not on leave now`);

      const resignNobody = expectExit(await firm("cover", "resign", "--as", "3"), 2);
      expect(resignNobody.stderr).toContain(`Cannot resign as cover: you (${partner(3)}) cover no one now`);

      const usage = expectExit(await firm("cover", "take", partner(4), "--as", "5"), 2);
      expect(usage.stderr).toContain("Unknown `firm cover take`");
      expect(expectExit(await firm("cover", "accept", "--as", "5"), 2).stderr).toContain(
        "`firm cover accept` needs the partner on leave",
      );
    },
    SLOW,
  );

  it(
    "tells a partner whose ballot their cover holds who covers them",
    async () => {
      const open = chain.demo.openProposalId.toString();
      const held = expectExit(await firm("vote", open, "against", "--as", "4"), 2);
      expect(held.stderr).toContain(
        `error: Cannot vote on proposal ${open.slice(0, 10)}…: your ballot on this proposal is held by your cover ${partner(5)}`,
      );
      expect(held.stderr).toContain("Ask them to vote as you would.");
      const json = expectExit(await firm("vote", open, "against", "--as", "4", "--json"), 2).json();
      expect(json).toMatchObject({
        ok: false,
        revert: { name: "GovernorBallotHeldByCover", args: [lower(partner(4)), lower(partner(5))] },
      });
    },
    SLOW,
  );

  it(
    "refuses the subject of a proposal, saying they are its subject and cannot vote on it",
    async () => {
      // A retirement by vote is an expulsion: a proposal of its own, needing a supermajority.
      const id = await proposeAndOpen("propose", "retire", "--partner", partner(3));
      const recused = expectExit(await firm("vote", id, "against", "--as", "3"), 2);
      expect(recused.stderr).toContain("you are the subject of this proposal and cannot vote on it");
      const json = expectExit(await firm("vote", id, "against", "--as", "3", "--json"), 2).json();
      expect(json).toMatchObject({ revert: { name: "GovernorVoterRecused", args: [id, lower(partner(3))] } });
      const voted = expectExit(await firm("vote", id, "against", "--as", "1"), 0).stdout;
      // Four partners are eligible (the subject is not): a supermajority of them to pass.
      expect(voted).toMatch(
        /to pass {9}For \d[\d,]* units and 3 partners: a supermajority of all 4 partners/,
      );
    },
    SLOW,
  );
});

describe("stepping down, and a cover asked and accepted", () => {
  it(
    "resigns as cover: open proposals stay with the cover, later ones are the partner's own",
    async () => {
      const resigned = expectExit(await firm("cover", "resign", "--as", "5", "--json"), 0).json<{
        cover: string;
        partner: string;
      }>();
      expect(resigned).toMatchObject({ cover: lower(partner(5)), partner: lower(partner(4)) });
      expect(expectExit(await firm("cover", "accept", partner(4), "--as", "5"), 2).stderr).toContain(
        `Cannot accept to cover ${partner(4)} again: you covered this leave from`,
      );
      expect(expectExit(await firm("cover", "resign", "--as", "5"), 2).stderr).toContain("cover no one now");

      // The seeded proposal's snapshot fell inside the cover: #5 still casts #4's ballot on it.
      const open = chain.demo.openProposalId.toString();
      const byCover = expectExit(await firm("vote", open, "for", "--as", "5", "--json"), 0).json<{
        coveredPartner: string | null;
      }>();
      expect(byCover.coveredPartner).toBe(lower(partner(4)));

      // A proposal made after the resignation: #4, still on leave, casts their own ballot.
      const later = await proposeAndOpen(
        "propose",
        "practice",
        "--slug",
        "print",
        "--name",
        "Print",
        "--lead",
        partner(1),
      );
      const own = expectExit(await firm("vote", later, "for", "--as", "4", "--json"), 0).json<{
        ownBallot: boolean;
        coveredPartner: string | null;
        weight: string;
      }>();
      expect(own).toMatchObject({ ownBallot: true, coveredPartner: null, weight: "1000" });
      const alone = expectExit(await firm("vote", later, "for", "--as", "5", "--json"), 0).json<{
        coveredPartner: string | null;
        weight: string;
      }>();
      expect(alone).toMatchObject({ coveredPartner: null, weight: "1000" });
    },
    SLOW,
  );

  it(
    "declares a leave asking a cover, who accepts; ends it; and refuses a leave too short or too soon",
    async () => {
      const declared = expectExit(
        await firm("leave", "--until", "1d", "--cover", partner(1), "--as", "2"),
        0,
      );
      expect(declared.stdout).toContain(`${partner(2)} is on leave until`);
      expect(declared.stdout).toContain(
        `You asked ${partner(1)} to cover you. They hold your ballot only once they accept,`,
      );
      expect(declared.stdout).toContain(
        `with \`firm cover accept ${partner(2)}\`; until then you cast it yourself.`,
      );

      const accepted = expectExit(await firm("cover", "accept", partner(2), "--as", "1"), 0).stdout;
      expect(accepted).toContain(`You (${partner(1)}) now cover ${partner(2)} until`);
      expect(accepted).toContain("`firm vote` casts their ballot with yours");

      const ended = expectExit(await firm("leave", "end", "--as", "2", "--json"), 0).json();
      expect(ended).toMatchObject({ partner: lower(partner(2)), ended: true, coverEnded: lower(partner(1)) });
      // The cover ended with the leave.
      expect(expectExit(await firm("cover", "resign", "--as", "1"), 2).stderr).toContain("cover no one now");

      const soon = expectExit(await firm("leave", "--until", "2d", "--as", "2", "--json"), 2).json();
      expect(soon).toMatchObject({ revert: { name: "LeaveCooldown" } });
      expect(String(soon.error)).toContain(
        "last leave ended too recently: the firm's cooldown between leaves lets the next one start from",
      );

      const short = expectExit(await firm("leave", "--until", "12h", "--as", "3"), 2);
      expect(short.stderr).toContain("a leave lasts at least 1d (the firm's rule)");

      // Without --cover, nobody is asked: the partner keeps their own ballot.
      const alone = expectExit(await firm("leave", "--until", "3d", "--as", "3", "--json"), 0).json();
      expect(alone).toMatchObject({ partner: lower(partner(3)), cover: null, coverAccepted: false });
    },
    SLOW,
  );
});

// The `firm` CLI against the real dev stack (`npm start`'s startDevStack on free ports: a Hardhat EDR
// chain with the demo firm seeded through governance, the indexer into PGlite, the API), every
// command a child process as a partner would run it. One stack for the file; the tests run in order
// and share its chain: reads and keystores first, then reverts and the proposer suffix, then the
// walk-through, which moves the chain's clock days ahead.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mnemonicToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashProposal } from "../../scripts/cli/lib/proposals.ts";
import { type DevStack, startDevStack } from "../../scripts/start/devStack.ts";
import { DEV_MNEMONIC } from "../../scripts/start/seedDemoFirm.ts";
import { expectExit, type FirmResult, firmAt } from "./support/runFirm.ts";

const SLOW = 300_000;
const dir = mkdtempSync(join(tmpdir(), "firm-cli-walkthrough-"));
let stack: DevStack;
let firm: (...args: string[]) => Promise<FirmResult>;

beforeAll(async () => {
  stack = await startDevStack({
    rpcPort: 0,
    apiPort: 0,
    dataDir: join(dir, "mirror"),
    manifestPath: join(dir, "dev.json"),
  });
  firm = firmAt(stackEnv());
}, SLOW);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const partner = (n: 1 | 2 | 3 | 4 | 5) =>
  (stack.accounts.partners[n - 1] as { address: `0x${string}` }).address;

/** `firm propose practice` of a "print" practice led by `lead`, with `options`. */
function proposePrint(lead: string, ...options: string[]): Promise<FirmResult> {
  return firm("propose", "practice", "--slug", "print", "--name", "Print", "--lead", lead, ...options);
}

/** The CLI's environment for the stack, with no signer or password inherited from the shell. */
function stackEnv(): Record<string, string | undefined> {
  return {
    RPC_URL: stack.rpcUrl,
    FIRM_API_URL: stack.graphqlUrl,
    DEPLOYMENT: stack.manifestPath,
    FIRM_KEYSTORE: undefined,
    FIRM_KEYSTORE_PASSWORD: undefined,
  };
}

describe("reading the seeded firm", () => {
  it(
    "shows the status: chain, contracts, partners, the open proposal and the indexer",
    async () => {
      const text = expectExit(await firm("status"), 0).stdout;
      expect(text).toMatch(/^Chain {6}31337 at http:\/\/127\.0\.0\.1:\d+: block \d+/);
      expect(text).toContain(`  governor     ${stack.manifest.contracts.governor}`);
      expect(text).toContain("5 partners (1 on leave)");
      expect(text).toContain("Open proposals: 1");
      expect(text).toContain("Create practice Cybersecurity (security)");
      expect(text).toMatch(/Indexer {4}at block \d+ of \d+: 0 block\(s\) behind, in sync/);

      const json = expectExit(await firm("status", "--json"), 0).json<{
        chain: { chainId: number; contracts: { deployed: boolean }[] };
        partners: { address: string; status: string }[];
        openProposals: { id: string; state: string }[];
        indexer: { lagBlocks: number };
      }>();
      expect(json.chain.chainId).toBe(31337);
      expect(json.chain.contracts.every((c) => c.deployed)).toBe(true);
      expect(json.partners.map((p) => p.status).sort()).toEqual([
        "ACTIVE",
        "ACTIVE",
        "ACTIVE",
        "ACTIVE",
        "ON_LEAVE",
      ]);
      expect(json.openProposals).toEqual([
        expect.objectContaining({ id: stack.openProposalId.toString(), state: "ACTIVE" }),
      ]);
      expect(json.indexer.lagBlocks).toBe(0);
    },
    SLOW,
  );

  it(
    "lists and shows proposals, found by a prefix of their id",
    async () => {
      const listed = expectExit(await firm("proposals", "--state", "active", "--json"), 0).json<{
        proposals: { id: string; title: string; tally: { for: { headcount: number } } }[];
      }>();
      expect(listed.proposals).toHaveLength(1);
      expect(listed.proposals[0]).toMatchObject({
        id: stack.openProposalId.toString(),
        title: "Create practice Cybersecurity (security)",
      });
      const prefix = stack.openProposalId.toString().slice(0, 10);
      expect(expectExit(await firm("proposals"), 0).stdout).toContain(
        `${prefix}… ACTIVE    Create practice Cybersecurity (security)`,
      );

      const shown = expectExit(await firm("show", "proposal", `${prefix}…`), 0).stdout;
      expect(shown).toContain(`Proposal ${stack.openProposalId}`);
      expect(shown).toContain("state      ACTIVE");
      expect(shown).toMatch(
        /1\. Create practice security \(Cybersecurity\) led by 0x9965…a4dc {2}\[CREATE_PRACTICE\]/,
      );
      expect(shown).toContain("For 1,000 units / 1");
    },
    SLOW,
  );

  it(
    "shows a member on leave and a vesting schedule with its chart",
    async () => {
      const member = expectExit(await firm("show", "member", partner(4)), 0).stdout;
      expect(member).toContain("status     ON_LEAVE");
      expect(member).toContain(`covered by ${partner(5).toLowerCase()}`);

      const associate = stack.accounts.associates[0].address;
      const vesting = expectExit(await firm("vesting", associate), 0).stdout;
      expect(vesting).toContain("Grant #6: 1,000 units vesting over 4y, 1y cliff");
      expect(vesting).toMatch(/1,000 ┤/);
      expect(vesting).toMatch(/└─+┴─*▲─+/); // the cliff, then today, on the time axis
      expect(vesting).toMatch(/vested now \d+ of 1,000 · released \d+ · releasable \d+/);
      const json = expectExit(await firm("vesting", associate, "--json"), 0).json<{
        grants: { id: string; schedule: unknown[]; nextUnlock: { at: number } | null }[];
      }>();
      expect(json.grants.map((g) => g.id)).toEqual(["6"]);
      expect(json.grants[0]?.schedule).toHaveLength(48);
      expect(json.grants[0]?.nextUnlock?.at).toBeGreaterThan(0);
    },
    SLOW,
  );

  it(
    "says when the API is down, and still shows the chain",
    async () => {
      const down = { FIRM_API_URL: "http://127.0.0.1:9/graphql" };
      const status = await firmAt({ RPC_URL: stack.rpcUrl, DEPLOYMENT: stack.manifestPath, ...down })(
        "status",
      );
      expect(expectExit(status, 0).stdout).toContain("API        unreachable at http://127.0.0.1:9/graphql");
      expect(status.stdout).toContain("`npm start`");
      const show = await firmAt({ RPC_URL: stack.rpcUrl, DEPLOYMENT: stack.manifestPath, ...down })(
        "show",
        "practice",
        "cloud",
      );
      expect(expectExit(show, 2).stderr).toContain("Cannot reach the firm's API");
    },
    SLOW,
  );
});

describe("signing with a keystore", () => {
  it(
    "votes as a partner whose key is in an encrypted keystore, and refuses a wrong password",
    async () => {
      const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 1 }).getHdKey().privateKey as Uint8Array;
      const keyFile = join(dir, "p1.key");
      const keystore = join(dir, "p1.json");
      writeFileSync(keyFile, Buffer.from(key).toString("hex"));
      const withPassword = (password: string) => firmAt({ ...stackEnv(), FIRM_KEYSTORE_PASSWORD: password });

      const imported = await withPassword("s3cret")(
        "keystore",
        "import",
        "--private-key-file",
        keyFile,
        "--out",
        keystore,
        "--json",
      );
      expect(expectExit(imported, 0).json()).toMatchObject({ address: partner(1).toLowerCase() });
      expect(readFileSync(keystore, "utf8")).toContain('"Crypto"');

      const voteWith = (password: string, ...extra: string[]) =>
        withPassword(password)(
          "vote",
          stack.openProposalId.toString(),
          "for",
          "--keystore",
          keystore,
          ...extra,
        );
      const wrong = await voteWith("not it");
      expect(expectExit(wrong, 2).stderr).toContain(`error: Wrong password for the keystore ${keystore}`);

      const voted = await voteWith("s3cret", "--json");
      expect(expectExit(voted, 0).json()).toMatchObject({
        voter: partner(1).toLowerCase(),
        support: "for",
        weight: "1000",
        tally: { for: { equity: "2000", headcount: 2 } },
      });
    },
    SLOW,
  );
});

describe("reverts, in words", () => {
  it(
    "already voted, not a partner, practice slug taken, and the wrong chain",
    async () => {
      const open = stack.openProposalId.toString();
      const twice = expectExit(await firm("vote", open, "for", "--as", "1"), 2);
      expect(twice.stderr).toContain("error: Cannot vote on proposal");
      expect(twice.stderr).toContain("already voted");
      const twiceJson = expectExit(await firm("vote", open, "against", "--as", "1", "--json"), 2).json();
      expect(twiceJson).toMatchObject({
        ok: false,
        revert: { name: "GovernorAlreadyCastVote", args: [partner(1).toLowerCase()] },
      });

      const associate = String(stack.accounts.associates[0].index);
      const outsider = expectExit(await proposePrint(partner(1), "--as", associate), 2);
      expect(outsider.stderr).toMatch(
        /error: Cannot propose: not a partner: only active partners may propose/,
      );
      expect(expectExit(await firm("vote", open, "for", "--as", associate), 2).stderr).toContain(
        "not a partner",
      );

      const taken = expectExit(
        await firm(
          "propose",
          "practice",
          "--slug",
          "cloud",
          "--name",
          "Cloud again",
          "--lead",
          partner(1),
          "--as",
          "1",
        ),
        2,
      );
      expect(taken.stderr).toContain('practice slug taken: "cloud" is already used');
      expect(taken.stderr).not.toMatch(/\n\s+at /);

      const notLead = expectExit(
        await proposePrint(stack.accounts.affiliate.address, "--as", "1", "--json"),
        2,
      ).json();
      expect(notLead).toMatchObject({ revert: { name: "PracticeLeadNotPartner" } });

      const elsewhere = join(dir, "other-chain.json");
      writeFileSync(elsewhere, JSON.stringify({ ...stack.manifest, chainId: 8453 }));
      const wrongChain = await firmAt({ ...stackEnv(), DEPLOYMENT: elsewhere })(
        "vote",
        open,
        "for",
        "--as",
        "2",
      );
      expect(expectExit(wrongChain, 2).stderr).toContain(
        "serves chain 31337, but the deployment manifest is for chain 8453",
      );
    },
    SLOW,
  );
});

/** What `firm propose --json` says of the proposal it made. */
interface Proposed {
  proposal: {
    id: string;
    title: string;
    description: string;
    voteStart: number;
    actions: { target: `0x${string}`; value: string; calldata: `0x${string}`; summary: string }[];
  };
}

/** The id the governor computes for what `firm propose` printed: the id printed must be it. */
function idOf({ proposal }: Proposed): bigint {
  const { actions, description } = proposal;
  return hashProposal(
    actions.map((a) => a.target),
    actions.map((a) => BigInt(a.value)),
    actions.map((a) => a.calldata),
    description,
  );
}

describe("the proposer suffix, which stops front-running", () => {
  it(
    "ends the description with the signer's suffix once, refuses another's, and shows it without",
    async () => {
      const foreign = expectExit(
        await proposePrint(partner(1), "--as", "2", "--description", `Theirs #proposer=${partner(1)}`),
        2,
      );
      expect(foreign.stderr).toContain(
        `error: --description ends with #proposer=${partner(1)}, but you are proposing as ${partner(2)}: only ${partner(1)} may propose it`,
      );
      expect(foreign.stderr).toContain("Remove the #proposer= suffix (firm propose adds yours)");
      const foreignJson = expectExit(
        await proposePrint(partner(1), "--as", "2", "--title", `Print #proposer=${partner(1)}`, "--json"),
        2,
      ).json();
      expect(foreignJson).toMatchObject({ ok: false, error: expect.stringMatching(/^--title ends with/) });

      // The user's own suffix (lowercase, as typed) is moved to the end, checksummed, not doubled.
      const proposed = expectExit(
        await proposePrint(
          partner(2),
          "--as",
          "2",
          "--description",
          `For the clients who asked. #proposer=${partner(2).toLowerCase()}`,
          "--wait",
          "--json",
        ),
        0,
      ).json<Proposed>();
      const shownText =
        "Create practice Print (print)\n\nFor the clients who asked.\n\n" +
        `A new practice, Print (slug "print"), led by ${partner(2)}.`;
      expect(proposed.proposal.description).toBe(`${shownText}\n\n#proposer=${partner(2)}`);
      expect(idOf(proposed)).toBe(BigInt(proposed.proposal.id));

      const { id } = proposed.proposal;
      const shown = expectExit(await firm("show", "proposal", id), 0).stdout;
      expect(shown).toContain("  title      Create practice Print (print)");
      expect(shown).toContain(`    A new practice, Print (slug "print"), led by ${partner(2)}.\n`);
      expect(shown).not.toContain("#proposer=");
      const shownJson = expectExit(await firm("show", "proposal", id, "--json"), 0).json<{
        proposal: { title: string; description: string };
      }>();
      expect(shownJson.proposal).toMatchObject({
        title: "Create practice Print (print)",
        description: shownText,
      });
      const listed = expectExit(await firm("proposals", "--state", "pending"), 0).stdout;
      expect(listed).toContain(
        `${id.slice(0, 10)}… PENDING   Create practice Print (print)  [CREATE_PRACTICE]`,
      );
      expect(listed).not.toContain("#proposer=");
    },
    SLOW,
  );
});

describe("the walk-through: a new practice from proposal to a verified lead", () => {
  it(
    "proposes, votes (a cover for the partner on leave), queues, executes, shows and verifies",
    async () => {
      const lead = partner(1);
      const proposed = expectExit(
        await firm(
          "propose",
          "practice",
          "--slug",
          "managed-print",
          "--name",
          "Managed Print",
          "--lead",
          lead,
          "--as",
          "1",
          "--wait",
          "--json",
        ),
        0,
      ).json<Proposed>();
      const { id, title } = proposed.proposal;
      expect(title).toBe("Create practice Managed Print (managed-print)");
      // Reserved for #1; queue and execute below rebuild the calls with this description from the chain.
      expect(proposed.proposal.description).toMatch(new RegExp(`\n\n#proposer=${lead}$`));
      expect(idOf(proposed)).toBe(BigInt(id));
      expect(proposed.proposal.actions[0]?.summary).toBe(
        "Create practice managed-print (Managed Print) led by 0x7099…79c8",
      );

      expect(expectExit(await firm("vote", id, "for", "--as", "2"), 2).stderr).toContain(
        "proposal is not active: it is Pending",
      );
      expect(expectExit(await firm("dev", "advance", "61m"), 0).stdout).toContain(
        "Moved the dev chain 61m ahead",
      );

      const first = expectExit(await firm("vote", id.slice(0, 10), "for", "--as", "1"), 0).stdout;
      expect(first).toContain(`Voted For on proposal ${id.slice(0, 10)}… as ${lead}`);
      expectExit(await firm("vote", id, "for", "--as", "2", "--reason", "Clients keep asking for it"), 0);
      const byCover = expectExit(await firm("vote", id, "for", "--as", "5", "--json"), 0).json<{
        coveredPartner: string;
        tally: { for: { equity: string; headcount: number } };
      }>();
      expect(byCover.coveredPartner.toLowerCase()).toBe(partner(4).toLowerCase());
      expect(byCover.tally.for).toEqual({ equity: "4000", headcount: 4 });

      expect(expectExit(await firm("queue", id, "--as", "1"), 2).stderr).toContain(
        "proposal cannot be queued: it is Active",
      );
      expectExit(await firm("dev", "advance", "3d"), 0);
      // With the API down, queue finds the proposal's calls by scanning the chain for its event.
      const apiDown = firmAt({ ...stackEnv(), FIRM_API_URL: "http://127.0.0.1:9/graphql" });
      const queued = expectExit(await apiDown("queue", id, "--as", "1", "--json"), 0).json<{ eta: number }>();
      expect(queued.eta).toBeGreaterThan(proposed.proposal.voteStart);
      expect(expectExit(await firm("execute", id, "--as", "1"), 2).stderr).toContain(
        "the timelock delay has not passed yet",
      );
      expectExit(await firm("dev", "advance", "1d"), 0);
      const executed = expectExit(await firm("execute", id, "--as", "1", "--wait", "--json"), 0).json<{
        actions: string[];
        events: string[];
      }>();
      expect(executed.events).toEqual(expect.arrayContaining(["PracticeCreated", "ProposalExecuted"]));

      const shown = expectExit(await firm("show", "practice", "managed-print"), 0).stdout;
      expect(shown).toContain("Practice managed-print: Managed Print");
      expect(shown).toContain("status     ACTIVE");
      expect(shown).toContain(`lead       ${lead.toLowerCase()}`);
      const shownJson = expectExit(await firm("show", "practice", "managed-print", "--json"), 0).json();
      expect(shownJson).toMatchObject({
        practice: { status: "ACTIVE", lead: lead.toLowerCase(), createdBy: { id, title } },
      });

      const verified = expectExit(
        await firm("verify", "--practice", "managed-print", "--account", lead),
        0,
      ).stdout;
      expect(verified).toContain(`VERIFIED: ${lead} is a member of practice managed-print (Managed Print)`);
      expect(verified).toContain("practice role  Lead (the practice's lead)");
      const evidence = expectExit(
        await firm("verify", "--practice", "managed-print", "--account", lead, "--json"),
        0,
      ).json<{
        verified: boolean;
        evidence: { chainId: number; contract: string; ethCall: unknown; result: string };
      }>();
      expect(evidence.verified).toBe(true);
      expect(evidence.evidence).toMatchObject({
        chainId: 31337,
        contract: stack.manifest.contracts.practices.toLowerCase(),
      });
      // The evidence is the exact eth_call: sent to the node as printed, it gives the same answer.
      const reply = await fetch(stack.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(evidence.evidence.ethCall),
      });
      expect(((await reply.json()) as { result: string }).result).toBe(evidence.evidence.result);

      const other = expectExit(
        await firm("verify", "--practice", "managed-print", "--account", partner(2)),
        1,
      ).stdout;
      expect(other).toContain(
        "NOT VERIFIED: " +
          partner(2) +
          ' is not a member of practice managed-print: the account is a member of the firm but has no seat in "managed-print"',
      );
    },
    SLOW,
  );
});

// `firm profile set|clear` and `firm mentor offer|withdraw|accept|end`, and `firm propose admit
// --mentor`, against the demo firm of `npm start` on a real in-process chain (test/cli/support/
// seededChain.ts: no mirror, no API), each command a child process; what they did is read back from
// the chain. The tests run in order and share the chain. `firm profile show` reads the API's mirror,
// which this chain has none of: its test belongs with the directory's API (the mirror branch).
import { type Address, createPublicClient, encodeAbiParameters, http, keccak256, parseEventLogs } from "viem";
import { describe, expect, it } from "vitest";
import { directoryAbi, firmGovernorAbi } from "../../contracts/abi.ts";
import { profileFromFlags } from "../../scripts/cli/profile.ts";
import { WorkMode } from "../../scripts/devFirm/enums.ts";
import type { ProfileFields } from "../../scripts/devFirm/profiles.ts";
import { DEMO_PROFILES } from "../../scripts/start/seedDemoFirm.ts";
import { expectExit } from "./support/runFirm.ts";
import { useSeededChain } from "./support/useSeededChain.ts";

const SLOW = 300_000;
const chain = useSeededChain("directory");
const { firm } = chain;

/** Hardhat's dev account #9: no part in the demo. */
const NEWCOMER: Address = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
const account = (index: number) =>
  index === 9
    ? NEWCOMER
    : (chain.demo.accounts.all.find((a) => a.index === index) as { address: Address }).address;

function read<T>(functionName: string, args: readonly unknown[]): Promise<T> {
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  return client.readContract({
    address: chain.manifest.contracts.directory,
    abi: directoryAbi,
    functionName,
    args,
  } as never) as Promise<T>;
}

type ProfileOf = readonly [boolean, number, boolean, number, number, number, number, `0x${string}`];
const profileOf = (member: Address) => read<ProfileOf>("profileOf", [member]);
const mentorOf = (mentee: Address) => read<Address>("mentorOf", [mentee]);

/** The ProfileFields tuple of setProfile's ABI, for the content hash as the contract computes it. */
const FIELDS = (
  directoryAbi.find((item) => item.type === "function" && item.name === "setProfile") as {
    inputs: readonly [unknown];
  }
).inputs[0];
const contentHashOf = (fields: ProfileFields) =>
  keccak256(encodeAbiParameters([FIELDS] as never, [fields] as never));

const VALID = ["--name", "Pat Côté", "--mode", "onsite", "--region", "CA-QC", "--city", "Montréal"];

describe("the demo firm's directory", () => {
  it("has the seed's profiles live and #3 mentoring #7", async () => {
    for (const [index, fields] of Object.entries(DEMO_PROFILES)) {
      const [live, mode, , , , , , hash] = await profileOf(account(Number(index)));
      expect([live, mode, hash], `#${index}`).toEqual([true, fields.workMode, contentHashOf(fields)]);
    }
    expect(DEMO_PROFILES[8]).toMatchObject({ workMode: WorkMode.Remote, region: "", hasCoordinates: false });
    expect(await mentorOf(account(7))).toBe(account(3));
    expect(chain.demo.mentorship).toEqual({ mentor: account(3), mentee: account(7) });
  });
});

describe("firm profile set", () => {
  it.each([
    [["--mode", "onsite"], "--name is required"],
    [["--name", "x".repeat(65), "--mode", "onsite"], "--name must be 1 to 64 bytes"],
    [["--name", "Pat", "--mode", "onsite", "--skills", "VoIP"], '--skills: "VoIP" is not a skill tag'],
    [["--name", "Pat", "--mode", "onsite", "--skills", "a,b,c,d,e,f,g,h,i"], "--skills lists 9 tags"],
    [["--name", "Pat", "--mode", "everywhere"], '--mode "everywhere" is not one of onsite, remote, both'],
    [["--name", "Pat", "--mode", "onsite", "--region", "QC"], '--region "QC" is not an ISO 3166-2 code'],
    [
      ["--name", "Pat", "--mode", "onsite", "--region", "ca-qc"],
      '--region "ca-qc" is not an ISO 3166-2 code',
    ],
    [["--name", "Pat", "--mode", "onsite", "--city", "c".repeat(65)], "--city must be at most 64 bytes"],
    [
      ["--name", "Pat", "--mode", "onsite", "--coordinates", "91,0"],
      '--coordinates "91,0" is not a latitude',
    ],
    [
      ["--name", "Pat", "--mode", "onsite", "--coordinates", "45.5"],
      '--coordinates "45.5" is not a latitude',
    ],
    [["--name", "Pat", "--mode", "onsite", "--radius", "1001km"], '--radius "1001km" is not a distance'],
    [["--name", "Pat", "--mode", "remote", "--radius", "10km"], "--radius applies to on-site work"],
    [
      ["--name", "Pat", "--mode", "onsite", "--contact", "ftp://x.example"],
      '--contact "ftp://x.example" is not',
    ],
    [["--name", "Pat", "--mode", "onsite", "--contact", "javascript:alert(1)"], "--contact"],
    [["--name", "Pat", "--mode", "onsite", "--contact", "https://a b"], "--contact"],
  ])("refuses %j before connecting, naming the flag", async (flags, message) => {
    const result = expectExit(await firm("profile", "set", ...flags, "--as", "5"), 2);
    expect(result.stderr).toContain(message);
  });

  it(
    "shows what it would publish, says it is public and permanent, and with no terminal and no --yes sends nothing",
    async () => {
      const result = expectExit(await firm("profile", "set", ...VALID, "--as", "5"), 2);
      expect(result.stderr).toContain(`Publishing the profile of ${account(5)} in the firm's directory:`);
      expect(result.stderr).toContain("name         Pat Côté");
      expect(result.stderr).toContain("coordinates  not published (publish them only with --coordinates)");
      expect(result.stderr).toContain("This is public and permanent");
      expect(result.stderr).toContain("there is no terminal to ask on: nothing was sent");
      expect(result.stderr).toContain("run the command again with --yes");
      expect((await profileOf(account(5)))[0]).toBe(false);
    },
    SLOW,
  );

  it(
    "publishes with --yes, coordinates only when asked and rounded to 0.01°, with the contract's content hash",
    async () => {
      const result = expectExit(
        await firm(
          "profile",
          "set",
          ...VALID,
          "--skills",
          "voip,c#",
          "--coordinates",
          "45.50123,-73.56789",
          "--radius",
          "50km",
          "--contact",
          "https://pat.example.com",
          "--yes",
          "--as",
          "5",
          "--json",
        ),
        0,
      ).json<{ ok: boolean; member: string; contentHash: string }>();
      expect(result.ok).toBe(true);
      const expected = profileFromFlags({
        name: "Pat Côté",
        mode: "onsite",
        region: "CA-QC",
        city: "Montréal",
        skills: "voip,c#",
        coordinates: "45.50123,-73.56789",
        radius: "50km",
        contact: "https://pat.example.com",
      });
      expect(expected).toMatchObject({
        hasCoordinates: true,
        latitudeE2: 4550,
        longitudeE2: -7357,
        radiusKm: 50,
      });
      const [live, mode, hasCoordinates, latitude, longitude, radius, , hash] = await profileOf(account(5));
      expect([live, mode, hasCoordinates, latitude, longitude, radius]).toEqual([
        true,
        WorkMode.OnSite,
        true,
        4550,
        -7357,
        50,
      ]);
      expect(hash).toBe(contentHashOf(expected));
      expect(result.contentHash).toBe(hash);

      // Again without --coordinates: none are published, the earlier ones are replaced by zeros.
      expectExit(await firm("profile", "set", ...VALID, "--yes", "--as", "5"), 0);
      expect((await profileOf(account(5))).slice(2, 5)).toEqual([false, 0, 0]);
    },
    SLOW,
  );

  it(
    "is refused by the chain for an account that is no member, in words",
    async () => {
      const result = expectExit(await firm("profile", "set", ...VALID, "--yes", "--as", "9"), 2);
      expect(result.stderr).toContain("is not an active member (or on leave) of the firm");
    },
    SLOW,
  );
});

describe("firm profile clear", () => {
  it(
    "hides the signer's profile, and says so when there is none",
    async () => {
      const cleared = expectExit(await firm("profile", "clear", "--as", "5"), 0);
      expect(cleared.stdout).toContain(`Cleared the profile of ${account(5)}`);
      expect(cleared.stdout).toContain("stays readable in the chain's history");
      expect((await profileOf(account(5)))[0]).toBe(false);
      const again = expectExit(await firm("profile", "clear", "--as", "5"), 2);
      expect(again.stderr).toContain("has no profile to clear");
      const misplaced = expectExit(await firm("profile", "clear", "--name", "x", "--as", "5"), 2);
      expect(misplaced.stderr).toContain("--name applies to `firm profile set`");
    },
    SLOW,
  );
});

describe("firm mentor", () => {
  it(
    "links #1 and the associate #6 by offer and acceptance, and the mentee ends it",
    async () => {
      const offered = expectExit(await firm("mentor", "offer", account(6), "--as", "1"), 0);
      expect(offered.stdout).toContain(`You (${account(1)}) offered to mentor ${account(6)}.`);
      expect(await read<boolean>("mentorshipOffered", [account(1), account(6)])).toBe(true);
      const accepted = expectExit(await firm("mentor", "accept", account(1), "--as", "6"), 0);
      expect(accepted.stdout).toContain(`${account(1)} now mentors you (${account(6)}).`);
      expect(await mentorOf(account(6))).toBe(account(1));
      const ended = expectExit(await firm("mentor", "end", "--as", "6", "--json"), 0).json<{
        mentor: string;
        mentee: string;
      }>();
      expect(ended).toMatchObject({ mentor: account(1).toLowerCase(), mentee: account(6).toLowerCase() });
      expect(await mentorOf(account(6))).toBe("0x0000000000000000000000000000000000000000");
    },
    SLOW,
  );

  it(
    "refuses mentor abuse in words: a partner offered to a partner, an offer never made or withdrawn, a third party ending a link",
    async () => {
      const toPartner = expectExit(await firm("mentor", "offer", account(2), "--as", "1"), 2);
      expect(toPartner.stderr).toContain("cannot mentor");
      const byAssociate = expectExit(await firm("mentor", "offer", account(7), "--as", "6"), 2);
      expect(byAssociate.stderr).toContain("cannot mentor");
      const noOffer = expectExit(await firm("mentor", "accept", account(2), "--as", "6"), 2);
      expect(noOffer.stderr).toContain("no standing mentorship offer");
      expectExit(await firm("mentor", "offer", account(6), "--as", "2"), 0);
      expectExit(await firm("mentor", "withdraw", account(6), "--as", "2"), 0);
      const withdrawn = expectExit(await firm("mentor", "accept", account(2), "--as", "6"), 2);
      expect(withdrawn.stderr).toContain("no standing mentorship offer");
      // #3 mentors #7 (the seed): #2 may not end that link.
      const thirdParty = expectExit(await firm("mentor", "end", account(7), "--as", "2"), 2);
      expect(thirdParty.stderr).toContain("may not end that link");
      expect(await mentorOf(account(7))).toBe(account(3));
      const usage = expectExit(await firm("mentor", "offer", "--as", "1"), 2);
      expect(usage.stderr).toContain("`firm mentor offer` needs the associate's address");
    },
    SLOW,
  );
});

describe("firm propose admit --mentor", () => {
  it(
    "puts the admission and the mentor's assignment in one proposal",
    async () => {
      const newcomer = account(9);
      const proposed = expectExit(
        await firm(
          "propose",
          "admit",
          "--account",
          newcomer,
          "--role",
          "associate",
          "--practice",
          "none",
          "--mentor",
          account(2),
          "--as",
          "1",
          "--json",
        ),
        0,
      ).json<{ proposal: { id: string; actions: { summary: string }[] }; transaction: `0x${string}` }>();
      expect(proposed.proposal.actions.map((action) => action.summary)).toEqual([
        expect.stringMatching(/^Admit 0x.{4}….{4} as Associate$/),
        expect.stringMatching(/^Make 0x.{4}….{4} mentor of 0x.{4}….{4}$/),
      ]);
      const client = createPublicClient({ transport: http(chain.rpcUrl) });
      const receipt = await client.getTransactionReceipt({ hash: proposed.transaction });
      const [created] = parseEventLogs({
        abi: firmGovernorAbi,
        logs: receipt.logs,
        eventName: "ProposalCreated",
      });
      expect(created?.args.proposalId.toString()).toBe(proposed.proposal.id);
      expect(created?.args.targets).toEqual([
        chain.manifest.contracts.partnership,
        chain.manifest.contracts.directory,
      ]);
      // A directory call and an admission move no funds.
      const [, , , movesFunds] = await client.readContract({
        address: chain.manifest.contracts.governor,
        abi: firmGovernorAbi,
        functionName: "proposalThresholds",
        args: [BigInt(proposed.proposal.id)],
      });
      expect(movesFunds).toBe(false);
    },
    SLOW,
  );

  it(
    "refuses --mentor for a partner's admission, and a mentor who is no partner",
    async () => {
      const partnerRole = expectExit(
        await firm(
          "propose",
          "admit",
          "--account",
          account(9),
          "--role",
          "partner",
          "--practice",
          "none",
          "--mentor",
          account(2),
          "--as",
          "1",
        ),
        2,
      );
      expect(partnerRole.stderr).toContain(
        "--mentor applies to an associate's admission, and --role is partner",
      );
      const notPartner = expectExit(
        await firm(
          "propose",
          "admit",
          "--account",
          account(9),
          "--role",
          "associate",
          "--practice",
          "none",
          "--mentor",
          account(6),
          "--as",
          "1",
        ),
        2,
      );
      expect(notPartner.stderr).toContain(`--mentor ${account(6)} is not an active partner of the firm`);
    },
    SLOW,
  );
});

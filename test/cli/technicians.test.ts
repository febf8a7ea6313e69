// `firm technicians` and `firm profile show`, the directory's read commands, against the API on the
// mirror of a real chain (api/testing/scenarioServer.ts): in the cloud practice p4 works on site near
// Montreal, the associate remotely (mentored by a2), p1 retired with a live profile left behind, and
// p3 cleared theirs. The lines a person reads, the --json a script reads, and the refusals.
import { network } from "hardhat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScenarioServer, serveScenario } from "../../api/testing/scenarioServer.ts";
import { runFirm } from "./support/runFirm.ts";

const connection = await network.connect();
let served: ScenarioServer;
let env: Record<string, string>;

beforeAll(async () => {
  served = await serveScenario(connection);
  env = { FIRM_API_URL: `${served.url}/graphql` };
}, 300_000);

afterAll(async () => {
  await served?.close();
  await connection.close();
});

describe("firm technicians", () => {
  it("lists the on-site technician within the radius with the distance, never the retired member", async () => {
    const { directory } = served.scenario;
    const result = await runFirm(
      ["technicians", "--practice", "cloud", "--near", "45.50,-73.57", "--radius", "50km"],
      env,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "Technicians of cloud on site within 50 km of 45.5,-73.57, nearest first (1 of 1):",
    );
    expect(lines[1]).toMatch(/^ {2}1\d\.\d km {2}Dana Four \(lead, active\) 0x[0-9a-f]{4}…[0-9a-f]{4}$/);
    expect(lines[2]).toBe("      azure, backup  ·  Laval, CA-QC  ·  both  ·  https://p4.example.com");
    expect(result.stdout).not.toContain("Pat One");

    const json = (
      await runFirm(
        ["technicians", "--practice", "cloud", "--near", "45.50,-73.57", "--radius", "50", "--json"],
        env,
      )
    ).json<{
      ok: boolean;
      totalCount: number;
      technicians: { member: { address: string }; distanceKm: number }[];
    }>();
    expect(json).toMatchObject({ ok: true, totalCount: 1 });
    expect(json.technicians.map((t) => t.member.address)).toEqual([directory.onSite]);
    expect(json.technicians[0]?.distanceKm).toBeGreaterThan(15);
  });

  it("lists remote-capable members with --remote, and skills with --skill", async () => {
    const { directory } = served.scenario;
    const remote = (await runFirm(["technicians", "--practice", "cloud", "--remote", "--json"], env)).json<{
      technicians: { member: { address: string } }[];
    }>();
    expect(remote.technicians.map((t) => t.member.address)).toEqual(
      [directory.onSite, directory.remote].sort(),
    );
    const skilled = await runFirm(["technicians", "--practice", "cloud", "--skill", "c#"], env);
    expect(skilled.stdout).toContain("Technicians of cloud with c# (1 of 1):");
    expect(skilled.stdout).toContain("Alex Associate (member, active)");
  });

  it("says so when the practice does not exist", async () => {
    const result = await runFirm(["technicians", "--practice", "no-such", "--remote"], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('No practice "no-such"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("firm profile show", () => {
  it("shows a member's profile as published, with the mentor, and the mentor's mentees", async () => {
    const { directory } = served.scenario;
    const shown = await runFirm(["profile", "show", directory.onSite], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Member ${directory.onSite} (partner)`);
    for (const line of [
      "  name         Dana Four",
      "  skills       azure, backup",
      "  works        both",
      "  region       CA-QC",
      "  city         Laval",
      "  coordinates  45.57, -73.75",
      "  radius       30 km",
      "  contact      https://p4.example.com",
    ])
      expect(shown.stdout).toContain(`${line}\n`);

    const mentee = (await runFirm(["profile", "show", directory.remote, "--json"], env)).json<{
      member: { profile: { workMode: string; latitude: number | null }; mentor: { address: string } };
    }>();
    expect(mentee.member.profile).toMatchObject({ workMode: "REMOTE", latitude: null });
    expect(mentee.member.mentor.address).toBe(directory.mentor);
    const mentor = await runFirm(["profile", "show", directory.mentor], env);
    expect(mentor.stdout).toContain("  no public profile");
    expect(mentor.stdout).toMatch(/ {2}mentees {6}0x[0-9a-f]{4}…[0-9a-f]{4}\n/);
  });

  it("shows no profile for a cleared one or a departed member's, and refuses an address the mirror lacks", async () => {
    const { directory } = served.scenario;
    for (const address of [directory.cleared, directory.departed]) {
      const shown = await runFirm(["profile", "show", address], env);
      expect(shown.code, address).toBe(0);
      expect(shown.stdout, address).toContain("  no public profile");
    }
    const unknown = await runFirm(["profile", "show", "0x000000000000000000000000000000000000dEaD"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("The mirror has no member");
  });
});

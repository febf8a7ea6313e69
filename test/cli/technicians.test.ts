// `firm technicians` against the API on the mirror of a real chain (api/testing/scenarioServer.ts):
// in the cloud practice p4 works on site near Montreal, the associate remotely, and p1 retired with a
// live profile left behind. The lines a person reads, the --json a script reads, and a NOT_FOUND.
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

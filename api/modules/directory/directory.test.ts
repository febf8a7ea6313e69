// The directory through the API, on the mirror of a real chain (indexer/testing/firmScenario.ts): in
// the cloud practice, p4 works on site near Montreal (BOTH), the associate remotely, and p1 retired
// with a live profile and a seat left behind, which no answer may show. Mentor links, Member fields,
// paging and the contract's address.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { directoryAbi } from "../../../contracts/abi.ts";
import { profiles } from "../../../indexer/store/schema.ts";
import { data } from "../../testing/client.ts";
import { db, p2, p3, publicClient, scenario, useScenarioSuite, yoga } from "../../testing/scenarioSuite.ts";
import { EARTH_RADIUS_KM } from "./queries/technicians.ts";

useScenarioSuite();

const MONTREAL = { latitude: 45.5, longitude: -73.57 };
const FIELDS = `totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { distanceKm role since member { address status }
    profile { displayName skills workMode region city latitude longitude radiusKm contactUrl contentHash updatedAt } } }`;

/** technicians(practice: "cloud", …args), declaring only the variables `args` uses. */
async function technicians(args: string, variables: Record<string, unknown> = {}) {
  const declared = [
    args.includes("$near") ? "$near: NearInput" : "",
    args.includes("$after") ? "$after: String" : "",
  ].filter(Boolean);
  const head = declared.length ? `query(${declared.join(", ")})` : "query";
  const used = Object.fromEntries(Object.entries(variables).filter(([name]) => args.includes(`$${name}`)));
  const prefix = args ? ", " : "";
  return (await data(yoga, `${head} { technicians(practice: "cloud"${prefix}${args}) { ${FIELDS} } }`, used))
    .technicians;
}
const addresses = (connection: { edges: { node: { member: { address: string } } }[] }) =>
  connection.edges.map((edge) => edge.node.member.address);

function haversineKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.latitude - a.latitude) * rad) / 2) ** 2 +
    Math.cos(a.latitude * rad) *
      Math.cos(b.latitude * rad) *
      Math.sin(((b.longitude - a.longitude) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

describe("technicians", () => {
  it("finds the on-site member near Montreal with the distance, the seat and the profile as published", async () => {
    const { directory } = scenario;
    const found = await technicians("near: $near", { near: { ...MONTREAL, radiusKm: 50 } });
    expect(addresses(found)).toEqual([directory.onSite]);
    const [{ node }] = found.edges;
    expect(node).toMatchObject({
      role: "LEAD",
      member: { address: directory.onSite, status: "ACTIVE" },
      profile: {
        displayName: "Dana Four",
        skills: ["azure", "backup"],
        workMode: "BOTH",
        region: "CA-QC",
        city: "Laval",
        latitude: 45.57,
        longitude: -73.75,
        radiusKm: 30,
        contactUrl: "https://p4.example.com",
      },
    });
    expect(node.distanceKm).toBeCloseTo(haversineKm(MONTREAL, { latitude: 45.57, longitude: -73.75 }), 6);
    expect(node.distanceKm).toBeGreaterThan(15);
    // The content hash is the chain's.
    const [, , , , , , updatedAt, contentHash] = (await publicClient.readContract({
      address: scenario.manifest.contracts.directory,
      abi: directoryAbi,
      functionName: "profileOf",
      args: [directory.onSite],
    })) as readonly unknown[];
    expect(node.profile.contentHash).toBe(contentHash);
    expect(node.profile.updatedAt).toBe(updatedAt);
    // 10 km is not enough to reach Laval from downtown.
    expect((await technicians("near: $near", { near: { ...MONTREAL, radiusKm: 10 } })).totalCount).toBe(0);
  });

  it("hides a departed member whose live profile the mirror still holds", async () => {
    const { directory } = scenario;
    // The mirror holds a live profile row (p1 retired and nobody cleared it); the retirement itself
    // emptied p1's seat in cloud.
    const [row] = await db.select().from(profiles).where(eq(profiles.member, directory.departed));
    expect(row?.live).toBe(true);
    const seats = await db.execute(
      sql`SELECT role FROM practice_members WHERE account = ${directory.departed} AND role <> 'None'`,
    );
    expect((seats as unknown as { rows: unknown[] }).rows.length).toBe(0);
    // The chain reads it as not live, and no answer shows it.
    const [live] = (await publicClient.readContract({
      address: scenario.manifest.contracts.directory,
      abi: directoryAbi,
      functionName: "profileOf",
      args: [directory.departed],
    })) as readonly unknown[];
    expect(live).toBe(false);
    for (const args of ["near: $near", "mode: ON_SITE", 'region: "CA-QC"', 'skill: "m365"', ""]) {
      const found = await technicians(args, { near: { ...MONTREAL, radiusKm: 1000 } });
      expect(addresses(found), args).not.toContain(directory.departed);
    }
    const { member } = await data(
      yoga,
      `{ member(address: "${directory.departed}") { status profile { displayName } } }`,
    );
    expect(member).toEqual({ status: "RETIRED", profile: null });
  });

  it("finds remote-capable members wherever they are, in address order, with distances when asked near a place", async () => {
    const { directory } = scenario;
    const expected = [directory.onSite, directory.remote].sort();
    const remote = await technicians("mode: REMOTE");
    expect(addresses(remote)).toEqual(expected);
    expect(remote.edges.map((e: { node: { distanceKm: number | null } }) => e.node.distanceKm)).toEqual([
      null,
      null,
    ]);
    const near = await technicians("near: $near, mode: REMOTE", {
      near: { latitude: -33.87, longitude: 151.21, radiusKm: 5 },
    });
    expect(addresses(near)).toEqual(expected);
    const distances = Object.fromEntries(
      near.edges.map((e: { node: { member: { address: string }; distanceKm: number | null } }) => [
        e.node.member.address,
        e.node.distanceKm,
      ]),
    );
    expect(distances[directory.remote]).toBeNull();
    expect(distances[directory.onSite]).toBeGreaterThan(15_000);
  });

  it("filters by region (a code or a country) and by skill", async () => {
    const { directory } = scenario;
    expect(addresses(await technicians('region: "CA-QC"'))).toEqual([directory.onSite]);
    expect(addresses(await technicians('region: "ca"'))).toEqual([directory.onSite]);
    expect(addresses(await technicians('region: "CA-ON"'))).toEqual([]);
    expect(addresses(await technicians('skill: "M365"'))).toEqual([directory.remote]);
    expect(addresses(await technicians('skill: "backup", mode: ON_SITE'))).toEqual([directory.onSite]);
    expect(addresses(await technicians("mode: BOTH"))).toEqual([directory.onSite]);
  });

  it("pages with cursors, and refuses a cursor of another order", async () => {
    const first = await technicians("mode: REMOTE, first: 1");
    expect(first.totalCount).toBe(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await technicians("mode: REMOTE, first: 1, after: $after", {
      after: first.pageInfo.endCursor,
    });
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...addresses(first), ...addresses(second)]).toEqual(
      await technicians("mode: REMOTE").then(addresses),
    );
  });
});

describe("Member's directory fields", () => {
  it("gives the mentor and the mentees, and no profile once cleared", async () => {
    const { directory } = scenario;
    const q = (address: string) =>
      data(
        yoga,
        `{ member(address: "${address}") { profile { displayName workMode } mentor { address role } mentees { address role } } }`,
      ).then((d) => d.member);
    expect(await q(directory.remote)).toEqual({
      profile: { displayName: "Alex Associate", workMode: "REMOTE" },
      mentor: { address: directory.mentor, role: "PARTNER" },
      mentees: [],
    });
    expect(await q(directory.mentor)).toEqual({
      profile: null,
      mentor: null,
      mentees: [{ address: directory.remote, role: "ASSOCIATE" }],
    });
    // p2 offered and withdrew; p3 published and cleared.
    expect(await q(p2)).toMatchObject({ mentees: [], mentor: null });
    expect((await q(p3)).profile).toBeNull();
  });

  it("names the directory contract among the firm's contracts", async () => {
    const { firm } = await data(yoga, "{ firm { contracts { directory } } }");
    expect(firm.contracts.directory).toBe(scenario.manifest.contracts.directory.toLowerCase());
  });
});

// The technicians query on a synthetic directory of 10,000 members (api/testing/directoryRows.ts), on
// PGlite and PostgreSQL: every filter against a brute-force reading of the same rows, paging, departed
// members hidden, remote members anywhere, and the query plan on PostgreSQL using the coordinates'
// index rather than a scan of profiles.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../../indexer/store/migrate.ts";
import { queryRows } from "../../../indexer/store/sql.ts";
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from "../../../indexer/testing/testDatabase.ts";
import { type SyntheticDirectory, writeSyntheticDirectory } from "../../testing/directoryRows.ts";
import {
  countTechnicians,
  EARTH_RADIUS_KM,
  listTechnicians,
  type TechnicianFilter,
  techniciansQuery,
} from "./queries/technicians.ts";

const MEMBERS = 10_000;

/** The haversine distance, as the query computes it, in JavaScript. */
function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** What the query should answer, read from every row in JavaScript: [address, distance | null][]. */
function bruteForce(directory: SyntheticDirectory, filter: TechnicianFilter): [string, number | null][] {
  const status = new Map(directory.members.map((m) => [m.address, m.status]));
  const seat = new Map(directory.seats.map((s) => [s.account, s.role]));
  const out: [string, number | null][] = [];
  for (const p of directory.profiles) {
    if (!p.live || seat.get(p.member) === "None") continue;
    if (!["Active", "OnLeave"].includes(status.get(p.member) as string)) continue;
    if (filter.workModes && !filter.workModes.includes(p.workMode)) continue;
    if (filter.region && !(p.region === filter.region || p.region?.startsWith(`${filter.region}-`))) continue;
    if (filter.skill && !p.skills.includes(filter.skill)) continue;
    let distance: number | null = null;
    if (filter.near) {
      if (p.latitude === null || p.longitude === null) continue;
      distance = haversineKm(filter.near.latitude, filter.near.longitude, p.latitude, p.longitude);
      if (distance > filter.near.radiusKm) continue;
    }
    out.push([p.member, distance]);
  }
  return filter.near
    ? out.sort((a, b) => (a[1] as number) - (b[1] as number) || (a[0] < b[0] ? -1 : 1))
    : out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe.each(TEST_BACKENDS)("technicians on %s, 10,000 members", (backend) => {
  let database: TestDatabase;
  let directory: SyntheticDirectory;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
    directory = await writeSyntheticDirectory(database.db, { count: MEMBERS });
    await database.db.execute(sql`ANALYZE`);
  }, 120_000);
  afterAll(async () => {
    await database?.dispose();
  });

  /** Every page of `size` rows, following the cursor as the resolver does. */
  async function allPages(filter: TechnicianFilter, size: number) {
    const rows: [string, number | null][] = [];
    let after: string[] | undefined;
    for (;;) {
      const page = await listTechnicians(database.db, { filter, after, limit: size });
      rows.push(...page.map((r): [string, number | null] => [r.profile.member, r.distanceKm]));
      const last = page.at(-1);
      if (page.length < size || !last) return rows;
      after = filter.near ? [String(last.distanceKm), last.profile.member] : [last.profile.member];
    }
  }

  const onSite = ["OnSite", "Both"];
  const cases: [string, Omit<TechnicianFilter, "practiceId">][] = [
    [
      "near Montreal, 50 km",
      { near: { latitude: 45.5, longitude: -73.57, radiusKm: 50 }, workModes: onSite },
    ],
    [
      "near Paris, 120 km, a skill",
      { near: { latitude: 48.86, longitude: 2.35, radiusKm: 120 }, workModes: onSite, skill: "voip" },
    ],
    [
      "near Reykjavik, 300 km (a wide box)",
      { near: { latitude: 64.15, longitude: -21.94, radiusKm: 300 }, workModes: onSite },
    ],
    [
      "near Suva, 400 km (the box crosses the antimeridian)",
      { near: { latitude: -18.14, longitude: 179.5, radiusKm: 400 }, workModes: onSite },
    ],
    [
      "near Montreal, BOTH only",
      { near: { latitude: 45.5, longitude: -73.57, radiusKm: 150 }, workModes: ["Both"] },
    ],
    ["remote anywhere", { workModes: ["Remote", "Both"] }],
    ["a region", { region: "CA-QC" }],
    ["a country", { region: "CA", skill: "c#" }],
  ];

  it.each(cases)("%s: the rows a brute force finds, in order, through pages of 37", async (_, partial) => {
    const filter = { practiceId: directory.practiceId, ...partial };
    const expected = bruteForce(directory, filter);
    expect(expected.length).toBeGreaterThan(0);
    const rows = await allPages(filter, 37);
    expect(rows.map(([address]) => address)).toEqual(expected.map(([address]) => address));
    rows.forEach(([, distance], i) => {
      const want = expected[i]?.[1] ?? null;
      if (want === null) expect(distance).toBeNull();
      else expect(distance).toBeCloseTo(want, 6);
    });
    expect(await countTechnicians(database.db, filter)).toBe(expected.length);
  });

  it("hides departed members and removed seats even though their profiles are live", async () => {
    const near = { latitude: 45.5, longitude: -73.57, radiusKm: 200 };
    const filter = { practiceId: directory.practiceId, near, workModes: onSite };
    const rows = await allPages(filter, 100);
    const departed = new Set(
      directory.members.filter((m) => m.status === "Retired" || m.status === "Removed").map((m) => m.address),
    );
    const unseated = new Set(directory.seats.filter((s) => s.role === "None").map((s) => s.account));
    // Some of them are in range with live on-site profiles: the query had them to hide.
    const inRange = directory.profiles.filter(
      (p) =>
        (departed.has(p.member) || unseated.has(p.member)) &&
        p.latitude !== null &&
        p.longitude !== null &&
        onSite.includes(p.workMode) &&
        haversineKm(near.latitude, near.longitude, p.latitude, p.longitude) <= near.radiusKm,
    );
    expect(inRange.length).toBeGreaterThan(5);
    expect(rows.filter(([address]) => departed.has(address) || unseated.has(address))).toEqual([]);
    expect(rows.length).toBeGreaterThan(100);
  });

  it("finds remote members wherever they are, coordinates or not", async () => {
    const rows = await allPages({ practiceId: directory.practiceId, workModes: ["Remote", "Both"] }, 500);
    const cities = new Set(
      rows.map(([address]) => directory.profiles.find((p) => p.member === address)?.region?.slice(0, 2)),
    );
    expect(cities.size).toBeGreaterThanOrEqual(10);
    const unlocated = rows.filter(
      ([address]) => directory.profiles.find((p) => p.member === address)?.latitude === null,
    );
    expect(unlocated.length).toBeGreaterThan(0);
  });

  it.runIf(backend === "postgres")(
    "plans `near` on the coordinates' index, not a scan of profiles (EXPLAIN)",
    async () => {
      const filter = {
        practiceId: directory.practiceId,
        near: { latitude: 45.5, longitude: -73.57, radiusKm: 50 },
        workModes: onSite,
      };
      const plan = (
        await queryRows<{ "QUERY PLAN": string }>(database.db, sql`EXPLAIN ${techniciansQuery(filter, 21)}`)
      ).map((row) => row["QUERY PLAN"]);
      const text = plan.join("\n");
      expect(text).toMatch(
        /Index (Only )?Scan using profiles_location_idx on profiles|Bitmap Index Scan on profiles_location_idx/,
      );
      expect(text).not.toMatch(/Seq Scan on profiles/);
    },
  );
});

// A synthetic talent directory written straight into a migrated mirror: one practice and `count`
// members, each with a seat and a live profile around a dozen cities (two near the antimeridian, one
// near the Arctic circle), for the directory's query tests and `npm run bench:technicians`. A mirror
// of a real chain is what the API tests use (api/modules/directory/directory.test.ts); this is for
// the sizes (10,000 members) at which the query plan and the latency matter. Not a test file.
import { keccak256, toBytes } from "viem";
import { writeRows } from "../../indexer/store/bulk.ts";
import type { Database } from "../../indexer/store/db.ts";
import { RowCodec } from "../../indexer/store/entities.ts";
import type { MemberRow, PracticeMemberRow, PracticeRow, ProfileRow } from "../../indexer/store/mirror.ts";
import { members, practiceMembers, practices, profiles } from "../../indexer/store/schema.ts";
import { mulberry32 } from "../../indexer/testing/faultProxy.ts";

/** Cities members cluster around: [name, latitude, longitude, region]. */
export const CITIES = [
  ["Montreal", 45.5, -73.57, "CA-QC"],
  ["Toronto", 43.65, -79.38, "CA-ON"],
  ["New York", 40.71, -74.01, "US-NY"],
  ["Paris", 48.86, 2.35, "FR-IDF"],
  ["London", 51.51, -0.13, "GB-LND"],
  ["Nairobi", -1.29, 36.82, "KE-30"],
  ["Tokyo", 35.68, 139.69, "JP-13"],
  ["Sydney", -33.87, 151.21, "AU-NSW"],
  ["Sao Paulo", -23.55, -46.63, "BR-SP"],
  ["Reykjavik", 64.15, -21.94, "IS-1"],
  ["Suva", -18.14, 178.44, "FJ-C"],
  ["Apia", -13.83, -171.76, "WS-TU"],
] as const;

export const SKILLS = ["voip", "sip", "m365", "azure", "network", "firewall", "backup", "c#"] as const;
const MODES = ["OnSite", "OnSite", "Remote", "Both"] as const;

export interface SyntheticDirectory {
  practiceId: string;
  slug: string;
  members: MemberRow[];
  seats: PracticeMemberRow[];
  profiles: ProfileRow[];
}

/** The synthetic address of member `i`: 0x followed by i in 40 hex digits (sortable, readable). */
export function syntheticAddress(i: number): string {
  return `0x${i.toString(16).padStart(40, "0")}`;
}

/**
 * Writes the practice `slug` and `count` members into `db` (migrated, empty of them), seeded so two
 * runs write the same rows. About 6% of members departed (their profile left live), 5% hold no seat
 * any more, 10% publish no coordinates.
 *
 * @example
 * const directory = await writeSyntheticDirectory(db, { count: 10_000 });
 */
export async function writeSyntheticDirectory(
  db: Database,
  { count, slug = "phones", seed = 12 }: { count: number; slug?: string; seed?: number },
): Promise<SyntheticDirectory> {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const practiceId = keccak256(toBytes(slug));
  const at = 1_700_000_000;
  const practice: PracticeRow = {
    practiceId,
    slug,
    name: "Phone Systems",
    lead: syntheticAddress(1),
    status: "Active",
    memberCount: count,
    createdAt: at,
    createdBlock: 1,
    createdTx: `0x${"0".repeat(64)}`,
    createdProposalId: null,
    sunsetAt: null,
    sunsetProposalId: null,
    updatedBlock: 1,
    updatedAt: at,
  };
  const memberRows: MemberRow[] = [];
  const seats: PracticeMemberRow[] = [];
  const profileRows: ProfileRow[] = [];
  for (let i = 1; i <= count; i++) {
    const address = syntheticAddress(i);
    const draw = random();
    const status = draw < 0.03 ? "Retired" : draw < 0.06 ? "Removed" : draw < 0.1 ? "OnLeave" : "Active";
    memberRows.push({
      address,
      memberIndex: i,
      role: "Associate",
      status,
      admittedAt: at + i,
      admissionBlock: 1,
      admissionTx: `0x${"0".repeat(64)}`,
      admissionProposalId: null,
      partnerSince: null,
      partnerUntil: null,
      leaveId: null,
      leaveCover: null,
      leaveFrom: null,
      // An OnLeave status far in the future, so it does not lapse to Active during a test.
      leaveUntil: status === "OnLeave" ? 4_000_000_000 : null,
      departedAt: status === "Retired" || status === "Removed" ? at + count + i : null,
      departureProposalId: null,
      successor: null,
      updatedBlock: 1,
      updatedAt: at + i,
    });
    seats.push({
      practiceId,
      account: address,
      role: i === 1 ? "Lead" : random() < 0.05 ? "None" : pick(["Member", "Technician", "Technician"]),
      since: at + i,
      updatedBlock: 1,
      updatedAt: at + i,
    });
    const [, latitude, longitude, region] = pick(CITIES);
    const workMode = pick(MODES);
    const located = random() >= 0.1;
    // Within about 150 km of the city, rounded to hundredths of a degree as the contract keeps them.
    const round = (x: number) => Math.round(x * 100) / 100;
    const skills = [...new Set([pick(SKILLS), pick(SKILLS)])];
    profileRows.push({
      member: address,
      displayName: `Technician ${i}`,
      skills,
      workMode,
      region,
      city: null,
      latitude: located ? round(latitude + (random() - 0.5) * 2.7) : null,
      longitude: located ? round(Math.max(-180, Math.min(180, longitude + (random() - 0.5) * 2.7))) : null,
      radiusKm: workMode === "Remote" ? 0 : 50,
      contactUrl: `https://example.com/t/${i}`,
      contentHash: keccak256(toBytes(address)),
      live: true,
      updatedAt: at + i,
      clearedAt: null,
      clearedBy: null,
      clearedReason: null,
      updatedBlock: 1,
    });
  }
  await db.transaction(async (tx) => {
    await writeRows(tx, practices, new RowCodec(practices), [practice]);
    await writeRows(tx, members, new RowCodec(members), memberRows);
    await writeRows(tx, practiceMembers, new RowCodec(practiceMembers), seats);
    await writeRows(tx, profiles, new RowCodec(profiles), profileRows);
  });
  return { practiceId, slug, members: memberRows, seats, profiles: profileRows };
}

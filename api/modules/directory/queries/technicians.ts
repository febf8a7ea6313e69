// The technicians of a practice: members with a live profile and a seat in it, who are still members
// (ACTIVE or ON_LEAVE: a departed member's profile may never have been cleared, and stays hidden), with
// the filters of Query.technicians. `near` reads a bounding box on the indexed coordinates
// (profiles_location_idx: a latitude range scan, the longitude checked in the index), then keeps the
// rows within the exact haversine distance, nearest first.
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../../indexer/store/db.ts";
import type { MemberRow, ProfileRow } from "../../../../indexer/store/mirror.ts";
import { members, profiles } from "../../../../indexer/store/schema.ts";
import { queryRows } from "../../../../indexer/store/sql.ts";
import { rowFrom, toNumber } from "../../../domain/rows.ts";

/** The mean Earth radius (IUGG), km: haversine distances are within 0.5% of the ellipsoid's. */
export const EARTH_RADIUS_KM = 6371.0088;
/** km per degree of latitude (2πR/360): about 111.2 everywhere. */
const KM_PER_DEGREE = (2 * Math.PI * EARTH_RADIUS_KM) / 360;

export interface NearPoint {
  latitude: number;
  longitude: number;
  radiusKm: number;
}

export interface TechnicianFilter {
  practiceId: string;
  near?: NearPoint | undefined;
  /** A point to give distances from without filtering on them (a remote request made near a place). */
  distanceFrom?: Pick<NearPoint, "latitude" | "longitude"> | undefined;
  /** Stored work modes to keep ("OnSite", "Remote", "Both"); every mode when undefined. */
  workModes?: readonly string[] | undefined;
  /** An exact ISO 3166-2 code, or a country ("CA") matching every "CA-…" code. */
  region?: string | undefined;
  skill?: string | undefined;
}

export interface TechnicianRow {
  profile: ProfileRow;
  /** The member's current record, read in the same statement (no second round trip per page). */
  member: MemberRow;
  role: string;
  since: number;
  distanceKm: number | null;
}

/**
 * Up to `limit` technicians after the cursor's key: (distance, address) with `near`, else (address).
 *
 * @example
 * await listTechnicians(db, { filter: { practiceId, near: { latitude: 45.5, longitude: -73.57, radiusKm: 50 } }, after: undefined, limit: 21 });
 */
export async function listTechnicians(
  db: Database,
  { filter, after, limit }: { filter: TechnicianFilter; after: readonly string[] | undefined; limit: number },
): Promise<TechnicianRow[]> {
  const near = filter.near;
  const afterKey =
    after === undefined
      ? sql``
      : near
        ? sql`AND (t.distance_km, t.member) > (${after[0]}::float8, ${after[1]})`
        : sql`AND t.member > ${after[0]}`;
  const order = near ? sql`t.distance_km, t.member` : sql`t.member`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT * FROM (${matching(filter)}) t WHERE true ${withinRadius(near)} ${afterKey}
        ORDER BY ${order} LIMIT ${limit}`,
  );
  return rows.map((raw) => ({
    profile: rowFrom(profiles, raw),
    member: rowFrom(members, memberColumnsOf(raw)),
    role: raw.seat_role as string,
    since: toNumber(raw.seat_since),
    distanceKm: raw.distance_km === null || raw.distance_km === undefined ? null : Number(raw.distance_km),
  }));
}

export async function countTechnicians(db: Database, filter: TechnicianFilter): Promise<number> {
  const [row] = await queryRows<{ n: unknown }>(
    db,
    sql`SELECT count(*) AS n FROM (${matching(filter)}) t WHERE true ${withinRadius(filter.near)}`,
  );
  return toNumber(row?.n);
}

/** The exact statement listTechnicians runs for a first page: what the EXPLAIN test plans. */
export function techniciansQuery(filter: TechnicianFilter, limit: number): SQL {
  const order = filter.near ? sql`t.distance_km, t.member` : sql`t.member`;
  return sql`SELECT * FROM (${matching(filter)}) t WHERE true ${withinRadius(filter.near)}
             ORDER BY ${order} LIMIT ${limit}`;
}

function withinRadius(near: NearPoint | undefined): SQL {
  return near ? sql`AND t.distance_km <= ${near.radiusKm}` : sql``;
}

/** The members' columns, selected under a prefix since profiles has columns of the same names. */
const MEMBER_PREFIX = "m__";
const MEMBER_COLUMNS = sql.raw(
  Object.values(getTableColumns(members))
    .map((column) => `m."${column.name}" AS "${MEMBER_PREFIX}${column.name}"`)
    .join(", "),
);

function memberColumnsOf(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw))
    if (key.startsWith(MEMBER_PREFIX)) out[key.slice(MEMBER_PREFIX.length)] = value;
  return out;
}

/** Every row the filter selects, with the seat's role and start and the distance (null without near). */
function matching(filter: TechnicianFilter): SQL {
  const { near, distanceFrom, workModes, region, skill } = filter;
  const conditions: SQL[] = [];
  if (workModes)
    conditions.push(
      sql`AND p.work_mode IN (${sql.join(
        workModes.map((m) => sql`${m}`),
        sql`, `,
      )})`,
    );
  if (region)
    conditions.push(
      region.includes("-") ? sql`AND p.region = ${region}` : sql`AND p.region LIKE ${`${region}-%`}`,
    );
  if (skill) conditions.push(sql`AND ${skill} = ANY(p.skills)`);
  if (near) conditions.push(boundingBox(near));
  return sql`SELECT p.*, ${MEMBER_COLUMNS}, s.role AS seat_role, s.since AS seat_since, ${distance(near ?? distanceFrom)} AS distance_km
    FROM profiles p
    JOIN practice_members s ON s.practice_id = ${filter.practiceId} AND s.account = p.member
    JOIN members m ON m.address = p.member
    WHERE p.live AND s.role <> 'None' AND s.since IS NOT NULL AND m.status IN ('Active', 'OnLeave')
    ${sql.join(conditions, sql` `)}`;
}

/** The haversine distance from `near`'s point to the row's coordinates, km (null without them). */
function distance(near: Pick<NearPoint, "latitude" | "longitude"> | undefined): SQL {
  if (!near) return sql`NULL::float8`;
  const lat = sql`radians(${near.latitude}::float8)`;
  const lon = sql`radians(${near.longitude}::float8)`;
  // least() skips a NULL, so a row without coordinates is caught first (asin(1) is no distance).
  return sql`CASE WHEN p.latitude IS NULL THEN NULL::float8 ELSE (2 * ${EARTH_RADIUS_KM}::float8 * asin(least(1, sqrt(
      power(sin((radians(p.latitude) - ${lat}) / 2), 2)
      + cos(${lat}) * cos(radians(p.latitude)) * power(sin((radians(p.longitude) - ${lon}) / 2), 2))))) END`;
}

/**
 * The box around the circle on the indexed columns. Its latitude span is exact (radius / 111.2 km);
 * its longitude span widens by 1/cos(latitude) at the box's edge nearest a pole. When the box reaches a
 * pole or crosses the antimeridian, only the latitude band is used (still an index range; rare).
 */
function boundingBox({ latitude, longitude, radiusKm }: NearPoint): SQL {
  const dLat = radiusKm / KM_PER_DEGREE;
  const south = latitude - dLat;
  const north = latitude + dLat;
  const band = sql`AND p.latitude IS NOT NULL AND p.latitude BETWEEN ${south}::float8 AND ${north}::float8`;
  if (south <= -90 || north >= 90) return band;
  const widest = Math.max(Math.abs(south), Math.abs(north));
  const dLon = dLat / Math.cos((widest * Math.PI) / 180);
  const west = longitude - dLon;
  const east = longitude + dLon;
  if (west < -180 || east > 180) return band;
  return sql`${band} AND p.longitude BETWEEN ${west}::float8 AND ${east}::float8`;
}

// `firm technicians --practice <slug> [--near <lat,lon>] [--radius 50km] [--remote] [--region <code>]
// [--skill <tag>] [--limit N]`: a practice's technicians from the API's directory: on site near a
// place (nearest first, with the distance), remote-capable anywhere, in a region or with a skill.
import { shortAddress } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import type { Output } from "./lib/output.ts";
import { parsePositiveId, parseSlug } from "./lib/parse.ts";
import { openApi } from "./lib/session.ts";

export const USAGE =
  "technicians --practice <slug> [--near <lat,lon>] [--radius 50km] [--remote] [--region <code>] [--skill <tag>] [--limit N]";
/** The API's bound on `near.radiusKm` (api/modules/directory). */
const MAX_RADIUS_KM = 1000;
const DEFAULT_RADIUS_KM = 50;

interface TechnicianNode {
  distanceKm: number | null;
  role: string;
  since: number;
  member: { address: string; status: string };
  profile: {
    displayName: string;
    skills: string[];
    workMode: string;
    region: string | null;
    city: string | null;
    contactUrl: string | null;
  };
}

export async function run(args: string[], out: Output): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      practice: { type: "string" },
      near: { type: "string" },
      radius: { type: "string" },
      remote: { type: "boolean", default: false },
      region: { type: "string" },
      skill: { type: "string" },
      limit: { type: "string" },
    },
    { usage: USAGE },
  );
  const practice = parseSlug(required(values.practice, "--practice", USAGE), "--practice");
  const near = values.near === undefined ? undefined : parsePoint(values.near);
  if (values.radius !== undefined && near === undefined)
    throw new UsageError("--radius needs --near", "Give the place too: --near 45.50,-73.57 --radius 50km.");
  const radiusKm = values.radius === undefined ? DEFAULT_RADIUS_KM : parseRadius(values.radius);
  const limit = values.limit ? Number(parsePositiveId(values.limit, "--limit")) : 20;
  if (limit > 100) throw new UsageError("--limit is at most 100 (the API's page size)");
  const api = openApi();
  const data = await api.query<{
    technicians: { totalCount: number; edges: { node: TechnicianNode }[] };
  }>(
    `query($practice: String!, $near: NearInput, $region: String, $mode: WorkMode, $skill: String, $first: Int) {
      technicians(practice: $practice, near: $near, region: $region, mode: $mode, skill: $skill, first: $first) {
        totalCount
        edges { node { distanceKm role since member { address status }
          profile { displayName skills workMode region city contactUrl } } } } }`,
    {
      practice,
      near: near ? { ...near, radiusKm } : null,
      region: values.region ?? null,
      mode: values.remote ? "REMOTE" : null,
      skill: values.skill ?? null,
      first: limit,
    },
  );
  const technicians = data.technicians.edges.map((edge) => edge.node);
  const where = values.remote
    ? "working remotely"
    : near
      ? `on site within ${radiusKm} km of ${near.latitude},${near.longitude}, nearest first`
      : "";
  const filters = [values.region && `in ${values.region}`, values.skill && `with ${values.skill}`].filter(
    Boolean,
  );
  out.line(
    `Technicians of ${practice}${where ? ` ${where}` : ""}${filters.length ? ` ${filters.join(" ")}` : ""} (${technicians.length} of ${data.technicians.totalCount}):`,
  );
  if (technicians.length === 0) out.line("  none");
  for (const t of technicians) {
    const distance = t.distanceKm === null ? "" : `${t.distanceKm.toFixed(1)} km  `;
    const place = [t.profile.city, t.profile.region].filter(Boolean).join(", ");
    out.line(
      `  ${distance}${t.profile.displayName} (${t.role.toLowerCase()}, ${t.member.status.toLowerCase().replace("_", " ")}) ${shortAddress(t.member.address)}`,
    );
    out.line(
      `      ${[t.profile.skills.join(", "), place, t.profile.workMode.toLowerCase().replace("_", "-"), t.profile.contactUrl].filter(Boolean).join("  ·  ")}`,
    );
  }
  out.result({ practice, totalCount: data.technicians.totalCount, technicians });
  return 0;
}

/** "45.50,-73.57": a latitude and a longitude in degrees. */
function parsePoint(text: string): { latitude: number; longitude: number } {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  const latitude = Number(match?.[1]);
  const longitude = Number(match?.[2]);
  if (!match || Math.abs(latitude) > 90 || Math.abs(longitude) > 180)
    throw new UsageError(
      `--near "${text}" is not a place`,
      "Write a latitude (-90 to 90) and a longitude (-180 to 180) in degrees, e.g. --near 45.50,-73.57.",
    );
  return { latitude, longitude };
}

/** "50km", "50 km" or "50": km, above 0 and at most 1,000. */
function parseRadius(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:km)?\s*$/i.exec(text);
  const km = Number(match?.[1]);
  if (!match || !(km > 0) || km > MAX_RADIUS_KM)
    throw new UsageError(
      `--radius "${text}" is not a distance`,
      `Write km above 0 and at most ${MAX_RADIUS_KM}, e.g. --radius 50km.`,
    );
  return km;
}

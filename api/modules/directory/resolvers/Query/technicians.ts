// Query.technicians: a practice's technicians near a point, remote-capable, in a region or with a
// skill (queries/technicians.ts), each input checked first with a coded error saying what it takes.
import type { ApiContext } from "../../../../context.ts";
import { parseSlug } from "../../../../domain/inputs.ts";
import { pageConnection } from "../../../../domain/pageConnection.ts";
import { badUserInput, notFound } from "../../../../errors.ts";
import type { PageArgs } from "../../../core/nodes.ts";
import {
  countTechnicians,
  listTechnicians,
  type NearPoint,
  type TechnicianFilter,
} from "../../queries/technicians.ts";

/** The farthest `near` reaches, km: a practice's on-site reach, not a continent. */
export const MAX_RADIUS_KM = 1000;
/** An ISO 3166-2 code as the Directory contract takes them ("CA-QC"), or a country alone ("CA"). */
const REGION = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;
/** A skill tag as the Directory contract takes them. */
const SKILL = /^[a-z0-9+#.-]{1,32}$/;

type WorkModeName = "OnSite" | "Remote" | "Both";

export interface TechniciansArgs extends PageArgs {
  practice: string;
  near?: NearPoint | null;
  region?: string | null;
  mode?: WorkModeName | null;
  skill?: string | null;
}

export function technicians(_: unknown, args: TechniciansArgs, ctx: ApiContext) {
  const { first, after, near } = args;
  return pageConnection({
    // A cursor of the nearest-first list is refused by the address-ordered one, and the reverse.
    list: near && args.mode !== "Remote" ? "technicians:NEAREST" : "technicians:ADDRESS",
    first,
    after,
    cursorTypes: near && args.mode !== "Remote" ? ["string", "string"] : ["string"],
    filter: () => technicianFilter(args, ctx),
    fetch: ({ filter, after: key, limit }) => listTechnicians(ctx.db, { filter, after: key, limit }),
    keyOf: (row) =>
      row.distanceKm !== null && near && args.mode !== "Remote"
        ? [String(row.distanceKm), row.profile.member]
        : [row.profile.member],
    nodeOf: (row) => row,
    count: (filter) => countTechnicians(ctx.db, filter),
  });
}

async function technicianFilter(args: TechniciansArgs, ctx: ApiContext): Promise<TechnicianFilter> {
  const slug = parseSlug(args.practice, "practice");
  const near = args.near ? parseNear(args.near) : undefined;
  const region = args.region === null || args.region === undefined ? undefined : parseRegion(args.region);
  const skill = args.skill === null || args.skill === undefined ? undefined : parseSkill(args.skill);
  const practice = await ctx.loaders.practiceBySlug.load(slug);
  if (!practice) throw notFound("practice", slug);
  const mode = args.mode ?? undefined;
  // A remote request finds remote-capable members wherever they are: `near` then only gives distances.
  const remote = mode === "Remote";
  return {
    practiceId: practice.practiceId,
    ...(near && !remote ? { near } : {}),
    ...(near && remote ? { distanceFrom: near } : {}),
    workModes: workModes(mode, near !== undefined),
    region,
    skill,
  };
}

/** ON_SITE and REMOTE include BOTH; `near` alone means on site. */
function workModes(mode: WorkModeName | undefined, near: boolean): WorkModeName[] | undefined {
  if (mode === "Both") return ["Both"];
  if (mode === "Remote") return ["Remote", "Both"];
  if (mode === "OnSite" || near) return ["OnSite", "Both"];
  return undefined;
}

function parseNear({ latitude, longitude, radiusKm }: NearPoint): NearPoint {
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90)
    throw badUserInput("near.latitude", latitude, "a latitude in degrees from -90 to 90");
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180)
    throw badUserInput("near.longitude", longitude, "a longitude in degrees from -180 to 180");
  if (!Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > MAX_RADIUS_KM)
    throw badUserInput("near.radiusKm", radiusKm, `a radius in km above 0 and at most ${MAX_RADIUS_KM}`);
  return { latitude, longitude, radiusKm };
}

function parseRegion(value: string): string {
  const region = value.trim().toUpperCase();
  if (!REGION.test(region))
    throw badUserInput(
      "region",
      value,
      'an ISO 3166-2 code such as "CA-QC" (two letters, "-", 1 to 3 letters or digits), or a country\'s two letters such as "CA"',
    );
  return region;
}

function parseSkill(value: string): string {
  const skill = value.trim().toLowerCase();
  if (!SKILL.test(skill))
    throw badUserInput("skill", value, "a skill tag: 1 to 32 characters of a-z, 0-9, '-', '+', '.' and '#'");
  return skill;
}

// `firm profile set|clear|show`: a member's public profile in the talent directory
// (contracts/Directory.sol). `set` checks every field with the contract's own rules before anything
// connects (a UsageError naming the flag), rounds coordinates to 0.01° (about 1.1 km) and publishes
// them only when --coordinates is given, shows what will be published, says that it is public and
// permanent, and asks for confirmation (--yes skips it; with no terminal and no --yes it refuses and
// sends nothing). `clear` hides the signer's profile; `show` reads a member's profile, mentor and
// mentees from the API's mirror.
import { createInterface } from "node:readline/promises";
import type { Address } from "viem";
import { directoryAbi } from "../../contracts/abi.ts";
import { shortAddress } from "../../indexer/decode/format.ts";
import { WorkMode } from "../devFirm/enums.ts";
import type { ProfileFields } from "../devFirm/profiles.ts";
import { UsageError } from "./errors.ts";
import { orNull } from "./lib/api.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import { formatTime, type Output } from "./lib/output.ts";
import { parseAddress, parseChoice } from "./lib/parse.ts";
import { findEvent, reportSent } from "./lib/send.ts";
import { openApi, openWriteSession, sendAndWait, WRITE_OPTIONS } from "./lib/session.ts";

const SET_USAGE =
  "profile set --name <text> --mode onsite|remote|both [--skills a,b] [--region CA-QC] [--city <text>] [--coordinates <lat,lon>] [--radius 50km] [--contact <url>] [--yes]";
const USAGE = `${SET_USAGE}, firm profile clear, or firm profile show [address]`;

const OPTIONS = {
  ...WRITE_OPTIONS,
  yes: { type: "boolean", default: false },
  name: { type: "string" },
  skills: { type: "string" },
  mode: { type: "string" },
  region: { type: "string" },
  city: { type: "string" },
  coordinates: { type: "string" },
  radius: { type: "string" },
  contact: { type: "string" },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>["values"];

const SET_ONLY = [
  "yes",
  "name",
  "skills",
  "mode",
  "region",
  "city",
  "coordinates",
  "radius",
  "contact",
] as const;

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, { min: 1, max: 2, usage: USAGE });
  const [action, address] = positionals as [string, string | undefined];
  const sub = parseChoice(action, "firm profile", ["set", "clear", "show"] as const);
  if (sub !== "show" && address !== undefined)
    throw new UsageError(
      `\`firm profile ${sub}\` takes no address (got ${address})`,
      "A member sets and clears only their own profile, as --as or --keystore.",
    );
  if (sub !== "set") {
    const misplaced = SET_ONLY.find((option) => option !== "yes" && values[option] !== undefined);
    if (misplaced)
      throw new UsageError(`--${misplaced} applies to \`firm profile set\``, `Usage: firm ${SET_USAGE}`);
  }
  if (sub === "set") return set(values, out);
  if (sub === "clear") return clear(values, out);
  return show(values, address, out);
}

// ------------------------------------------------------------------------------------------------
// Local checks: the contract's bounds (IDirectory.ProfileFields), each naming its flag
// ------------------------------------------------------------------------------------------------

const MODES = { onsite: WorkMode.OnSite, remote: WorkMode.Remote, both: WorkMode.Both } as const;
const MODE_WORDS: Record<number, string> = {
  [WorkMode.OnSite]: "on site",
  [WorkMode.Remote]: "remote",
  [WorkMode.Both]: "on site and remote",
};

const bytesOf = (text: string) => Buffer.byteLength(text, "utf8");
/** Whether `text` holds a byte the contract refuses: a control character (below 0x20, 0x7f), or a space too. */
function hasControl(text: string, orSpace = false): boolean {
  const limit = orSpace ? 0x20 : 0x1f;
  return [...text].some((char) => {
    const code = char.codePointAt(0) as number;
    return code <= limit || code === 0x7f;
  });
}

/** Builds the fields `setProfile` takes from the flags, or throws a UsageError naming the bad flag. */
export function profileFromFlags(
  values: Partial<Record<(typeof SET_ONLY)[number], string | boolean>>,
): ProfileFields {
  const text = (option: string) => values[option as keyof typeof values] as string | undefined;
  const name = required(text("name"), "--name", SET_USAGE).trim();
  if (bytesOf(name) < 1 || bytesOf(name) > 64 || hasControl(name))
    throw new UsageError(
      `--name must be 1 to 64 bytes with no control character (it is ${bytesOf(name)} bytes)`,
      "Give the name clients will see, e.g. --name 'Camille Tremblay'.",
    );
  const skills = (text("skills") ?? "")
    .split(",")
    .map((skill) => skill.trim())
    .filter((skill) => skill !== "");
  if (skills.length > 8)
    throw new UsageError(`--skills lists ${skills.length} tags; at most 8 are published`);
  for (const skill of skills) {
    if (!/^[a-z0-9#+.-]{1,32}$/.test(skill))
      throw new UsageError(
        `--skills: "${skill}" is not a skill tag`,
        "A tag is 1 to 32 characters of a-z, 0-9, '-', '+', '.' and '#', e.g. --skills voip,m365,c#.",
      );
  }
  const modeName = parseChoice(required(text("mode"), "--mode", SET_USAGE), "--mode", [
    "onsite",
    "remote",
    "both",
  ] as const);
  const workMode = MODES[modeName];
  const region = (text("region") ?? "").trim();
  if (region !== "" && !/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(region))
    throw new UsageError(
      `--region "${region}" is not an ISO 3166-2 code`,
      "Write the country and subdivision in capitals, e.g. CA-QC, CA-ON or US-NY; leave it out for remote-only work.",
    );
  const city = (text("city") ?? "").trim();
  if (bytesOf(city) > 64 || hasControl(city))
    throw new UsageError(
      `--city must be at most 64 bytes with no control character (it is ${bytesOf(city)} bytes)`,
    );
  const coordinates = text("coordinates");
  const [latitudeE2, longitudeE2] = coordinates === undefined ? [0, 0] : parseCoordinates(coordinates);
  const radiusKm = text("radius") === undefined ? 0 : parseRadius(text("radius") as string);
  if (radiusKm !== 0 && workMode === WorkMode.Remote)
    throw new UsageError(
      "--radius applies to on-site work, and --mode is remote",
      "Leave --radius out, or use --mode onsite or --mode both.",
    );
  const contactUrl = (text("contact") ?? "").trim();
  if (contactUrl !== "") {
    const rest = /^https?:\/\//.exec(contactUrl) ? contactUrl.replace(/^https?:\/\//, "") : undefined;
    if (rest === undefined || rest.length === 0 || bytesOf(rest) > 200 || hasControl(rest, true))
      throw new UsageError(
        `--contact "${contactUrl}" is not an http(s) URL of at most 200 bytes after its scheme, without spaces`,
        "e.g. --contact https://example.com/contact (no ftp:, mailto: or javascript: links).",
      );
  }
  return {
    displayName: name,
    skills,
    workMode,
    region,
    city,
    hasCoordinates: coordinates !== undefined,
    latitudeE2,
    longitudeE2,
    radiusKm,
    contactUrl,
  };
}

/** "45.5017,-73.5673" → [4550, -7357]: hundredths of a degree, about 1.1 km, the privacy rule's rounding. */
function parseCoordinates(text: string): [number, number] {
  const parts = text.split(",").map((part) => part.trim());
  const bad = () =>
    new UsageError(
      `--coordinates "${text}" is not a latitude,longitude pair in degrees`,
      "e.g. --coordinates 45.50,-73.57 (latitude -90 to 90, longitude -180 to 180; rounded to 0.01°).",
    );
  if (parts.length !== 2 || !parts.every((part) => /^-?\d{1,3}(\.\d+)?$/.test(part))) throw bad();
  const [latitude, longitude] = parts.map((part) => Math.round(Number(part) * 100)) as [number, number];
  if (Math.abs(latitude) > 9000 || Math.abs(longitude) > 18000) throw bad();
  // -0 would encode as 0 anyway; normalize so the preview never prints "-0.00".
  return [latitude + 0, longitude + 0];
}

/** "50km" or "50" → 50; 0 to 1,000 km. */
function parseRadius(text: string): number {
  const match = /^(\d{1,4})\s*(km)?$/i.exec(text.trim());
  const km = match ? Number(match[1]) : Number.NaN;
  if (!(km >= 0 && km <= 1000))
    throw new UsageError(`--radius "${text}" is not a distance of 0 to 1,000 km`, "e.g. --radius 50km.");
  return km;
}

const degrees = (e2: number) => (e2 / 100).toFixed(2);

/** The lines that say what will be (or is) published. */
function describeProfile(fields: ProfileFields): string[] {
  return [
    `  name         ${fields.displayName}`,
    `  skills       ${fields.skills.length > 0 ? fields.skills.join(", ") : "(none)"}`,
    `  works        ${MODE_WORDS[fields.workMode] ?? "?"}`,
    `  region       ${fields.region || "(none)"}`,
    `  city         ${fields.city || "(none)"}`,
    fields.hasCoordinates
      ? `  coordinates  ${degrees(fields.latitudeE2)}, ${degrees(fields.longitudeE2)} (rounded to 0.01°, about 1 km)`
      : "  coordinates  not published (publish them only with --coordinates)",
    `  radius       ${fields.radiusKm > 0 ? `${fields.radiusKm} km` : "(none)"}`,
    `  contact      ${fields.contactUrl || "(none)"}`,
  ];
}

// ------------------------------------------------------------------------------------------------
// set, clear
// ------------------------------------------------------------------------------------------------

async function set(values: Values, out: Output): Promise<number> {
  const fields = profileFromFlags(values);
  const session = await openWriteSession(values);
  const { signer, context } = session;
  // Said to people on stderr, so that --json keeps stdout for the one JSON answer.
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`Publishing the profile of ${signer.address} in the firm's directory:`);
  for (const line of describeProfile(fields)) say(line);
  say("This is public and permanent: anyone can read it in the chain's history, forever. Clearing it");
  say("later (`firm profile clear`) hides it from the directory; it does not erase it.");
  if (!values.yes) await confirmOrRefuse("Publish it?");
  const sent = await sendAndWait(
    session,
    {
      address: context.manifest.contracts.directory,
      abi: directoryAbi,
      functionName: "setProfile",
      args: [fields],
    },
    { doing: "publish your profile", wait: values.wait, out },
  );
  const event = findEvent(sent, "ProfileSet");
  out.line(`Published the profile of ${signer.address}.`);
  reportSent(out, sent, {
    member: signer.address,
    profile: { ...fields, workMode: modeName(fields.workMode) },
    contentHash: event?.args.contentHash ?? null,
  });
  return 0;
}

async function clear(values: Values, out: Output): Promise<number> {
  const session = await openWriteSession(values);
  const { signer, context } = session;
  const sent = await sendAndWait(
    session,
    {
      address: context.manifest.contracts.directory,
      abi: directoryAbi,
      functionName: "clearProfile",
      args: [],
    },
    { doing: "clear your profile", wait: values.wait, out },
  );
  out.line(`Cleared the profile of ${signer.address}: the directory no longer shows it.`);
  out.line("  It stays readable in the chain's history, as every published record does.");
  reportSent(out, sent, { member: signer.address, cleared: true });
  return 0;
}

/** Asks on the terminal; refuses (exit 2, nothing sent) on anything but yes, or with no terminal. */
export async function confirmOrRefuse(question: string): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new UsageError(
      "Publishing needs your confirmation, and there is no terminal to ask on: nothing was sent",
      "Read what would be published above, then run the command again with --yes.",
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== "y" && answer !== "yes") throw new UsageError("Not confirmed: nothing was sent");
  } finally {
    prompt.close();
  }
}

/** The work mode as the API's enums spell it: OnSite → ON_SITE. */
function modeName(mode: number): string {
  const name = Object.entries(WorkMode).find(([, value]) => value === mode)?.[0] ?? "None";
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

// ------------------------------------------------------------------------------------------------
// show (the API's mirror)
// ------------------------------------------------------------------------------------------------

interface MemberProfile {
  member: {
    address: string;
    role: string;
    profile: {
      displayName: string;
      skills: string[];
      workMode: string;
      region: string;
      city: string;
      latitude: number | null;
      longitude: number | null;
      radiusKm: number;
      contactUrl: string;
      contentHash: string;
      updatedAt: number;
    } | null;
    mentor: { address: string } | null;
    mentees: { address: string }[];
  };
}

async function show(values: Values, addressText: string | undefined, out: Output): Promise<number> {
  let address: Address;
  if (addressText !== undefined) address = parseAddress(addressText, "[address]");
  else if (values.as !== undefined || values.keystore !== undefined)
    address = (await openWriteSession(values)).signer.address;
  else
    throw new UsageError(
      "`firm profile show` needs the member's address (or --as / --keystore for your own)",
      "Usage: firm profile show <address>",
    );
  const data = await orNull(
    openApi().query<MemberProfile>(
      `query($address: String!) { member(address: $address) { address role
        profile { displayName skills workMode region city latitude longitude radiusKm contactUrl contentHash updatedAt }
        mentor { address } mentees { address } } }`,
      { address },
    ),
  );
  if (!data?.member)
    throw new UsageError(
      `The mirror has no member ${address}`,
      "Something done moments ago appears once the indexer has seen it: see `firm status`, or write with --wait.",
    );
  const { member } = data;
  const p = member.profile;
  out.line(`Member ${member.address} (${member.role.toLowerCase()})`);
  if (!p) out.line("  no public profile");
  else {
    out.line(`  name         ${p.displayName}`);
    out.line(`  skills       ${p.skills.length > 0 ? p.skills.join(", ") : "(none)"}`);
    out.line(`  works        ${p.workMode.toLowerCase().replace("_", " ")}`);
    out.line(`  region       ${p.region || "(none)"}`);
    out.line(`  city         ${p.city || "(none)"}`);
    if (p.latitude !== null && p.longitude !== null)
      out.line(`  coordinates  ${p.latitude.toFixed(2)}, ${p.longitude.toFixed(2)}`);
    if (p.radiusKm > 0) out.line(`  radius       ${p.radiusKm} km`);
    out.line(`  contact      ${p.contactUrl || "(none)"}`);
    out.line(`  updated      ${formatTime(p.updatedAt)}`);
  }
  if (member.mentor) out.line(`  mentor       ${member.mentor.address}`);
  if (member.mentees.length > 0)
    out.line(`  mentees      ${member.mentees.map((m) => shortAddress(m.address as Address)).join(", ")}`);
  out.result({ member });
  return 0;
}

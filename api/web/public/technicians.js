// Find a technician: pick a practice, give a place ("45.50,-73.57") or a region code ("CA-QC"), and
// on site or remote. The list comes from Query.technicians: on site within the radius of the place,
// nearest first; or remote-capable members wherever they are. Each result links to its contact page
// and to "verify in person" (the presence check, /presence). /technicians?practice=…&place=…&mode=…
// runs the search on load.
import { alertBox, enumLabel, h, hex, loading, show, time } from "./dom.js";
import { describeError, query } from "./graphql.js";
import { fillPractices } from "./verify.js";

const TECHNICIANS_QUERY = `query Technicians($practice: String!, $near: NearInput, $region: String, $mode: WorkMode) {
  technicians(practice: $practice, near: $near, region: $region, mode: $mode, first: 50) {
    totalCount
    edges { node {
      distanceKm role since
      member { address status }
      profile { displayName skills workMode region city contactUrl }
    } }
  }
}`;

const DEFAULT_RADIUS_KM = 50;
const POINT = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/;
const REGION = /^[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?$/;

/** @param {URLSearchParams} params */
export async function techniciansView(params) {
  const select = /** @type {HTMLSelectElement} */ (document.getElementById("technicians-practice"));
  const placeInput = /** @type {HTMLInputElement} */ (document.getElementById("technicians-place"));
  const radiusInput = /** @type {HTMLInputElement} */ (document.getElementById("technicians-radius"));
  const result = document.getElementById("technicians-result");
  const practice = (params.get("practice") ?? "").trim();
  const place = (params.get("place") ?? "").trim();
  const mode = params.get("mode") === "remote" ? "remote" : "onsite";
  const radius = Number(params.get("radius") || DEFAULT_RADIUS_KM);
  placeInput.value = place;
  radiusInput.value = String(radius);
  const modeInput = /** @type {HTMLInputElement | null} */ (
    document.querySelector(`input[name="mode"][value="${mode}"]`)
  );
  if (modeInput) modeInput.checked = true;

  const practicesFailure = await fillPractices(select, practice);
  if (!practice) {
    if (practicesFailure) show(result, alertBox(practicesFailure));
    return;
  }
  const variables = searchOf(practice, place, mode, radius);
  if (typeof variables === "string") {
    show(result, alertBox(variables));
    return;
  }
  result.setAttribute("aria-busy", "true");
  show(result, loading(`Looking for technicians of ${practice}…`));
  try {
    const { technicians } = await query(TECHNICIANS_QUERY, variables);
    show(result, resultList(technicians, practice, variables));
  } catch (error) {
    show(result, alertBox(describeError(error)));
  } finally {
    result.removeAttribute("aria-busy");
  }
}

/** The query's variables, or what is wrong with the place. */
function searchOf(practice, place, mode, radius) {
  const point = POINT.exec(place);
  const remote = mode === "remote";
  if (point) {
    const near = { latitude: Number(point[1]), longitude: Number(point[2]), radiusKm: radius };
    return { practice, near, region: null, mode: remote ? "REMOTE" : null };
  }
  if (place && !REGION.test(place))
    return `"${place}" is not a place: write a latitude and a longitude ("45.50,-73.57") or a region code ("CA-QC").`;
  if (!place && !remote)
    return "Give a place (latitude,longitude) or a region code to find technicians on site.";
  return { practice, near: null, region: place || null, mode: remote ? "REMOTE" : "ON_SITE" };
}

function resultList(technicians, practice, variables) {
  const nodes = technicians.edges.map((edge) => edge.node);
  const where =
    variables.mode === "REMOTE"
      ? "working remotely"
      : variables.near
        ? `on site within ${variables.near.radiusKm} km, nearest first`
        : `on site in ${variables.region}`;
  const heading = h(
    "p",
    { id: "technicians-summary" },
    `${technicians.totalCount} technician${technicians.totalCount === 1 ? "" : "s"} of ${practice} ${where}` +
      (nodes.length < technicians.totalCount ? ` (the first ${nodes.length} shown)` : "") +
      ".",
  );
  if (nodes.length === 0) return [heading];
  return [
    heading,
    h(
      "ol",
      { class: "technicians", id: "technicians-list" },
      nodes.map((t) => technicianItem(t, practice)),
    ),
  ];
}

function technicianItem(t, practice) {
  const p = t.profile;
  const place = [p.city, p.region].filter(Boolean).join(", ");
  const presence = `/presence?${new URLSearchParams({ practice, address: t.member.address })}`;
  // The contract accepts only http(s) contact URLs; the page checks again before making a link.
  const contact =
    p.contactUrl && /^https?:\/\//.test(p.contactUrl)
      ? h("a", { href: p.contactUrl, rel: "noopener noreferrer nofollow", class: "contact" }, "Contact")
      : null;
  return h(
    "li",
    { class: "card technician", "data-address": t.member.address },
    h("h3", {}, p.displayName),
    h(
      "p",
      { class: "technician-facts" },
      t.distanceKm === null ? null : h("strong", { class: "distance" }, `${t.distanceKm.toFixed(1)} km`),
      t.distanceKm === null ? null : " · ",
      `${enumLabel(t.role)} since `,
      time(t.since),
      ` · ${enumLabel(p.workMode)}`,
      place ? ` · ${place}` : null,
      t.member.status === "ON_LEAVE" ? " · on leave" : null,
    ),
    p.skills.length
      ? h(
          "ul",
          { class: "skills", "aria-label": "Skills" },
          p.skills.map((skill) => h("li", {}, skill)),
        )
      : null,
    h(
      "p",
      { class: "technician-links" },
      contact,
      contact ? " " : null,
      h("a", { href: presence, class: "verify-in-person" }, "Verify in person"),
      " ",
      hex(t.member.address),
    ),
  );
}

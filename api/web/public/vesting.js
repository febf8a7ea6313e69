// Vesting: the grants to an address, each with its schedule drawn as an inline SVG from
// grant.schedule, the cliff and "now" marked, and the figures at that same "now" (vested,
// released, releasable, next unlock). /vesting?address=0x… shows them on load.
import {
  alertBox,
  definitions,
  formatDate,
  formatTime,
  formatUnits,
  h,
  hex,
  loading,
  s,
  show,
  time,
  units,
} from "./dom.js";
import { describeError, query } from "./graphql.js";

/** Points on each schedule: enough that the cliff's step reads as a step at any duration. */
const SCHEDULE_POINTS = 61;

const VESTING_QUERY = `query Vesting($address: String!, $at: Timestamp!, $points: Int!) {
  grants(where: { beneficiary: $address }, first: 100) {
    totalCount
    edges { node {
      id units released revoked revokedAt forfeited start cliff end
      vested: vestedAt(at: $at)
      releasable: releasableAt(at: $at)
      nextUnlock(at: $at) { at vested }
      schedule(points: $points) { at vested }
    } }
  }
}`;

/**
 * @param {URLSearchParams} params
 * @param {{ now(): number }} context
 */
export async function vestingView(params, context) {
  const input = /** @type {HTMLInputElement} */ (document.getElementById("vesting-address"));
  const result = document.getElementById("vesting-result");
  const address = (params.get("address") ?? "").trim();
  input.value = address;
  // An empty filter would list every grant of the firm: ask for an address instead.
  if (!params.has("address")) return;
  if (!address) {
    show(result, alertBox("Enter an address to see its grants."));
    return;
  }

  const at = context.now();
  result.setAttribute("aria-busy", "true");
  show(result, loading(`Reading the grants to ${address}…`));
  try {
    const { grants } = await query(VESTING_QUERY, { address, at, points: SCHEDULE_POINTS });
    show(result, grantList(address, grants, at));
  } catch (error) {
    show(result, alertBox(describeError(error, { address })));
  } finally {
    result.removeAttribute("aria-busy");
  }
}

function grantList(address, grants, at) {
  const list = grants.edges.map((edge) => edge.node);
  if (list.length === 0) {
    return h("p", { class: "notice", role: "status" }, `No equity grants to ${address}.`);
  }
  const sum = (field) => list.reduce((total, grant) => total + BigInt(grant[field]), 0n);
  return [
    h(
      "p",
      { class: "muted", id: "vesting-at", "data-at": String(at) },
      `${grants.totalCount} grant${grants.totalCount === 1 ? "" : "s"} to `,
      hex(address),
      ". Figures as of ",
      time(at),
      ".",
    ),
    h(
      "dl",
      { class: "totals", id: "vesting-totals" },
      [
        ["Granted", "units"],
        ["Vested now", "vested"],
        ["Released", "released"],
        ["Releasable now", "releasable"],
      ].map(([term, field]) =>
        h("div", { "data-total": field }, h("dt", {}, term), h("dd", {}, units(sum(field)))),
      ),
    ),
    list.length < grants.totalCount
      ? h("p", { class: "notice" }, `Showing the first ${list.length} of ${grants.totalCount} grants.`)
      : null,
    list.map((grant) => grantCard(grant, at)),
  ];
}

function grantCard(grant, at) {
  const titleId = `grant-${grant.id}-title`;
  return h(
    "article",
    { class: "card grant", "aria-labelledby": titleId, "data-grant": grant.id },
    h(
      "h3",
      { id: titleId },
      `Grant ${grant.id}: `,
      units(grant.units),
      " units",
      grant.revoked ? h("span", { class: "badge no" }, "revoked") : null,
    ),
    definitions(
      [
        ["Vested now", h("span", { "data-field": "vested" }, units(grant.vested))],
        ["Released", h("span", { "data-field": "released" }, units(grant.released))],
        ["Releasable now", h("span", { "data-field": "releasable" }, units(grant.releasable))],
        ["Next unlock", nextUnlock(grant)],
        ["Start", time(grant.start)],
        ["Cliff", grant.cliff > grant.start ? time(grant.cliff) : "none"],
        ["End", time(grant.end)],
        ...(grant.revoked
          ? [
              ["Revoked", time(grant.revokedAt)],
              ["Forfeited", units(grant.forfeited ?? 0)],
            ]
          : []),
      ],
      { class: "facts" },
    ),
    vestingChart(grant, at),
    h(
      "details",
      {},
      h("summary", {}, "The schedule as a table"),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Time"), h("th", { scope: "col" }, "Vested"))),
        h(
          "tbody",
          {},
          grant.schedule.map((point) =>
            h("tr", {}, h("td", {}, time(point.at)), h("td", {}, units(point.vested))),
          ),
        ),
      ),
    ),
  );
}

function nextUnlock(grant) {
  if (grant.nextUnlock) {
    return [units(grant.nextUnlock.vested), " units vested at ", time(grant.nextUnlock.at)];
  }
  if (grant.revoked) return "none: the grant was revoked";
  return "none: fully vested";
}

/**
 * The schedule's points with one more, at zero, at the cliff: nothing vests before it, so the line
 * stays at zero up to the cliff and rises there, instead of sloping up from the point before it.
 */
function withCliff(grant) {
  const points = grant.schedule;
  const after = points.findIndex((point) => point.at >= grant.cliff);
  if (grant.cliff <= grant.start || after <= 0) return points;
  return [...points.slice(0, after), { at: grant.cliff, vested: "0" }, ...points.slice(after)];
}

/** Chart geometry in SVG user units; the SVG scales to its container's width. */
const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 32, right: 20, bottom: 36, left: 32 };

/**
 * The schedule as a line from start to end (units vested over time), the area under it shaded,
 * dashed marks at the cliff and at "now", and a dot at what has vested now.
 */
function vestingChart(grant, at) {
  const start = grant.start;
  const span = Math.max(grant.end - start, 1);
  const total = BigInt(grant.units) > 0n ? BigInt(grant.units) : 1n;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bottom = MARGIN.top + plotHeight;
  const x = (t) => MARGIN.left + (Math.min(Math.max(t - start, 0), span) / span) * plotWidth;
  // Units can exceed a double's exact range; the ratio in basis points cannot.
  const y = (vested) => bottom - (Number((BigInt(vested) * 10_000n) / total) / 10_000) * plotHeight;
  const round = (value) => value.toFixed(1);

  const line = withCliff(grant)
    .map((point) => `${round(x(point.at))},${round(y(point.vested))}`)
    .join(" ");
  const area = `${round(x(start))},${bottom} ${line} ${round(x(grant.end))},${bottom}`;
  const titleId = `grant-${grant.id}-chart-title`;
  const descId = `grant-${grant.id}-chart-desc`;
  const cliff = grant.cliff > start ? ` Nothing vests before the cliff, ${formatTime(grant.cliff)}.` : "";
  const nowX = x(at);
  const nowLabelAnchor = nowX > WIDTH - 80 ? "end" : "start";

  return h(
    "figure",
    { class: "chart" },
    s(
      "svg",
      {
        viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
        role: "img",
        "aria-labelledby": `${titleId} ${descId}`,
        "data-chart": "vesting",
      },
      s("title", { id: titleId }, `Vesting of grant ${grant.id}`),
      s(
        "desc",
        { id: descId },
        `${grant.units} units from ${formatTime(start)} to ${formatTime(grant.end)}.${cliff} ` +
          `${grant.vested} vested at ${formatTime(at)}.`,
      ),
      s("polygon", { class: "area", points: area }),
      s("line", { class: "axis", x1: MARGIN.left, y1: bottom, x2: WIDTH - MARGIN.right, y2: bottom }),
      s("line", { class: "axis", x1: MARGIN.left, y1: MARGIN.top, x2: MARGIN.left, y2: bottom }),
      s("line", { class: "grid", x1: MARGIN.left, y1: MARGIN.top, x2: WIDTH - MARGIN.right, y2: MARGIN.top }),
      // Above the plot rather than beside it: a total of any length fits.
      s(
        "text",
        { class: "tick", x: MARGIN.left, y: MARGIN.top - 8, "text-anchor": "start" },
        `${formatUnits(grant.units)} units`,
      ),
      s("text", { class: "tick", x: MARGIN.left - 6, y: bottom + 4, "text-anchor": "end" }, "0"),
      s("text", { class: "tick", x: MARGIN.left, y: HEIGHT - 10, "text-anchor": "start" }, formatDate(start)),
      s(
        "text",
        { class: "tick", x: WIDTH - MARGIN.right, y: HEIGHT - 10, "text-anchor": "end" },
        formatDate(grant.end),
      ),
      grant.cliff > start
        ? s(
            "g",
            { class: "mark cliff", "data-mark": "cliff" },
            s("line", { x1: round(x(grant.cliff)), y1: MARGIN.top, x2: round(x(grant.cliff)), y2: bottom }),
            s("text", { x: round(x(grant.cliff) + 4), y: MARGIN.top + 18 }, "cliff"),
          )
        : null,
      s("polyline", { class: "schedule", points: line }),
      s(
        "g",
        { class: "mark now", "data-mark": "now" },
        s("line", { x1: round(nowX), y1: MARGIN.top, x2: round(nowX), y2: bottom }),
        s("circle", { cx: round(nowX), cy: round(y(grant.vested)), r: 5 }),
        s(
          "text",
          {
            x: round(nowX + (nowLabelAnchor === "end" ? -6 : 6)),
            y: MARGIN.top + 44,
            "text-anchor": nowLabelAnchor,
          },
          "now",
        ),
      ),
    ),
    h("figcaption", { class: "muted" }, "Units vested over time; the dot is what has vested now."),
  );
}

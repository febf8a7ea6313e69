// The books: revenue and expenses per practice per month as bars (inline SVG, one chart per token),
// the budgets in force with what is used and left, the repeated references among the latest
// movements, the latest closed months with each practice pool's member shares, and the CSV export.
// Amounts arrive as BigInt decimal strings in the token's base units and are formatted exactly with
// BigInt (never a float); only bar lengths are scaled to pixels.
// /books?from=YYYY-MM&to=YYYY-MM&practice=<slug> narrows the range (the last 12 months by default).
import { alertBox, definitions, enumLabel, h, hex, loading, s, show } from "./dom.js";
import { describeError, query } from "./graphql.js";

const TOKEN = "token { address symbol decimals }";
/** The latest movements checked for repeated references: a screen's worth, not the history. */
const LATEST = 50;
const MOVEMENT = `id kind amount counterparty reference repeated timestamp practice { slug name } ${TOKEN}`;
export const BOOKS_QUERY = `query Books($from: String, $to: String, $practice: String) {
  books(from: $from, to: $to, practice: $practice) {
    from to
    rows { month practice { slug name } ${TOKEN} revenue expenses net closed }
    totals { ${TOKEN} revenue expenses net distributed }
    closes { month ${TOKEN} net toPractices lockstep carriedLoss closedAt
      pools { id practice { slug name } amount claimed totalWeight
        shares { member { address } role weight amount claimed } } }
  }
  budgets { id practice { slug name } ${TOKEN} amount cadence rollover period allowance used remaining }
  payments: expenses(first: ${LATEST}) { edges { node { ${MOVEMENT} } } }
  deposits: revenue(first: ${LATEST}) { edges { node { ${MOVEMENT} } } }
}`;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CHART_HEIGHT = 160;
const BAR_WIDTH = 10;

/**
 * A base-unit amount (a decimal string, maybe signed) in whole tokens, exactly: "1250000000", 6 →
 * "1,250". Trailing zero decimals are dropped. Unknown decimals (null: a token the indexer could not
 * read) leave the amount in base units, as the CSV does: guessing 18 would show a 6-decimal
 * stablecoin's 5,250 as 0.00000000525.
 * @param {string} amount
 * @param {number | null} decimals
 */
export function formatAmount(amount, decimals) {
  const negative = amount.startsWith("-");
  const value = BigInt(negative ? amount.slice(1) : amount);
  const scale = 10n ** BigInt(decimals ?? 0);
  const whole = (value / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (value % scale)
    .toString()
    .padStart(decimals ?? 0, "0")
    .replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * The token's name in text (titles, captions, headings): its symbol, else its address. Text, never an
 * element: every use is inside a template string.
 * @param {{ address: string, symbol: string | null, decimals: number | null }} token
 */
const symbolOf = (token) => token.symbol ?? token.address;

/**
 * An amount with its unit: "1,250 USDC"; "5,250,000,000 base units" when the decimals are unknown
 * (the chart's caption and the close's heading name that token).
 * @param {string} amount @param {{ address: string, symbol: string | null, decimals: number | null }} token
 */
const money = (amount, token) =>
  token.decimals === null
    ? `${formatAmount(amount, null)} base units`
    : `${formatAmount(amount, token.decimals)} ${symbolOf(token)}`;

/** A bar length in pixels for `value` of `max` (both base units): BigInt arithmetic, one division to pixels. */
function scaled(value, max, pixels) {
  if (max === 0n) return 0;
  return Number((BigInt(value) * BigInt(pixels) * 1000n) / max) / 1000;
}

/** @param {URLSearchParams} params */
export async function booksView(params) {
  const result = document.getElementById("books-result");
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const practice = params.get("practice");
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ]) {
    if (value && !MONTH.test(value)) {
      show(result, alertBox(`"${value}" is not a month: write YYYY-MM, e.g. 2026-11.`));
      return;
    }
    const input = /** @type {HTMLInputElement | null} */ (document.getElementById(`books-${name}`));
    if (input) input.value = value;
  }
  const csv = new URLSearchParams();
  if (from) csv.set("from", from);
  if (to) csv.set("to", to);
  if (practice !== null) csv.set("practice", practice);
  const csvLink = document.getElementById("books-csv");
  csvLink?.setAttribute("href", `/books.csv${csv.size ? `?${csv}` : ""}`);

  result.setAttribute("aria-busy", "true");
  show(result, loading("Reading the books…"));
  try {
    const data = await query(BOOKS_QUERY, { from: from || null, to: to || null, practice });
    show(result, render(data));
  } catch (error) {
    show(result, alertBox(describeError(error)));
  } finally {
    result.removeAttribute("aria-busy");
  }
}

function render({ books, budgets, payments, deposits }) {
  const repeated = [...payments.edges, ...deposits.edges]
    .map((edge) => edge.node)
    .filter((movement) => movement.repeated)
    .sort((a, b) => b.timestamp - a.timestamp);
  const byToken = new Map();
  for (const row of books.rows) {
    const key = row.token.address;
    if (!byToken.has(key)) byToken.set(key, { token: row.token, rows: [] });
    byToken.get(key).rows.push(row);
  }
  return [
    h("h3", {}, `Revenue and expenses, ${books.from} to ${books.to}`),
    byToken.size === 0
      ? h("p", { class: "muted" }, "Nothing moved in these months.")
      : [...byToken.values()].map(({ token, rows }) => chart(token, rows)),
    books.totals.length
      ? h(
          "ul",
          { class: "books-totals" },
          books.totals.map((t) =>
            h(
              "li",
              {},
              `${symbolOf(t.token)}: revenue ${money(t.revenue, t.token)}, expenses ${money(t.expenses, t.token)}, net ${money(t.net, t.token)}, distributed ${money(t.distributed, t.token)}`,
            ),
          ),
        )
      : null,
    h("h3", {}, "Budgets"),
    budgets.length === 0
      ? h("p", { class: "muted" }, "No budget in force.")
      : h("ul", { class: "budgets" }, budgets.map(budgetItem)),
    h("h3", {}, "Repeated references"),
    repeated.length === 0
      ? h("p", { class: "muted" }, `None among the latest ${LATEST} payments and ${LATEST} deposits.`)
      : h(
          "ul",
          { class: "repeated" },
          repeated.map((m) =>
            h(
              "li",
              {},
              h("strong", {}, m.kind === "PAYMENT" ? "Paid again" : "Deposited again"),
              ` against ${m.reference}: ${money(m.amount, m.token)} ${m.kind === "PAYMENT" ? "to" : "from"} `,
              hex(m.counterparty ?? ""),
              ` (${m.practice.slug === "" ? "the firm" : m.practice.name}); check it, then refund, recover or explain it.`,
            ),
          ),
        ),
    h("h3", {}, "Latest closes"),
    books.closes.length === 0
      ? h("p", { class: "muted" }, "No month closed in this range.")
      : books.closes.slice(0, 3).map(closeItem),
  ];
}

/** Revenue (up) and expenses (down) per month, one pair of bars per practice. */
function chart(token, rows) {
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const practices = [...new Set(rows.map((r) => r.practice.slug))].sort();
  const max = rows.reduce((m, r) => {
    const larger = BigInt(r.revenue) > BigInt(r.expenses) ? BigInt(r.revenue) : BigInt(r.expenses);
    return larger > m ? larger : m;
  }, 0n);
  const group = practices.length * (BAR_WIDTH * 2 + 4) + 16;
  const width = Math.max(group * months.length, 200);
  const half = CHART_HEIGHT / 2;
  const bars = [];
  months.forEach((month, m) => {
    practices.forEach((slug, p) => {
      const row = rows.find((r) => r.month === month && r.practice.slug === slug);
      if (!row) return;
      const x = m * group + p * (BAR_WIDTH * 2 + 4);
      const up = scaled(row.revenue, max, half - 4);
      const down = scaled(row.expenses, max, half - 4);
      const name = slug || "the firm";
      // The exact figures ride along as data attributes, for tools and tests reading the chart.
      const of = { "data-month": month, "data-practice": slug };
      bars.push(
        s(
          "rect",
          {
            x,
            y: half - up,
            width: BAR_WIDTH,
            height: up,
            class: `bar revenue p${p}`,
            ...of,
            "data-amount": row.revenue,
          },
          s("title", {}, `${month} ${name}: revenue ${money(row.revenue, token)}`),
        ),
        s(
          "rect",
          {
            x: x + BAR_WIDTH,
            y: half,
            width: BAR_WIDTH,
            height: down,
            class: `bar expenses p${p}`,
            ...of,
            "data-amount": row.expenses,
          },
          s("title", {}, `${month} ${name}: expenses ${money(row.expenses, token)}`),
        ),
      );
    });
    bars.push(s("text", { x: m * group, y: CHART_HEIGHT + 14, class: "axis" }, month));
  });
  return h(
    "figure",
    { class: "books-chart", "data-token": token.address },
    s(
      "svg",
      {
        viewBox: `0 0 ${width} ${CHART_HEIGHT + 20}`,
        width,
        height: CHART_HEIGHT + 20,
        role: "img",
        "aria-label": `Revenue (up) and expenses (down) per practice per month, in ${symbolOf(token)}`,
      },
      s("line", { x1: 0, x2: width, y1: half, y2: half, class: "axis" }),
      bars,
    ),
    h(
      "figcaption",
      {},
      `In ${symbolOf(token)}: revenue up, expenses down; bars left to right: `,
      practices.map((slug, p) => h("span", { class: `legend p${p}` }, slug || "the firm")),
    ),
  );
}

function budgetItem(b) {
  const allowance = BigInt(b.allowance);
  const usedWidth = allowance === 0n ? 100 : Math.min(100, scaled(b.used, allowance, 100));
  const used = h("span", { class: "used" });
  // CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline styles.
  used.style.width = `${usedWidth}%`;
  return h(
    "li",
    {
      class: "budget",
      "data-budget": b.id,
      "data-practice": b.practice.slug,
      "data-used": b.used,
      "data-remaining": b.remaining,
    },
    h("strong", {}, b.practice.slug === "" ? "The firm (shared costs)" : b.practice.name),
    ` ${money(b.amount, b.token)} ${enumLabel(b.cadence)}${b.rollover ? ", rolls over" : ""}; period from ${b.period}`,
    h(
      "div",
      {
        class: "meter",
        role: "meter",
        "aria-valuemin": 0,
        "aria-valuemax": 100,
        "aria-valuenow": usedWidth.toFixed(0),
        "aria-label": "used of the allowance",
      },
      used,
    ),
    h(
      "span",
      { class: "muted" },
      `used ${money(b.used, b.token)} · remaining ${money(b.remaining, b.token)} of ${money(b.allowance, b.token)}`,
    ),
  );
}

function closeItem(c) {
  return h(
    "section",
    { class: "close", "data-month": c.month, "data-token": c.token.address },
    h("h4", {}, `${c.month} in ${symbolOf(c.token)}`),
    definitions([
      ["Net", money(c.net, c.token)],
      ["To practice pools", money(c.toPractices, c.token)],
      ["Lockstep (distributed)", money(c.lockstep, c.token)],
      ...(c.carriedLoss !== "0" ? [["Loss carried", money(c.carriedLoss, c.token)]] : []),
    ]),
    // Each table scrolls in its own box: five columns with a full address are wider than a phone.
    c.pools.map((pool) =>
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "pool", "data-pool": pool.id },
          h(
            "caption",
            {},
            `${pool.practice.name}: ${money(pool.amount, c.token)} (claimed ${money(pool.claimed, c.token)})`,
          ),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, "Member"),
              h("th", {}, "Role"),
              h("th", {}, "Weight"),
              h("th", {}, "Share"),
              h("th", {}, "Claimed"),
            ),
          ),
          h(
            "tbody",
            {},
            pool.shares.map((share) =>
              h(
                "tr",
                { "data-member": share.member.address, "data-amount": share.amount },
                h("td", {}, hex(share.member.address)),
                h("td", {}, enumLabel(share.role)),
                h("td", {}, `${share.weight}/${pool.totalWeight}`),
                h("td", {}, money(share.amount, c.token)),
                h("td", {}, share.claimed ? "yes" : "no"),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

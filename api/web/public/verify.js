// Verify a member: pick a practice, paste an address. The verdict comes from verifyMembership, which
// asks both the mirror and the chain; the page shows the evidence and the exact call to repeat the
// check against any node. /verify?practice=cloud&address=0x… runs the check on load.
import { alertBox, copyable, definitions, enumLabel, h, hex, loading, show, time } from "./dom.js";
import { describeError, query } from "./graphql.js";
import { asSentence, hasLeftTheFirm, memberStatusWords } from "./words.js";

const PRACTICES_QUERY = `query Practices {
  practices(first: 100) { edges { node { slug name status lead } } }
}`;

const VERIFY_QUERY = `query Verify($practice: String!, $address: String!) {
  verifyMembership(practice: $practice, address: $address) {
    verified reason slug address
    practice { name status lead }
    member { departedAt leave { from until coverAsked coverStatus coverAcceptedAt }
      profile { displayName }
      mentor { address profile { displayName } }
      mentees { address profile { displayName } } }
    role status practiceRole since practiceSince
    checkedAtBlock checkedAt chainId registry mirrorBlock
    admission { hash blockNumber timestamp }
    howToVerify { to data block blockNumber returns jsonRpc }
  }
}`;

/** The view the contract's answer decodes to, as the contract declares it. */
const MEMBERSHIP_SIGNATURE = "membership(string,address)";

/** What the contract's enum ordinals mean, to read the decoded answer of the eth_call. */
const ORDINALS =
  "role: 1 Partner, 2 Associate, 3 Affiliate · status: 0 None, 1 Active, 2 On leave, 3 Retired, " +
  "4 Removed · practice role: 1 Lead, 2 Member, 3 Technician (0: none).";

/** @param {URLSearchParams} params */
export async function verifyView(params) {
  const select = /** @type {HTMLSelectElement} */ (document.getElementById("verify-practice"));
  const input = /** @type {HTMLInputElement} */ (document.getElementById("verify-address"));
  const result = document.getElementById("verify-result");
  const practice = (params.get("practice") ?? "").trim();
  const address = (params.get("address") ?? "").trim();
  input.value = address;
  inPersonLink(select, input);

  const practicesFailure = await fillPractices(select, practice);
  // A link may name only the practice, to preselect it: then there is nothing to check yet.
  if (!address) {
    if (practicesFailure) show(result, alertBox(practicesFailure));
    return;
  }
  if (!practice) {
    show(result, alertBox("Choose a practice to verify the address against."));
    return;
  }

  result.setAttribute("aria-busy", "true");
  show(result, loading(`Checking ${address} in ${practice}, in the records and on the chain…`));
  try {
    const { verifyMembership } = await query(VERIFY_QUERY, { practice, address });
    show(result, verification(verifyMembership));
  } catch (error) {
    show(result, alertBox(describeError(error, { address })));
  } finally {
    result.removeAttribute("aria-busy");
  }
}

/**
 * "The person is here with me": opens the in-person check (presence.js) for the practice chosen, and
 * the address typed if any, so the person proves they hold that address.
 */
function inPersonLink(select, input) {
  const link = /** @type {HTMLAnchorElement} */ (document.getElementById("verify-in-person"));
  const update = () => {
    const params = new URLSearchParams();
    if (select.value) params.set("practice", select.value);
    if (/^0x[0-9a-fA-F]{40}$/.test(input.value.trim())) params.set("address", input.value.trim());
    link.href = `/presence${params.size ? `?${params}` : ""}`;
  };
  select.addEventListener("change", update);
  input.addEventListener("input", update);
  // fillPractices sets the selection without a change event.
  new MutationObserver(update).observe(select, { childList: true });
  update();
}

/**
 * Fills the practice list, keeping the practice the link names selected (even one the list does not
 * hold, so the check still runs and says what is wrong with it).
 * @returns {Promise<string | null>} what went wrong, if the list could not be read
 */
export async function fillPractices(select, selected) {
  let practices = [];
  let failure = null;
  try {
    practices = (await query(PRACTICES_QUERY)).practices.edges.map((edge) => edge.node);
  } catch (error) {
    failure = `The list of practices could not be read. ${describeError(error)}`;
  }
  const options = practices.map((practice) =>
    h(
      "option",
      { value: practice.slug },
      `${practice.name} (${practice.slug})${practice.status === "SUNSET" ? ", sunset" : ""}` +
        `${practice.lead === null ? ", no lead" : ""}`,
    ),
  );
  if (selected && !practices.some((practice) => practice.slug === selected)) {
    options.push(h("option", { value: selected }, `${selected} (not in the list)`));
  }
  const placeholder = h("option", { value: "" }, practices.length ? "Choose a practice…" : "No practices");
  select.replaceChildren(placeholder, ...options);
  // With a single practice there is nothing to choose.
  select.value = selected || (practices.length === 1 ? practices[0].slug : "");
  return failure;
}

function verification(v) {
  const practiceName = v.practice ? `${v.practice.name} (${v.slug})` : v.slug;
  return h(
    "article",
    { class: "card", "aria-labelledby": "verdict-title", "data-verified": String(v.verified) },
    h(
      "div",
      { class: v.verified ? "verdict ok" : "verdict no" },
      h("h3", { id: "verdict-title" }, v.verified ? "Verified" : "Not verified"),
      h(
        "p",
        { class: "verdict-detail" },
        v.verified
          ? `${v.address} is a member of ${practiceName}, checked at block ${v.checkedAtBlock}.`
          : (v.reason ?? "The account is not a member of this practice."),
      ),
    ),
    h("h4", {}, "Membership"),
    definitions(
      [
        ["Address", hex(v.address)],
        ["Practice", practiceName],
        ...(v.practice ? [["Practice lead", leadOf(v.practice)]] : []),
        ["Firm role", enumLabel(v.role)],
        ["Role in the practice", enumLabel(v.practiceRole)],
        ["Status", statusLine(v)],
        ["Member since", time(v.since)],
        ["Seat in the practice since", time(v.practiceSince)],
        ...mentorRows(v.member),
      ],
      { class: "facts", id: "verify-facts" },
    ),
    h("h4", {}, "On-chain evidence"),
    definitions(
      [
        ["Checked at block", [String(v.checkedAtBlock), " (", time(v.checkedAt), ")"]],
        ["Contract (Practices registry)", [hex(v.registry), ` on chain ${v.chainId}`]],
        [
          "Admission transaction",
          v.admission
            ? [
                hex(v.admission.hash),
                ` in block ${v.admission.blockNumber} (`,
                time(v.admission.timestamp),
                ")",
              ]
            : "—",
        ],
        ["Records indexed to block", v.mirrorBlock === null ? "—" : String(v.mirrorBlock)],
      ],
      { class: "facts", id: "verify-evidence" },
    ),
    checkItYourself(v),
    h("h4", {}, "Link to this check"),
    copyable("the link to this check", window.location.href),
  );
}

/**
 * The member's published name, their mentor and their mentees (the talent directory), when they have
 * them: an associate learns from a partner, who may mentor several.
 */
function mentorRows(member) {
  if (!member) return [];
  const who = (m) => (m.profile ? [m.profile.displayName, " ", hex(m.address)] : hex(m.address));
  const rows = [];
  if (member.profile) rows.push(["Name", member.profile.displayName]);
  if (member.mentor)
    rows.push(["Mentor", h("span", { "data-mentor": member.mentor.address }, who(member.mentor))]);
  if (member.mentees.length > 0)
    rows.push([
      "Mentees",
      h(
        "ul",
        { class: "mentees" },
        member.mentees.map((m) => h("li", { "data-mentee": m.address }, who(m))),
      ),
    ]);
  return rows;
}

/**
 * A practice's lead, or that it has none: its lead departed with no successor named, and the
 * practice never names a departed member.
 */
function leadOf(practice) {
  if (practice.lead === null) return h("span", { "data-lead": "none" }, "No lead (its lead departed)");
  return hex(practice.lead);
}

/**
 * Who casts the ballot of a partner on leave: the colleague they asked holds it only once they
 * accepted, and until they step down; otherwise the partner casts it themself.
 */
function coverLine(leave) {
  switch (leave.coverStatus) {
    case "HOLDING":
      return ["; covered by ", hex(leave.coverAsked), " since ", time(leave.coverAcceptedAt)];
    case "ASKED":
      return ["; cover asked of ", hex(leave.coverAsked), ", not accepted yet: votes themself"];
    case "ENDED":
      return ["; the cover ", hex(leave.coverAsked), " stepped down: votes themself"];
    default:
      return "; no cover: votes themself";
  }
}

/** The status with the moment it began: admission, the start of a leave, or the departure. */
function statusLine(v) {
  const status = v.status;
  if (!status || status === "NONE") return "Not a member of the firm";
  const leave = v.member?.leave;
  if (status === "ON_LEAVE" && leave) {
    return h(
      "span",
      { "data-cover": leave.coverStatus.toLowerCase() },
      "On leave since ",
      time(leave.from),
      " until ",
      time(leave.until),
      coverLine(leave),
    );
  }
  const words = asSentence(memberStatusWords(status)).slice(0, -1);
  if (hasLeftTheFirm(status) && v.member?.departedAt) {
    return [`${words} since `, time(v.member.departedAt)];
  }
  return [`${words} since `, time(v.since)];
}

function checkItYourself(v) {
  const call = v.howToVerify;
  // "(bool isMember, uint8 role, …)" → "(bool,uint8,…)": the return types cast decodes with.
  const returnTypes = call.returns.replace(/\s+\w+(?=[,)])/g, "").replace(/\s+/g, "");
  const cast =
    `cast call --block ${call.blockNumber} --rpc-url "$RPC_URL" ${call.to} ` +
    `'${MEMBERSHIP_SIGNATURE}${returnTypes}' '${v.slug}' ${v.address}`;
  const curl = `curl -s -X POST -H 'content-type: application/json' \\\n  --data '${call.jsonRpc}' \\\n  "$RPC_URL"`;
  return h(
    "section",
    { class: "how-to-verify", "aria-labelledby": "how-to-verify-title" },
    h("h4", { id: "how-to-verify-title" }, "Check it yourself"),
    h(
      "p",
      {},
      `Call ${MEMBERSHIP_SIGNATURE} on the Practices contract at block ${call.blockNumber}, against any node ` +
        `of chain ${v.chainId} (set RPC_URL to its URL). With Foundry's cast:`,
    ),
    copyable("the cast command", cast),
    h("p", {}, "Or with curl, as a JSON-RPC eth_call:"),
    copyable("the curl command", curl),
    h(
      "details",
      {},
      h("summary", {}, "The call's fields"),
      definitions(
        [
          ["to", hex(call.to)],
          ["data", hex(call.data)],
          ["block", [hex(call.block), ` (${call.blockNumber})`]],
          ["returns", hex(call.returns)],
        ],
        { class: "facts raw-call" },
      ),
    ),
    h("p", { class: "muted" }, `Reading the answer: ${ORDINALS}`),
  );
}

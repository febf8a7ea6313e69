// Verify in person, both sides. The client's side (/presence?practice=…[&address=0x…]) issues a
// one-time challenge, shows its code large with a QR code of the technician's answer page and a
// countdown, and takes the proof back (an opened proof link, or one pasted) to show ONE verdict. The
// technician's side (/answer?code=…) shows the challenge and signs it with a browser wallet through
// EIP-1193 (eth_requestAccounts, personal_sign), then hands the proof back as a link and a QR code.
// Every check is the API's (verifyPresence); QR codes are drawn by the API (qrCode) as SVG and
// rebuilt here element by element, so nothing from a third party or parsed as HTML reaches the page.
import { alertBox, copyable, definitions, enumLabel, h, hex, loading, s, show } from "./dom.js";
import { describeError, query } from "./graphql.js";
import { decodeProof, proofLink } from "./presenceProof.js";
import { fillPractices } from "./verify.js";

const ISSUE_MUTATION = `mutation Issue($practice: String!) {
  presenceChallenge(practice: $practice) { code practice expiresAt expiresInSeconds answerUrl }
}`;

const CHALLENGE_QUERY = `query Challenge($code: String!) {
  presenceChallengeInfo(code: $code) { code practice origin expiresAt expiresInSeconds used }
}`;

const MESSAGE_QUERY = `query Message($code: String!, $address: String!) {
  presenceChallengeInfo(code: $code) { messageFor(address: $address) }
}`;

const VERIFY_QUERY = `query VerifyPresence($message: String!, $signature: String!, $challenge: String) {
  verifyPresence(message: $message, signature: $signature, challenge: $challenge) {
    verified reason explanation address slug role practiceRole checkedAtBlock
    practice { name }
    member { address role profile { displayName } }
    challenge { code }
  }
}`;

const QR_QUERY = "query Qr($text: String!) { qrCode(text: $text) }";

/** Codes this browser issued (localStorage), so a proof opened in a new tab is matched to its code. */
const ISSUED_KEY = "presence-issued";

// ——— The client's side ———————————————————————————————————————————————————————————————————

/** @param {URLSearchParams} params */
export async function presenceView(params) {
  const select = /** @type {HTMLSelectElement} */ (document.getElementById("presence-practice"));
  const expected = /** @type {HTMLInputElement} */ (document.getElementById("presence-address"));
  const result = document.getElementById("presence-result");
  const practice = (params.get("practice") ?? "").trim();
  const address = (params.get("address") ?? "").trim().toLowerCase();
  expected.value = address;
  // An empty hidden field would put "address=" in the link.
  expected.disabled = address === "";
  const failure = await fillPractices(select, practice);

  const proof = params.get("proof");
  if (proof) {
    show(result, loading("Checking the proof, on the chain…"));
    show(result, await checkProof(proof, address));
    return;
  }
  if (!practice) {
    show(
      result,
      failure ? alertBox(failure) : h("p", { class: "muted" }, "Choose the practice they say they are from."),
    );
    return;
  }
  show(result, loading("Issuing a one-time code…"));
  const { presenceChallenge: challenge } = await query(ISSUE_MUTATION, { practice });
  remember(challenge);
  show(result, await challengePanel(challenge, address));
}

async function challengePanel(challenge, address) {
  const countdown = h("p", { id: "presence-countdown", class: "countdown", role: "timer" });
  const verdict = h("div", { id: "presence-verdict", "aria-live": "polite" });
  const pasted = h("textarea", {
    id: "presence-proof",
    name: "proof",
    rows: 3,
    required: true,
    autocomplete: "off",
    spellcheck: "false",
    placeholder: `${window.location.origin}/presence?proof=…`,
  });
  const form = h(
    "form",
    {
      class: "query proof-form",
      onsubmit: async (event) => {
        event.preventDefault();
        show(verdict, loading("Checking the proof, on the chain…"));
        show(verdict, await checkProof(pasted.value, address));
      },
    },
    h(
      "div",
      { class: "field grow" },
      h("label", { for: "presence-proof" }, "Their proof (link or text)"),
      pasted,
    ),
    h("button", { type: "submit" }, "Check the proof"),
  );
  startCountdown(countdown, challenge.expiresInSeconds);
  return h(
    "article",
    { class: "card presence", "aria-labelledby": "presence-code-title" },
    h("h3", { id: "presence-code-title" }, `One-time code for practice ${challenge.practice}`),
    h("p", { id: "presence-code", class: "presence-code" }, challenge.code),
    countdown,
    h("p", {}, "Read the code to them. On their phone they scan this QR code to open the answer page:"),
    h(
      "div",
      { id: "presence-qr", class: "qr" },
      await qrImage(challenge.answerUrl, "QR code of the answer page"),
    ),
    h("p", {}, h("a", { id: "presence-answer-link", href: challenge.answerUrl }, challenge.answerUrl)),
    h("p", {}, "Or in a terminal:"),
    copyable("the command", `firm prove --practice ${challenge.practice} --code ${challenge.code}`),
    form,
    verdict,
  );
}

/** Counts down to the code's expiry, from the API's own count (not this device's clock). */
function startCountdown(element, seconds) {
  const end = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    element.dataset.expired = String(left === 0);
    element.textContent =
      left === 0
        ? "Expired: issue a new code."
        : `Valid for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    if (left === 0) clearInterval(timer);
  };
  const timer = setInterval(tick, 1000);
  tick();
}

/** Verifies a proof (link, token or JSON) and returns the verdict's card. */
async function checkProof(text, expectedAddress) {
  const proof = decodeProof(text);
  if (!proof) {
    return alertBox(
      "That is not a proof: paste the link the technician's wallet or `firm prove` gave, or open it.",
    );
  }
  try {
    let message = proof.message;
    if (message === undefined) {
      ({
        presenceChallengeInfo: { messageFor: message },
      } = await query(MESSAGE_QUERY, { code: proof.code, address: proof.address }));
    }
    const code = proof.code ?? /Nonce: (\w+)/.exec(message)?.[1];
    const issuedHere = code !== undefined && issued().some((entry) => entry.code === code);
    const { verifyPresence } = await query(VERIFY_QUERY, {
      message,
      signature: proof.signature,
      challenge: issuedHere ? code : null,
    });
    return verdictCard(verifyPresence, expectedAddress, issuedHere);
  } catch (error) {
    return alertBox(describeError(error));
  }
}

/** ONE verdict: who, their role, and a plain reason when the answer is no. */
function verdictCard(v, expectedAddress, issuedHere) {
  const someoneElse = v.verified && expectedAddress && v.address !== expectedAddress;
  const verified = v.verified && !someoneElse;
  const name = v.member?.profile?.displayName ?? v.address;
  const practiceName = v.practice ? `${v.practice.name} (${v.slug})` : v.slug;
  const detail = someoneElse
    ? `The proof is valid, but it was signed by ${v.address}, not by ${expectedAddress}, the technician you chose.`
    : verified
      ? `${name} is here in person: a ${enumLabel(v.role).toLowerCase()} of the firm, ` +
        `${enumLabel(v.practiceRole).toLowerCase()} of ${practiceName}, checked on the chain at block ${v.checkedAtBlock}.`
      : v.explanation;
  return h(
    "article",
    {
      class: "card",
      id: "presence-verdict-card",
      "aria-labelledby": "presence-verdict-title",
      "data-verified": String(verified),
      "data-reason": someoneElse ? "SOMEONE_ELSE" : (v.reason ?? ""),
    },
    h(
      "div",
      { class: verified ? "verdict ok" : "verdict no" },
      h("h3", { id: "presence-verdict-title" }, verified ? "Verified in person" : "Not verified"),
      h("p", { class: "verdict-detail" }, detail),
    ),
    verified && !issuedHere
      ? h(
          "p",
          { class: "notice" },
          `Code ${v.challenge?.code} was not issued on this device: make sure it is the code you read to them.`,
        )
      : null,
    definitions(
      [
        ["Signer", v.address ? hex(v.address) : "—"],
        ["Practice", practiceName ?? "—"],
        ["Firm role", enumLabel(v.role)],
        ["Role in the practice", enumLabel(v.practiceRole)],
        ["Code", v.challenge?.code ?? "—"],
        ["Checked at block", v.checkedAtBlock === null ? "—" : String(v.checkedAtBlock)],
      ],
      { class: "facts", id: "presence-facts" },
    ),
    h(
      "p",
      {},
      h(
        "a",
        { href: `/presence${v.slug ? `?practice=${encodeURIComponent(v.slug)}` : ""}` },
        "Verify someone else",
      ),
    ),
  );
}

function issued() {
  try {
    const now = Date.now() / 1000;
    return JSON.parse(localStorage.getItem(ISSUED_KEY) ?? "[]").filter((entry) => entry.expiresAt > now);
  } catch {
    return [];
  }
}

function remember(challenge) {
  try {
    const entries = [...issued(), { code: challenge.code.replace("-", ""), expiresAt: challenge.expiresAt }];
    localStorage.setItem(ISSUED_KEY, JSON.stringify(entries.slice(-20)));
  } catch {
    // Private browsing without storage: proofs are still verified, only not matched to this device.
  }
}

// ——— The technician's side ————————————————————————————————————————————————————————————————

/** @param {URLSearchParams} params */
export async function answerView(params) {
  const result = document.getElementById("answer-result");
  const code = (params.get("code") ?? "").trim();
  const input = /** @type {HTMLInputElement} */ (document.getElementById("answer-code"));
  input.value = code;
  if (!code) return;
  show(result, loading(`Reading code ${code}…`));
  const { presenceChallengeInfo: challenge } = await query(CHALLENGE_QUERY, { code });
  if (challenge.used) {
    show(result, alertBox(`Code ${challenge.code} has been answered already. Ask the client for a new one.`));
    return;
  }
  if (challenge.expiresInSeconds === 0) {
    show(result, alertBox(`Code ${challenge.code} has expired. Ask the client for a new one.`));
    return;
  }
  const outcome = h("div", { id: "answer-proof", "aria-live": "polite" });
  const sign = h(
    "button",
    { type: "button", id: "answer-sign", onclick: () => signWithWallet(challenge, outcome) },
    "Sign with my wallet",
  );
  const countdown = h("p", { class: "countdown", role: "timer" });
  startCountdown(countdown, challenge.expiresInSeconds);
  show(
    result,
    h(
      "article",
      { class: "card", "aria-labelledby": "answer-challenge-title" },
      h("h3", { id: "answer-challenge-title" }, `Prove you are a member of practice ${challenge.practice}`),
      h("p", { class: "presence-code" }, challenge.code),
      countdown,
      h(
        "p",
        {},
        `Your wallet will ask you to sign in to ${challenge.origin} with this code: nothing is sent to the chain, and it costs nothing.`,
      ),
      sign,
      outcome,
    ),
  );
}

async function signWithWallet(challenge, outcome) {
  const ethereum = /** @type {any} */ (window).ethereum;
  if (!ethereum?.request) {
    show(
      outcome,
      alertBox("No browser wallet here. Open this page in your wallet's browser, or answer from a terminal:"),
      copyable("the command", `firm prove --practice ${challenge.practice} --code ${challenge.code}`),
    );
    return;
  }
  try {
    show(outcome, loading("Waiting for your wallet…"));
    const [address] = await ethereum.request({ method: "eth_requestAccounts" });
    if (!address) throw new Error("The wallet shared no account.");
    const {
      presenceChallengeInfo: { messageFor: message },
    } = await query(MESSAGE_QUERY, { code: challenge.code, address });
    // personal_sign takes the message as hex of its UTF-8 bytes, then the account (EIP-1193 wallets).
    const signature = await ethereum.request({
      method: "personal_sign",
      params: [utf8Hex(message), address],
    });
    const link = proofLink(challenge.origin, { code: challenge.code, address, signature });
    show(
      outcome,
      h("h4", {}, "Your proof"),
      h("p", {}, "Show the client this QR code, or send them the link. It works once."),
      h("div", { id: "answer-qr", class: "qr" }, await qrImage(link, "QR code of your proof")),
      h("p", { class: "hex", id: "answer-proof-link" }, link),
      h("p", {}, h("a", { href: link, class: "button", id: "answer-open" }, "Open it on this device")),
    );
  } catch (error) {
    // 4001: the person declined in their wallet (EIP-1193).
    const declined = /** @type {any} */ (error)?.code === 4001;
    show(outcome, alertBox(declined ? "You declined to sign: nothing was proven." : describeError(error)));
  }
}

function utf8Hex(text) {
  return `0x${Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

// ——— QR codes ————————————————————————————————————————————————————————————————————————————

/** Elements and attributes a QR code's SVG (from the qrcode package) may hold; anything else is dropped. */
const QR_ELEMENTS = new Set(["svg", "path", "rect"]);
const QR_ATTRIBUTES = new Set([
  "viewBox",
  "width",
  "height",
  "d",
  "fill",
  "stroke",
  "shape-rendering",
  "x",
  "y",
]);

/** The QR code of `text`, drawn by the API, rebuilt element by element from a whitelist. */
async function qrImage(text, label) {
  try {
    const { qrCode } = await query(QR_QUERY, { text });
    const parsed = new DOMParser().parseFromString(qrCode, "image/svg+xml").documentElement;
    const copy = (element) => {
      if (!QR_ELEMENTS.has(element.localName)) return null;
      const attributes = {};
      for (const { name, value } of element.attributes) if (QR_ATTRIBUTES.has(name)) attributes[name] = value;
      return s(element.localName, attributes, ...[...element.children].map(copy));
    };
    const svg = copy(parsed);
    if (!svg) return null;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    return svg;
  } catch {
    return h("p", { class: "muted" }, "(The QR code could not be drawn: use the link.)");
  }
}

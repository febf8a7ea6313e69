// Building the page from data without ever parsing data as HTML: every value becomes a text node or
// an attribute set on its own (never innerHTML), so nothing the API returns can turn into markup.
// Also the formats the views share: units, times, addresses, enum names.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * An HTML element with attributes (event listeners for `on…` keys) and children (nodes or text).
 * @param {string} tag
 * @param {Record<string, unknown>} [attributes]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  assign(element, attributes);
  element.append(...nodes(children));
  return element;
}

/**
 * An SVG element, as h.
 * @param {string} tag
 * @param {Record<string, unknown>} [attributes]
 * @param {...unknown} children
 * @returns {SVGElement}
 */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  assign(element, attributes);
  element.append(...nodes(children));
  return element;
}

/** @param {Element} element @param {Record<string, unknown>} attributes */
function assign(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
}

/** @param {unknown[]} children @returns {(Node | string)[]} */
function nodes(children) {
  return children
    .flat(Number.POSITIVE_INFINITY)
    .filter((child) => child !== undefined && child !== null && child !== false)
    .map((child) => (child instanceof Node ? child : String(child)));
}

/** Replaces everything inside `container` with `children`. */
export function show(container, ...children) {
  container.replaceChildren(...nodes(children));
}

/** A message for the reader that assistive technology announces at once. */
export function alertBox(text) {
  return h("p", { class: "error", role: "alert" }, text);
}

/** A "working on it" line for a result region that is busy. */
export function loading(text) {
  return h("p", { class: "muted loading" }, text);
}

const UNIT_FORMAT = new Intl.NumberFormat("en-US");

/** @param {string | number | bigint} value whole units @returns {string} "12,500" */
export function formatUnits(value) {
  return UNIT_FORMAT.format(BigInt(value));
}

/**
 * Whole units (a decimal string from the API), grouped for reading; the exact value stays in the
 * <data> element's value for anyone who copies or reads it by machine.
 * @param {string | number | bigint} value
 */
export function units(value) {
  return h("data", { value: BigInt(value).toString() }, formatUnits(value));
}

/** @param {number} seconds unix time @returns {string} "2026-05-01 12:00 UTC" */
export function formatTime(seconds) {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** @param {number} seconds unix time @returns {string} "2026-05-01" */
export function formatDate(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** A <time> element for unix seconds, or "—" when there is no time. */
export function time(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  return h("time", { datetime: new Date(seconds * 1000).toISOString() }, formatTime(seconds));
}

/** An address or hash in full, in a monospace font that wraps on narrow screens. */
export function hex(value) {
  return h("code", { class: "hex" }, value);
}

/** Proposal ids are uint256 hashes: the ends identify one ("1234…567890"). @param {string} id */
export function shortId(id) {
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

/** "ON_LEAVE" → "On leave", "PARTNER" → "Partner". */
export function enumLabel(value) {
  if (!value) return "—";
  const words = String(value).toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A definition list from [term, definition] pairs.
 * @param {[string, unknown][]} rows
 * @param {Record<string, unknown>} [attributes]
 */
export function definitions(rows, attributes = {}) {
  return h(
    "dl",
    attributes,
    rows.map(([term, definition]) => [h("dt", {}, term), h("dd", {}, definition)]),
  );
}

/**
 * A block of text to copy (a command, a request body) with a button that copies it.
 * @param {string} label what the text is, for the button's accessible name
 * @param {string} text
 */
export function copyable(label, text) {
  const code = h("code", {}, text);
  const status = h("span", { class: "copy-status", role: "status" });
  const button = h(
    "button",
    {
      type: "button",
      class: "copy",
      "aria-label": `Copy ${label}`,
      onclick: async () => {
        status.textContent = (await copyText(text, code)) ? "Copied" : "Select the text and copy it";
      },
    },
    "Copy",
  );
  return h(
    "div",
    { class: "copyable" },
    h("pre", { tabindex: 0, "aria-label": label }, code),
    button,
    status,
  );
}

/**
 * The clipboard API needs a secure context (https or localhost); elsewhere the text is selected so
 * the reader can copy it with the keyboard.
 */
async function copyText(text, element) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return false;
  }
}

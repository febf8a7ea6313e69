// A proof of presence as a link carries it: the challenge's code, the signer's address and the
// signature, as `<code>.<address>.<signature>` in /presence?proof=…. The message itself is not in
// the link: it is exactly the challenge's messageFor(address), which the page asks the API for, so
// the link stays short enough (about 190 characters) for a QR code a phone reads off a terminal.
// Plain JavaScript, shared by the page (presence.js), the CLI (firm prove) and the tests.

/** A code (8 Crockford base32 characters, hyphen optional), an address and a hex signature. */
const TOKEN = /^([0-9A-Za-z]{4}-?[0-9A-Za-z]{4})\.(0x[0-9a-fA-F]{40})\.(0x(?:[0-9a-fA-F]{2})+)$/;

/**
 * The token of a proof.
 * @param {{ code: string, address: string, signature: string }} proof
 * @returns {string}
 */
export function encodeProof({ code, address, signature }) {
  return `${code.replace("-", "").toUpperCase()}.${address.toLowerCase()}.${signature.toLowerCase()}`;
}

/**
 * The proof in what a person pasted: a proof link, its token, or the JSON `firm prove --json` prints
 * (with `message` and `signature`). Null when it is none of these.
 * @param {string} text
 * @returns {{ code: string, address: string, signature: string } | { message: string, signature: string } | null}
 */
export function decodeProof(text) {
  const trimmed = String(text ?? "").trim();
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed);
      if (typeof parsed.message === "string" && typeof parsed.signature === "string")
        return { message: parsed.message, signature: parsed.signature };
    } catch {
      return null;
    }
    return null;
  }
  let token = trimmed;
  if (/^https?:\/\//.test(trimmed)) {
    try {
      token = new URL(trimmed).searchParams.get("proof") ?? "";
    } catch {
      return null;
    }
  }
  const match = TOKEN.exec(token);
  if (!match) return null;
  return { code: match[1].toUpperCase(), address: match[2].toLowerCase(), signature: match[3] };
}

/**
 * The link the client opens: `<origin>/presence?proof=<token>`.
 * @param {string} origin
 * @param {{ code: string, address: string, signature: string }} proof
 */
export function proofLink(origin, proof) {
  return `${origin}/presence?proof=${encodeProof(proof)}`;
}

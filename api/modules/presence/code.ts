// A presence challenge's code: 8 characters of Crockford's base32 (0-9 and A-Z without I, L, O, U),
// 40 random bits, shown as XXXX-XXXX so a client can read it aloud and a technician type it. Input is
// forgiving as Crockford specifies: any case, hyphens and spaces ignored, I and L read as 1, O as 0.
// The canonical form (8 characters, no hyphen) is the SIWE message's nonce: EIP-4361 wants at least
// 8 alphanumerics, which it is. 40 bits against a guesser: the API issues at most
// PRESENCE_CHALLENGES_PER_MINUTE a minute per client and a code lives 600 s, so a guess hits a live
// code with odds of about (live codes) / 2^40, one in 10^11 for ten thousand live codes.
import { randomBytes } from "node:crypto";

/** Crockford's alphabet: value i is ALPHABET[i]. */
export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Characters of a code (5 bits each). */
export const CODE_LENGTH = 8;
/** What a code looks like, for error messages. */
export const CODE_EXPECTED = "8 characters of 0-9 and A-Z (no I, L, O or U), as XXXX-XXXX, e.g. 7KQ2-M9XD";

/** A fresh random code, canonical (no hyphen). */
export function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = "";
  // 256 is a multiple of 32, so byte % 32 is uniform.
  for (const byte of bytes) code += CODE_ALPHABET[byte % 32];
  return code;
}

/** The canonical form of `input` (uppercase, no separators, I/L→1, O→0), or null if it is not a code. */
export function normalizeCode(input: string): string | null {
  if (input.length > 32) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  if (code.length !== CODE_LENGTH) return null;
  for (const char of code) if (!CODE_ALPHABET.includes(char)) return null;
  return code;
}

/** "7KQ2M9XD" → "7KQ2-M9XD". */
export function showCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

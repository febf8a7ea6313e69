// Validation of the identifiers clients send. Each parser returns the form the mirror stores
// (lowercase addresses, decimal ids), or throws BAD_USER_INPUT naming the argument and what it takes.
import { isAddress } from "viem";
import { badUserInput } from "../errors.ts";

/** The contract's own slug rule (Practices._validateSlug): 1–32 of a–z, 0–9 and '-'. */
const SLUG = /^[a-z0-9-]{1,32}$/;
/** 2^256 - 1 has 78 digits; anything longer is no chain id. */
const DECIMAL_UINT = /^\d{1,78}$/;
const HEX_UINT = /^0x[0-9a-fA-F]{1,64}$/;
const MAX_UINT256 = 2n ** 256n - 1n;

/**
 * An account address, lowercased. All lowercase or all uppercase carries no checksum; mixed case must
 * be a valid EIP-55 checksum, since a wrong one is more likely a typo than a different account.
 */
export function parseAddress(value: string, argument = "address"): string {
  const unchecked = typeof value === "string" && /^0x(?:[0-9a-f]{40}|[0-9A-F]{40})$/.test(value);
  if (!unchecked && (typeof value !== "string" || !isAddress(value, { strict: true }))) {
    throw badUserInput(
      argument,
      value,
      "a 0x-prefixed address of 40 hex digits (mixed case must be a valid EIP-55 checksum)",
    );
  }
  return value.toLowerCase();
}

/** A practice slug, exactly as the contract accepts them. */
export function parseSlug(value: string, argument = "slug"): string {
  if (typeof value !== "string" || !SLUG.test(value)) {
    throw badUserInput(argument, value, "a practice slug: 1 to 32 characters of a-z, 0-9 and '-'");
  }
  return value;
}

/** A uint256 id (proposal, grant, distribution), decimal or 0x-hex, as a decimal string. */
export function parseUintId(value: string, argument = "id"): string {
  const text = typeof value === "string" ? value.trim() : "";
  let id: bigint | undefined;
  if (DECIMAL_UINT.test(text) || HEX_UINT.test(text)) id = BigInt(text);
  if (id === undefined || id > MAX_UINT256) {
    throw badUserInput(argument, value, "an unsigned integer id of up to 256 bits, in decimal (or 0x-hex)");
  }
  return id.toString();
}

// The Sign-In with Ethereum (EIP-4361) message of a presence proof, written by viem's
// createSiweMessage from the challenge and the signer's address alone, so that the CLI, the page and
// any wallet UI sign exactly the same text (the API hands it out as PresenceChallenge.messageFor).
//
// The practice is bound as the message's one Resource, `urn:msp-it-partners:practice:<slug>`: a
// machine-readable field EIP-4361 defines, which the wallet shows; the statement says the same in
// words. The nonce is the challenge's code; issued-at and expiration are the challenge's own.
import { getAddress, type Hex } from "viem";
import { createSiweMessage, parseSiweMessage } from "viem/siwe";
import type { ChallengeRecord } from "./challenges.ts";

export const PRACTICE_RESOURCE_PREFIX = "urn:msp-it-partners:practice:";

/** The words the signer reads in the wallet. */
export function presenceStatement(practice: string): string {
  return `I am here in person as a member of practice ${practice} of MSP IT Partners.`;
}

/** The exact message `address` signs to answer `challenge`. */
export function presenceMessage(challenge: ChallengeRecord, address: string): string {
  const origin = new URL(challenge.origin);
  return createSiweMessage({
    domain: origin.host,
    scheme: origin.protocol.slice(0, -1),
    uri: challenge.origin,
    address: getAddress(address as Hex),
    statement: presenceStatement(challenge.practice),
    version: "1",
    chainId: challenge.chainId,
    nonce: challenge.code,
    issuedAt: new Date(challenge.issuedAt * 1000),
    expirationTime: new Date(challenge.expiresAt * 1000),
    resources: [`${PRACTICE_RESOURCE_PREFIX}${challenge.practice}`],
  });
}

export type ParsedPresenceMessage = ReturnType<typeof parseSiweMessage> & {
  address: Hex;
  domain: string;
  uri: string;
  nonce: string;
  chainId: number;
};

/**
 * Parses `message` strictly: viem's parser is lenient (it skips text before and after the fields), so
 * the message must also be exactly what createSiweMessage writes from the parsed fields. Returns null
 * and a reason when it is not a well-formed EIP-4361 message.
 */
export function parsePresenceMessage(
  message: string,
): { ok: true; fields: ParsedPresenceMessage } | { ok: false; problem: string } {
  const fields = parseSiweMessage(message);
  const missing = (["domain", "address", "uri", "version", "chainId", "nonce", "issuedAt"] as const).filter(
    (field) => fields[field] === undefined,
  );
  if (missing.length > 0)
    return { ok: false, problem: `it is not a Sign-In with Ethereum message (no ${missing.join(", ")})` };
  for (const field of ["issuedAt", "expirationTime", "notBefore"] as const) {
    const time = fields[field];
    if (time && Number.isNaN(time.getTime()))
      return { ok: false, problem: `its ${field} is not an RFC 3339 date-time` };
  }
  let canonical: string;
  try {
    canonical = createSiweMessage(fields as Parameters<typeof createSiweMessage>[0]);
  } catch (error) {
    return {
      ok: false,
      problem: `a field is invalid (${((error as { shortMessage?: string }).shortMessage ?? String(error)).split("\n")[0]})`,
    };
  }
  if (canonical !== message)
    return { ok: false, problem: "it has text outside the EIP-4361 fields, or fields out of their order" };
  return { ok: true, fields: fields as ParsedPresenceMessage };
}

/** The practice the message binds (its one practice resource), or null when it names none or several. */
export function practiceOf(fields: ParsedPresenceMessage): string | null {
  const practices = (fields.resources ?? []).filter((r) => r.startsWith(PRACTICE_RESOURCE_PREFIX));
  if (practices.length !== 1) return null;
  return (practices[0] as string).slice(PRACTICE_RESOURCE_PREFIX.length);
}

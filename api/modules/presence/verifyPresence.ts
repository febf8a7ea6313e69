// verifyPresence: one proof of presence checked end to end, cheapest checks first, each failure a
// coded PresenceRefusal with the reason in words. The order: the message's form, its origin and
// chain, the challenge it answers (issued by this API, unused, unexpired, same practice, same words
// and times), the signature (viem's verifyMessage on the chain's client, so ERC-1271 wallets pass),
// then the signer's seat in the practice at the chain's latest block (api/verifyMembership.ts, the
// same live check as verifyMembership). Only a proof that passed all of them uses its challenge up,
// so a bad attempt cannot burn a client's challenge, and the use is atomic (challenges.ts): of two
// replicas verifying the same proof at once, one says verified and the other NONCE_USED.
import type { Hex } from "viem";
import { redactUrls } from "../../../kernel/errors.ts";
import type { ApiContext } from "../../context.ts";
import { badUserInput, codedError, ERROR_CODES } from "../../errors.ts";
import { verifyMembership } from "../../verifyMembership.ts";
import type { StoredChallenge } from "./challenges.ts";
import { CODE_EXPECTED, normalizeCode, showCode } from "./code.ts";
import { parsePresenceMessage, practiceOf, presenceMessage } from "./siwe.ts";

/** A SIWE message as messageFor writes it is about 600 characters; 4,096 leaves room, and no more. */
export const MAX_MESSAGE_CHARS = 4_096;
/** An EOA signature is 65 bytes; a smart-contract wallet's may be longer (ERC-6492 wraps deploy data). */
export const MAX_SIGNATURE_BYTES = 8_192;

export type PresenceRefusal =
  | "MALFORMED_MESSAGE"
  | "WRONG_ORIGIN"
  | "WRONG_CHAIN"
  | "WRONG_CHALLENGE"
  | "NONCE_UNKNOWN"
  | "NONCE_USED"
  | "EXPIRED"
  | "WRONG_PRACTICE"
  | "SIGNATURE_INVALID"
  | "NOT_MEMBER"
  | "MIRROR_DISAGREES";

type Membership = Awaited<ReturnType<typeof verifyMembership>>;

export interface PresenceVerdict {
  verified: boolean;
  reason: PresenceRefusal | null;
  explanation: string;
  address: string | null;
  slug: string | null;
  practice: Membership["practice"] | null;
  member: Membership["member"] | null;
  role: string | null;
  practiceRole: string | null;
  challenge: StoredChallenge | null;
  membership: Membership | null;
  checkedAtBlock: number | null;
}

export interface VerifyPresenceArguments {
  message: string;
  signature: string;
  challenge?: string | null | undefined;
}

/**
 * @throws BAD_USER_INPUT for an oversized message, a signature that is not hex or a malformed code;
 *   CHAIN_UNAVAILABLE when the chain cannot be read.
 */
export async function verifyPresence(
  ctx: ApiContext,
  { message, signature, challenge }: VerifyPresenceArguments,
): Promise<PresenceVerdict> {
  if (message.length > MAX_MESSAGE_CHARS)
    throw badUserInput("message", message, `an EIP-4361 message of at most ${MAX_MESSAGE_CHARS} characters`);
  if (!/^0x(?:[0-9a-fA-F]{2})+$/.test(signature) || signature.length > 2 + 2 * MAX_SIGNATURE_BYTES)
    throw badUserInput("signature", signature, "the 0x-prefixed hex signature personal_sign returned");
  let wanted: string | null = null;
  if (challenge !== null && challenge !== undefined) {
    wanted = normalizeCode(challenge);
    if (wanted === null) throw badUserInput("challenge", challenge, CODE_EXPECTED);
  }

  let verdict: PresenceVerdict = {
    verified: false,
    reason: null,
    explanation: "",
    address: null,
    slug: null,
    practice: null,
    member: null,
    role: null,
    practiceRole: null,
    challenge: null,
    membership: null,
    checkedAtBlock: null,
  };
  const refuse = (reason: PresenceRefusal, explanation: string): PresenceVerdict => ({
    ...verdict,
    verified: false,
    reason,
    explanation,
  });

  const parsed = parsePresenceMessage(message);
  if (!parsed.ok)
    return refuse(
      "MALFORMED_MESSAGE",
      `This is not a proof of presence: ${parsed.problem}. Sign exactly the text the challenge's messageFor gives.`,
    );
  const fields = parsed.fields;
  const address = fields.address.toLowerCase();
  const slug = practiceOf(fields);
  verdict = { ...verdict, address, slug };

  const origin = ctx.presence.origin();
  const expected = new URL(origin);
  const named = `${fields.scheme ?? "https"}://${fields.domain}`;
  if (fields.domain !== expected.host || fields.uri !== origin || named !== origin)
    return refuse(
      "WRONG_ORIGIN",
      `The proof was made for ${named} (URI ${fields.uri}), not for this site (${origin}): someone may be relaying another site's challenge.`,
    );
  if (fields.chainId !== ctx.manifest.chainId)
    return refuse(
      "WRONG_CHAIN",
      `The proof names chain ${fields.chainId}; the firm's contracts are on chain ${ctx.manifest.chainId}.`,
    );
  if (wanted !== null && fields.nonce !== wanted)
    return refuse(
      "WRONG_CHALLENGE",
      `The proof answers code ${showCode(fields.nonce)}, not the code shown here (${showCode(wanted)}).`,
    );

  const now = ctx.clock() / 1000;
  if (fields.expirationTime && now >= fields.expirationTime.getTime() / 1000)
    return refuse(
      "EXPIRED",
      `The proof expired at ${fields.expirationTime.toISOString()}. Issue a new challenge and sign again.`,
    );
  const stored = await ctx.presence.store.get(fields.nonce);
  if (!stored)
    return refuse(
      "NONCE_UNKNOWN",
      `This API never issued code ${showCode(fields.nonce)} (or it expired long ago): the proof answers no challenge shown here.`,
    );
  verdict = { ...verdict, challenge: stored };
  if (stored.used)
    return refuse(
      "NONCE_USED",
      `Code ${showCode(fields.nonce)} has been answered already: this proof is a replay. Issue a new challenge.`,
    );
  if (now >= stored.record.expiresAt)
    return refuse(
      "EXPIRED",
      `Code ${showCode(fields.nonce)} expired at ${new Date(stored.record.expiresAt * 1000).toISOString()}. Issue a new challenge.`,
    );
  if (slug !== stored.record.practice)
    return refuse(
      "WRONG_PRACTICE",
      slug === null
        ? `The proof names no practice; the challenge asks for practice ${stored.record.practice}.`
        : `The proof is for practice ${slug}; the challenge asks for practice ${stored.record.practice}.`,
    );
  if (message !== presenceMessage(stored.record, fields.address))
    return refuse(
      "WRONG_CHALLENGE",
      `The proof changes the challenge's words or times (issued-at, expiration): sign exactly the text messageFor gives for code ${showCode(fields.nonce)}.`,
    );

  if (!(await signatureIsValid(ctx, fields.address, message, signature as Hex)))
    return refuse(
      "SIGNATURE_INVALID",
      `The signature is not ${address}'s over this message: the message was changed after signing, or someone else signed it.`,
    );

  const membership = await verifyMembership(ctx, stored.record.practice, address);
  verdict = {
    ...verdict,
    practice: membership.practice,
    member: membership.member,
    role: membership.role,
    practiceRole: membership.practiceRole,
    membership,
    checkedAtBlock: membership.checkedAtBlock,
  };
  if (!membership.verified) {
    const [reason, words] = membership.chain.isMember
      ? (["MIRROR_DISAGREES", "the firm's records disagree with the chain; try again in a minute"] as const)
      : (["NOT_MEMBER", membership.reason ?? "not a member"] as const);
    return refuse(
      reason,
      `${address} signed, but is not confirmed as a member of practice ${stored.record.practice} at block ${membership.checkedAtBlock}: ${words.replace(/\.$/, "")}.`,
    );
  }

  if (!(await ctx.presence.store.consume(fields.nonce)))
    return refuse(
      "NONCE_USED",
      `Code ${showCode(fields.nonce)} was answered by another proof a moment ago: this one is a replay.`,
    );
  return {
    ...verdict,
    challenge: { record: stored.record, used: true },
    verified: true,
    reason: null,
    explanation:
      `${address} is a member of practice ${stored.record.practice} (${membership.role ?? "member"}, ` +
      `${membership.practiceRole ?? "seat"}) at block ${membership.checkedAtBlock}, and signed code ` +
      `${showCode(fields.nonce)} issued here.`,
  };
}

/** viem's verifyMessage on the chain's client: ECDSA for accounts, ERC-1271 (and ERC-6492) for contracts. */
async function signatureIsValid(ctx: ApiContext, address: Hex, message: string, signature: Hex) {
  const client = ctx.publicClient;
  if (!client)
    throw codedError(ERROR_CODES.CHAIN_UNAVAILABLE, "This API has no chain client configured (RPC_URL).");
  try {
    return await client.verifyMessage({ address, message, signature });
  } catch (error) {
    const short = redactUrls(
      ((error as { shortMessage?: string }).shortMessage ?? (error as Error).message).split("\n")[0] ?? "",
    );
    ctx.log.warn({
      msg: "Presence check could not verify the signature on the chain",
      address,
      error: short,
    });
    throw codedError(
      ERROR_CODES.CHAIN_UNAVAILABLE,
      `Could not read the chain to check the signature: ${short.replace(/\.+$/, "")}. Retry later.`,
    );
  }
}

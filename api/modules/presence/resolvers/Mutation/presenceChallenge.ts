// Mutation.presenceChallenge: issues a one-time code for a proof of presence in a practice, limited
// per client address, remembered by the app's challenge store (challenges.ts) until used or expired.
import { keccak256, toBytes } from "viem";
import type { ApiContext } from "../../../../context.ts";
import { parseSlug } from "../../../../domain/inputs.ts";
import { badUserInput, codedError, ERROR_CODES, notFound } from "../../../../errors.ts";
import { loadPractice } from "../../../practice/loadPractice.ts";
import { ChallengeCapacityError, type ChallengeRecord, type StoredChallenge } from "../../challenges.ts";
import { newCode } from "../../code.ts";

/** A fresh code collides with a live one with odds of (live codes) / 2^40: three tries is plenty. */
const ISSUE_ATTEMPTS = 3;

export async function presenceChallenge(
  _: unknown,
  { practice }: { practice: string },
  ctx: ApiContext,
): Promise<StoredChallenge> {
  const slug = parseSlug(practice, "practice");
  const { limiter, challengesPerMinute } = ctx.presence;
  if (limiter) {
    const { allowed, retryAfterSeconds } = await limiter.consume(ctx.client);
    if (!allowed) {
      throw codedError(
        ERROR_CODES.RATE_LIMITED,
        `Too many presence challenges from ${ctx.client} this minute (at most ${challengesPerMinute}). Retry in ${retryAfterSeconds} s.`,
        { details: { retryAfterSeconds } },
      );
    }
  }
  const node = await loadPractice(ctx, keccak256(toBytes(slug)), null);
  if (!node) throw notFound("practice", slug, "`practices { nodes { slug } }` lists them");
  if (node.status !== "Active")
    throw badUserInput("practice", slug, `an active practice (${slug} is ${node.status.toLowerCase()})`);

  const issuedAt = Math.floor(ctx.clock() / 1000);
  for (let attempt = 0; attempt < ISSUE_ATTEMPTS; attempt++) {
    const record: ChallengeRecord = {
      code: newCode(),
      practice: slug,
      issuedAt,
      expiresAt: issuedAt + ctx.presence.ttlSeconds,
      origin: ctx.presence.origin(),
      chainId: ctx.manifest.chainId,
    };
    try {
      if (await ctx.presence.store.put(record)) return { record, used: false };
    } catch (error) {
      if (!(error instanceof ChallengeCapacityError)) throw error;
      throw codedError(
        ERROR_CODES.RATE_LIMITED,
        `${error.message} Retry in a minute (set REDIS_URL to remember them in Redis).`,
        { details: { retryAfterSeconds: 60 } },
      );
    }
  }
  throw new Error(`No free presence code after ${ISSUE_ATTEMPTS} attempts`);
}

// Query.presenceChallengeInfo: a challenge as issued, by its code (any case, hyphen optional).
import type { ApiContext } from "../../../../context.ts";
import { badUserInput, notFound } from "../../../../errors.ts";
import type { StoredChallenge } from "../../challenges.ts";
import { CODE_EXPECTED, normalizeCode, showCode } from "../../code.ts";

export async function presenceChallengeInfo(
  _: unknown,
  { code }: { code: string },
  ctx: ApiContext,
): Promise<StoredChallenge> {
  const canonical = normalizeCode(code);
  if (canonical === null) throw badUserInput("code", code, CODE_EXPECTED);
  const stored = await ctx.presence.store.get(canonical);
  if (!stored)
    throw notFound(
      "presence challenge",
      showCode(canonical),
      "check the code with the client, or ask them for a new one (a code lives 10 minutes)",
    );
  return stored;
}

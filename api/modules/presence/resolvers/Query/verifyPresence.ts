// Query.verifyPresence: checks a proof of presence (../../verifyPresence.ts).
import type { ApiContext } from "../../../../context.ts";
import { type VerifyPresenceArguments, verifyPresence as verify } from "../../verifyPresence.ts";

export function verifyPresence(_: unknown, args: VerifyPresenceArguments, ctx: ApiContext) {
  return verify(ctx, args);
}

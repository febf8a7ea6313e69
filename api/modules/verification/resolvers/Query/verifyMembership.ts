// Query.verifyMembership: the mirror's answer and the chain's on whether an address is a member of a
// practice now (api/verifyMembership.ts).
import type { ApiContext } from "../../../../context.ts";
import { parseAddress, parseSlug } from "../../../../domain/inputs.ts";
import { verifyMembership as verify } from "../../../../verifyMembership.ts";

export function verifyMembership(
  _: unknown,
  { practice, address }: { practice: string; address: string },
  ctx: ApiContext,
) {
  return verify(ctx, parseSlug(practice, "practice"), parseAddress(address));
}

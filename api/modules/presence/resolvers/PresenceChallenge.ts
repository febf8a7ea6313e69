// PresenceChallenge: a stored challenge as clients see it.
import type { ApiContext } from "../../../context.ts";
import { parseAddress } from "../../../domain/inputs.ts";
import type { StoredChallenge } from "../challenges.ts";
import { showCode } from "../code.ts";
import { presenceMessage } from "../siwe.ts";

export const PresenceChallenge = {
  code: ({ record }: StoredChallenge) => showCode(record.code),
  practice: ({ record }: StoredChallenge) => record.practice,
  origin: ({ record }: StoredChallenge) => record.origin,
  chainId: ({ record }: StoredChallenge) => record.chainId,
  issuedAt: ({ record }: StoredChallenge) => record.issuedAt,
  expiresAt: ({ record }: StoredChallenge) => record.expiresAt,
  expiresInSeconds: ({ record }: StoredChallenge, _: unknown, ctx: ApiContext) =>
    Math.max(0, record.expiresAt - Math.floor(ctx.clock() / 1000)),
  used: ({ used }: StoredChallenge) => used,
  messageFor: ({ record }: StoredChallenge, { address }: { address: string }) =>
    presenceMessage(record, parseAddress(address)),
  answerUrl: ({ record }: StoredChallenge) => `${record.origin}/answer?code=${showCode(record.code)}`,
};

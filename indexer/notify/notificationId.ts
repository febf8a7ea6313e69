// The notification's id, which is also its Standard Webhooks `webhook-id` and every receiver's
// idempotency key. It is built from where the notification came from, never from a clock or a random
// source, so indexing the same chain again produces the same ids and a receiver can drop repeats.
// The recording block's hash is part of it: after a reorg the same position on the new chain is a
// different block, so a re-announcement gets a new id and a receiver that dropped the retracted one
// (its id is taken back by a correction) does not drop the new one as a repeat.
import type { NotificationKind } from "./notification.ts";

export interface NotificationIdParameters {
  chainId: number;
  /** The block that recorded it: the event's block, or for a scheduled one the block that made it due. */
  blockNumber: number;
  blockHash: string;
  /** The event's log index, or for a scheduled one the event that set it, as `<block>.<log>`. */
  position: number | string;
  kind: NotificationKind;
}

/** How much of the block hash an id carries: 32 bits tell the blocks of one height apart. */
const HASH_DIGITS = 8;

/**
 * The deterministic id of a notification: `evt_<chain>_<block>_<hash8>_<position>_<kind>`.
 *
 * @example
 * notificationId({ chainId: 31337, blockNumber: 12, blockHash: "0xab12cd34…", position: 3, kind: "proposal.created" })
 * // "evt_31337_12_ab12cd34_3_proposal.created"
 */
export function notificationId({
  chainId,
  blockNumber,
  blockHash,
  position,
  kind,
}: NotificationIdParameters): string {
  const hash = blockHash.toLowerCase().replace(/^0x/, "").slice(0, HASH_DIGITS);
  return `evt_${chainId}_${blockNumber}_${hash}_${position}_${kind}`;
}

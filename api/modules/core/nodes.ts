// What resolvers of every module share: the arguments of time-dependent and connection fields, and a
// transaction as resolvers hand it on. Each concept's own node (a mirror row plus the asOf point it
// was read at) lives in its module: MemberNode in member/loadMember.ts, PracticeNode in
// practice/loadPractice.ts.
import type { AsOfPoint } from "../../context.ts";

export interface TransactionNode {
  hash: string;
  blockNumber: number;
  /** Null when the table that recorded it keeps no time: read from the block's events then. */
  timestamp: number | null;
}

/** A row read as of a point (time travel), or now (null): what it links to is read at the same point. */
export interface AsOfNode {
  asOf: AsOfPoint | null;
}

/** Arguments of a field that depends on time. */
export interface AtArgs {
  at?: number | null;
}

/** Arguments of a connection field. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

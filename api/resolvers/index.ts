// All resolvers, one file per type; types with only default (same-name) fields need none.
import type { Connection } from "../domain/pagination.ts";
import { Distribution } from "./Distribution.ts";
import { Equity } from "./Equity.ts";
import { Firm } from "./Firm.ts";
import { Grant } from "./Grant.ts";
import { Leave, Transaction } from "./Leave.ts";
import { Admission, Member } from "./Member.ts";
import { Practice, PracticeSeat } from "./Practice.ts";
import { Proposal, Vote } from "./Proposal.ts";
import { Query } from "./Query.ts";
import { Subscription } from "./Subscription.ts";
import { BigIntScalar, enumResolvers, JSONScalar, Timestamp } from "./scalars.ts";

const CONNECTIONS = [
  "MemberConnection",
  "PracticeConnection",
  "PracticeMemberConnection",
  "ProposalConnection",
  "VoteConnection",
  "GrantConnection",
  "DistributionConnection",
];

/** totalCount is a thunk on every connection: counted only when a client selects it. */
const connectionResolvers = Object.fromEntries(
  CONNECTIONS.map((name) => [
    name,
    { totalCount: (connection: Connection<unknown>) => connection.totalCount() },
  ]),
);

export const resolvers = {
  Timestamp,
  BigInt: BigIntScalar,
  JSON: JSONScalar,
  ...enumResolvers,
  ...connectionResolvers,
  Query,
  Subscription,
  Firm,
  Member,
  Admission,
  Leave,
  Transaction,
  Equity,
  Practice,
  PracticeSeat,
  Proposal,
  Vote,
  Grant,
  Distribution,
};

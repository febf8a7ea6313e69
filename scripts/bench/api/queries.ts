// The five core queries of the API benchmark, as our API and Ponder's generated GraphQL API each
// spell them, and the pools of variables the load cycles through. Each pair asks for the same rows
// and fields (Ponder's schema names differ: `seats` for a practice's members, `holding` for equity).
//
// What Ponder cannot express, it is not asked: `schedule` is vesting computed per grant (units vested
// at 12 times, frozen at revocation, as the contract computes it) and `verifyMembership` checks the
// mirror against an eth_call to the chain. Ponder's generated API serves stored columns only; both
// would need hand-written endpoints, which is not the generated API the benchmark compares.
import { keccak256, toBytes } from "viem";
import type { ApiChainSample } from "./buildApiChain.ts";

export const QUERY_NAMES = ["member", "practice", "proposals", "schedule", "verifyMembership"] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

/** Rows per page of a practice's members, and of the active proposals. */
const PRACTICE_PAGE = 50;
const PROPOSALS_PAGE = 10;
/** Pages walked per practice to make the pool of practice requests. */
const PAGES_PER_PRACTICE = 10;

export const OUR_QUERIES: Record<QueryName, string> = {
  member: `query Member($address: String!) {
  member(address: $address) {
    address role status since
    practices { role since practice { slug name } }
    grants { id units released start cliff end revoked }
    equity { units votes }
  }
}`,
  practice: `query Practice($slug: String!, $after: String) {
  practice(slug: $slug) {
    slug name lead status memberCount
    members(first: ${PRACTICE_PAGE}, after: $after) {
      edges { node { account role since member { role status } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
  proposals: `query Proposals($after: String) {
  proposals(first: ${PROPOSALS_PAGE}, after: $after, where: { state: ACTIVE }) {
    edges { node { id title proposer voteStart voteEnd
      tally { for { equity headcount } against { equity headcount } abstain { equity headcount } } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  schedule: `query Schedule($id: String!) {
  grant(id: $id) { id beneficiary units released start cliff end revoked schedule(points: 12) { at vested } }
}`,
  verifyMembership: `query Verify($practice: String!, $address: String!) {
  verifyMembership(practice: $practice, address: $address) {
    verified reason role status practiceRole since practiceSince checkedAtBlock howToVerify { to data block }
  }
}`,
};

/** Ponder's spelling of each query, or null where its generated API cannot express it. */
export const PONDER_QUERIES: Record<QueryName, string | null> = {
  member: `query Member($id: String!) {
  member(id: $id) {
    id role status since
    seats { items { role since practice { slug name } } }
    grants(orderBy: "id") { items { id units released start cliffEnd end revokedAt } }
    holding { balance votes }
  }
}`,
  practice: `query Practice($id: String!, $after: String) {
  practice(id: $id) {
    slug name lead active memberCount
    seats(limit: ${PRACTICE_PAGE}, after: $after, orderBy: "account", orderDirection: "asc") {
      items { account role since member { role status } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
  // Active = not queued, executed or canceled, with the clock inside the voting window (as ours).
  proposals: `query Proposals($now: BigInt!, $after: String) {
  proposals(
    where: { status: "pending", voteStart_lt: $now, voteEnd_gte: $now }
    orderBy: "createdBlock", orderDirection: "desc", limit: ${PROPOSALS_PAGE}, after: $after
  ) {
    items { id description proposer voteStart voteEnd
      forEquity forHeads againstEquity againstHeads abstainEquity abstainHeads }
    pageInfo { hasNextPage endCursor }
  }
}`,
  schedule: null,
  verifyMembership: null,
};

export const WHY_NOT_PONDER: Partial<Record<QueryName, string>> = {
  schedule:
    "vesting at 12 times is computed per request (Partnership's math); Ponder's generated API serves stored columns only",
  verifyMembership:
    "checks the mirror against an eth_call to the chain; Ponder's generated API cannot call the chain",
};

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are shaped by their query.
type Data = any;

/** POSTs a GraphQL request; throws with the errors when there are any. */
export async function graphql(url: string, query: string, variables: Record<string, unknown>): Promise<Data> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: Data; errors?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!response.ok || body.errors || !body.data)
    throw new Error(
      `${url} answered ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`,
    );
  return body.data;
}

export interface VariablePools {
  /** Per query, the variables to cycle through (null: not asked of this API). */
  pools: Record<QueryName, Record<string, unknown>[] | null>;
}

export interface BuildPoolsParameters {
  api: "ours" | "ponder";
  url: string;
  sample: ApiChainSample;
  /** Unix seconds: "now" for Ponder's active-proposal filter (ours reads its own clock). */
  now: number;
  /** The most variable sets per pool. */
  poolSize: number;
}

/**
 * Builds the variable pools of one API, walking pages where a request needs a cursor, and checks that
 * every query answers without errors and with the rows the chain holds.
 */
export async function buildPools({
  api,
  url,
  sample,
  now,
  poolSize,
}: BuildPoolsParameters): Promise<VariablePools> {
  const ours = api === "ours";
  const shuffled = <T>(items: T[]) => deterministicShuffle(items).slice(0, poolSize);
  const members = shuffled(sample.members);

  const member = members.map((m) =>
    ours ? { address: m.address.toLowerCase() } : { id: m.address.toLowerCase() },
  );
  const practice: Record<string, unknown>[] = [];
  for (const slug of sample.practices) {
    let after: string | null = null;
    for (let page = 0; page < PAGES_PER_PRACTICE; page++) {
      const variables = ours ? { slug, after } : { id: keccak256(toBytes(slug)), after };
      const data = await graphql(url, ours ? OUR_QUERIES.practice : PONDER_QUERIES.practice!, variables);
      const connection = ours ? data.practice.members : data.practice.seats;
      const rows = ours ? connection.edges.length : connection.items.length;
      if (rows === 0) throw new Error(`${api}: practice ${slug} page ${page} is empty`);
      practice.push(variables);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
  }
  const proposals: Record<string, unknown>[] = [];
  let after: string | null = null;
  for (;;) {
    const variables = ours ? { after } : { now: String(now), after };
    const data = await graphql(url, ours ? OUR_QUERIES.proposals : PONDER_QUERIES.proposals!, variables);
    const page = ours ? data.proposals.edges : data.proposals.items;
    if (page.length === 0) break;
    proposals.push(variables);
    if (!data.proposals.pageInfo.hasNextPage) break;
    after = data.proposals.pageInfo.endCursor;
  }
  if (proposals.length === 0) throw new Error(`${api}: no active proposal at ${now}`);
  const pools: VariablePools["pools"] = {
    member,
    practice,
    proposals,
    schedule: ours ? shuffled(sample.grantIds).map((id) => ({ id })) : null,
    verifyMembership: ours
      ? members.map((m) => ({ practice: m.practices[0]!, address: m.address.toLowerCase() }))
      : null,
  };
  await spotCheck(api, url, pools);
  return { pools };
}

/** Asks the first few of each pool and checks what must hold for every answer. */
async function spotCheck(api: "ours" | "ponder", url: string, pools: VariablePools["pools"]): Promise<void> {
  const queries = api === "ours" ? OUR_QUERIES : PONDER_QUERIES;
  for (const name of QUERY_NAMES) {
    const query = queries[name];
    const pool = pools[name];
    if (!query || !pool) continue;
    for (const variables of pool.slice(0, 5)) {
      const data = await graphql(url, query, variables);
      const problem = checkAnswer(name, api, data);
      if (problem) throw new Error(`${api} ${name} ${JSON.stringify(variables)}: ${problem}`);
    }
  }
}

function checkAnswer(name: QueryName, api: "ours" | "ponder", data: Data): string | null {
  const ours = api === "ours";
  switch (name) {
    case "member": {
      const m = data.member;
      if (!m) return "no such member";
      const grants = ours ? m.grants : m.grants.items;
      const seats = ours ? m.practices : m.seats.items;
      return grants.length > 0 && seats.length > 0 ? null : "a member without grants or practices";
    }
    case "schedule":
      return data.grant?.schedule?.length === 12 ? null : "no 12-point schedule";
    case "verifyMembership":
      return data.verifyMembership.verified ? null : `not verified: ${data.verifyMembership.reason}`;
    default:
      return null;
  }
}

/**
 * Compares the two APIs' answers for the first few variable sets of each query both can express:
 * the same members' grants and seats, the same practice pages, the same active proposals and tallies.
 */
export async function checkSameAnswers(
  oursUrl: string,
  ours: VariablePools,
  ponderUrl: string,
  ponder: VariablePools,
): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const [a, b] = await Promise.all([
      graphql(oursUrl, OUR_QUERIES.member, ours.pools.member![i]!),
      graphql(ponderUrl, PONDER_QUERIES.member!, ponder.pools.member![i]!),
    ]);
    same(
      "member grants",
      a.member.grants.map((g: Data) => [g.id, g.units]),
      b.member.grants.items.map((g: Data) => [g.id, g.units]),
    );
    same(
      "member practices",
      a.member.practices.map((s: Data) => s.practice.slug).sort(),
      b.member.seats.items.map((s: Data) => s.practice.slug).sort(),
    );
  }
  for (let i = 0; i < Math.min(3, ours.pools.practice!.length, ponder.pools.practice!.length); i++) {
    const [a, b] = await Promise.all([
      graphql(oursUrl, OUR_QUERIES.practice, ours.pools.practice![i]!),
      graphql(ponderUrl, PONDER_QUERIES.practice!, ponder.pools.practice![i]!),
    ]);
    same(
      "practice members",
      a.practice.members.edges.map((e: Data) => e.node.account),
      b.practice.seats.items.map((s: Data) => s.account),
    );
  }
  const [a, b] = await Promise.all([
    graphql(oursUrl, OUR_QUERIES.proposals, ours.pools.proposals![0]!),
    graphql(ponderUrl, PONDER_QUERIES.proposals!, ponder.pools.proposals![0]!),
  ]);
  same(
    "active proposals",
    a.proposals.edges.map((e: Data) => [e.node.id, e.node.tally.for.equity, e.node.tally.against.headcount]),
    b.proposals.items.map((p: Data) => [p.id, p.forEquity, p.againstHeads]),
  );
}

function same(what: string, ours: unknown, ponder: unknown): void {
  const a = JSON.stringify(ours);
  const b = JSON.stringify(ponder);
  if (a !== b)
    throw new Error(`Our API and Ponder's disagree on ${what}: ${a.slice(0, 300)} vs ${b.slice(0, 300)}`);
}

/** The same order on every run and for both APIs (a linear congruential shuffle). */
function deterministicShuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 0x2545f491;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

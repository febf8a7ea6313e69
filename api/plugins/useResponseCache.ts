// Whole GraphQL responses, cached by the mirror's state (@graphql-yoga/plugin-response-cache). The
// mirror changes only when the indexer writes (a range, a rollback, a prune), and every write bumps the
// mirror's revision; so a query's answer is fixed by its document, its variables and that revision,
// and the key holds all three. Each request reads the revision afresh (one indexed row, the read its
// resolvers would make anyway: the context reuses it), so no answer computed before a write is found
// after it, even by a process that missed the write's commit notice. The notices only free memory:
// each one drops every entry, since none can be found again.
//
// verifyMembership answers at the chain's latest block: a document that names it also has that
// block (number and hash) in its key, read after the request arrived (shared with the requests
// arriving with it, membershipReads.ts) and handed to the resolver, which answers at that block. The
// same check at the same block and mirror is the same answer; at the next block, it is asked again.
//
// Not cached:
// - mutations and subscriptions (the plugin caches query results only);
// - responses with errors;
// - fields whose answer changes without a write to the mirror or a new block: verifyPresence (it
//   consumes the proof's nonce: a replay must be refused, not answered from memory),
//   presenceChallengeInfo (the challenge store) and indexingStatus (the chain's head as last polled).
//   A query selecting one of them is not cached at all.
// A response that read the clock (a time field without `at` or `asOf`, read at "now", context.ts)
// holds only for the second "now" denotes, the resolution of every time in the schema: it expires at
// the next second by the app's clock. A field that knows when its answer at now changes says so
// (ApiContext.timeHolding: a member's status changes only when a leave runs out), and a response whose
// every read of now said so holds until the earliest of those times.
import { createHash } from "node:crypto";
import {
  type Cache,
  createInMemoryCache,
  useResponseCache as useYogaResponseCache,
} from "@graphql-yoga/plugin-response-cache";
import { type ExecutionResult, getOperationAST } from "graphql/index.js";
import { isAsyncIterable, type Plugin } from "graphql-yoga";
import type { ApiContext, AppServices, MirrorSnapshot } from "../context.ts";
import type { LatestBlock } from "../membershipReads.ts";
import type { ApiMetrics } from "../metrics.ts";

/** Query fields whose answers change without a write to the mirror: their responses are never cached. */
export const UNCACHED_FIELDS = [
  "Query.verifyPresence",
  "Query.presenceChallengeInfo",
  "Query.indexingStatus",
] as const;

/** The one cached field that reads the chain: a document naming it is keyed by the latest block too. */
const CHAIN_FIELD = "verifyMembership";

/** Marks a response the plugin answered from the cache (set by @graphql-yoga/plugin-response-cache). */
const SERVED_FROM_CACHE = Symbol.for("servedFromResponseCache");

export interface ResponseCache {
  /** The mirror as read for `request`'s key, if it was: the request's context reuses that read. */
  mirrorReadFor(request: Request): Promise<MirrorSnapshot> | undefined;
  /** The chain's latest block as read for `request`'s key, if it was (likewise). */
  latestBlockFor(request: Request): Promise<LatestBlock> | undefined;
  /** The yoga plugin; place it after the query limits and before the request timeout. */
  plugin: Plugin;
}

/**
 * Creates the response cache of one app: it drops its entries on each commit notice of `services.bus`.
 *
 * @example
 * const cache = createResponseCache({ services, maxEntries: 1000, readWaitMs: 10_000 });
 * createYoga({ context: ({ request }) => createContext(services, { requestId, mirror: cache.mirrorReadFor(request) }),
 *   plugins: [cache.plugin] });
 */
export function createResponseCache({
  services,
  maxEntries,
  readWaitMs,
}: {
  services: Pick<
    AppServices,
    "readMirrorState" | "bus" | "clock" | "metrics" | "publicClient" | "membershipReads"
  >;
  maxEntries: number;
  /** How long a key waits for the mirror or the chain's latest block (the request's time limit). */
  readWaitMs: number;
}): ResponseCache {
  /** Requests whose mirror or latest block could not be read in time: they bypass the cache. */
  const bypassing = new WeakSet<Request>();
  const mirrors = readOncePerRequest(() => services.readMirrorState(), readWaitMs, bypassing);
  const client = services.publicClient;
  const latestBlocks =
    client && readOncePerRequest(() => services.membershipReads.latest(client), readWaitMs, bypassing);
  const revisionOf = async (request: Request) => {
    const mirror = await mirrors.valueFor(request);
    if (mirror) store.sawRevision(mirror.revision);
    return mirror?.revision;
  };
  /** "" for a document that cannot select verifyMembership (a field is selected by its name, so the
   * name is in the text) or an app without a chain; else the block the answer is at. */
  const chainBlockOf = async (request: Request, readsChain: boolean) => {
    if (!latestBlocks || !readsChain) return "";
    const block = await latestBlocks.valueFor(request);
    if (block) store.sawBlock(block.number);
    return block && `${block.number}/${block.hash}`;
  };
  const store = createRevisionStore({ maxEntries, clock: services.clock });
  services.bus.subscribe(() => store.dropAll());
  const keys = new WeakMap<Request, { asked: KeyParts; key: Promise<string> }>();
  /** The request's key, built once (the coalescing below and the plugin both ask for it); an
   * operation other than the one it was built for (a batch, were batching turned on) gets its own. */
  const keyFor = (asked: KeyParts) => {
    const built = keys.get(asked.request);
    if (
      built &&
      built.asked.documentString === asked.documentString &&
      (built.asked.operationName ?? null) === (asked.operationName ?? null) &&
      built.asked.variableValues === asked.variableValues
    )
      return built.key;
    const key = keyOf(asked);
    keys.set(asked.request, { asked, key });
    return key;
  };
  const keyOf = async ({ documentString, operationName, variableValues, request }: KeyParts) => {
    const [revision, block] = await Promise.all([
      revisionOf(request),
      chainBlockOf(request, documentString.includes(CHAIN_FIELD)),
    ]);
    const hash = createHash("sha256")
      .update(JSON.stringify([documentString, operationName ?? null, variableValues ?? null]))
      .digest("hex");
    return block ? `${revision}:${hash}:${block}` : `${revision}:${hash}`;
  };
  const yogaPlugin = useYogaResponseCache({
    session: () => null,
    enabled: (request) => !bypassing.has(request),
    cache: store.cache,
    buildResponseCacheKey: keyFor,
    // Left on: turned off, the plugin would cache mutations' results like queries'. (Our one mutation,
    // presenceChallenge, returns no cached type, so it invalidates nothing.)
    invalidateViaMutation: true,
    includeExtensionMetadata: false,
    ttlPerSchemaCoordinate: Object.fromEntries(UNCACHED_FIELDS.map((field) => [field, 0])),
    onTtl: ({ ttl, context }) => {
      const ctx = context as ApiContext;
      const now = ctx.nowRead();
      // Until the next second by the app's clock, or until the earliest time a field said its answer
      // changes; 0 (not cached) when that has already come. "Now" is the later of the clock and the
      // mirror's time, and the mirror is fixed for the key: the answer changes when the clock gets there.
      const until = now !== undefined ? now + 1 : ctx.nowHoldsUntil();
      if (until === undefined || until === Number.POSITIVE_INFINITY) return ttl;
      return Math.min(ttl, Math.max(0, until * 1000 - services.clock()));
    },
  });
  const { metrics } = services;
  const plugin: Plugin = {
    onPluginInit({ addPlugin }) {
      addPlugin(yogaPlugin);
    },
    // A conditional request (If-None-Match: an earlier response's ETag) is answered 304 when its key is
    // still stored: reading the revision (and, for a key with a block, the latest block) first lets the
    // store refuse a key of an older one.
    async onRequest({ request }) {
      const etag = request.headers.get("if-none-match");
      if (etag !== null)
        await Promise.all([revisionOf(request), chainBlockOf(request, etag.split(":").length > 2)]);
    },
    // Requests for a key another request is executing wait for its answer instead of executing too:
    // after a commit empties the cache, or at the second a "now" answer expires, the connections asking
    // for one popular key would otherwise all execute it at once.
    async onParams({ params, request }) {
      if (bypassing.has(request)) return;
      const key = await keyFor({
        documentString: params.query ?? "",
        operationName: params.operationName,
        variableValues: params.variables,
        request,
      });
      if (!bypassing.has(request)) await store.waitOrClaim(key, request);
    },
    onResponse({ request }) {
      store.release(request);
    },
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation === "query")
        countLookup(metrics, "miss");
    },
    onResultProcess({ result }) {
      if (isAsyncIterable(result)) return;
      for (const single of Array.isArray(result) ? result : [result]) {
        if ((single as Record<symbol, unknown>)[SERVED_FROM_CACHE]) countLookup(metrics, "hit");
      }
    },
  };
  return {
    mirrorReadFor: mirrors.readFor,
    latestBlockFor: (request) => latestBlocks?.readFor(request),
    plugin,
  };
}

/**
 * A read a request's key needs, made once per request: the request's context reuses it (its resolvers
 * would make the same read). A read that fails, or takes longer than `waitMs` (the request's time
 * limit), marks the request as bypassing the cache and gives undefined: its resolvers then read again
 * after a failure, or await the same slow read under the request's own limit, and report what they
 * meet, as they would without the cache (masked, with the field's path).
 *
 * Requests arriving together share one read (readAfterAsking.ts), and they share its time limit too:
 * one timer per read, armed by the first request to wait on it, rather than one per request. A later
 * request on the same read may so stop waiting a little before its own limit (by at most how long it
 * arrived after the first), which costs it the cache, not an answer.
 */
function readOncePerRequest<T>(read: () => Promise<T>, waitMs: number, bypassing: WeakSet<Request>) {
  const reads = new WeakMap<Request, Promise<T>>();
  const limited = new WeakMap<Promise<T>, Promise<T | typeof SLOW>>();
  const withinLimit = (pending: Promise<T>) => {
    let race = limited.get(pending);
    if (!race) {
      let timer: NodeJS.Timeout | undefined;
      const slow = new Promise<typeof SLOW>((resolve) => {
        timer = setTimeout(() => resolve(SLOW), waitMs);
      });
      race = Promise.race([pending, slow]).finally(() => clearTimeout(timer));
      limited.set(pending, race);
    }
    return race;
  };
  return {
    readFor: (request: Request): Promise<T> | undefined => reads.get(request),
    async valueFor(request: Request): Promise<T | undefined> {
      let pending = reads.get(request);
      if (!pending) {
        pending = read();
        reads.set(request, pending);
      }
      try {
        const value = await withinLimit(pending);
        if (value !== SLOW) return value;
      } catch {
        reads.delete(request);
      }
      bypassing.add(request);
      return undefined;
    },
  };
}

const SLOW = Symbol("slower than the request's time limit");

/**
 * Gives a cached result the JSON text it is answered with, made on its first hit and reused after:
 * yoga serializes each response through `result.stringify` when the result has one (its hook for
 * faster serializers), and a hit is a shallow copy of the stored result, which keeps that property.
 * Serializing is the largest cost of a hit otherwise (a practice's page of 50 members). A copy whose
 * data or errors are not the stored ones (none is made today) is serialized as usual.
 */
function serializeOnce(result: ExecutionResult): void {
  const { data } = result;
  let json: string | undefined;
  Object.defineProperty(result, "stringify", {
    enumerable: true,
    value: (value: ExecutionResult) => {
      if (value.data !== data || value.errors !== undefined || value.extensions !== undefined)
        return JSON.stringify(value);
      json ??= JSON.stringify(value);
      return json;
    },
  });
}

interface KeyParts {
  documentString: string;
  operationName?: string | null | undefined;
  variableValues?: unknown;
  request: Request;
}

function countLookup(metrics: Pick<ApiMetrics, "responseCache">, result: "hit" | "miss") {
  metrics.responseCache.inc({ result });
}

/**
 * The plugin's in-memory LRU, which keys carry the mirror's revision (`<revision>:<hash>`, then
 * `:<block number>/<block hash>` for verifyMembership), made to refuse entries of a revision or a
 * block older than one it has seen (a conditional request's ETag is such a key), and entries past the
 * end of their second (a finite ttl, measured by the app's clock, which tests move). dropAll replaces
 * the LRU.
 */
function createRevisionStore({ maxEntries, clock }: { maxEntries: number; clock: () => number }) {
  let entries = createInMemoryCache({ max: maxEntries });
  let newestRevision = 0;
  let newestBlock = 0n;
  const expiries = new WeakMap<object, number>();
  const revisionOf = (key: string) => Number(key.slice(0, key.indexOf(":")));
  /** The key's block number; undefined for a key without one, -1 for a malformed one (an ETag is the
   * client's to send). */
  const blockOf = (key: string) => {
    const [, , block] = key.split(":");
    if (block === undefined) return undefined;
    const number = block.slice(0, block.indexOf("/"));
    return /^\d+$/.test(number) ? BigInt(number) : -1n;
  };
  const isCurrent = (key: string) => {
    if (!(revisionOf(key) >= newestRevision)) return false;
    const block = blockOf(key);
    return block === undefined || block >= newestBlock;
  };
  /** Keys being executed, by the request executing each; the others asking wait on `done`. */
  const executing = new Map<string, { by: Request; done: Promise<void>; settle: () => void }>();
  const claimed = new WeakMap<Request, string>();
  const settle = (key: string) => {
    const entry = executing.get(key);
    executing.delete(key);
    entry?.settle();
  };
  const cache: Cache = {
    get(key) {
      if (!isCurrent(key)) return null;
      const result = entries.get(key) as Awaited<ReturnType<Cache["get"]>>;
      if (!result) return null;
      const expiry = expiries.get(result);
      return expiry !== undefined && clock() >= expiry ? null : result;
    },
    set(key, result, entities, ttl) {
      if (Number.isFinite(ttl)) expiries.set(result, clock() + ttl);
      serializeOnce(result as ExecutionResult);
      const stored = entries.set(key, result, entities, ttl);
      settle(key);
      return stored;
    },
    invalidate(entities) {
      return entries.invalidate(entities);
    },
  };
  return {
    cache,
    sawRevision(revision: number) {
      newestRevision = Math.max(newestRevision, revision);
    },
    sawBlock(block: bigint) {
      if (block > newestBlock) newestBlock = block;
    },
    dropAll() {
      entries = createInMemoryCache({ max: maxEntries });
    },
    /** Waits while another request executes `key`; else marks `request` as executing it. */
    waitOrClaim(key: string, request: Request): Promise<void> | undefined {
      const entry = executing.get(key);
      if (entry) return entry.done;
      let done: () => void = () => {};
      executing.set(key, { by: request, done: new Promise((resolve) => (done = resolve)), settle: done });
      claimed.set(request, key);
      return undefined;
    },
    /** `request` has answered: whoever waits on its key goes on (to a hit, or, when its answer was not
     * stored, an error say, to execute it). */
    release(request: Request) {
      const key = claimed.get(request);
      if (key !== undefined && executing.get(key)?.by === request) settle(key);
    },
  };
}

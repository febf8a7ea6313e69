// Whole GraphQL responses, cached by the mirror's state (@graphql-yoga/plugin-response-cache). The
// mirror changes only when the indexer writes (a range, a rollback, a prune), and every write bumps the
// mirror's revision; so a query's answer is fixed by its document, its variables and that revision,
// and the key holds all three. Each request reads the revision afresh (one indexed row, the read its
// resolvers would make anyway: the context reuses it), so no answer computed before a write is found
// after it, even by a process that missed the write's commit notice. The notices only free memory:
// each one drops every entry, since none can be found again.
//
// Not cached:
// - mutations and subscriptions (the plugin caches query results only);
// - responses with errors;
// - fields whose answer changes without a write to the mirror: verifyPresence (it consumes the
//   proof's nonce: a replay must be refused, not answered from memory), presenceChallengeInfo (the
//   challenge store), verifyMembership (the chain at its latest block; its eth_call is cached per
//   block instead, verifyMembership.ts) and indexingStatus (the chain's head). A query selecting one
//   of them is not cached at all.
// A response that read the clock (a time field without `at` or `asOf`, read at "now", context.ts)
// holds only for the second "now" denotes, the resolution of every time in the schema: it expires at
// the next second by the app's clock.
import { createHash } from "node:crypto";
import {
  type Cache,
  createInMemoryCache,
  useResponseCache as useYogaResponseCache,
} from "@graphql-yoga/plugin-response-cache";
import { getOperationAST } from "graphql/index.js";
import { isAsyncIterable, type Plugin } from "graphql-yoga";
import type { ApiContext, AppServices, MirrorSnapshot } from "../context.ts";
import type { ApiMetrics } from "../metrics.ts";

/** Query fields whose answers change without a write to the mirror: their responses are never cached. */
export const UNCACHED_FIELDS = [
  "Query.verifyPresence",
  "Query.presenceChallengeInfo",
  "Query.verifyMembership",
  "Query.indexingStatus",
] as const;

/** Marks a response the plugin answered from the cache (set by @graphql-yoga/plugin-response-cache). */
const SERVED_FROM_CACHE = Symbol.for("servedFromResponseCache");

export interface ResponseCache {
  /** The mirror as read for `request`'s key, if it was: the request's context reuses that read. */
  mirrorReadFor(request: Request): Promise<MirrorSnapshot> | undefined;
  /** The yoga plugin; place it after the query limits and before the request timeout. */
  plugin: Plugin;
}

/**
 * Creates the response cache of one app: it drops its entries on each commit notice of `services.bus`.
 *
 * @example
 * const cache = createResponseCache({ services, maxEntries: 1000 });
 * createYoga({ context: ({ request }) => createContext(services, { requestId, mirror: cache.mirrorReadFor(request) }),
 *   plugins: [cache.plugin] });
 */
export function createResponseCache({
  services,
  maxEntries,
}: {
  services: Pick<AppServices, "readMirrorState" | "bus" | "clock" | "metrics">;
  maxEntries: number;
}): ResponseCache {
  const mirrors = new WeakMap<Request, Promise<MirrorSnapshot>>();
  const mirrorOf = (request: Request) => {
    let mirror = mirrors.get(request);
    if (!mirror) {
      mirror = services.readMirrorState();
      mirrors.set(request, mirror);
    }
    return mirror;
  };
  /** Requests whose mirror could not be read: they bypass the cache, and their resolvers read it again
   * (and fail, if they do, as they would without the cache: masked, with the field's path). */
  const bypassing = new WeakSet<Request>();
  const revisionOf = async (request: Request) => {
    try {
      const { revision } = await mirrorOf(request);
      store.sawRevision(revision);
      return revision;
    } catch {
      mirrors.delete(request);
      bypassing.add(request);
      return undefined;
    }
  };
  const store = createRevisionStore({ maxEntries, clock: services.clock });
  services.bus.subscribe(() => store.dropAll());
  const keyOf = async ({
    documentString,
    operationName,
    variableValues,
    request,
  }: {
    documentString: string;
    operationName?: string | null | undefined;
    variableValues?: unknown;
    request: Request;
  }) => {
    const revision = await revisionOf(request);
    const hash = createHash("sha256")
      .update(JSON.stringify([documentString, operationName ?? null, variableValues ?? null]))
      .digest("hex");
    return `${revision}:${hash}`;
  };
  const yogaPlugin = useYogaResponseCache({
    session: () => null,
    enabled: (request) => !bypassing.has(request),
    cache: store.cache,
    buildResponseCacheKey: keyOf,
    // Left on: turned off, the plugin would cache mutations' results like queries'. (Our one mutation,
    // presenceChallenge, returns no cached type, so it invalidates nothing.)
    invalidateViaMutation: true,
    includeExtensionMetadata: false,
    ttlPerSchemaCoordinate: Object.fromEntries(UNCACHED_FIELDS.map((field) => [field, 0])),
    onTtl: ({ ttl, context }) => {
      const now = (context as ApiContext).nowRead();
      if (now === undefined) return ttl;
      // Until the next second by the app's clock; 0 (not cached) when that has already come.
      return Math.min(ttl, Math.max(0, (now + 1) * 1000 - services.clock()));
    },
  });
  const { metrics } = services;
  const plugin: Plugin = {
    onPluginInit({ addPlugin }) {
      addPlugin(yogaPlugin);
    },
    // A conditional request (If-None-Match: an earlier response's ETag) is answered 304 when its key is
    // still stored: reading the revision first lets the store refuse a key of an older one.
    async onRequest({ request }) {
      if (request.headers.has("if-none-match")) await revisionOf(request);
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
  return { mirrorReadFor: (request) => mirrors.get(request), plugin };
}

function countLookup(metrics: Pick<ApiMetrics, "responseCache">, result: "hit" | "miss") {
  metrics.responseCache.inc({ result });
}

/**
 * The plugin's in-memory LRU, which keys carry the mirror's revision (`<revision>:<hash>`), made to
 * refuse entries of a revision older than one it has seen, and entries past the end of their second
 * (a finite ttl, measured by the app's clock, which tests move). dropAll replaces the LRU.
 */
function createRevisionStore({ maxEntries, clock }: { maxEntries: number; clock: () => number }) {
  let entries = createInMemoryCache({ max: maxEntries });
  let newestRevision = 0;
  const expiries = new WeakMap<object, number>();
  const revisionOf = (key: string) => Number(key.slice(0, key.indexOf(":")));
  const cache: Cache = {
    get(key) {
      if (!(revisionOf(key) >= newestRevision)) return null;
      const result = entries.get(key) as Awaited<ReturnType<Cache["get"]>>;
      if (!result) return null;
      const expiry = expiries.get(result);
      return expiry !== undefined && clock() >= expiry ? null : result;
    },
    set(key, result, entities, ttl) {
      if (Number.isFinite(ttl)) expiries.set(result, clock() + ttl);
      return entries.set(key, result, entities, ttl);
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
    dropAll() {
      entries = createInMemoryCache({ max: maxEntries });
    },
  };
}

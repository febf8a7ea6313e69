// What every resolver gets: the app's services (built once) and the request's own state (built per
// request): its id and logger, its DataLoaders, and one reading of the mirror's checkpoint and of the
// clock, so every field of a response describes the same moment.
import { type SQL, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { PublicClient } from "viem";
import type { Manifest } from "../contracts/manifest.ts";
import type { Database } from "../indexer/store/db.ts";
import type { CommitBus } from "./createCommitBus.ts";
import { toSeconds } from "./domain/time.ts";
import type { LatestBlock, MembershipReads } from "./membershipReads.ts";
import type { ApiMetrics } from "./metrics.ts";
import { mirrorStateJson } from "./modules/core/statements.ts";
import type { LoaderDeps, Loaders, Statements } from "./modules/defineModule.ts";
import type { PresenceService } from "./modules/presence/service.ts";
import { readAfterAsking } from "./readAfterAsking.ts";

/** The chain's head as the app knows it (a cached value: reads never call the chain). */
export interface ChainHead {
  blockNumber: number;
}

/** Services shared by every request of one app. */
export interface AppServices {
  db: Database;
  statements: Statements;
  /** The mirror's checkpoint and revision, read afresh (createMirrorStateReader). */
  readMirrorState: () => Promise<MirrorSnapshot>;
  /** Builds a request's loaders: every module's (api/modules/index.ts). */
  createLoaders: (deps: LoaderDeps) => Loaders;
  manifest: Manifest;
  /** For verifyMembership's live check: the only chain call a request makes. */
  publicClient: PublicClient | undefined;
  /** verifyMembership's chain answers, kept per block. */
  membershipReads: MembershipReads;
  bus: CommitBus;
  /** The chain's head, for /ready and indexingStatus; null when not known yet. */
  head: () => Promise<ChainHead | null>;
  metrics: ApiMetrics;
  logger: Logger;
  /** Milliseconds since the epoch; injectable so tests control "now". */
  clock: () => number;
  readyMaxLagBlocks: number;
  /** The firm's display name. */
  firmName: string;
  /** Proof of presence: its challenge store, its limit on issuing and the origin proofs name. */
  presence: PresenceService;
}

/** The mirror's progress, read once per request. */
export interface MirrorSnapshot {
  startBlock: number;
  /** The last block whose events are in the mirror; null before the first range. */
  checkpointBlock: number | null;
  checkpointTimestamp: number | null;
  /** Blocks at or below this are final (the indexer pruned their undo data). */
  prunedThrough: number | null;
  /** Bumped by every write of the indexer (a range, a rollback, a prune): equal revisions, equal mirror. */
  revision: number;
}

/** A resolved time-travel point: the block read and its time. */
export interface AsOfPoint {
  block: number;
  timestamp: number;
}

export interface ApiContext extends AppServices {
  requestId: string;
  /** The client's address (express's req.ip, behind TRUST_PROXY hops): per-client limits count it. */
  client: string;
  /** The logger with this request's id. */
  log: Logger;
  /** The request's DataLoaders; the same object for the whole request, whatever refresh() does. */
  readonly loaders: Loaders;
  /**
   * Starts afresh: empty loader caches and a new reading of the mirror (a subscription, per event).
   * It works on any copy of the context, since graphql-yoga gives resolvers one.
   */
  refresh(): void;
  mirror(): Promise<MirrorSnapshot>;
  /**
   * The chain's latest block for this request, read once (verifyMembership): the response cache's
   * key read it first when the document can select that field, so the answer is the key's block.
   */
  latestBlock(client: PublicClient): Promise<LatestBlock>;
  /**
   * "Now" for time-dependent values: the later of the server's clock and the mirror's checkpoint
   * time, so a chain whose clock runs ahead of the wall (a dev chain after evm_increaseTime) is not
   * read in its own past.
   */
  now(): Promise<number>;
  /** The `now` this request has read through now() or timeAt(), or undefined while it has not: a
   * response that read it holds only for that second (the response cache, plugins/useResponseCache.ts). */
  nowRead(): number | undefined;
  /** The time a field is read at: its `at`, else the asOf point's time, else now. */
  timeAt(at: number | null | undefined, asOf?: AsOfPoint | null): Promise<number>;
  /**
   * timeAt for a field that knows how long its answer at "now" holds: `holdsUntil(t)` is the first
   * time (unix seconds, Infinity for never) its answer at `t` may differ. Read at now, the response
   * then holds until the earliest such time rather than for the second only (unless another field
   * read now without saying).
   */
  timeHolding(
    at: number | null | undefined,
    asOf: AsOfPoint | null | undefined,
    holdsUntil: (t: number) => number,
  ): Promise<number>;
  /** The earliest time a timeHolding field's answer at now may differ; undefined when none read now. */
  nowHoldsUntil(): number | undefined;
  /**
   * Runs a statement that reads the mirror's checkpoint in its own round trip: `select` must select
   * `reading.mirror` as its column `mirror`, and may compare with `reading.now`. When the request has
   * not read the mirror yet, mirror() and now() then answer from that statement (no query of their
   * own); when it has, `reading.mirror` is null and `reading.now` is the request's "now".
   */
  withMirrorReading<Row extends { mirror: unknown }>(
    select: (reading: MirrorReading) => Promise<Row>,
  ): Promise<Row>;
}

/**
 * SQL a statement selects to read the mirror along with its rows (ApiContext.withMirrorReading). Its
 * values are placeholders, bound when the statement runs: a statement built once serves every request
 * (core/prefetch.ts).
 */
export interface MirrorReading {
  /** The mirror state as jsonb (core/statements.ts mirrorStateJson), or null when already read. */
  mirror: SQL;
  /** Unix seconds: the later of the clock and the checkpoint's time, as now() answers. Reading it
   * makes the response depend on the second. */
  now: SQL;
  /** Which SQL `mirror` and `now` are: the statement reads the mirror, or it was read before. */
  kind: "unread" | "read";
  /** The values of their placeholders. */
  values: Record<string, unknown>;
}

/** The placeholders of a MirrorReading's SQL. */
const READING = {
  chainId: sql.placeholder("reading.chainId"),
  clock: sql.placeholder("reading.clock"),
  now: sql.placeholder("reading.now"),
};

/**
 * Builds the context of one request.
 *
 * @example
 * const context = createContext(services, { requestId: "r-1", client: "203.0.113.7" });
 * await context.loaders.memberByAddress.load("0xab…");
 */
export function createContext(
  services: AppServices,
  {
    requestId,
    client = "unknown",
    mirror: initialMirror,
    latestBlock: initialLatestBlock,
  }: {
    requestId: string;
    client?: string;
    /** The mirror as already read for this request (the response cache's key reads it first). */
    mirror?: Promise<MirrorSnapshot> | undefined;
    /** The chain's latest block as already read for this request (likewise, for verifyMembership). */
    latestBlock?: Promise<LatestBlock> | undefined;
  },
): ApiContext {
  const deps = {
    db: services.db,
    statements: services.statements,
    metrics: services.metrics,
    chainId: services.manifest.chainId,
  };
  // The request's mutable state lives in these variables, not in the context's properties: graphql-yoga
  // hands resolvers a copy of the context, so a property refresh() replaced on this object would go
  // unseen by a subscription's resolvers, which would keep serving the rows cached for its first event.
  let loaders = services.createLoaders(deps);
  let mirror: Promise<MirrorSnapshot> | undefined = initialMirror;
  let latestBlock: Promise<LatestBlock> | undefined = initialLatestBlock;
  let now: Promise<number> | undefined;
  let nowValue: number | undefined;
  /** Whether a field read now without saying how long its answer holds. */
  let nowReadForTheSecond = false;
  let holdsUntil: number | undefined;
  /** "Now" as of `clock` (unix seconds) and a reading of the mirror: the later of the clock and the
   * checkpoint's time. The one place now is computed, whichever statement read the mirror. */
  const nowAfter = (reading: Promise<MirrorSnapshot>, clock: number) =>
    reading.then((m) => {
      nowValue = Math.max(clock, m.checkpointTimestamp ?? 0);
      return nowValue;
    });
  /** Now, without saying that the response depends on it (that is each reader's to say). */
  const readNow = () => {
    now ??= nowAfter(context.mirror(), toSeconds(services.clock()));
    return now;
  };
  const context: ApiContext = {
    ...services,
    requestId,
    client,
    log: services.logger.child({ requestId }),
    loaders: new Proxy(loaders, { get: (_initial, name) => Reflect.get(loaders, name) }),
    refresh() {
      loaders = services.createLoaders(deps);
      mirror = undefined;
      latestBlock = undefined;
      now = undefined;
      nowValue = undefined;
      nowReadForTheSecond = false;
      holdsUntil = undefined;
    },
    mirror() {
      mirror ??= services.readMirrorState();
      return mirror;
    },
    latestBlock(client) {
      latestBlock ??= services.membershipReads.latest(client);
      return latestBlock;
    },
    now() {
      nowReadForTheSecond = true;
      return readNow();
    },
    nowRead: () => (nowReadForTheSecond ? nowValue : undefined),
    async timeAt(at, asOf) {
      if (at !== null && at !== undefined) return at;
      if (asOf) return asOf.timestamp;
      return context.now();
    },
    async timeHolding(at, asOf, until) {
      if (at !== null && at !== undefined) return at;
      if (asOf) return asOf.timestamp;
      const t = await readNow();
      holdsUntil = Math.min(holdsUntil ?? Number.POSITIVE_INFINITY, until(t));
      return t;
    },
    nowHoldsUntil: () => holdsUntil,
    async withMirrorReading(select) {
      // `reading.now` makes the response depend on the second only if the statement uses it.
      const reading = (
        kind: MirrorReading["kind"],
        mirrorSql: SQL,
        nowSql: SQL,
        values: Record<string, unknown>,
      ): MirrorReading => ({
        kind,
        mirror: mirrorSql,
        get now() {
          nowReadForTheSecond = true;
          return nowSql;
        },
        values,
      });
      if (mirror) {
        const known = await readNow();
        return select(reading("read", sql`null`, sql`${READING.now}::bigint`, { [READING.now.name]: known }));
      }
      const clock = toSeconds(services.clock());
      const state = mirrorStateJson(services.db, READING.chainId);
      const rows = select(
        reading(
          "unread",
          state,
          sql`greatest(${READING.clock}::bigint, coalesce((${state}->>'timestamp')::bigint, 0))`,
          { [READING.chainId.name]: services.manifest.chainId, [READING.clock.name]: clock },
        ),
      );
      // Set before the statement answers, so a field asking meanwhile waits for this reading, not another.
      mirror = rows.then((row) => snapshotOf(mirrorRowFromJson(row.mirror), services.manifest));
      now = nowAfter(mirror, clock);
      // A failed statement fails the caller; these copies of it must not also count as unhandled.
      mirror.catch(() => undefined);
      now.catch(() => undefined);
      return rows;
    },
  };
  return context;
}

/**
 * The app's reader of the mirror's checkpoint and its time (one prepared query). On a PostgreSQL
 * server, concurrent requests share reads that started after they asked (readAfterAsking.ts): a
 * response-cache hit then costs no round trip of its own. Not on PGlite: it runs in this process and
 * executes one statement at a time, so a shared read waits behind the other requests' statements,
 * and sharing cost more than it saved (A/B at 2,000 members: `member` 308 against 383 requests/s,
 * PostgreSQL 1,685 against 1,395).
 *
 * @example
 * const readMirrorState = createMirrorStateReader({ db, statements, manifest });
 * const { checkpointBlock, revision } = await readMirrorState();
 */
export function createMirrorStateReader({
  db,
  statements,
  manifest,
}: Pick<AppServices, "db" | "statements" | "manifest">): () => Promise<MirrorSnapshot> {
  const readOnce = async () => {
    const [row] = await statements.mirrorState.execute({ chainId: manifest.chainId });
    return snapshotOf(row, manifest);
  };
  return db.driver === "pglite" ? readOnce : readAfterAsking(readOnce);
}

type MirrorStateRow = Pick<
  MirrorSnapshot,
  "checkpointBlock" | "checkpointTimestamp" | "prunedThrough" | "revision"
> & {
  startBlock: number;
};

function snapshotOf(row: MirrorStateRow | undefined, manifest: Manifest): MirrorSnapshot {
  return {
    startBlock: row?.startBlock ?? manifest.startBlock,
    checkpointBlock: row?.checkpointBlock ?? null,
    checkpointTimestamp: row?.checkpointTimestamp ?? null,
    prunedThrough: row?.prunedThrough ?? null,
    revision: row?.revision ?? 0,
  };
}

/** The mirror state as mirrorStateJson selects it (null: no state yet), as the prepared statement's row. */
function mirrorRowFromJson(json: unknown): MirrorStateRow | undefined {
  if (json === null || json === undefined) return undefined;
  const raw = json as Record<string, number | null>;
  const number = (value: number | null | undefined) =>
    value === null || value === undefined ? null : Number(value);
  return {
    startBlock: Number(raw.start_block),
    checkpointBlock: number(raw.checkpoint_block),
    checkpointTimestamp: number(raw.timestamp),
    prunedThrough: number(raw.pruned_through),
    revision: Number(raw.revision ?? 0),
  };
}

// Notifications as the indexer produces them, on the firm's real contracts and the real store:
// - every announced chain event of the scenario has exactly one notification, in the range's own
//   transaction, fanned out to the endpoints subscribed to its kind;
// - the scheduler fires a vote's outcome, the 24-hour reminder (naming who has not voted) and a
//   leave's start and end on chain time, once each, across store restarts and any range split;
// - a reorg retracts what had reached an endpoint with a correction, forgets what had not, re-arms
//   the schedule, and the new chain's news comes with new ids.
import { sql } from "drizzle-orm";
import { network } from "hardhat";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../kernel/logger.ts";
import { deployFirm, type Firm } from "../../scripts/devFirm/deployFirm.ts";
import { impersonateGovernance } from "../../test/support/firm.ts";
import { firmDriver } from "../integration/support/firmTransactions.ts";
import { createDatabase, type Database, migrateDatabase } from "../store/db.ts";
import { queryRows } from "../store/sql.ts";
import { createStore } from "../store/store.ts";
import type { Store } from "../store/types.ts";
import { type FirmScenario, readBlockRange, runFirmScenario, splitBlocks } from "../testing/firmScenario.ts";
import {
  openTestDatabase,
  resetDatabase,
  TEST_BACKENDS,
  type TestDatabase,
} from "../testing/testDatabase.ts";
import {
  FAST_WEBHOOK_CONFIG,
  SECRET,
  startWebhookReceiver,
  type WebhookReceiver,
} from "../testing/webhookReceiver.ts";
import { addWebhookEndpoint } from "./addWebhookEndpoint.ts";
import { REMINDER_BEFORE_END_SECONDS } from "./announceEvents.ts";
import { createDeliveryWorker, type DeliveryWorker } from "./deliveryWorker.ts";
import { RETRACTION_SUFFIX } from "./retractNotifications.ts";

const connection = await network.connect();
/** Run once, for both backends. */
let scenario: FirmScenario;
afterAll(async () => {
  await connection.close();
});

interface NotificationRow extends Record<string, unknown> {
  event_id: string;
  kind: string;
  payload: Record<string, unknown>;
  block_number: string | number | null;
  retracted_at: unknown;
  retracts: string | null;
}

const readNotifications = (db: Database) =>
  queryRows<NotificationRow>(
    db,
    sql`SELECT event_id, kind, payload, block_number, retracted_at, retracts FROM notifications ORDER BY event_id`,
  );

const deliveriesOf = (db: Database, endpointId: number) =>
  queryRows<{ event_id: string; state: string; attempts: number }>(
    db,
    sql`SELECT event_id, state, attempts FROM webhook_deliveries WHERE endpoint_id = ${endpointId} ORDER BY event_id`,
  );

const countEvents = async (db: Database, eventName: string, where = sql``) => {
  const [row] = await queryRows<{ count: number }>(
    db,
    sql`SELECT count(*)::int AS count FROM raw_events WHERE event_name = ${eventName} ${where}`,
  );
  return row?.count ?? 0;
};

/**
 * What a notification is about, whatever the range that fired it: its kind and subject. Facts that
 * change later (a leave's end moved forward) are as they stood when it fired, so they are left out.
 */
const SUBJECT_FIELDS = ["proposalId", "leaveId", "grantId", "member", "distributionId", "poolId"];
const aboutOf = (row: NotificationRow) =>
  `${row.kind}:${SUBJECT_FIELDS.map((field) => row.payload[field] ?? "").join(":")}`;

describe.each(TEST_BACKENDS)("notifications from the scenario on %s", (backend) => {
  let database: TestDatabase;
  let oneRange: NotificationRow[];
  let proposalsOnly: number;
  let everything: number;

  const indexAll = async (ranges: [bigint, bigint][], { restartEachRange = false } = {}) => {
    const open = () =>
      createStore({ db: database.db, chainId: scenario.manifest.chainId, manifest: scenario.manifest });
    let store = await open();
    for (const [from, to] of ranges) {
      await store.applyRange(await readBlockRange(scenario.publicClient, scenario.manifest, from, to));
      if (restartEachRange) {
        await store.close();
        store = await open();
      }
    }
    await store.close();
  };
  const fresh = async ({ withCatchAll = true } = {}) => {
    await resetDatabase(database.db);
    proposalsOnly = (
      await addWebhookEndpoint(database.db, {
        url: "http://127.0.0.1:9/proposals",
        events: ["proposal.created", "proposal.succeeded"],
        format: "slack",
        allowPrivate: true,
      })
    ).id;
    if (!withCatchAll) return;
    everything = (
      await addWebhookEndpoint(database.db, {
        url: "http://127.0.0.1:9/all",
        events: ["*"],
        format: "raw",
        allowPrivate: true,
      })
    ).id;
  };

  beforeAll(async () => {
    scenario ??= await runFirmScenario(connection);
    database = await openTestDatabase(backend);
    await migrateDatabase(database.db);
    await fresh();
    await indexAll([[BigInt(scenario.manifest.startBlock), scenario.lastBlock]]);
    oneRange = await readNotifications(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("announces each listed chain event once, and nothing twice", async () => {
    const db = database.db;
    const count = (kind: string) => oneRange.filter((row) => row.kind === kind).length;
    expect(count("proposal.created")).toBe(await countEvents(db, "ProposalCreated"));
    expect(count("proposal.queued")).toBe(await countEvents(db, "ProposalQueued"));
    expect(count("proposal.executed")).toBe(await countEvents(db, "ProposalExecuted"));
    expect(count("member.admitted")).toBe(await countEvents(db, "MemberAdmitted"));
    expect(count("cover.accepted")).toBe(await countEvents(db, "CoverAccepted"));
    expect(count("distribution.created")).toBe(
      (await countEvents(db, "DistributionCreated")) + (await countEvents(db, "PoolCreated")),
    );
    // MemberStatus: 3 Retired, 4 Removed.
    const statusIs = (n: number) => sql`AND args->>'newStatus' = ${String(n)}`;
    expect(count("member.retired")).toBe(await countEvents(db, "MemberStatusChanged", statusIs(3)));
    expect(count("member.removed")).toBe(await countEvents(db, "MemberStatusChanged", statusIs(4)));
    expect(count("member.retired")).toBeGreaterThan(0);
    expect(new Set(oneRange.map((row) => row.event_id)).size).toBe(oneRange.length);
  });

  it("fires each finished vote's outcome on chain time: succeeded, defeated, nothing for canceled or open", () => {
    const outcomeOf = (id: bigint) =>
      oneRange
        .filter((row) => row.payload.proposalId === id.toString())
        .map((row) => row.kind)
        .filter((kind) => kind === "proposal.succeeded" || kind === "proposal.defeated");
    expect(outcomeOf(scenario.proposals.practice.id)).toEqual(["proposal.succeeded"]);
    expect(outcomeOf(scenario.proposals.defeated.id)).toEqual(["proposal.defeated"]);
    expect(outcomeOf(scenario.proposals.canceled.id)).toEqual([]);
    expect(outcomeOf(scenario.proposals.active.id)).toEqual([]);
  });

  it("fans out to the endpoints subscribed to each kind, in the same transaction", async () => {
    const subscribed = oneRange.filter((row) =>
      ["proposal.created", "proposal.succeeded"].includes(row.kind),
    );
    expect((await deliveriesOf(database.db, proposalsOnly)).map((d) => d.event_id)).toEqual(
      subscribed.map((row) => row.event_id),
    );
    const all = await deliveriesOf(database.db, everything);
    expect(all.map((d) => d.event_id)).toEqual(oneRange.map((row) => row.event_id));
    expect(all.every((d) => d.state === "pending" && d.attempts === 0)).toBe(true);
  });

  it("announces the same news whatever the range split, with a store restarted after every range", async () => {
    await fresh();
    const ranges = splitBlocks(BigInt(scenario.manifest.startBlock), scenario.lastBlock, 9);
    await indexAll(ranges, { restartEachRange: true });
    const split = await readNotifications(database.db);
    // Chain events keep their ids (block, hash, log); a scheduled one is recorded by the block that
    // reached its time, which depends on the split, and a reminder only fires if a range ends inside
    // its last day: compare what they are about.
    const chainEvents = (rows: NotificationRow[]) =>
      rows.filter((row) => /_\d+_[a-z.]+$/.test(row.event_id)).map((row) => row.event_id);
    expect(chainEvents(split)).toEqual(chainEvents(oneRange));
    const notReminders = (rows: NotificationRow[]) =>
      rows
        .filter((row) => row.kind !== "proposal.voting_ends_soon")
        .map(aboutOf)
        .sort();
    expect(notReminders(split)).toEqual(notReminders(oneRange));
  });

  it("builds only the kinds some endpoint subscribes to, and nothing when none does", async () => {
    await fresh({ withCatchAll: false });
    await indexAll([[BigInt(scenario.manifest.startBlock), scenario.lastBlock]]);
    const kinds = new Set((await readNotifications(database.db)).map((row) => row.kind));
    expect([...kinds].sort()).toEqual(["proposal.created", "proposal.succeeded"]);

    await resetDatabase(database.db);
    await indexAll([[BigInt(scenario.manifest.startBlock), scenario.lastBlock]]);
    expect(await readNotifications(database.db)).toEqual([]);
    // What came due meanwhile is marked fired: a later subscriber is not sent stale news.
    const [waiting] = await queryRows<{ count: number }>(
      database.db,
      sql`SELECT count(*)::int AS count FROM notification_schedule s
          JOIN blocks b ON b.number = ${Number(scenario.lastBlock)}
          WHERE s.fired_block IS NULL AND s.due_at <= b.timestamp`,
    );
    expect(waiting?.count).toBe(0);
  });

  it("a backfill older than the horizon announces nothing, but still keeps the schedule", async () => {
    await fresh();
    const last = await scenario.publicClient.getBlock({ blockNumber: scenario.lastBlock });
    const store = await createStore({
      db: database.db,
      chainId: scenario.manifest.chainId,
      manifest: scenario.manifest,
      // The horizon ends after the last block: every event is older than it.
      notificationHorizonSeconds: Math.floor(Date.now() / 1000) - Number(last.timestamp) - 1,
    });
    await store.applyRange(
      await readBlockRange(
        scenario.publicClient,
        scenario.manifest,
        BigInt(scenario.manifest.startBlock),
        scenario.lastBlock,
      ),
    );
    await store.close();
    expect(await readNotifications(database.db)).toEqual([]);
    const [schedule] = await queryRows<{ count: number }>(
      database.db,
      sql`SELECT count(*)::int AS count FROM notification_schedule`,
    );
    expect(schedule?.count).toBeGreaterThan(0);
  });
});

describe("the schedule, and a reorg heard by a real receiver (PGlite)", () => {
  let firm: Firm;
  let db: Database;
  let store: Store;
  let endpoint: number;
  let receiver: WebhookReceiver;
  let worker: DeliveryWorker;
  let next: bigint;
  /** Runs the worker until nothing is due (bounded, so a bug fails rather than hangs). */
  const deliverAll = async () => {
    for (let round = 0; round < 20; round++) if ((await worker.runOnce()).claimed === 0) return;
    throw new Error("deliveries still due after 20 rounds");
  };
  const request = <T>(method: string, params: unknown[] = []) =>
    connection.provider.request({ method, params }) as Promise<T>;
  const head = async () => BigInt(await request<Hex>("eth_blockNumber"));
  /** Indexes from the checkpoint to the chain's head, as one range. */
  const catchUp = async () => {
    const to = await head();
    await store.applyRange(await readBlockRange(firm.publicClient, firm.manifest, next, to));
    next = to + 1n;
  };
  /** Moves the chain's time to at least `timestamp` with a new block (Hardhat may keep time across a revert). */
  const reach = async (timestamp: number) => {
    const { timestamp: now } = await firm.publicClient.getBlock();
    if (Number(now) < timestamp) await firm.networkHelpers.time.increaseTo(timestamp);
    else await firm.networkHelpers.mine(1);
  };
  const latest = async (kind: string) => {
    const rows = (await readNotifications(db)).filter(
      (row) => row.kind === kind && row.retracted_at === null,
    );
    return rows.sort((a, b) => Number(a.block_number) - Number(b.block_number)).at(-1);
  };

  beforeAll(async () => {
    firm = await deployFirm(connection);
    db = await createDatabase({ dataDir: "memory://" });
    await migrateDatabase(db);
    receiver = await startWebhookReceiver(SECRET);
    endpoint = (
      await addWebhookEndpoint(db, {
        url: receiver.url,
        events: ["*"],
        format: "raw",
        secret: SECRET,
        allowPrivate: true,
      })
    ).id;
    worker = createDeliveryWorker({
      db,
      config: FAST_WEBHOOK_CONFIG,
      logger: createLogger({ level: "silent" }),
    });

    store = await createStore({ db, chainId: firm.manifest.chainId, manifest: firm.manifest });
    next = BigInt(firm.manifest.startBlock);
    await catchUp();
  });
  afterAll(async () => {
    await store?.close();
    await receiver?.close();
    await db?.close();
  });

  it("reminds 24 hours before the end, naming exactly the partners who have not voted", async () => {
    const timelock = await impersonateGovernance(firm);
    const driver = firmDriver(firm, timelock);
    await driver.mineBlock([{ kind: "propose", by: 0, units: 10 }]);
    const proposalId = driver.proposalIds.at(-1) as bigint;
    await firm.networkHelpers.time.increase(5);
    await firm.governor.write.castVote([proposalId, 1], { account: firm.founders[1] });
    await catchUp();
    expect(await latest("proposal.voting_ends_soon")).toBeUndefined();

    const voteEnd = Number(await firm.governor.read.proposalDeadline([proposalId]));
    await firm.networkHelpers.time.increaseTo(voteEnd - REMINDER_BEFORE_END_SECONDS + 10);
    await catchUp();
    const reminder = await latest("proposal.voting_ends_soon");
    expect(reminder?.payload.proposalId).toBe(proposalId.toString());
    const founders = firm.founders.map((f) => f.toLowerCase());
    const notVoted = ((reminder?.payload.notVoted ?? []) as string[]).map((a) => a.toLowerCase());
    expect(notVoted).toEqual(founders.filter((_, i) => i !== 1));
    // Fired once: the next ranges find it marked.
    await firm.networkHelpers.mine(1);
    await catchUp();
    const reminders = (await readNotifications(db)).filter((row) => row.kind === "proposal.voting_ends_soon");
    expect(reminders).toHaveLength(1);
  });

  it("retracts what a removed block announced to an endpoint, forgets what it had not sent, re-arms the schedule", async () => {
    const timelock = await impersonateGovernance(firm);
    const driver = firmDriver(firm, timelock);
    // A vote of its own, whose end will fall in a removed block.
    await driver.mineBlock([{ kind: "propose", by: 2, units: 7 }]);
    const proposalId = String(driver.proposalIds.at(-1));
    await catchUp();
    const ancestor = await head();
    const snapshot = await request<Hex>("evm_snapshot");

    // Block A1: an admission the receiver got, signed.
    await driver.mineBlock([{ kind: "admit", units: 3 }]);
    await catchUp();
    const sent = await latest("member.admitted");
    await deliverAll();
    expect(receiver.received.find((r) => r.id === sent?.event_id)?.verified).toBe(true);
    // Block A2, past the vote's end: another admission and the outcome, neither sent yet.
    const voteEnd = Number(await firm.governor.read.proposalDeadline([BigInt(proposalId)]));
    await reach(voteEnd + 5);
    await driver.mineBlock([{ kind: "admit", units: 4 }]);
    await catchUp();
    const unsent = await latest("member.admitted");
    const outcome = (await readNotifications(db)).find(
      (row) => row.kind === "proposal.defeated" && row.payload.proposalId === proposalId,
    );
    expect(unsent?.event_id).not.toBe(sent?.event_id);
    expect(outcome?.payload.proposalId).toBe(proposalId);

    // The reorg: back to the ancestor, and a different block on top of it.
    await request("evm_revert", [snapshot]);
    await driver.mineBlock([{ kind: "admit", units: 5 }]);
    await store.rollbackTo(ancestor);
    next = ancestor + 1n;

    const rows = await readNotifications(db);
    const byId = new Map(rows.map((row) => [row.event_id, row]));
    expect(byId.get(sent?.event_id as string)?.retracted_at).not.toBeNull();
    const correction = byId.get(`${sent?.event_id}${RETRACTION_SUFFIX}`);
    expect(correction?.kind).toBe("notification.retracted");
    expect(correction?.retracts).toBe(sent?.event_id);
    expect(correction?.payload.retractedKind).toBe("member.admitted");
    expect(byId.has(unsent?.event_id as string)).toBe(false);
    expect(byId.has(outcome?.event_id as string)).toBe(false);
    const deliveries = await deliveriesOf(db, endpoint);
    expect(deliveries.find((d) => d.event_id === correction?.event_id)?.state).toBe("pending");
    expect(deliveries.some((d) => d.event_id === unsent?.event_id)).toBe(false);
    const [rearmed] = await queryRows<{ fired_block: unknown }>(
      db,
      sql`SELECT fired_block FROM notification_schedule WHERE kind = 'proposal.outcome' AND subject = ${proposalId}`,
    );
    expect(rearmed?.fired_block).toBeNull();

    // The receiver hears the correction, signed, and never the news that had not left.
    await deliverAll();
    const heard = receiver.received.find((r) => r.id === correction?.event_id);
    expect(heard?.verified).toBe(true);
    expect(JSON.parse(heard?.body ?? "{}")).toMatchObject({
      type: "notification.retracted",
      data: { retractedEventId: sent?.event_id, retractedKind: "member.admitted", reason: "reorg" },
    });
    expect(receiver.received.some((r) => r.id === unsent?.event_id || r.id === outcome?.event_id)).toBe(
      false,
    );

    // The new chain's admission: its own id (another block hash), sent like any other.
    await catchUp();
    const replacement = await latest("member.admitted");
    expect(replacement?.event_id).not.toBe(sent?.event_id);
    expect(replacement?.retracted_at).toBeNull();
    expect((await deliveriesOf(db, endpoint)).find((d) => d.event_id === replacement?.event_id)?.state).toBe(
      "pending",
    );
    // The vote ends on the new chain too: its outcome fires again, once, with a new id.
    await reach(voteEnd + 5);
    await catchUp();
    const again = (await readNotifications(db)).filter(
      (row) => row.kind === "proposal.defeated" && row.payload.proposalId === proposalId,
    );
    expect(again).toHaveLength(1);
    expect(again[0]?.event_id).not.toBe(outcome?.event_id);
  });
});

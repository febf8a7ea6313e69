// Free text from the chain, end to end: proposal descriptions and ballot reasons are written by
// partners, and reach the mirror's text and jsonb columns (through COPY on PGlite, jsonb parameters on
// PostgreSQL). Whatever a partner types — tabs, newlines, backslashes, quotes, a line holding only
// "\.", emoji, or a NUL character — the indexer must keep following the chain: one partner's odd
// ballot must not stop the mirror for the whole firm.
import { and, eq } from "drizzle-orm";
import { network } from "hardhat";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action } from "../../scripts/devFirm/action.ts";
import { deployFirm, type Firm } from "../../scripts/devFirm/deployFirm.ts";
import { Support } from "../../scripts/devFirm/enums.ts";
import type { Proposal } from "../../scripts/devFirm/governance.ts";
import * as schema from "../store/schema.ts";
import { postgresAvailable } from "../testing/postgres.ts";
import { mineBlocks } from "./support/firmActivity.ts";
import { type RunningIndexer, startIndexer } from "./support/indexer.ts";
import {
  type Backend,
  expectMirrorOfChain,
  type Mirror,
  openMirrorOn,
  waitForChainHead,
} from "./support/mirror.ts";
import { type RpcBridge, serveProvider } from "./support/rpcBridge.ts";

const hasPostgres = await postgresAvailable();
const connection = await network.connect();
let firm: Firm;
let bridge: RpcBridge;
let proposal: Proposal;

/** Everything COPY's text format and JSON escape, and that a careless writer would mangle. */
const TRICKY = 'Tab\there, "quotes", back\\slash, \\N, CR\r\nand a line with only\n\\.\nend 🚀 — ünïcödé';
const DESCRIPTION = `# Tricky title\t✓\n\n${TRICKY}`;

beforeAll(async () => {
  firm = await deployFirm(connection);
  const [p1, p2, p3] = firm.founders as Address[];
  proposal = await firm.governance.propose(
    [action(firm.partnership, "createGrant", [p2!, { units: 1n, start: 0, cliff: 0, duration: 1 }])],
    DESCRIPTION,
    p1!,
  );
  await firm.governance.startVoting();
  await send(firm.governor.write.castVoteWithReason([proposal.id, Support.For, TRICKY], { account: p3! }));
  await mineBlocks(connection, 2);
  bridge = await serveProvider(connection.provider);
});
afterAll(async () => {
  await bridge?.close();
  await connection.close();
});

async function send(hash: Promise<Hex>): Promise<void> {
  const receipt = await firm.publicClient.waitForTransactionReceipt({ hash: await hash });
  expect(receipt.status).toBe("success");
}

interface Indexed {
  backend: Backend;
  mirror: Mirror;
  running: RunningIndexer;
}

describe("free text from the chain, on PGlite and on PostgreSQL", () => {
  const backends: Backend[] = hasPostgres ? ["pglite", "postgres"] : ["pglite"];
  const indexed: Indexed[] = [];

  /** Waits until every mirror is at the chain's head; an indexer that stopped fails with its error. */
  async function allAtHead(timeoutMs = 30_000): Promise<void> {
    const results = await Promise.allSettled(
      indexed.map(async ({ backend, mirror, running }) => {
        try {
          await waitForChainHead(
            firm.publicClient,
            () => mirror.store.checkpoint(),
            () => running.indexer.status().phase === "failed",
            timeoutMs,
          );
        } catch (error) {
          const cause = running.indexer.status().phase === "failed" ? await running.outcome : error;
          throw new Error(`${backend}: ${(cause as Error).message.split("\n")[0]}`, { cause });
        }
      }),
    );
    const failures = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
    if (failures.length > 0) throw new Error(failures.join("\n"));
  }

  beforeAll(async () => {
    for (const backend of backends) {
      const mirror = await openMirrorOn(backend, firm.manifest);
      indexed.push({
        backend,
        mirror,
        running: startIndexer({ rpcUrl: bridge.url, store: mirror.store, manifest: firm.manifest }),
      });
    }
    await allAtHead();
  });
  afterAll(async () => {
    for (const { running, mirror } of indexed) {
      await running.stop();
      await mirror.close();
    }
  });

  it("stores descriptions and reasons exactly as written", async () => {
    for (const { backend, mirror } of indexed) {
      const [row] = await mirror.db
        .select()
        .from(schema.proposals)
        .where(eq(schema.proposals.proposalId, proposal.id));
      expect(row?.description, backend).toBe(DESCRIPTION);
      expect(row?.title, backend).toBe("Tricky title\t✓");
      const [ballot] = await mirror.db
        .select()
        .from(schema.votes)
        .where(eq(schema.votes.proposalId, proposal.id));
      expect(ballot?.reason, backend).toBe(TRICKY);
      const [created] = await mirror.db
        .select({ args: schema.rawEvents.args })
        .from(schema.rawEvents)
        .where(eq(schema.rawEvents.eventName, "ProposalCreated"));
      expect(created?.args.description, backend).toBe(DESCRIPTION);
      await expectMirrorOfChain(mirror.db, firm.publicClient, firm.manifest);
    }
  });

  // Last: it adds a block that stops today's indexer.
  it("keeps following when a ballot's reason holds a NUL character", async () => {
    const [, , , p4] = firm.founders as Address[];
    await send(
      firm.governor.write.castVoteWithReason([proposal.id, Support.For, "yes\u0000no"], { account: p4! }),
    );
    await mineBlocks(connection, 1);
    // PostgreSQL text cannot hold U+0000: the mirror may drop or replace it, but must not stop.
    await allAtHead(15_000);
    for (const { backend, mirror, running } of indexed) {
      expect(running.indexer.status().phase, backend).toBe("live");
      const [ballot] = await mirror.db
        .select({ reason: schema.votes.reason })
        .from(schema.votes)
        .where(and(eq(schema.votes.proposalId, proposal.id), eq(schema.votes.voter, p4!.toLowerCase())));
      expect(ballot?.reason.replaceAll("\u0000", "").replaceAll("\uFFFD", ""), backend).toBe("yesno");
      await expectMirrorOfChain(mirror.db, firm.publicClient, firm.manifest);
    }
  });
});

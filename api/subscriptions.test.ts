// Subscriptions over several successive events. A subscription's context lives as long as the
// subscription, so anything it caches for one event can leak into the next; the first event alone
// proves nothing. Each event here is compared with what a query returns at the same moment (before
// the chain moves again), and with the contracts' own view where they have one.
import { network } from "hardhat";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partnershipAbi } from "../contracts/abi.ts";
import { PROPOSAL_STATES } from "../indexer/decode/enums.ts";
import type { FirmScenario } from "../indexer/testing/firmScenario.ts";
import { Governance } from "../scripts/devFirm/governance.ts";
import { DAY } from "../scripts/devFirm/time.ts";
import { data, type Loose, type SseSubscription, subscribe, type TestYoga } from "./testing/client.ts";
import { type ScenarioApp, startScenarioApp } from "./testing/scenarioApp.ts";

const connection = await network.connect();
let app: ScenarioApp;
let scenario: FirmScenario;
let yoga: TestYoga;
let governance: Governance;

const lower = (address: string) => address.toLowerCase() as Address;

beforeAll(async () => {
  app = await startScenarioApp(connection);
  ({ scenario, yoga } = app);
  const governor = await connection.viem.getContractAt("FirmGovernor", scenario.manifest.contracts.governor);
  governance = new Governance(connection, governor, await connection.viem.getPublicClient());
});

afterAll(async () => {
  await app?.close();
  await connection.close();
});

/** Mirrors the blocks the chain gained and tells the subscribers, as the indexer does after a commit. */
async function commit(): Promise<void> {
  if (!(await app.commit())) throw new Error("No new block to mirror");
}

/** Opens `subscriptions`, runs `body` with them, and closes them whatever happens. */
async function withSubscriptions<const T extends readonly Promise<SseSubscription<Loose>>[]>(
  subscriptions: T,
  body: (opened: { -readonly [K in keyof T]: Awaited<T[K]> }) => Promise<void>,
): Promise<void> {
  const opened = await Promise.all(subscriptions);
  try {
    await body(opened);
  } finally {
    await Promise.all(opened.map((subscription) => subscription.close()));
  }
}

/** The next event's data; an event with errors fails the test with them. */
async function nextData(subscription: SseSubscription<Loose>): Promise<Loose> {
  const event = await subscription.next(2_000);
  expect(event.errors).toBeUndefined();
  return event.data;
}

const PROPOSAL = `id state eta queuedAt executedAt
  tally { for { equity headcount } against { equity headcount } abstain { equity headcount } }
  votes { totalCount edges { node { voter support weight headcount } } }`;

describe("subscriptions over several events", () => {
  it("proposalUpdated and voteCast follow a proposal through two votes, queueing and execution", async () => {
    const proposal = scenario.proposals.active;
    const id = proposal.id.toString();
    const [, p2, , p4] = scenario.founders.map(lower) as [Address, Address, Address, Address, Address];
    const current = async () =>
      (await data(yoga, `query($id: String!) { proposal(id: $id) { ${PROPOSAL} } }`, { id })).proposal;
    const chainState = async () => PROPOSAL_STATES[await governance.state(proposal)]!.toUpperCase();

    await withSubscriptions(
      [
        subscribe(yoga, `subscription($id: String!) { proposalUpdated(id: $id) { ${PROPOSAL} } }`, { id }),
        subscribe(
          yoga,
          `subscription($id: String!) { voteCast(proposalId: $id) { voter support weight headcount proposal { ${PROPOSAL} } } }`,
          { id },
        ),
      ],
      async ([updates, votes]) => {
        const seen: { state: string; for: number }[] = [];
        /** The next event of each subscription against a query at the same moment. */
        const expectUpdate = async () => {
          const { proposalUpdated } = await nextData(updates);
          const now = await current();
          expect(proposalUpdated).toEqual(now);
          expect(proposalUpdated.state).toBe(await chainState());
          seen.push({ state: proposalUpdated.state, for: proposalUpdated.tally.for.headcount });
          return now;
        };
        const expectVote = async (voter: Address, now: Loose) => {
          const { voteCast } = await nextData(votes);
          const { proposal: fromVote, ...ballot } = voteCast;
          expect(fromVote).toEqual(now);
          expect(ballot.voter).toBe(voter);
          expect(now.votes.edges.map((edge: Loose) => edge.node)).toContainEqual(ballot);
        };

        for (const voter of [p2, p4]) {
          await governance.vote(proposal, [voter]);
          await commit();
          await expectVote(voter, await expectUpdate());
        }
        await governance.endVoting();
        await governance.queue(proposal);
        await commit();
        await expectUpdate();
        await governance.passTimelock();
        await governance.execute(proposal);
        await commit();
        await expectUpdate();

        // p3's ballot came with the scenario; the two here add one head each.
        expect(seen).toEqual([
          { state: "ACTIVE", for: 2 },
          { state: "ACTIVE", for: 3 },
          { state: "QUEUED", for: 3 },
          { state: "EXECUTED", for: 3 },
        ]);
      },
    );
  });

  it("memberChanged follows a leave, its early end and the next leave", async () => {
    const [, p2, p3, p4] = scenario.founders.map(lower) as [Address, Address, Address, Address, Address];
    const MEMBER = `address status equity { units votes }
      leave { until cover coverAsked coverAcceptedAt coverEndedAt endedEarly }
      leaves { until cover coverAcceptedAt endedEarly }`;
    const current = async () =>
      (await data(yoga, `query($a: String!) { member(address: $a) { ${MEMBER} } }`, { a: p2 })).member;
    const wallets = await connection.viem.getWalletClients();
    const send = async (account: Address, functionName: string, args: unknown[]) => {
      const wallet = wallets.find((w) => lower(w.account.address) === account)!;
      const hash = await wallet.writeContract({
        address: scenario.manifest.contracts.partnership,
        abi: partnershipAbi,
        functionName,
        args,
      } as never);
      const receipt = await scenario.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
      await commit();
    };

    await withSubscriptions(
      [subscribe(yoga, `subscription($a: String!) { memberChanged(address: $a) { ${MEMBER} } }`, { a: p2 })],
      async ([changes]) => {
        const seen: Loose[] = [];
        const expectChange = async () => {
          const { memberChanged } = await nextData(changes);
          expect(memberChanged).toEqual(await current());
          seen.push({ status: memberChanged.status, leave: memberChanged.leave });
        };
        const inAWeek = async () => Number((await scenario.publicClient.getBlock()).timestamp) + 7 * DAY;
        await send(p2, "declareLeave", [await inAWeek(), p4]);
        await expectChange();
        await send(p2, "endLeave", []);
        await expectChange();
        // Past the leave cooldown (10 days since the scenario's rules), a second leave, another cover.
        await connection.networkHelpers.time.increase(11 * DAY);
        await send(p2, "declareLeave", [await inAWeek(), p3]);
        await expectChange();

        expect(seen).toMatchObject([
          { status: "ON_LEAVE", leave: { cover: p4, endedEarly: false } },
          { status: "ACTIVE", leave: null },
          { status: "ON_LEAVE", leave: { cover: p3, endedEarly: false } },
        ]);
      },
    );
  });
});

// The dev stack of `npm start`, started once in this process on free ports: the demo firm it seeds
// through governance, as the API serves it and as the audit checks it against the chain; then
// `npm start` pointed at that chain (RPC_URL + DEPLOYMENT), whose mirror persists between starts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../contracts/manifest.ts";
import { type DevStack, startDevStack } from "../../scripts/start/devStack.ts";
import { freePort, isListening, queryApi, spawnStart, tempFolder } from "./support.ts";

const FIRM_QUERY = `{
  practices(first: 10) { edges { node { slug name status lead
    members(first: 20) { edges { node { account role } } } } } }
  members(first: 20) { totalCount edges { node { address index role status
    leave { cover inForce } grants { id units vestedAt } } } }
  admissions: proposals(where: { kind: ADMIT_MEMBER }) { edges { node { state title } } }
  active: proposals(where: { state: ACTIVE }) { edges { node { id kind title
    tally { for { headcount } } } } }
  distributions { edges { node { amount claimed claims proposal { state } } } }
  indexingStatus { synced lagBlocks indexedBlock headBlock }
}`;

describe("startDevStack", () => {
  const folder = tempFolder("stack");
  let stack: DevStack;
  let firm: Awaited<ReturnType<typeof queryApi>>;
  let lines: string[];

  beforeAll(async () => {
    lines = [];
    stack = await startDevStack({
      rpcPort: 0,
      apiPort: 0,
      dataDir: join(folder, "mirror"),
      manifestPath: join(folder, "deployments", "dev.json"),
      log: (line) => lines.push(line),
    });
    firm = await queryApi(stack.graphqlUrl, FIRM_QUERY);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("reports each stage with its duration, and the time to ready", () => {
    for (const stage of [
      "dev chain serving",
      "contracts deployed",
      "demo firm seeded",
      "seeded firm indexed",
    ])
      expect(lines.some((line) => line.includes(stage) && / s$/.test(line))).toBe(true);
    expect(stack.readyMs).toBeGreaterThan(0);
    expect(stack.stages.map((s) => s.stage)).toContain("mirror created (PGlite, migrated)");
  });

  it("writes the deployment manifest the CLI reads", () => {
    expect(readManifest(stack.manifestPath)).toEqual(stack.manifest);
    expect(stack.manifest).toMatchObject({ name: "dev", chainId: 31337 });
  });

  it("serves three active practices, each led by a partner, with technicians seated", () => {
    const practices = firm.practices.edges.map((e: { node: unknown }) => e.node);
    const lower = (i: number) => stack.accounts.partners[i]?.address.toLowerCase();
    expect(
      practices.map((p: { slug: string; name: string; status: string; lead: string }) => [
        p.slug,
        p.name,
        p.status,
        p.lead,
      ]),
    ).toEqual([
      ["accounting", "Sage & Intuit Accounting", "ACTIVE", lower(0)],
      ["cloud", "Cloud Services", "ACTIVE", lower(1)],
      ["phones", "Phone Systems", "ACTIVE", lower(2)],
    ]);
    const roles = practices.flatMap((p: { members: { edges: { node: { role: string } }[] } }) =>
      p.members.edges.map((e) => e.node.role),
    );
    expect(roles.filter((r: string) => r === "TECHNICIAN").length).toBeGreaterThanOrEqual(3);
  });

  it("has 5 partners, 2 associates and 1 affiliate, as the accounts say", () => {
    const members = firm.members.edges.map((e: { node: unknown }) => e.node);
    const count = (role: string) => members.filter((m: { role: string }) => m.role === role).length;
    expect([count("PARTNER"), count("ASSOCIATE"), count("AFFILIATE")]).toEqual([5, 2, 1]);
    const byAddress = new Map(members.map((m: { address: string }) => [m.address, m]));
    for (const account of [
      ...stack.accounts.partners,
      ...stack.accounts.associates,
      stack.accounts.affiliate,
    ])
      expect(byAddress.get(account.address.toLowerCase())).toMatchObject({
        role: account.role.toUpperCase(),
      });
    // The well-known first dev accounts, so `--as 1` is the same partner on every start.
    expect(stack.accounts.partners[0].address).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  });

  it("has one partner on leave, whose cover is another partner", () => {
    const members = firm.members.edges.map((e: { node: unknown }) => e.node);
    const onLeave = members.filter((m: { status: string }) => m.status === "ON_LEAVE");
    expect(onLeave).toHaveLength(1);
    expect(onLeave[0].address).toBe(stack.accounts.onLeave.address.toLowerCase());
    expect(onLeave[0].leave).toEqual({ cover: stack.accounts.cover.address.toLowerCase(), inForce: true });
  });

  it("has one associate past the cliff of a backdated grant and one before it", () => {
    const members = firm.members.edges.map((e: { node: unknown }) => e.node);
    const grantOf = (address: string) =>
      members.find((m: { address: string }) => m.address === address.toLowerCase()).grants[0];
    const [past, before] = stack.accounts.associates;
    expect(BigInt(grantOf(past.address).vestedAt)).toBeGreaterThan(0n);
    expect(BigInt(grantOf(before.address).vestedAt)).toBe(0n);
  });

  it("has an executed admission and a completed distribution with claims", () => {
    expect(firm.admissions.edges.map((e: { node: { state: string } }) => e.node.state)).toEqual(["EXECUTED"]);
    const [distribution] = firm.distributions.edges.map((e: { node: unknown }) => e.node);
    expect(distribution.proposal.state).toBe("EXECUTED");
    expect(distribution.amount).toBe("2000000000000000000");
    expect(distribution.claims).toBeGreaterThanOrEqual(1);
    expect(BigInt(distribution.claimed)).toBeGreaterThan(0n);
  });

  it("has exactly one open proposal, creating a practice, with the id the stack reports", () => {
    const active = firm.active.edges.map((e: { node: unknown }) => e.node);
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      id: stack.openProposalId.toString(),
      kind: "CREATE_PRACTICE",
      title: "Create practice Cybersecurity (security)",
    });
  });

  it("is fully indexed, and the audit finds the mirror equal to the chain", async () => {
    expect(firm.indexingStatus).toMatchObject({ synced: true, lagBlocks: 0 });
    const { drifts, checked } = await stack.audit();
    expect(drifts).toEqual([]);
    expect(checked.members).toBe(8);
    expect(checked.proposals).toBe(6);
  });

  describe("npm start against that chain (RPC_URL and DEPLOYMENT set)", () => {
    const dataDir = join(folder, "persistent-mirror");

    async function runAgainstChain() {
      const port = await freePort();
      const start = spawnStart({
        RPC_URL: stack.rpcUrl,
        DEPLOYMENT: stack.manifestPath,
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: "warn",
      });
      try {
        await start.waitFor("Ctrl-C stops everything.", 60_000);
        const url = `http://127.0.0.1:${port}/graphql`;
        const head = firm.indexingStatus.headBlock;
        let status: { indexedBlock: number | null } = { indexedBlock: null };
        for (let i = 0; i < 200 && (status.indexedBlock ?? 0) < head; i++) {
          status = (await queryApi(url, "{ indexingStatus { indexedBlock } }")).indexingStatus;
          if ((status.indexedBlock ?? 0) < head) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const counts = (await queryApi(url, "{ firm { counts { partners onLeave practices proposals } } }"))
          .firm.counts;
        start.child.kill("SIGINT");
        return { start, status, counts, code: await start.exited };
      } finally {
        start.child.kill("SIGKILL");
      }
    }

    it("indexes the chain, keeps its mirror when stopped, and resumes from it", async () => {
      const first = await runAgainstChain();
      expect(first.status.indexedBlock).toBe(firm.indexingStatus.headBlock);
      expect(first.counts).toEqual({ partners: 5, onLeave: 1, practices: 3, proposals: 6 });
      expect(first.code).toBe(0);
      expect(first.start.stdout()).toContain("kept between starts");
      expect(first.start.stdout()).not.toContain("Starting the dev stack");
      expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);

      // A file of our own in the folder: a reset would remove it.
      writeFileSync(join(dataDir, "kept.txt"), "from the first run");
      const second = await runAgainstChain();
      expect(second.code).toBe(0);
      expect(second.counts).toEqual(first.counts);
      expect(readFileSync(join(dataDir, "kept.txt"), "utf8")).toBe("from the first run");
    }, 150_000);
  });

  it("releases both ports when stopped", async () => {
    const rpcPort = Number(new URL(stack.rpcUrl).port);
    const apiPort = Number(new URL(stack.graphqlUrl).port);
    expect(await isListening(rpcPort)).toBe(true);
    expect(await isListening(apiPort)).toBe(true);
    await stack.stop();
    expect(await isListening(rpcPort)).toBe(false);
    expect(await isListening(apiPort)).toBe(false);
    await expect(fetch(stack.graphqlUrl)).rejects.toThrow();
  });
});

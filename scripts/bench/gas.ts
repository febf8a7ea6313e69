// `npm run bench:gas [-- --json]`: the firm's contracts against an OpenZeppelin reference stack, side
// by side on one in-process chain. Prints a Markdown table; with --json, also a last line
// {"rows":[{"action":…,"ours":…,"reference":…,"ratio":…}, …]} for scripts.
import { network } from "hardhat";
import { deployFirm } from "../devFirm/deployFirm.ts";
import { runBooksScenario } from "./gas/books.ts";
import { measureGovernanceCycle, writeLeaveRecords } from "./gas/leaveSpam.ts";
import { runOurScenario } from "./gas/ours.ts";
import { runReferenceScenario } from "./gas/reference.ts";

/** The actions compared, with what the reference does for each and the target as ours / reference. */
const ROWS: { action: string; note: string; target?: { ratio?: number; absolute?: number } }[] = [
  { action: "propose", note: "Governor.propose, 1 action", target: { ratio: 1 } },
  { action: "castVote.first", note: "first For vote", target: { ratio: 1 } },
  { action: "castVote.later", note: "second For vote", target: { ratio: 1 } },
  { action: "queue", note: "queue in the timelock", target: { ratio: 1 } },
  { action: "execute", note: "execute through the timelock", target: { ratio: 1 } },
  {
    action: "grant.create",
    note: "deploying a VestingWalletCliff",
    target: { ratio: 0.3, absolute: 165_000 },
  },
  { action: "release.first", note: "VestingWalletCliff.release, first" },
  { action: "release.later", note: "VestingWalletCliff.release, later", target: { ratio: 1 } },
  { action: "cover.start", note: "ERC20Votes.delegate(other); ours: declareLeave asking a cover" },
  {
    action: "cover.accept",
    note: "ours only: the cover accepts (a cover holds a ballot only once accepted)",
  },
  { action: "distribution.claim", note: "no OpenZeppelin 5 equivalent", target: { absolute: 80_000 } },
  { action: "grant.create.toHolder", note: "ours only: a grant to a partner who already votes" },
  { action: "castVote.cover", note: "ours only: a cover casting its own and a colleague's ballot" },
  {
    action: "setProfile",
    note: "ours only: a typical directory record, all fields (issue 12's budget)",
    target: { absolute: 120_000 },
  },
  { action: "deposit", note: "ours only: a client pays a practice's invoice in ETH, with a reference" },
  { action: "deposit.token", note: "ours only: the same in a 6-decimal ERC-20 (approved first)" },
  {
    action: "pay",
    note: "a lead pays a bill within the practice's budget; reference: a bare transfer of the same ERC-20",
    target: { ratio: 2 },
  },
  { action: "closePeriod", note: "ours only: the monthly close of 3 practices and 20 members in one token" },
  { action: "claimPool", note: "ours only: a practice lead claims their pool share" },
];

/** How many leave records the spammer writes before the `*.afterLeaveSpam` rows are measured. */
const SPAM_RECORDS = 10_000;

const json = process.argv.includes("--json");
const log = (line: string) => process.stdout.write(`${line}\n`);

log("Running the OpenZeppelin reference scenario…");
const referenceConnection = await network.connect();
const reference = await runReferenceScenario(referenceConnection.viem, referenceConnection.networkHelpers);
await referenceConnection.close();
log("Running the firm's scenario…");
const oursConnection = await network.connect();
const ours = await runOurScenario(oursConnection);
await oursConnection.close();
log("Running the books' scenario…");
const booksConnection = await network.connect();
const booksGas = await runBooksScenario(booksConnection);
await booksConnection.close();
Object.assign(ours, booksGas.ours);
Object.assign(reference, booksGas.reference);

// Issue 9's leave spam: the same governance cycle on a fresh firm and after one partner wrote
// SPAM_RECORDS leave records (their cover accepting each) as fast as the default leave rules allow.
// The reference of these rows is the fresh firm, not OpenZeppelin.
log(`Running the leave-spam scenario (${SPAM_RECORDS.toLocaleString("en-US")} records)…`);
const spamConnection = await network.connect();

const cycle = async (records: number) => {
  const firm = await deployFirm(spamConnection);
  const [p1, p2, p3, p4, p5] = firm.founders as [
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
  ];
  if (records > 0) {
    // The reproduced attack (a one-second leave) is refused outright; the spam below is the fastest allowed.
    const now = await firm.networkHelpers.time.latest();
    const refused = await firm.partnership.simulate.declareLeave([now + 1, p2], { account: p1 }).then(
      () => false,
      () => true,
    );
    log(`  a one-second leave, as reproduced: ${refused ? "refused" : "ACCEPTED"}`);
    await writeLeaveRecords(firm, p1, p2, records, (n) =>
      log(`  ${n.toLocaleString("en-US")} leave records written`),
    );
  }
  return measureGovernanceCycle(firm, p3, [p1, p2, p3, p4, p5], "Measured after the spam");
};
const fresh = await cycle(0);
const spammed = await cycle(SPAM_RECORDS);
await spamConnection.close();
const SPAM_ROWS = [
  {
    action: "castVote.afterLeaveSpam",
    key: "castVote",
    note: "the spammer's vote; reference: the same vote on a fresh firm",
  },
  {
    action: "castVote.cover.afterLeaveSpam",
    key: "castVote.cover",
    note: "their cover's vote; reference: fresh firm",
  },
  { action: "queue.afterLeaveSpam", key: "queue", note: "queue; reference: fresh firm" },
  { action: "execute.afterLeaveSpam", key: "execute", note: "execute; reference: fresh firm" },
  { action: "state.afterLeaveSpam", key: "state", note: "state (estimate); reference: fresh firm" },
  {
    action: "headcountAt.afterLeaveSpam",
    key: "headcountAt",
    note: "headcountAt (estimate); reference: fresh firm",
  },
];
for (const { action, key } of SPAM_ROWS) {
  ours[action] = spammed[key] ?? 0;
  reference[action] = fresh[key] ?? 0;
}
ROWS.push(...SPAM_ROWS.map(({ action, note }) => ({ action, note, target: { ratio: 1.1 } })));

const rows = ROWS.map(({ action, note, target }) => {
  const o = ours[action] ?? null;
  const r = reference[action] ?? null;
  const ratio = o !== null && r !== null ? Math.round((o / r) * 1000) / 1000 : null;
  const meets =
    target === undefined || o === null
      ? null
      : (target.ratio === undefined || (ratio !== null && ratio <= target.ratio)) &&
        (target.absolute === undefined || o <= target.absolute);
  return { action, ours: o, reference: r, ratio, note, target: target ?? null, meets };
});

const fmt = (n: number | null) => (n === null ? "–" : n.toLocaleString("en-US"));
const targetText = (t: (typeof rows)[number]["target"]) =>
  t === null
    ? ""
    : [
        t.ratio !== undefined ? `≤ ${t.ratio.toFixed(2)}` : "",
        t.absolute !== undefined ? `≤ ${fmt(t.absolute)} gas` : "",
      ]
        .filter(Boolean)
        .join(", ");
log("");
log("| action | ours | reference | ratio | target | met | reference is |");
log("| --- | ---: | ---: | ---: | --- | --- | --- |");
for (const row of rows) {
  const met = row.meets === null ? "" : row.meets ? "yes" : "**no**";
  log(
    `| ${row.action} | ${fmt(row.ours)} | ${fmt(row.reference)} | ${row.ratio ?? "–"} | ${targetText(row.target)} | ${met} | ${row.note} |`,
  );
}
if (json) {
  log(
    JSON.stringify({
      rows: rows.map(({ action, ours: o, reference: r, ratio, meets }) => ({
        action,
        ours: o,
        reference: r,
        ratio,
        meets,
      })),
    }),
  );
}

// Every `--json` output of the `firm` CLI, against the real dev stack (chain, indexer, API), checked
// for one type per field: a field name means the same JSON type in every command's output, successes
// and refusals alike, and the types are the API's (headcounts, times and block numbers as numbers;
// units, wei and ids as decimal strings; addresses in lowercase).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../scripts/cli/commands.ts";
import { type DevStack, startDevStack } from "../../scripts/start/devStack.ts";
import { type FirmResult, firmAt } from "./support/runFirm.ts";

const SLOW = 600_000;
const dir = mkdtempSync(join(tmpdir(), "firm-cli-json-"));
let stack: DevStack;
let firm: (...args: string[]) => Promise<FirmResult>;

/** Each output, by the command line that printed it. */
const outputs: { line: string; json: unknown }[] = [];

beforeAll(async () => {
  stack = await startDevStack({
    rpcPort: 0,
    apiPort: 0,
    dataDir: join(dir, "mirror"),
    manifestPath: join(dir, "dev.json"),
  });
  firm = firmAt({
    RPC_URL: stack.rpcUrl,
    FIRM_API_URL: stack.graphqlUrl,
    DEPLOYMENT: stack.manifestPath,
    DATA_DIR: join(dir, "mirror"),
    FIRM_KEYSTORE: undefined,
    FIRM_KEYSTORE_PASSWORD: "s3cret",
  });
}, SLOW);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const partner = (n: 1 | 2 | 3 | 4 | 5) =>
  (stack.accounts.partners[n - 1] as { address: `0x${string}` }).address;

/** Runs `firm ...args --json`, keeps its output and returns it; fails if it printed no JSON. */
async function json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const result = await firm(...args, "--json");
  const parsed = result.json<T>();
  outputs.push({ line: `firm ${args.join(" ")}`, json: parsed });
  return parsed;
}

/**
 * Every primitive leaf: its field, path and value. A field is its name (an array item takes its
 * array's), qualified within an equity or headcount measure, whose `required` or `base` are of that
 * measure. evidence.ethCall is left out: it is the JSON-RPC request verbatim, with JSON-RPC's fields.
 */
function leaves(
  value: unknown,
  key = "",
  path = "",
  parent = "",
): { key: string; path: string; value: unknown }[] {
  if (key === "ethCall") return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, key, `${path}[${i}]`, parent));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leaves(v, k, path ? `${path}.${k}` : k, key));
  const field = ["equity", "headcount"].includes(parent) ? `${parent}.${key}` : key;
  return [{ key: field, path, value }];
}

const typeOf = (value: unknown) => (value === null ? "null" : typeof value);

describe("--json", () => {
  it(
    "prints one type per field in every command, as the API does",
    async () => {
      const open = stack.openProposalId.toString();
      const associate = stack.accounts.associates[0].address;
      // Reads.
      await json("status");
      await json("proposals");
      await json("show", "proposal", open);
      await json("show", "member", partner(4));
      await json("show", "practice", "cloud");
      await json("vesting", associate);
      await json("verify", "--practice", "cloud", "--account", partner(2));
      // A proof of presence, answering a challenge issued as the client's page issues it.
      const issued = await fetch(stack.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `mutation { presenceChallenge(practice: "cloud") { code } }` }),
      });
      const { data: challenge } = (await issued.json()) as { data: { presenceChallenge: { code: string } } };
      await json("prove", "--practice", "cloud", "--code", challenge.presenceChallenge.code, "--as", "2");
      await json("technicians", "--practice", "cloud", "--near", "45.50,-73.57", "--radius", "100km");
      await json("keystore", "new", "--out", join(dir, "new.json"));
      await json("audit");
      // A cover's vote, a distribution through its whole life, then refusals.
      await json("vote", open, "for", "--as", "1");
      await json("vote", open, "against", "--as", "5");
      const proposed = await json<{ proposal: { id: string } }>(
        "propose",
        "distribute",
        "--amount",
        "0.5",
        "--as",
        "1",
      );
      const id = proposed.proposal.id;
      await json("dev", "advance", "61m");
      for (const n of ["1", "2", "3", "5"]) await json("vote", id, "for", "--as", n);
      await json("vote", id, "for", "--as", "1");
      await json("dev", "advance", "3d");
      await json("queue", id, "--as", "1");
      await json("dev", "advance", "1d1m");
      await json("execute", id, "--as", "1");
      await json("claim", "1", "--as", "1");
      await json("release", "--as", "6");
      // Leave and cover; a withdrawal and its claim.
      await json("leave", "--until", "10d", "--cover", partner(1), "--as", "2");
      await json("cover", "accept", partner(2), "--as", "1");
      await json("cover", "resign", "--as", "1");
      await json("leave", "end", "--as", "2");
      await json("ragequit", "--as", "3");
      await json("ragequit", "--yes", "--as", "3");
      await json("ragequit", "claim", "--as", "3");
      // The directory: a profile published and cleared, a mentor link made and ended.
      await json(
        "profile",
        "set",
        "--name",
        "Pat",
        "--mode",
        "both",
        "--coordinates",
        "45.5,-73.57",
        "--yes",
        "--as",
        "5",
      );
      await json("profile", "show", partner(5));
      await json("profile", "clear", "--as", "5");
      await json("mentor", "offer", associate, "--as", "1");
      await json("mentor", "accept", partner(1), "--as", "6");
      await json("mentor", "end", "--as", "6");
      // The books: a client's deposit, the budget read from the chain, a payment refused (no budget
      // in force for the firm), and the books from the mirror.
      await json("deposit", "--practice", "cloud", "--amount", "1", "--ref", "INV-JSON-1", "--as", "9");
      await json("budget", "cloud");
      await json("pay", "--firm", "--to", partner(1), "--amount", "0.1", "--memo", "Rent", "--as", "1");
      await json("books");

      // Every command that prints JSON was run (deploy, index and serve do not answer once; webhooks
      // writes the mirror's endpoints and has its own JSON checks in test/cli/webhooks.test.ts).
      const ran = new Set(outputs.map(({ line }) => line.split(" ")[1]));
      const expected = COMMANDS.map((c) => c.name).filter(
        (name) => !["deploy", "index", "serve", "webhooks"].includes(name),
      );
      expect([...expected].filter((name) => !ran.has(name))).toEqual([]);
      // The walk succeeded where it should: the distribution passed and was executed.
      const executed = outputs.find(({ line }) => line.startsWith(`firm execute ${id}`));
      expect(executed?.json).toMatchObject({ ok: true });

      const all = outputs.flatMap(({ line, json }) => leaves(json).map((leaf) => ({ ...leaf, line })));
      const problems: string[] = [];
      // One type per field name across every output.
      const types = new Map<string, Map<string, string>>();
      for (const { key, value, line, path } of all) {
        if (value === null || key === "") continue;
        const seen = types.get(key) ?? new Map<string, string>();
        seen.set(typeOf(value), seen.get(typeOf(value)) ?? `${line}: ${path}`);
        types.set(key, seen);
      }
      for (const [key, seen] of types) {
        if (seen.size > 1)
          problems.push(`${key} is ${[...seen].map(([t, where]) => `${t} (${where})`).join(" and ")}`);
      }
      // The API's types for the fields it has.
      const numbers = [
        "headcount",
        "voteStart",
        "voteEnd",
        "eta",
        "blockNumber",
        "block",
        "chainId",
        "until",
      ];
      const decimals = ["equity", "units", "amount", "weight", "coverWeight", "votes"];
      for (const { key, path, value, line } of all) {
        if (value === null) continue;
        if (numbers.includes(key) && typeof value !== "number")
          problems.push(`${line}: ${path} is not a number`);
        if (path.includes("headcount") && typeof value !== "number" && typeof value !== "boolean")
          problems.push(`${line}: ${path} (a headcount) is not a number`);
        if (decimals.includes(key) && !(typeof value === "string" && /^\d+$/.test(value)))
          problems.push(`${line}: ${path} is not a decimal string`);
        if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value) && value !== value.toLowerCase())
          problems.push(`${line}: ${path} is an address not in lowercase`);
      }
      expect(problems).toEqual([]);
      // Not a vacuous pass: the fields checked above were there to check.
      for (const key of ["headcount", "equity", "voteStart", "weight", "block"])
        expect(all.some((leaf) => leaf.key === key)).toBe(true);
    },
    SLOW,
  );
});

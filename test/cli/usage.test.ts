// The CLI before it reaches a chain: help, usage errors (exit 2, a message and a hint, no stack trace),
// --json errors, an unreachable node, what a command loads, and keystores created and decrypted.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { afterAll, describe, expect, it } from "vitest";
import { CONTRACT_NAMES, MANIFEST_VERSION } from "../../contracts/manifest.ts";
import { runFirm } from "./support/runFirm.ts";

const dir = mkdtempSync(join(tmpdir(), "firm-cli-usage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("help", () => {
  it("lists every command, and each command's own usage", async () => {
    const all = await runFirm(["--help"]);
    expect(all.code).toBe(0);
    for (const command of [
      "status",
      "propose practice",
      "propose admit",
      "vote <proposal>",
      "queue",
      "execute",
      "leave end",
      "release",
      "claim",
      "proposals",
      "show proposal",
      "vesting",
      "verify",
      "dev advance",
      "keystore new",
      "deploy",
      "audit",
      "technicians --practice <slug>",
      "webhooks add <url>",
      "webhooks test <id>",
      "webhooks apply --file <path>",
      "webhooks enable <id>",
      "webhooks disable <id>",
    ]) {
      expect(all.stdout).toContain(command);
    }
    const vote = await runFirm(["vote", "--help"]);
    expect(vote.code).toBe(0);
    expect(vote.stdout).toMatch(/^Usage: firm vote <proposal> for\|against\|abstain/);
    expect(vote.stdout).toContain("--keystore <file>");
  });
});

describe("firm propose <kind> --help", () => {
  // Each kind's own options, written out here rather than read from the code under test.
  const kinds: Record<string, string[]> = {
    practice: ["--slug", "--name", "--lead"],
    admit: [
      "--account",
      "--role",
      "--practice",
      "--practice-role",
      "--units",
      "--cliff",
      "--vesting",
      "--mentor",
    ],
    grant: ["--to", "--units", "--cliff", "--vesting"],
    retire: ["--partner", "--successor", "--buyback-price", "--buyback-token"],
    distribute: ["--amount", "--token"],
  };
  const optionsIn = (text: string) => new Set(text.match(/^ {2}--[a-z-]+/gm)?.map((o) => o.trim()));

  it.each(Object.entries(kinds))(
    "`firm propose %s --help` shows that kind's options and an example that parses",
    async (kind, own) => {
      const help = await runFirm(["propose", kind, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: firm propose ${kind} --`));
      const listed = optionsIn(help.stdout);
      for (const option of own) expect(listed).toContain(option);
      const common = ["--title", "--description", "--skip-dry-run", "--as", "--keystore", "--wait"];
      expect([...listed].filter((option) => !own.includes(option) && !common.includes(option))).toEqual([]);
      for (const other of Object.keys(kinds).filter((k) => k !== kind))
        expect(help.stdout).not.toContain(`firm propose ${other}`);

      const example = help.stdout.match(/^Example:\n {2}firm (propose .+)$/m)?.[1];
      expect(example).toMatch(new RegExp(`^propose ${kind} `));
      // Its arguments are all valid: it gets as far as the chain, which is not there.
      const port = await closedPort();
      const args = (example as string).match(/"[^"]*"|\S+/g)?.map((a) => a.replace(/^"|"$/g, "")) ?? [];
      const ran = await runFirm(args, {
        RPC_URL: `http://127.0.0.1:${port}`,
        DEPLOYMENT: writeUnreachableManifest(),
      });
      expect(ran.stderr).toContain(`Cannot reach the chain at http://127.0.0.1:${port}`);
    },
  );
});

describe("usage errors", () => {
  it.each([
    [["frobnicate"], 'Unknown command "frobnicate"', "firm --help"],
    [["vote", "1234"], "`firm vote` is missing an argument", "Usage: firm vote"],
    [["vote", "1234", "yes"], 'support "yes" is not one of for, against, abstain', "for | against | abstain"],
    [["vote", "12", "for"], '<proposal> "12" is too short to name a proposal', "first 4 or more digits"],
    [["vote", "1234", "for", "--colour", "red"], "Unknown option '--colour'", "firm vote --help"],
    [["propose"], "Say what to propose", "firm propose --help"],
    [
      ["propose", "practice", "--slug", "Security"],
      '--slug "Security" is not a practice slug',
      "1 to 32 characters",
    ],
    [
      ["propose", "grant", "--to", "0x1234", "--units", "5"],
      '--to "0x1234" is not an address',
      "40 hex digits",
    ],
    [
      ["propose", "practice", "--amount", "5"],
      "--amount does not apply to `firm propose practice`",
      "Usage: firm propose practice",
    ],
    [["dev", "advance", "30"], '<duration> "30" has no unit', "30d"],
    [["show", "practice"], "`firm show` is missing an argument", "Usage: firm show"],
    [["keystore", "open"], "Unknown `firm keystore open`", "keystore new"],
    [["technicians", "--near", "45.5,-73.57"], "--practice is required", "Usage: firm technicians"],
    [
      ["technicians", "--practice", "phones", "--near", "Montreal"],
      '--near "Montreal" is not a place',
      "--near 45.50,-73.57",
    ],
    [
      ["technicians", "--practice", "phones", "--near", "95,10"],
      '--near "95,10" is not a place',
      "latitude (-90 to 90)",
    ],
    [
      ["technicians", "--practice", "phones", "--near", "45.5,-73.57", "--radius", "5000km"],
      '--radius "5000km" is not a distance',
      "at most 1000",
    ],
    [
      ["technicians", "--practice", "phones", "--radius", "50km"],
      "--radius needs --near",
      "--near 45.50,-73.57 --radius 50km",
    ],
  ])("firm %s → %j", async (args, message, hint) => {
    const result = await runFirm(args, {
      RPC_URL: "http://127.0.0.1:9/",
      FIRM_API_URL: "http://127.0.0.1:9/graphql",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stderr).toContain(hint);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe("");
  });

  it("prints errors as one JSON object with --json", async () => {
    const result = await runFirm(["vote", "1234", "maybe", "--json"]);
    expect(result.code).toBe(2);
    expect(result.json()).toEqual({
      ok: false,
      error: 'support "maybe" is not one of for, against, abstain',
      hint: "Write one of: for | against | abstain.",
    });
  });

  it("checks the environment and says which variable is wrong", async () => {
    const result = await runFirm(["status"], { RPC_URL: "ftp://example.org", FIRM_API_URL: "not a url" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('RPC_URL is "ftp://example.org": expected an http(s) URL');
    expect(result.stderr).toContain('FIRM_API_URL is "not a url"');
  });

  it("says when the chain or the API is not there, and how to start them", async () => {
    const port = await closedPort();
    const manifest = writeUnreachableManifest();
    const env = {
      RPC_URL: `http://127.0.0.1:${port}`,
      FIRM_API_URL: `http://127.0.0.1:${port}/graphql`,
      DEPLOYMENT: manifest,
    };
    const chain = await runFirm(["status"], env);
    expect(chain.code).toBe(2);
    expect(chain.stderr).toContain(`Cannot reach the chain at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(chain.stderr).toContain("npm start");
    const api = await runFirm(["proposals"], env);
    expect(api.code).toBe(2);
    expect(api.stderr).toContain(
      `Cannot reach the firm's API at http://127.0.0.1:${port}/graphql (ECONNREFUSED)`,
    );
    expect(api.stderr).toContain("`firm serve`");
    const missing = await runFirm(["status"], { DEPLOYMENT: join(dir, "nowhere.json") });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No deployment manifest at");
  });
});

describe("the default manifest, deployments/dev.json", () => {
  // A folder of its own for each case: the project's deployments/dev.json may or may not exist.
  const unset = { DEPLOYMENT: undefined, RPC_URL: undefined, DATA_DIR: undefined, DATABASE_URL: undefined };

  it.each([["audit"], ["index"], ["serve"], ["status"], ["vote", "1234", "for"]])(
    "`firm %s` without DEPLOYMENT looks for deployments/dev.json and says how to get it",
    async (...args) => {
      const cwd = mkdtempSync(join(dir, "no-manifest-"));
      const result = await runFirm(args, unset, { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `error: No deployment manifest at ${join(cwd, "deployments/dev.json")}`,
      );
      expect(result.stderr).toContain("Start the dev stack with `npm start`");
      expect(result.stderr).not.toContain("DEPLOYMENT is not set");
    },
  );

  it("`firm audit` reads deployments/dev.json when DEPLOYMENT is not set", async () => {
    const cwd = mkdtempSync(join(dir, "dev-manifest-"));
    mkdirSync(join(cwd, "deployments"));
    copyFileSync(writeUnreachableManifest(), join(cwd, "deployments/dev.json"));
    const port = await closedPort();
    const result = await runFirm(["audit"], { ...unset, RPC_URL: `http://127.0.0.1:${port}` }, { cwd });
    expect(result.code).toBe(2);
    // Past the manifest: the next thing audit needs is the chain the manifest names.
    expect(result.stderr).toContain(`Cannot reach the chain at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });
});

describe("start-up", () => {
  it("loads neither Hardhat, ethers, the indexer's engine nor the API for `firm vote`", async () => {
    const trace = join(dir, "imports.txt");
    writeFileSync(trace, "");
    const result = await runFirm(
      ["vote", "1234567890", "for", "--as", "1"],
      {
        FIRM_TRACE_IMPORTS: trace,
        RPC_URL: `http://127.0.0.1:${await closedPort()}`,
        DEPLOYMENT: writeUnreachableManifest(),
      },
      { nodeArgs: ["--import", "./test/cli/support/traceImports.ts"] },
    );
    expect(result.stderr).toContain("Cannot reach the chain"); // it got as far as connecting
    const loaded = readFileSync(trace, "utf8").split("\n");
    expect(loaded.some((url) => url.includes("/scripts/cli/vote.ts"))).toBe(true);
    expect(loaded.some((url) => url.includes("/node_modules/viem/"))).toBe(true);
    for (const heavy of [
      "/node_modules/hardhat/",
      "/node_modules/ethers/",
      "/node_modules/@electric-sql/",
      "/indexer/sync/",
      "/indexer/store/store",
      "/api/",
      "/scripts/deploy/",
    ]) {
      // The page's words are the modules of api/ the CLI shares (statuses, reverts, a proposal's
      // text): plain, with no imports but one another.
      const allowed = (url: string) => /\/api\/web\/public\/(words|revertWords|proposalText)\.js$/.test(url);
      expect(loaded.filter((url) => url.includes(heavy) && !allowed(url))).toEqual([]);
    }
  });
});

describe("keystores", () => {
  const password = "correct horse battery staple";

  it("creates a new key in an owner-only file that decrypts with the password, and never overwrites it", async () => {
    const out = join(dir, "new.json");
    const created = await runFirm(["keystore", "new", "--out", out, "--json"], {
      FIRM_KEYSTORE_PASSWORD: password,
    });
    expect(created.code).toBe(0);
    const { address, keystore } = created.json<{ address: string; keystore: string }>();
    expect(keystore).toBe(out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const wallet = await Wallet.fromEncryptedJson(readFileSync(out, "utf8"), password);
    expect(wallet.address.toLowerCase()).toBe(address);
    expect(readFileSync(out, "utf8")).not.toContain(wallet.privateKey.slice(2));
    await expect(Wallet.fromEncryptedJson(readFileSync(out, "utf8"), "wrong")).rejects.toThrow(
      /incorrect password/,
    );

    const again = await runFirm(["keystore", "new", "--out", out], { FIRM_KEYSTORE_PASSWORD: password });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists already; a keystore is never overwritten");
  });

  it("imports a key from a file, and refuses a file that holds none", async () => {
    const keyFile = join(dir, "key.txt");
    const key = Wallet.createRandom();
    writeFileSync(keyFile, `${key.privateKey}\n`);
    const out = join(dir, "imported.json");
    const imported = await runFirm(
      ["keystore", "import", "--private-key-file", keyFile, "--out", out, "--json"],
      {
        FIRM_KEYSTORE_PASSWORD: password,
      },
    );
    expect(imported.json()).toMatchObject({ ok: true, address: key.address.toLowerCase() });
    expect((await Wallet.fromEncryptedJson(readFileSync(out, "utf8"), password)).privateKey).toBe(
      key.privateKey,
    );

    writeFileSync(keyFile, "not a key\n");
    const bad = await runFirm(
      ["keystore", "import", "--private-key-file", keyFile, "--out", join(dir, "bad.json")],
      {
        FIRM_KEYSTORE_PASSWORD: password,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("does not hold a private key");
  });

  it("asks for a password only on a terminal", async () => {
    const result = await runFirm(["keystore", "new", "--out", join(dir, "nopw.json")], {
      FIRM_KEYSTORE_PASSWORD: "",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("there is no terminal to ask on");
    expect(result.stderr).toContain("FIRM_KEYSTORE_PASSWORD");
  });
});

/** A well-formed dev-chain manifest whose contracts nobody will reach (the tests point RPC_URL at a
 * closed port): enough for the CLI to get as far as connecting, on a clone with no deployments/dev.json. */
function writeUnreachableManifest(): string {
  const manifest = join(dir, "manifest.json");
  writeFileSync(
    manifest,
    JSON.stringify({
      version: MANIFEST_VERSION,
      name: "dev",
      chainId: 31337,
      startBlock: 1,
      contracts: Object.fromEntries(CONTRACT_NAMES.map((name, i) => [name, `0x${String(i + 1).repeat(40)}`])),
    }),
  );
  return manifest;
}

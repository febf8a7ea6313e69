// `firm deploy` says what it did. Each chain here is Hardhat's EDR chain served over JSON-RPC with a
// chain id of its own, so that Ignition's journal (ignition/deployments/chain-<id>/) behaves as on an
// external node: a re-run finds the deployment, a reset node with the same id leaves a stale
// journal. The ids are random and the journals are removed afterwards, so that no developer's
// journal is touched.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptKeystoreJson, Wallet } from "ethers";
import hre from "hardhat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_NAMES, type Manifest } from "../../contracts/manifest.ts";
import { expectExit, type FirmResult, runFirm } from "./support/runFirm.ts";

const SLOW = 300_000;
const dir = mkdtempSync(join(tmpdir(), "firm-cli-deploy-"));
const journals = join(hre.config.paths.ignition, "deployments");
const baseChainId = 7_000_000 + Math.floor(Math.random() * 90_000) * 10;
const servers: { close(): Promise<void> }[] = [];
const journalsExisted = existsSync(journals);

interface Chain {
  url: string;
  close(): Promise<void>;
}

/** An EDR chain with chain id `chainId`, served on a free port. */
async function startChain(chainId: number): Promise<Chain> {
  const server = await hre.network.createServer(
    { network: "default", override: { chainId } },
    "127.0.0.1",
    0,
  );
  const { port } = await server.listen();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  servers.push({ close });
  return { url: `http://127.0.0.1:${port}`, close };
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

const blockNumber = async (url: string) => Number(await rpc<string>(url, "eth_blockNumber"));
const mine = (url: string, blocks: number) => rpc(url, "hardhat_mine", [`0x${blocks.toString(16)}`]);
const hasCode = async (url: string, address: string, block: number | "latest" = "latest") =>
  (await rpc<string>(url, "eth_getCode", [
    address,
    block === "latest" ? block : `0x${block.toString(16)}`,
  ])) !== "0x";

/** The CLI against `url`, with no signer inherited from the machine's environment. */
function firm(args: string[], env: Record<string, string | undefined> = {}): Promise<FirmResult> {
  return runFirm(["deploy", ...args], {
    FIRM_KEYSTORE: undefined,
    FIRM_KEYSTORE_PASSWORD: undefined,
    DEPLOYER_PRIVATE_KEY: undefined,
    ...env,
  });
}

beforeAll(async () => {
  // The CLI deploys from the artifacts; a fresh clone has none until something compiles them.
  await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
}, SLOW);

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const name of existsSync(journals) ? readdirSync(journals) : []) {
    const id = Number(/^chain-(\d+)/.exec(name)?.[1]);
    if (id >= baseChainId && id < baseChainId + 10)
      rmSync(join(journals, name), { recursive: true, force: true });
  }
  if (!journalsExisted && existsSync(journals) && readdirSync(journals).length === 0)
    rmSync(journals, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
});

describe("firm deploy", () => {
  const chainId = baseChainId;
  const out = join(dir, "firm.json");
  let chain: Chain;
  let first: Manifest & { deployed: string; manifestWritten: boolean };

  it(
    "deploys, with the block of its first transaction as the start block",
    async () => {
      chain = await startChain(chainId);
      await mine(chain.url, 5);
      const result = expectExit(
        await firm(["--network", "localhost", "--out", out, "--json"], { RPC_URL: chain.url }),
        0,
      );
      first = result.json();
      expect(first).toMatchObject({ ok: true, deployed: "new", chainId, manifestWritten: true });
      expect(first.startBlock).toBe(6);
      // The start block is the first that holds any of the firm's code, and the block before holds none.
      const codeAt = async (block: number) =>
        Promise.all(CONTRACT_NAMES.map((name) => hasCode(chain.url, first.contracts[name], block)));
      expect(await codeAt(first.startBlock - 1)).not.toContain(true);
      expect(await codeAt(first.startBlock)).toContain(true);
      expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({
        startBlock: 6,
        contracts: first.contracts,
      });
    },
    SLOW,
  );

  it(
    "run again, reports the existing deployment and its real start block, and leaves the manifest alone",
    async () => {
      await mine(chain.url, 8);
      const before = readFileSync(out, "utf8");
      const head = await blockNumber(chain.url);
      const again = expectExit(
        await firm(["--network", "localhost", "--out", out, "--json"], { RPC_URL: chain.url }),
        0,
      );
      expect(again.json()).toMatchObject({
        ok: true,
        deployed: "existing",
        startBlock: first.startBlock,
        contracts: first.contracts,
        manifestWritten: false,
      });
      expect(await blockNumber(chain.url)).toBe(head);
      expect(readFileSync(out, "utf8")).toBe(before);
    },
    SLOW,
  );

  it(
    "refuses to overwrite a manifest that says otherwise without --force, and overwrites it with --force",
    async () => {
      // What the CLI used to write on a re-run: the head's block as the start block.
      const wrong = `${JSON.stringify({ ...JSON.parse(readFileSync(out, "utf8")), startBlock: 14 }, null, 2)}\n`;
      writeFileSync(out, wrong);
      const refused = expectExit(
        await firm(["--network", "localhost", "--out", out], { RPC_URL: chain.url }),
        2,
      );
      expect(refused.stderr).toContain(`The manifest ${out} describes another deployment`);
      expect(refused.stderr).toContain("--force");
      expect(readFileSync(out, "utf8")).toBe(wrong);

      const forced = expectExit(
        await firm(["--network", "localhost", "--out", out, "--force"], { RPC_URL: chain.url }),
        0,
      );
      expect(forced.stdout).toContain(
        `The firm was already deployed on chain ${chainId} (from block ${first.startBlock}); nothing was sent.`,
      );
      expect(forced.stdout).toContain(`Manifest written to ${out}`);
      expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ startBlock: first.startBlock });
    },
    SLOW,
  );

  it(
    "refuses to call a deployment with other parameters the existing one",
    async () => {
      const example = JSON.parse(readFileSync("ignition/parameters.example.json", "utf8"));
      const changed = join(dir, "changed.json");
      writeFileSync(changed, JSON.stringify({ Firm: { ...example.Firm, votingDelay: 3600 } }));
      const manifest = readFileSync(out, "utf8");
      const head = await blockNumber(chain.url);
      const refused = expectExit(
        await firm(["--network", "localhost", "--out", out, "--parameters", changed], { RPC_URL: chain.url }),
        2,
      );
      expect(refused.stderr).toContain("records a deployment made with other parameters or contracts");
      expect(refused.stderr).toContain("Firm#FirmGovernor");
      expect(await blockNumber(chain.url)).toBe(head);
      expect(readFileSync(out, "utf8")).toBe(manifest);
    },
    SLOW,
  );

  it(
    "refuses a journal whose contracts are not on chain (a reset node), and sets it aside with --fresh",
    async () => {
      await chain.close();
      const reset = await startChain(chainId);
      const refused = expectExit(
        await firm(["--network", "localhost", "--out", out], { RPC_URL: reset.url }),
        2,
      );
      const folder = join(journals, `chain-${chainId}`);
      expect(refused.stderr).toContain(
        `Ignition's journal ${folder} names contracts that have no code on chain ${chainId}`,
      );
      expect(refused.stderr).toContain("--fresh");
      expect(await blockNumber(reset.url)).toBe(0);

      // A new deployment over the old manifest still needs --force.
      const noForce = expectExit(
        await firm(["--network", "localhost", "--out", out, "--fresh"], { RPC_URL: reset.url }),
        2,
      );
      expect(noForce.stderr).toContain(
        `The manifest ${out} already exists, and this would be a new deployment`,
      );
      expect(await blockNumber(reset.url)).toBe(0);

      const fresh = expectExit(
        await firm(["--network", "localhost", "--out", out, "--fresh", "--force", "--json"], {
          RPC_URL: reset.url,
        }),
        0,
      );
      const result = fresh.json<Manifest & { deployed: string; staleJournalMovedTo: string }>();
      expect(result).toMatchObject({ deployed: "new", startBlock: 1 });
      expect(result.staleJournalMovedTo).toMatch(new RegExp(`chain-${chainId}\\.stale-`));
      expect(existsSync(join(result.staleJournalMovedTo, "journal.jsonl"))).toBe(true);
      for (const name of CONTRACT_NAMES) expect(await hasCode(reset.url, result.contracts[name])).toBe(true);
    },
    SLOW,
  );

  it(
    "refuses a new deployment over an existing manifest before sending anything",
    async () => {
      const other = await startChain(chainId + 1);
      const existing = join(dir, "existing.json");
      writeFileSync(existing, "{}\n");
      const refused = expectExit(
        await firm(["--network", "localhost", "--out", existing], { RPC_URL: other.url }),
        2,
      );
      expect(refused.stderr).toContain(
        `The manifest ${existing} already exists, and this would be a new deployment`,
      );
      expect(refused.stderr).toContain("--force");
      expect(await blockNumber(other.url)).toBe(0);
      expect(readFileSync(existing, "utf8")).toBe("{}\n");
    },
    SLOW,
  );
});

describe("firm deploy --network external", () => {
  it(
    "lists every missing setting at once, before connecting",
    async () => {
      const result = expectExit(await firm(["--network", "external"], { RPC_URL: undefined }), 2);
      expect(result.stderr).toContain("RPC_URL is not set");
      expect(result.stderr).toContain("FIRM_KEYSTORE is not set");
      expect(result.stderr).toContain("DEPLOYER_PRIVATE_KEY");
    },
    SLOW,
  );

  it(
    "deploys from DEPLOYER_PRIVATE_KEY, or from a keystore, with no network in hardhat.config.ts",
    async () => {
      for (const [offset, how] of [
        [2, "key"],
        [3, "keystore"],
      ] as const) {
        const chain = await startChain(baseChainId + offset);
        const deployer = Wallet.createRandom();
        await rpc(chain.url, "hardhat_setBalance", [deployer.address, "0x56BC75E2D63100000"]);
        const env: Record<string, string> = { RPC_URL: chain.url };
        if (how === "key") env.DEPLOYER_PRIVATE_KEY = deployer.privateKey;
        else {
          const keystore = join(dir, "deployer.json");
          // A cheap scrypt: the test is about where the key comes from, not how hard it is to crack.
          writeFileSync(
            keystore,
            await encryptKeystoreJson({ address: deployer.address, privateKey: deployer.privateKey }, "pw", {
              scrypt: { N: 1024 },
            }),
          );
          env.FIRM_KEYSTORE = keystore;
          env.FIRM_KEYSTORE_PASSWORD = "pw";
        }
        const out = join(dir, `external-${how}.json`);
        const result = expectExit(await firm(["--network", "external", "--out", out, "--json"], env), 0);
        expect(result.json()).toMatchObject({
          deployed: "new",
          deployer: deployer.address,
          chainId: baseChainId + offset,
        });
        expect(
          Number(await rpc<string>(chain.url, "eth_getTransactionCount", [deployer.address, "latest"])),
        ).toBeGreaterThan(0);
        await chain.close();
      }
    },
    SLOW,
  );
});

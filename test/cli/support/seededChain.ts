// The demo firm of `npm start` on a dev chain served over JSON-RPC, without the mirror or the API:
// for CLI tests of commands that read and write the chain only (covers, withdrawals). The chain,
// the Ignition deployment and the seed are `npm start`'s own (scripts/start/). Not a test file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Manifest, writeManifest } from "../../../contracts/manifest.ts";
import { startDevChain } from "../../../scripts/start/devChain.ts";
import { type DemoFirm, deployDemoFirm, seedDemoFirm } from "../../../scripts/start/seedDemoFirm.ts";

export interface SeededChain {
  rpcUrl: string;
  manifestPath: string;
  manifest: Manifest;
  demo: DemoFirm;
  /** The CLI's environment for this chain: no API (reads that need it fail fast), no inherited signer. */
  env: Record<string, string | undefined>;
  stop(): Promise<void>;
}

/** Starts a dev chain on a free port, deploys and seeds the demo firm, and writes its manifest. */
export async function startSeededChain(label: string): Promise<SeededChain> {
  const dir = mkdtempSync(join(tmpdir(), `firm-cli-${label}-`));
  const chain = await startDevChain({
    host: "127.0.0.1",
    port: 0,
    purpose: "the test's dev chain",
    setting: "RPC_PORT",
  });
  try {
    const demo = await seedDemoFirm(await deployDemoFirm(chain.connection));
    const manifestPath = join(dir, "dev.json");
    writeManifest(manifestPath, demo.manifest);
    return {
      rpcUrl: chain.url,
      manifestPath,
      manifest: demo.manifest,
      demo,
      env: {
        RPC_URL: chain.url,
        DEPLOYMENT: manifestPath,
        // Nothing listens on port 9: a command that needs the API says it is unreachable.
        FIRM_API_URL: "http://127.0.0.1:9/graphql",
        FIRM_KEYSTORE: undefined,
        FIRM_KEYSTORE_PASSWORD: undefined,
      },
      async stop() {
        await chain.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

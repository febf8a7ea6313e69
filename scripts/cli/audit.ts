// `firm audit [--json]`: compares the mirror with the chain at the indexed block and exits non-zero
// on any drift.
import { createPublicClient, http } from "viem";
import { auditMirror } from "../../indexer/audit/audit.ts";
import { mirrorDataDir, parseConfig } from "../../indexer/config.ts";
import { openMirrorDatabase } from "../../indexer/openMirror.ts";
import { assertDataFolderFree } from "../../indexer/store/folderLock.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { connectChain } from "./lib/chain.ts";
import { readCliEnv, withCliDefaults } from "./lib/env.ts";
import { toJson } from "./lib/output.ts";

/** `firm audit [--json]` */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {}, { usage: "audit [--json]" });
  return auditCommand({ json: values.json ?? false });
}

/** Audits the mirror; returns the exit code (0 clean, 1 drift). */
export async function auditCommand({ json }: { json: boolean }): Promise<number> {
  // A mirror folder that another process holds (npm start, firm index) is said before anything else:
  // until it is free nothing can be audited, whatever the chain.
  const env = withCliDefaults();
  if (!env.DATABASE_URL?.trim()) assertDataFolderFree(mirrorDataDir(env));
  // Then the chain and the manifest, as every command opens them: a missing dev manifest or a node
  // that is down is said the same way, with what to do, before the mirror is opened.
  const { manifest } = await connectChain(readCliEnv());
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(env);
  } catch (error) {
    throw new UsageError(
      (error as Error).message,
      "Set DATABASE_URL or DATA_DIR (and RPC_URL and DEPLOYMENT unless the dev stack's) as for `firm index`.",
    );
  }
  const { config } = parsed;
  // Its own client, with viem's default retries: an audit makes many calls and one lost call should
  // not end it, while the CLI's client (connectChain) fails at once by design.
  const publicClient = createPublicClient({ transport: http(config.rpcUrl) });
  const db = await openMirrorDatabase(config);
  try {
    const { blockNumber, drifts, checked } = await auditMirror({ db, publicClient, manifest });
    const summary = {
      ok: drifts.length === 0,
      blockNumber: Number(blockNumber),
      drifts: drifts.length,
      checked,
    };
    if (json) {
      process.stdout.write(`${toJson({ ...summary, details: drifts })}\n`);
    } else {
      for (const d of drifts) {
        process.stdout.write(
          `drift: ${d.entity} ${d.key} ${d.field}: mirror ${d.mirror ?? "∅"}, chain ${d.chain ?? "∅"}\n`,
        );
      }
      const counted = Object.entries(checked)
        .map(([what, n]) => `${n} ${what}`)
        .join(", ");
      process.stdout.write(
        `${summary.ok ? "clean" : `${drifts.length} drift(s)`} at block ${blockNumber}: checked ${counted}\n`,
      );
    }
    return summary.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

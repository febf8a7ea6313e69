// `firm audit [--json]`: compares the mirror with the chain at the indexed block and exits non-zero
// on any drift.
import { createPublicClient, http } from "viem";
import { readManifest } from "../../contracts/manifest.ts";
import { auditMirror } from "../../indexer/audit/audit.ts";
import { parseConfig } from "../../indexer/internal/config.ts";
import { openMirrorDatabase } from "../../indexer/openMirror.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";

/** `firm audit [--json]` */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {}, { usage: "audit [--json]" });
  return auditCommand({ json: values.json ?? false });
}

/** Audits the mirror; returns the exit code (0 clean, 1 drift). */
export async function auditCommand({ json }: { json: boolean }): Promise<number> {
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(process.env);
  } catch (error) {
    throw new UsageError(
      (error as Error).message,
      "Set RPC_URL and DEPLOYMENT (and DATABASE_URL or DATA_DIR) as for `firm index`.",
    );
  }
  const { config } = parsed;
  const manifest = readManifest(config.deploymentPath);
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
      process.stdout.write(`${JSON.stringify({ ...summary, details: drifts })}\n`);
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

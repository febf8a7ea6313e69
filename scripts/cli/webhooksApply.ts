// `firm webhooks apply --file <path> [--prune] [--dry-run]`: makes the mirror's named endpoints what a
// webhooks file declares (indexer/notify/webhooksFile.ts), as `npm start` and `firm index` do at start
// with WEBHOOKS_FILE. Every problem in the file is reported before anything is written. Prints what
// changed by endpoint name and field, never a secret or a URL's path (a Slack URL is a credential).

import { applyWebhooksFile, type PlannedEndpointChange } from "../../indexer/notify/applyWebhooksFile.ts";
import type { WebhookConfig } from "../../indexer/notify/config.ts";
import { readWebhooksFile, WebhooksFileInvalidError } from "../../indexer/notify/webhooksFile.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { withMirror } from "./lib/mirror.ts";
import type { Output } from "./lib/output.ts";
import { WEBHOOKS_USAGE } from "./webhooksUsage.ts";

const SAID: Record<PlannedEndpointChange["change"], [now: string, planned: string]> = {
  add: ["added", "would be added"],
  update: ["updated", "would be updated"],
  unchanged: ["unchanged", "unchanged"],
  remove: ["removed", "would be removed"],
};

/** `firm webhooks apply …` (the arguments after "apply"); `webhooks` is the checked WEBHOOKS_* settings. */
export async function applyWebhooksCommand(
  args: string[],
  out: Output,
  webhooks: WebhookConfig,
): Promise<number> {
  const usage = WEBHOOKS_USAGE[4];
  const { values } = parseCommandArgs(
    args,
    {
      file: { type: "string" },
      prune: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
    },
    { usage },
  );
  // --file, else the WEBHOOKS_FILE that `npm start` and `firm index` apply.
  const file = values.file ?? webhooks.file;
  if (file === undefined)
    throw new UsageError(
      "`firm webhooks apply` needs a file",
      `Give --file <path> or set WEBHOOKS_FILE. Usage: firm ${usage}`,
    );
  const dryRun = values["dry-run"];
  let endpoints: Awaited<ReturnType<typeof readWebhooksFile>>["endpoints"];
  try {
    const read = await readWebhooksFile({ file, allowPrivate: webhooks.allowPrivate, env: process.env });
    endpoints = read.endpoints;
    for (const warning of read.warnings) out.progress(`warning: ${warning}`);
  } catch (error) {
    if (!(error instanceof WebhooksFileInvalidError)) throw error;
    // One problem a line, each with its JSON path and fix; --json gets them as data too.
    throw new UsageError(error.shortMessage, error.hints.join("\n  "), { problems: error.problems });
  }
  return withMirror(async (db) => {
    const plan = await applyWebhooksFile(db, { endpoints, prune: values.prune, dryRun });
    if (plan.length === 0)
      out.line(`${file} declares no endpoints${values.prune ? " and no named one is left" : ""}.`);
    for (const { name, change, id, fields } of plan) {
      const said = SAID[change][dryRun ? 1 : 0];
      out.line(
        `${name}${id === undefined ? "" : ` (${id})`}: ${said}${fields ? ` (${fields.join(", ")})` : ""}`,
      );
    }
    const changed = plan.filter((entry) => entry.change !== "unchanged").length;
    out.line(
      dryRun
        ? `Dry run: ${changed} change(s) planned, nothing written.`
        : changed === 0
          ? "Nothing to change: the mirror already matches the file."
          : `Applied ${changed} change(s).`,
    );
    out.result({
      file,
      dryRun,
      changed,
      endpoints: plan.map((entry) => ({ ...entry, id: entry.id ?? null })),
    });
    return 0;
  });
}

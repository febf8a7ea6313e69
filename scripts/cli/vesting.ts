// `firm vesting <address>`: every grant of an address, each with a chart of its schedule (cliff and
// today marked), what has vested now, what `firm release` would mint, and the next unlock.
import { formatDuration, groupDigits } from "../../indexer/decode/format.ts";
import { apiNow } from "./lib/api.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { vestingChart } from "./lib/chart.ts";
import { formatTime, formatWhen, type Output } from "./lib/output.ts";
import { parseAddress } from "./lib/parse.ts";
import { openApi } from "./lib/session.ts";

/** One schedule point per chart column. */
const CHART_WIDTH = 48;

interface GrantNode {
  id: string;
  units: string;
  released: string;
  start: number;
  cliff: number;
  end: number;
  revoked: boolean;
  revokedAt: number | null;
  forfeited: string | null;
  vestedAt: string;
  releasableAt: string;
  nextUnlock: { at: number; vested: string } | null;
  schedule: { at: number; vested: string }[];
}

export async function run(args: string[], out: Output): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, { min: 1, max: 1, usage: "vesting <address>" });
  const address = parseAddress(positionals[0] as string, "<address>").toLowerCase();
  const api = openApi();
  const now = await apiNow(api);
  const { grants } = await api.query<{ grants: { edges: { node: GrantNode }[] } }>(
    `query($beneficiary: String!, $points: Int!, $at: Timestamp!) {
      grants(where: { beneficiary: $beneficiary }, first: 100) { edges { node {
        id units released start cliff end revoked revokedAt forfeited
        vestedAt(at: $at) releasableAt(at: $at) nextUnlock(at: $at) { at vested } schedule(points: $points) { at vested } } } } }`,
    { beneficiary: address, points: CHART_WIDTH, at: now },
  );
  const list = grants.edges.map((e) => e.node);
  out.line(
    list.length === 0 ? `${address} has no grants.` : `Grants of ${address} (now: ${formatTime(now)})`,
  );
  for (const grant of list) {
    const units = BigInt(grant.units);
    const cliffText = grant.cliff > grant.start ? `, ${formatDuration(grant.cliff - grant.start)} cliff` : "";
    out.line("");
    out.line(
      `Grant #${grant.id}: ${groupDigits(units)} units vesting over ${formatDuration(grant.end - grant.start)}${cliffText}${grant.revoked ? `, revoked ${formatTime(grant.revokedAt ?? 0)} (${groupDigits(BigInt(grant.forfeited ?? "0"))} forfeited)` : ""}`,
    );
    const chart = vestingChart({
      units,
      start: grant.start,
      cliff: grant.cliff,
      end: grant.end,
      now,
      points: grant.schedule.map((p) => ({ at: p.at, vested: BigInt(p.vested) })),
    });
    for (const line of chart) out.line(`  ${line}`);
    out.line(
      `  vested now ${groupDigits(BigInt(grant.vestedAt))} of ${groupDigits(units)} · released ${groupDigits(BigInt(grant.released))} · releasable ${groupDigits(BigInt(grant.releasableAt))}`,
    );
    out.line(
      grant.nextUnlock
        ? `  next unlock ${formatWhen(grant.nextUnlock.at, now)}: ${groupDigits(BigInt(grant.nextUnlock.vested))} vested then`
        : "  next unlock: none (nothing more will vest)",
    );
  }
  out.result({ address, now, grants: list });
  return 0;
}

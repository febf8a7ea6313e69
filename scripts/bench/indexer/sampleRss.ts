// Peak resident memory of a process and all its descendants, sampled from /proc (Linux only). An
// indexer may fork workers or helpers; what a machine must provision is the whole tree's RSS.
import { readdirSync, readFileSync } from "node:fs";

/** Sampling period: often enough to catch a flush's peak, cheap enough not to disturb the run. */
const DEFAULT_INTERVAL_MS = 200;
const PAGE_KB = 4; // Linux x86-64 page size; /proc/<pid>/statm counts pages

export interface RssSampler {
  /** The largest tree RSS seen so far, in MiB. */
  peakMb(): number;
  stop(): void;
}

/**
 * Samples the RSS of `rootPid` and its descendants every `intervalMs` until stopped.
 *
 * @example
 * const rss = sampleRss(child.pid!);
 * // … run …
 * rss.stop();
 * console.log(rss.peakMb());
 */
export function sampleRss(rootPid: number, intervalMs = DEFAULT_INTERVAL_MS): RssSampler {
  let peakKb = 0;
  const sample = () => {
    const kb = treeRssKb(rootPid);
    if (kb > peakKb) peakKb = kb;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peakMb: () => Math.round(peakKb / 1024),
    stop: () => clearInterval(timer),
  };
}

/** The summed RSS (KiB) of `rootPid` and every process below it; 0 once it has exited. */
export function treeRssKb(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = readPpid(Number(entry));
    if (ppid === null) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += readRssKb(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function readPpid(pid: number): number | null {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: parse after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[1]);
  } catch {
    return null; // exited between readdir and read
  }
}

function readRssKb(pid: number): number {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, "utf8").split(" ");
    return Number(statm[1]) * PAGE_KB;
  } catch {
    return 0;
  }
}

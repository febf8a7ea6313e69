// V8 sizes the heap's next full-collection limit as a factor of what survived the last one, and
// picks that factor (up to 4×) from how fast it collects. For a long-running process whose live data
// is bounded (the indexer's buffers and row budget), the factor is what makes peak memory grow with
// run time. `--heap-growing-percent` fixes the factor; unlike the heap's size limits it is read at
// every collection, so it takes effect when set at run time, and needs no start-up flag of its own
// (`firm index` runs on its user's `node`, and Node refuses this flag in NODE_OPTIONS).
import { setFlagsFromString } from "node:v8";

/**
 * Lets the heap grow by at most `percent` past what survived each full collection; 0 leaves V8's
 * own factor. Applies to the whole process.
 *
 * @example
 * limitHeapGrowth(config.heapGrowthPercent);
 */
export function limitHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0)
    throw new RangeError(`The heap growth percent must be a whole number from 0, not ${percent}.`);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

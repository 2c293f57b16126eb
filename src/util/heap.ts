import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what a full collection found alive before it collects again, percent.
 * V8 picks up to 300 % for an isolate with a large heap limit, and the main thread gets the machine's
 * (~4 GB here), so its old generation grew to twice what it kept alive; the workers' 128 MB limit gives
 * them ~30 % already. Measured at 100,000 calls: peak RSS 30–40 MB lower, time unchanged (bench/RESULTS.md).
 */
const HEAP_GROWING_PERCENT = 30;

/**
 * Holds every heap of the process (the main thread's, the workers') near its live size: a run keeps
 * little alive, and a heap grown on garbage is memory the machine does not get back until the run ends.
 * V8 reads this setting at each collection, so setting it when a run starts is enough.
 */
export function keepHeapsNearLive(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

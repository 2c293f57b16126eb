import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';

/**
 * With CALLQA_DEBUG_MEMORY=<seconds>, each thread prints its V8 heap (and the process RSS) to stderr
 * that often: how the benchmark tells which thread's memory grows. Off by default; never in reports.
 */
export function watchMemory(): void {
  const seconds = Number(process.env.CALLQA_DEBUG_MEMORY);
  if (!(seconds > 0)) return;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
  setInterval(() => {
    const heap = getHeapStatistics();
    process.stderr.write(
      `callqa memory: thread ${threadId} heap ${mb(heap.used_heap_size)}/${mb(heap.total_heap_size)} MB, external ${mb(heap.external_memory)} MB, process rss ${mb(process.memoryUsage.rss())} MB\n`,
    );
  }, seconds * 1000).unref();
}

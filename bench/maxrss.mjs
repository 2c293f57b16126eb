// Preloaded with `node --import` by bench/run.mjs when /usr/bin/time is missing (or BENCH_NO_TIME=1):
// writes the process's peak resident set size (KB) and its user and system CPU time (µs), worker
// threads included, to $BENCH_MAXRSS_FILE when it exits.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_MAXRSS_FILE;
if (file && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
  });
}

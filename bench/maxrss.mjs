// Preloaded with `node --import` by bench/run.mjs when /usr/bin/time is missing: writes the process's
// peak resident set size (KB, worker threads included) to $BENCH_MAXRSS_FILE when it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MAXRSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));

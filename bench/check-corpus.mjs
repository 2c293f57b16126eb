#!/usr/bin/env node
// Checks the generator against the scorer: for every call, the rules it was built to break against the
// outcomes in calls.csv of `callqa score`. Prints, per rule, built-to-fail calls that passed (misses) and
// calls that failed without being built to (extra).
//   node bench/check-corpus.mjs CORPUS_DIR REPORT_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeAgents, makeCall, RULE_IDS } from './generate.mjs';

const [corpus, report] = process.argv.slice(2);
if (!corpus || !report) {
  process.stderr.write('usage: node bench/check-corpus.mjs CORPUS_DIR REPORT_DIR\n');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(corpus, '.bench', 'manifest.json'), 'utf8'));
const agents = makeAgents(manifest.seed, manifest.agentCount ?? 200);
const csv = readFileSync(join(report, 'calls.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
const header = csv[0].split(',');
const col = Object.fromEntries(header.map((h, i) => [h, i]));
const rows = new Map();
for (const line of csv.slice(1)) {
  const cells = line.split(','); // the generated ids, names and paths hold no commas or quotes
  rows.set(cells[col.call_id], cells);
}
const stats = Object.fromEntries(RULE_IDS.map((id) => [id, { built: 0, failed: 0, missed: [], extra: [] }]));
for (let i = 0; i < manifest.calls; i++) {
  const { call, broken } = makeCall(i, manifest.seed, agents);
  const row = rows.get(call.call_id);
  if (!row) {
    process.stdout.write(`missing from calls.csv: ${call.call_id}\n`);
    continue;
  }
  for (const id of RULE_IDS) {
    const outcome = row[col[id]];
    const s = stats[id];
    if (broken[id]) s.built++;
    if (outcome === 'fail') s.failed++;
    if (broken[id] && outcome !== 'fail') s.missed.push(`${call.call_id}(${outcome})`);
    if (!broken[id] && outcome === 'fail') s.extra.push(call.call_id);
  }
}
let bad = 0;
for (const [id, s] of Object.entries(stats)) {
  bad += s.missed.length + s.extra.length;
  process.stdout.write(
    `${id.padEnd(22)} built ${String(s.built).padStart(6)}  failed ${String(s.failed).padStart(6)}  missed ${s.missed.length} ${s.missed.slice(0, 3).join(' ')}  extra ${s.extra.length} ${s.extra.slice(0, 3).join(' ')}\n`,
  );
}
process.exitCode = bad === 0 ? 0 : 1;

#!/usr/bin/env node
// Where the time of one thread goes, stage by stage, on a corpus (in process, through dist/):
//   node bench/stages.mjs DIR [--limit N]
// read+parse → roles → normalise → each rule → record → JSON line → CSV rows. Not a test: it prints.
import { parseArgs } from 'node:util';
import { discoverInputs, newTally, readInput } from '../dist/ingest/index.js';
import { prepareOwnCall } from '../dist/normalise/call.js';
import { resolveRoles } from '../dist/normalise/roles.js';
import { callSummaryAndHead } from '../dist/results/codec.js';
import { summaryRows } from '../dist/run/report-dir.js';
import { loadRubric } from '../dist/rubric/load.js';
import { greetingMatchersOf } from '../dist/rules/greeting.js';
import { scoreCall } from '../dist/scoring/score-call.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { limit: { type: 'string' }, rubric: { type: 'string' } } });
const limit = Number(values.limit ?? Number.POSITIVE_INFINITY);
const rubric = await loadRubric(values.rubric);
const roles = { greetingElements: greetingMatchersOf(rubric) };
const t = new Map();
const add = (k, ms) => t.set(k, (t.get(k) ?? 0) + ms);
const now = () => performance.now();
let calls = 0;
let utterances = 0;
const tally = newTally();
const items = [];
for await (const item of discoverInputs(positionals, tally)) items.push(item);
const layout = { ruleIds: rubric.rules.map((r) => r.id) };
const started = now();
outer: for (const item of items) {
  const it = readInput(item, {}, tally);
  for (;;) {
    let a = now();
    const { value: parsed, done } = await it.next();
    add('read+parse', now() - a);
    if (done) break;
    if (parsed.error) continue;
    a = now();
    const resolved = resolveRoles(parsed.call, roles);
    add('roles', now() - a);
    a = now();
    // As the pipeline does (score-input.ts): the fresh call resolveRoles made is prepared in place.
    const prepared = prepareOwnCall(resolved);
    add('normalise', now() - a);
    utterances += prepared.utterances.length;
    const results = new Map();
    for (const { id, definition, options } of rubric.rules) {
      a = now();
      results.set(id, definition.check(prepared, options, { results }));
      add(`rule ${id}`, now() - a);
    }
    a = now();
    const result = scoreCall(prepared, rubric);
    add('scoreCall (all rules again)', now() - a);
    a = now();
    const { summary } = callSummaryAndHead(result, prepared, 0);
    add('summary and its results line (callSummaryAndHead: masking, JSON)', now() - a);
    a = now();
    summaryRows(summary, layout);
    add('CSV rows (summaryRows)', now() - a);
    if (++calls >= limit) break outer;
  }
}
const total = now() - started;
console.log(`${calls} calls, ${utterances} utterances, ${total.toFixed(0)} ms in all`);
for (const [k, ms] of [...t].sort((x, y) => y[1] - x[1])) console.log(`${ms.toFixed(0).padStart(8)} ms  ${((1000 * ms) / calls).toFixed(1).padStart(7)} µs/call  ${k}`);

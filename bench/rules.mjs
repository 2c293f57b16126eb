#!/usr/bin/env node
// What each rule costs on calls it has not seen before, in process, one thread (through dist/):
//   node bench/rules.mjs DIR [--limit N] [--warm W] [--rule ID]…
// Scores the first W calls of DIR (default 300) with every rule — lazy loading (jieba, pinyin), the JIT — then
// times each rule on the next N calls (default 3,000), each scored once: no cache has met their texts, as in a
// real corpus, whose lines repeat far less than the bench's templates. With --rule, only those rules run on the
// timed calls. Not a test: it prints µs a call per rule.
import { parseArgs } from 'node:util';
import { discoverInputs, newTally, readInput } from '../dist/ingest/index.js';
import { prepareOwnCall } from '../dist/normalise/call.js';
import { resolveRoles } from '../dist/normalise/roles.js';
import { loadRubric } from '../dist/rubric/load.js';
import { greetingMatchersOf } from '../dist/rules/greeting.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { limit: { type: 'string' }, warm: { type: 'string' }, rule: { type: 'string', multiple: true }, rubric: { type: 'string' } },
});
const limit = Number(values.limit ?? 3000);
const warm = Number(values.warm ?? 300);
const only = new Set(values.rule ?? []);
const rubric = await loadRubric(values.rubric);
const roles = { greetingElements: greetingMatchersOf(rubric) };
const tally = newTally();
const items = [];
for await (const item of discoverInputs(positionals, tally)) items.push(item);
const calls = [];
outer: for (const item of items) {
  for await (const parsed of readInput(item, {}, tally)) {
    if (parsed.error) continue;
    calls.push(parsed.call);
    if (calls.length >= warm + limit) break outer;
  }
}
const spent = new Map();
let all = 0;
calls.forEach((call, k) => {
  const prepared = prepareOwnCall(resolveRoles(call, roles));
  const results = new Map();
  for (const { id, definition, options } of rubric.rules) {
    if (k >= warm && only.size > 0 && !only.has(id)) continue;
    const a = performance.now();
    results.set(id, definition.check(prepared, options, { results }));
    const ms = performance.now() - a;
    if (k >= warm) {
      spent.set(id, (spent.get(id) ?? 0) + ms);
      all += ms;
    }
  }
});
const timed = Math.max(0, calls.length - warm);
const us = (ms) => ((1000 * ms) / Math.max(1, timed)).toFixed(1).padStart(7);
console.log(`${timed} calls timed after ${Math.min(warm, calls.length)} to warm up; the rules timed: ${us(all).trim()} µs a call`);
for (const [id, ms] of [...spent].sort((x, y) => y[1] - x[1])) console.log(`${us(ms)} µs/call  ${id}`);

#!/usr/bin/env node
// Summarises V8 .cpuprofile files (node --cpu-prof): the functions with the most self time, over all
// the files given (the main thread and every worker thread write one each), and the same by source file.
//
//   node bench/profile-summary.mjs [--top 15] [--markdown] PROFILE_OR_DIR…
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function shortUrl(url) {
  if (!url) return '';
  let path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(ROOT)) path = relative(ROOT, path);
  return path.replace(/^(?:.*\/)?node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, 'npm:');
}

const keyOf = (f) => {
  const name = f.functionName || (f.url ? '(anonymous)' : '');
  return f.url ? `${name} ${shortUrl(f.url)}:${f.lineNumber + 1}` : name || '(unknown)';
};

/**
 * Who calls a function: for each sample whose leaf is `key`, the nearest frames up the stack that are
 * callqa's own code (dist/), as "fn file:line ← fn file:line".
 */
function callersIn(profile, keys, depth, into) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    const leaf = byId.get(samples[i]);
    const key = keyOf(leaf.callFrame);
    if (!keys.has(key)) continue;
    const chain = [];
    for (let id = parent.get(leaf.id); id !== undefined && chain.length < depth; id = parent.get(id)) {
      const f = byId.get(id).callFrame;
      if (shortUrl(f.url).startsWith('dist/')) chain.push(keyOf(f));
    }
    const per = into.get(key) ?? new Map();
    const c = chain.join(' ← ') || '(no callqa frame)';
    per.set(c, (per.get(c) ?? 0) + (timeDeltas[i + 1] ?? 0) / 1000);
    into.set(key, per);
  }
}

/** Self time (ms) per function of one profile, and the thread's total sampled time. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time until the next sample belongs to sample i.
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  const out = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const { callFrame: f } = byId.get(id);
    const name = f.functionName || (f.url ? '(anonymous)' : '');
    const key = keyOf(f);
    if (key === '(idle)') idle += ms;
    else total += ms;
    const entry = out.get(key) ?? { key, name, file: shortUrl(f.url), ms: 0 };
    entry.ms += ms;
    out.set(key, entry);
  }
  return { functions: out, total, idle };
}

export function summarise(paths, top = 15, callersOf = 3) {
  const files = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.cpuprofile')) files.push(join(p, f));
    } else {
      files.push(p);
    }
  }
  const all = new Map();
  const threads = [];
  const profiles = [];
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    profiles.push(profile);
    const s = selfTimes(profile);
    threads.push({ file, busyMs: s.total, idleMs: s.idle });
    total += s.total;
    for (const e of s.functions.values()) {
      const a = all.get(e.key) ?? { ...e, ms: 0 };
      a.ms += e.ms;
      all.set(e.key, a);
    }
  }
  const functions = [...all.values()].filter((e) => e.key !== '(idle)').sort((a, b) => b.ms - a.ms);
  const byFile = new Map();
  for (const e of functions) {
    const k = e.file || e.name;
    byFile.set(k, (byFile.get(k) ?? 0) + e.ms);
  }
  // The callers of the heaviest functions that are not callqa's own (a library, a builtin).
  const foreign = functions.filter((e) => e.file && !e.file.startsWith('dist/') && !e.file.startsWith('node:')).slice(0, callersOf);
  const callerMap = new Map();
  for (const p of profiles) callersIn(p, new Set(foreign.map((e) => e.key)), 3, callerMap);
  const callers = foreign.map((e) => ({
    key: e.key,
    ms: e.ms,
    from: [...(callerMap.get(e.key) ?? new Map()).entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([chain, ms]) => ({ chain, ms })),
  }));
  return {
    threads,
    totalMs: total,
    callers,
    top: functions.slice(0, top).map((e) => ({ ...e, pct: (100 * e.ms) / total })),
    files: [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([file, ms]) => ({ file, ms, pct: (100 * ms) / total })),
  };
}

export function renderMarkdown(s) {
  const lines = [];
  lines.push(`Busy (non-idle) sampled time over ${s.threads.length} thread profile(s): ${(s.totalMs / 1000).toFixed(2)} s`);
  for (const t of s.threads) lines.push(`- ${relative(ROOT, t.file)}: busy ${(t.busyMs / 1000).toFixed(2)} s, idle ${(t.idleMs / 1000).toFixed(2)} s`);
  lines.push('', '| # | self ms | % | function | where |', '|---:|---:|---:|---|---|');
  s.top.forEach((e, i) => lines.push(`| ${i + 1} | ${e.ms.toFixed(0)} | ${e.pct.toFixed(1)} | \`${e.name || e.key}\` | ${e.file ? `\`${e.key.slice(e.name.length + 1)}\`` : ''} |`));
  lines.push('', 'By source file (self time summed):', '', '| self ms | % | file |', '|---:|---:|---|');
  for (const f of s.files) lines.push(`| ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} | \`${f.file}\` |`);
  for (const c of s.callers) {
    lines.push('', `Where \`${c.key}\` (${c.ms.toFixed(0)} ms self) is called from (nearest callqa frames):`, '');
    for (const f of c.from) lines.push(`- ${f.ms.toFixed(0)} ms: ${f.chain}`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' }, json: { type: 'boolean' } } });
  if (positionals.length === 0) {
    process.stderr.write('usage: node bench/profile-summary.mjs [--top N] [--json] PROFILE_OR_DIR…\n');
    process.exit(2);
  }
  const s = summarise(positionals, Number(values.top));
  process.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : renderMarkdown(s));
}

#!/usr/bin/env node
// The floor of the benchmark: what reading the corpus costs with nothing else. Walks the directory the
// way callqa does (recursive, sorted, dot folders skipped), reads every file and JSON.parse-s it —
// .jsonl line by line, .json whole — and for .txt only reads it and splits it into lines.
// Prints one JSON line: { files, calls, bytes, ms }.
//
//   node bench/floor.mjs DIR
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

async function* walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) yield* walk(path);
    } else if (e.isFile()) {
      yield path;
    }
  }
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node bench/floor.mjs DIR\n');
  process.exit(2);
}
const started = performance.now();
let files = 0;
let calls = 0;
let bytes = 0;
let lines = 0;
for await (const path of walk(dir)) {
  const ext = extname(path);
  if (ext !== '.jsonl' && ext !== '.json' && ext !== '.txt') continue;
  const buf = await readFile(path);
  bytes += buf.length;
  files++;
  const text = buf.toString('utf8');
  if (ext === '.jsonl') {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      JSON.parse(line);
      calls++;
    }
  } else if (ext === '.json') {
    const doc = JSON.parse(text);
    calls += Array.isArray(doc) ? doc.length : 1;
  } else {
    lines += text.split(/\r\n|\n|\r/).length;
    calls++;
  }
}
process.stdout.write(`${JSON.stringify({ files, calls, bytes, txtLines: lines, ms: Math.round(performance.now() - started) })}\n`);

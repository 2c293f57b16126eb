import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeFindings as placeForExplain } from '../../src/render/explain.js';
import { placeFindings as placeForHtml, writeHtmlReport } from '../../src/render/html/index.js';
import type { CallRecord, RunInfo, UtteranceRecord } from '../../src/results/codec.js';
import type { Finding } from '../../src/scoring/score-call.js';
import { type Occurrence, withoutExceptions } from '../../src/match/phrases.js';
import { IntervalIndex } from '../../src/util/intervals.js';
import { seeded } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Work per input is linear (issue 15, point 2): report.html placed each finding by scanning the
 * utterances and copying the list of the utterance's findings (20,000 findings in one utterance took
 * 2.5 s, 40,000 took 10.6 s), and `callqa explain`, the LLM batch and the phrase exceptions did the
 * same. The old code is kept here as the reference: the new places every finding where it did.
 */

// ---- The old code, verbatim (the reference) ----

function oldHtmlPlace(call: { findings: Finding[]; utterances: UtteranceRecord[] }) {
  const byUtterance = new Map<number, Finding[]>();
  const loose: Finding[] = [];
  for (const f of call.findings) {
    let index = -1;
    if (f.at !== undefined) {
      index = call.utterances.findIndex((u) => u.start === f.at);
      if (index < 0) {
        call.utterances.forEach((u, i) => {
          if (u.start !== undefined && f.at !== undefined && u.start <= f.at) index = i;
        });
      }
    }
    if (index < 0) loose.push(f);
    else byUtterance.set(index, [...(byUtterance.get(index) ?? []), f]);
  }
  return { byUtterance, loose };
}

const compact = (s: string) => s.replace(/\s+/g, '');

function oldExplainPlace(record: Pick<CallRecord, 'findings' | 'utterances'>) {
  const byUtterance = new Map<number, Finding[]>();
  const unplaced: Finding[] = [];
  const us = record.utterances ?? [];
  const holds = (i: number, f: Finding) => {
    const text = compact(us[i]?.text ?? '');
    return f.evidence.split(' / ').some((part) => compact(part) !== '' && text.includes(compact(part)));
  };
  const byEvidence = (f: Finding, candidates: number[]) => candidates.find((i) => holds(i, f));
  for (const f of record.findings) {
    let index: number | undefined;
    const all = us.map((_, i) => i);
    if (f.at !== undefined) {
      const at = f.at;
      const timed = all.filter((i) => us[i]?.start !== undefined);
      const starting = timed.filter((i) => Math.abs((us[i]?.start as number) - at) < 1e-6);
      const within = timed.filter((i) => {
        const u = us[i] as UtteranceRecord;
        return (u.start as number) <= at && at <= (u.end ?? (u.start as number));
      });
      const earlier = timed.filter((i) => (us[i]?.start as number) <= at);
      index =
        byEvidence(f, starting) ??
        starting[0] ??
        byEvidence(f, within) ??
        within[0] ??
        earlier.reduce<number | undefined>((best, i) => (best === undefined || (us[i]?.start as number) >= (us[best]?.start as number) ? i : best), undefined);
      if (index === undefined && timed.length > 0) index = byEvidence(f, all) ?? timed[0];
    } else {
      index = byEvidence(f, all);
    }
    if (index === undefined) unplaced.push(f);
    else byUtterance.set(index, [...(byUtterance.get(index) ?? []), f]);
  }
  return { byUtterance, unplaced };
}

const oldWithoutExceptions = (found: Occurrence[], exceptions: Occurrence[]) =>
  exceptions.length === 0 ? found : found.filter((occ) => !exceptions.some((ex) => ex.start <= occ.start && occ.end <= ex.end));

// ---- Random calls with the awkward cases: equal, near-equal and missing times, unsorted, missing ends ----

const WORDS = ['您好', '不知道', '稍等', '谢谢', 'ok', '再见', ' ', '请问'];

function randomCall(random: () => number, n: number, m: number): { findings: Finding[]; utterances: UtteranceRecord[] } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const times = [0, 1, 1.0000001, 2.5, 3, 7, 7.0000004, 10, -1];
  const utterances: UtteranceRecord[] = Array.from({ length: n }, () => {
    const u: UtteranceRecord = {
      speaker: random() < 0.5 ? 'agent' : 'customer',
      text: Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(WORDS)).join(''),
    };
    const r = random();
    if (r < 0.8) u.start = random() < 0.5 ? pick(times) : Math.round(random() * 200) / 10;
    if (u.start !== undefined && random() < 0.7) u.end = u.start + Math.round(random() * 50) / 10 - (random() < 0.1 ? 3 : 0);
    return u;
  });
  const findings: Finding[] = Array.from({ length: m }, () => {
    const f: Finding = {
      rule: pick(['greeting', 'banned-phrases', 'llm:empathy']),
      deduction: 5,
      message: 'm',
      evidence: random() < 0.2 ? '' : `${pick(WORDS)}${random() < 0.3 ? ` / ${pick(WORDS)}` : ''}`,
    };
    if (random() < 0.85) f.at = random() < 0.5 ? pick(times) : Math.round(random() * 220) / 10 - 1;
    return f;
  });
  return { findings, utterances };
}

/** The utterances, counting every element read (the operations a placement costs). */
function counted(utterances: UtteranceRecord[]): { utterances: UtteranceRecord[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(utterances, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { utterances: proxy, reads: () => reads };
}

describe('findings are placed under their utterances in linear work, where the old code placed them', () => {
  it('report.html: the same places as the old code on 400 random calls', () => {
    const random = seeded(15);
    for (let k = 0; k < 400; k++) {
      const call = randomCall(random, Math.floor(random() * 30), Math.floor(random() * 30));
      expect(placeForHtml(call), `call ${k}`).toEqual(oldHtmlPlace(call));
    }
  });

  it('callqa explain: the same places as the old code on 400 random calls', () => {
    const random = seeded(16);
    for (let k = 0; k < 400; k++) {
      const call = randomCall(random, Math.floor(random() * 30), Math.floor(random() * 30));
      expect(placeForExplain(call as CallRecord), `call ${k}`).toEqual(oldExplainPlace(call));
    }
  });

  it('reads each utterance a bounded number of times, not once per finding (3,000 utterances, 3,000 findings)', () => {
    const call = randomCall(seeded(17), 3000, 3000);
    const html = counted(call.utterances);
    placeForHtml({ findings: call.findings, utterances: html.utterances });
    // The old code read every utterance for (nearly) every finding: millions of reads.
    const old = counted(call.utterances);
    oldHtmlPlace({ findings: call.findings, utterances: old.utterances });
    expect(old.reads()).toBeGreaterThan(1_000_000);
    expect(html.reads()).toBeLessThan(4 * 6000);
    const explain = counted(call.utterances);
    placeForExplain({ findings: call.findings, utterances: explain.utterances } as CallRecord);
    // Sorting the utterances by time reads them n log n times; the evidence search reads few.
    expect(explain.reads()).toBeLessThan(20 * 6000 + 2 * 3000 * Math.log2(3000));
  });

  it('40,000 findings in one utterance: report.html is written in well under 3 s (the old code took 10.6 s)', async () => {
    const dir = await tempDir('callqa-linear-');
    const run: RunInfo = {
      schema_version: 1,
      callqaVersion: '0.1.0',
      rubric: { name: 'r', path: '/r.yaml', sha256: 'abc', passScore: 80, advice: {} },
      layout: { ruleIds: ['banned-phrases'] },
      inputs: { files: 1, calls: 1, failed: 0, skipped: 0 },
      startedAt: '2026-11-01T00:00:00Z',
      endedAt: '2026-11-01T00:01:00Z',
      command: ['score', 'x'],
    };
    const text = '不知道'.repeat(40_000);
    const findings: Finding[] = Array.from({ length: 40_000 }, (_, i) => ({
      rule: 'banned-phrases',
      deduction: 5,
      message: 'banned phrase',
      evidence: '不知道',
      at: i % 2 === 0 ? 0 : 0.5,
    }));
    const record: CallRecord = {
      type: 'call',
      schema_version: 1,
      seq: 0,
      callId: 'big',
      agentId: 'A1',
      agentName: 'a',
      source: 'big.json',
      hangupBy: 'customer',
      roleSource: 'given',
      score: 0,
      passed: false,
      outcomes: { 'banned-phrases': 'fail' },
      findings,
      criticalFailures: [],
      ruleErrors: [],
      durationSeconds: 1,
      utterances: [{ speaker: 'agent', start: 0, end: 1, text }],
    } as CallRecord;
    await writeFile(join(dir, 'run.json'), JSON.stringify(run));
    await writeFile(join(dir, 'results.jsonl'), `${JSON.stringify(record)}\n`);
    const started = performance.now();
    await writeHtmlReport(dir);
    expect(performance.now() - started).toBeLessThan(3000);
    // Every finding went under the one utterance.
    const placed = placeForHtml({ findings, utterances: record.utterances ?? [] });
    expect([placed.loose.length, placed.byUtterance.get(0)?.length]).toEqual([0, 40_000]);
  }, 30_000);
});

describe('other searches that were one scan per item', () => {
  it('phrase exceptions: the same occurrences kept as the old code, on random intervals', () => {
    const random = seeded(18);
    const occ = (): Occurrence => {
      const start = Math.floor(random() * 40);
      return { start, end: start + 1 + Math.floor(random() * 8), phrase: 'p' };
    };
    for (let k = 0; k < 500; k++) {
      const found = Array.from({ length: Math.floor(random() * 20) }, occ);
      const exceptions = Array.from({ length: Math.floor(random() * 6) }, occ);
      expect(withoutExceptions(found, exceptions)).toEqual(oldWithoutExceptions(found, exceptions));
    }
  });

  it('IntervalIndex answers as a scan would: containing, starting near, latest start', () => {
    const random = seeded(19);
    for (let k = 0; k < 300; k++) {
      const list = Array.from({ length: Math.floor(random() * 25) }, () => {
        const iv: { start?: number; end?: number } = {};
        if (random() < 0.85) iv.start = Math.floor(random() * 20) / 2;
        if (iv.start !== undefined && random() < 0.7) iv.end = iv.start + Math.floor(random() * 10) / 2 - (random() < 0.1 ? 2 : 0);
        return iv;
      });
      const index = new IntervalIndex(list);
      const all = list.map((_, i) => i).filter((i) => list[i]?.start !== undefined);
      for (const t of [-1, 0, 0.5, 1.25, 3, 4.5, 9.5, 12, Number.NaN]) {
        const s = (i: number) => list[i]?.start as number;
        expect(index.containing(t)).toEqual(all.filter((i) => s(i) <= t && t <= (list[i]?.end ?? s(i))));
        expect(index.startingNear(t, 1e-6)).toEqual(all.filter((i) => Math.abs(s(i) - t) < 1e-6));
        const earlier = all.filter((i) => s(i) <= t);
        expect(index.latestStartBy(t)).toEqual(earlier.reduce<number | undefined>((b, i) => (b === undefined || s(i) >= s(b) ? i : b), undefined));
      }
    }
  });
});

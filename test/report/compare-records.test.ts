import { describe, expect, it } from 'vitest';
import { compareRecords } from '../../src/results/order.js';
import { randomText, seeded } from '../helpers/random.js';

/** The order spelled out: split into folder names, compared name by name, then by count, then by place. */
function byFolders(a: { source: string; seq: number }, b: { source: string; seq: number }): number {
  const pa = a.source.split(/[\\/]/);
  const pb = b.source.split(/[\\/]/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length || a.seq - b.seq;
}

describe('compareRecords', () => {
  it('orders paths folder by folder: a folder name that is a prefix, and its folder, come where a walk puts them', () => {
    const sources = ['in/a-b.json', 'in/a/x.json', 'in/a', 'in/a.json', 'in/a/x.json/y', 'in\\a\\w.json', 'in/', 'in', 'in/b', '通话/一.json', 'in/A'];
    const sorted = sources.map((source) => ({ source, seq: 0 })).sort(compareRecords);
    expect(sorted.map((r) => r.source)).toEqual([
      'in',
      'in/',
      'in/A',
      'in/a',
      'in\\a\\w.json',
      'in/a/x.json',
      'in/a/x.json/y',
      'in/a-b.json',
      'in/a.json',
      'in/b',
      '通话/一.json',
    ]);
  });

  it('agrees in sign with splitting on separators, over 20,000 random pairs of paths', () => {
    const random = seeded(17);
    const alphabet = ['a', 'b', 'B', '/', '/', '\\', '-', '.', '0', '通', '話', '\u{1F600}'];
    const pick = () => ({ source: randomText(random, alphabet, 9), seq: Math.floor(random() * 3) });
    let disagreements = 0;
    let ties = 0;
    for (let k = 0; k < 20_000; k++) {
      const a = pick();
      // Half the pairs share a start, so that most comparisons get past the first folder.
      const b =
        random() < 0.5
          ? { source: a.source.slice(0, Math.floor(random() * (a.source.length + 1))) + randomText(random, alphabet, 4), seq: pick().seq }
          : pick();
      const got = Math.sign(compareRecords(a, b));
      if (got !== Math.sign(byFolders(a, b))) disagreements++;
      if (got === 0) ties++;
      if (Math.sign(compareRecords(b, a)) + got !== 0) disagreements++;
    }
    expect(disagreements).toBe(0);
    // Equal paths (or equal but for / against \) come down to the place in the source.
    expect(ties).toBeGreaterThan(100);
  });
});

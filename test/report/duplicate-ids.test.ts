import { describe, expect, it } from 'vitest';
import { DUPLICATES_LISTED, DuplicateCallIds, SOURCES_LISTED } from '../../src/run/duplicate-ids.js';

describe('DuplicateCallIds', () => {
  it('lists an id used by more than one call with the source of each, a source repeated when it holds the id twice', () => {
    const d = new DuplicateCallIds();
    d.add('C-1', 'a.json');
    d.add('C-2', 'a.json');
    d.add('C-1', 'b.json');
    d.add('C-3', 'c.json');
    d.add('C-3', 'c.json');
    d.add('C-1', 'c.json');
    expect(d.list()).toEqual([
      { call_id: 'C-1', sources: ['a.json', 'b.json', 'c.json'] },
      { call_id: 'C-3', sources: ['c.json', 'c.json'] },
    ]);
    expect(d.runInfo()).toEqual({ duplicate_call_ids: d.list(), duplicate_call_id_count: 2 });
    expect(d.describe()).toBe(
      'callqa: note: 2 call ids are used by more than one call; every call was scored (run.json lists them in duplicate_call_ids):\n' +
        '  "C-1": a.json, b.json, c.json\n' +
        '  "C-3": c.json, c.json\n',
    );
  });

  it('says nothing and adds nothing to run.json without duplicates', () => {
    const d = new DuplicateCallIds();
    d.add('C-1', 'a.json');
    d.add('C-2', 'a.json');
    expect(d.runInfo()).toEqual({});
    expect(d.describe()).toBe('');
  });

  it('is bounded: at most 100 ids and 10 sources each are kept, the count covers all, stderr names 10', () => {
    const d = new DuplicateCallIds();
    for (let i = 0; i < 250; i++) {
      d.add(`C-${i}`, 'a.json');
      d.add(`C-${i}`, 'b.json');
    }
    for (let s = 0; s < 30; s++) d.add('C-0', `s${s}.json`);
    expect(d.count).toBe(250);
    expect(d.list()).toHaveLength(DUPLICATES_LISTED);
    expect(d.list()[0]?.sources).toHaveLength(SOURCES_LISTED);
    expect(d.list()[0]?.sources.slice(0, 3)).toEqual(['a.json', 'b.json', 's0.json']);
    const lines = d.describe().split('\n');
    expect(lines[0]).toBe('callqa: note: 250 call ids are used by more than one call; every call was scored (run.json lists them in duplicate_call_ids):');
    expect(lines).toHaveLength(1 + 10 + 1 + 1);
    expect(lines[11]).toBe('  … and 240 more');
  });

  it('keeps terminal escapes in ids and paths off the terminal', () => {
    const d = new DuplicateCallIds();
    d.add('C\u001b[31m', 'a\u0007.json');
    d.add('C\u001b[31m', 'b.json');
    expect(d.describe()).toContain('  "C\ufffd[31m": a\ufffd.json, b.json\n');
  });
});

import { describe, expect, it } from 'vitest';
import { findingIds, isFindingId } from '../../src/review/ids.js';
import { parseVerdict } from '../../src/review/verdict.js';

describe('finding ids', () => {
  const findings = [
    { rule: 'banned-phrases', at: 12.3, evidence: '这个不行，真的不行' },
    { rule: 'banned-phrases', at: 12.3, evidence: '这个不行，真的不行' },
    { rule: 'greeting', evidence: '' },
  ];

  it('are the same for the same call, rule, place and evidence, in any run; twins in a call are told apart by their order', () => {
    const ids = findingIds('C-1', findings);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(isFindingId(id)).toBe(true);
    expect(findingIds('C-1', findings)).toEqual(ids);
    // A place written with more decimals than findings.csv keeps is the same place.
    expect(findingIds('C-1', [{ ...findings[0], at: 12.300000001 } as (typeof findings)[0]])[0]).toBe(ids[0]);
    expect(findingIds('C-2', findings)[0]).not.toBe(ids[0]);
    expect(findingIds('C-1', [{ ...findings[0], at: 12.4 } as (typeof findings)[0]])[0]).not.toBe(ids[0]);
    expect(findingIds('C-1', [{ ...findings[0], evidence: '不行' } as (typeof findings)[0]])[0]).not.toBe(ids[0]);
    // The second twin alone keeps its own id only as a second: order within the call names it.
    expect(findingIds('C-1', findings.slice(1))[0]).toBe(ids[0]);
    expect(isFindingId('F-123')).toBe(false);
  });
});

describe('verdicts', () => {
  it.each([
    ['confirmed', 'confirmed'],
    [' Confirmed ', 'confirmed'],
    ['确认', 'confirmed'],
    ['確認', 'confirmed'],
    ['rejected', 'rejected'],
    ['驳回', 'rejected'],
    ['駁回', 'rejected'],
    ['unsure', 'unsure'],
    ['待定', 'unsure'],
    ['', undefined],
    ['  ', undefined],
    ['ok', 'invalid'],
  ])('%j is %s', (cell, want) => {
    expect(parseVerdict(cell)).toBe(want);
  });
});

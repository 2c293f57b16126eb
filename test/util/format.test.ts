import { describe, expect, it } from 'vitest';
import { clock, round } from '../../src/util/format.js';

describe('round', () => {
  it('rounds to the digits asked', () => {
    expect(round(165.234)).toBe(165.23);
    expect(round(604_799.999, 2)).toBe(604_800);
    expect(round(-2.345, 1)).toBe(-2.3);
  });

  it('leaves numbers too large to have decimals as they are, never Infinity (an empty cell)', () => {
    expect(round(1e308)).toBe(1e308);
    expect(round(1e300, 2)).toBe(1e300);
    expect(round(2 ** 60)).toBe(2 ** 60);
  });
});

describe('clock', () => {
  it('writes minutes past 59 and the longest call an input may give (7 days)', () => {
    expect(clock(75 * 60 + 3.9)).toBe('75:03');
    expect(clock(604_800)).toBe('10080:00');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charTable, holdsAtLeast } from '../../src/util/char-table.js';

describe('charTable', () => {
  it('marks exactly the code units the character class matches, and is built once per pattern', () => {
    const digits = /[0-9０-９零两]/;
    const table = charTable(digits);
    const marked = [...table.keys()].filter((c) => table[c] === 1).map((c) => String.fromCharCode(c));
    expect(marked.join('')).toBe('0123456789两零０１２３４５６７８９');
    expect(charTable(digits)).toBe(table);
  });

  it('holdsAtLeast counts the marked characters anywhere in the text', () => {
    const table = charTable(/[0-9]/);
    expect(holdsAtLeast('a1b2c3', table, 3)).toBe(true);
    expect(holdsAtLeast('a1b2c', table, 3)).toBe(false);
    expect(holdsAtLeast('', table, 0)).toBe(true);
  });

  it('holdsAtLeast, which stops once too few characters are left, agrees with a count of the whole text', () => {
    const table = charTable(/[0-9两]/);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('1', '9', '两', 'a', '好', ' '), { maxLength: 20 }), fc.integer({ min: -1, max: 22 }), (chars, n) => {
        const count = chars.filter((c) => table[c.charCodeAt(0)] === 1).length;
        expect(holdsAtLeast(chars.join(''), table, n)).toBe(count >= n);
      }),
      { numRuns: 3000 },
    );
  });
});

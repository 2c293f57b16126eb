import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { type Cell, cellText, csvLine } from '../../src/render/csv.js';
import { randomText, seeded } from '../helpers/random.js';

// csvLine writes records by hand for speed; csv-stringify, with the options the reports used, is the reference.
const OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;
const reference = (cells: readonly Cell[]) => stringify([cells.map(cellText)], OPTIONS);

describe('csvLine writes the bytes csv-stringify writes', () => {
  it('on cells of every kind', () => {
    const rows: Cell[][] = [
      ['a', 'b', 'c'],
      ['banned phrase "不行"', 'x,y', 'line\nbreak', 'cr\rhere', 'crlf\r\n', ''],
      [undefined, null, true, false, 0, -5, 1.25, Number.NaN, Number.POSITIVE_INFINITY],
      ['=SUM(A1)', '+1', '-x', '@me', '\tTab', '＝全角', ' spaced ', '"', '""', ','],
      [],
      [''],
    ];
    for (const row of rows) expect(csvLine(row), JSON.stringify(row)).toBe(reference(row));
  });

  it('on random cells', () => {
    const alphabet = ['a', '"', ',', '\r', '\n', ' ', '=', '+', '-', '@', '\t', '好', '，', '＂', 'é', '1', '.'];
    const random = seeded(4);
    for (let k = 0; k < 5_000; k++) {
      const row = Array.from({ length: Math.floor(random() * 5) }, () => randomText(random, alphabet, 6));
      expect(csvLine(row), JSON.stringify(row)).toBe(reference(row));
    }
  });
});

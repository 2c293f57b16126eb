import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ResultsFile } from '../../src/results/write.js';
import { seeded } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';

describe('ResultsFile', () => {
  it('takes out, at the end, the transcripts of the candidates that got no page, across blocks of the copy', async () => {
    const random = seeded(17);
    const dir = await tempDir('callqa-results-');
    const file = new ResultsFile(dir);
    const expected: string[] = [];
    const paged = new Set<number>();
    for (let k = 0; k < 4000; k++) {
      const head = `{"callId":"c${k}","note":"${'好'.repeat(Math.floor(random() * 300))}"`;
      const transcript = `,"utterances":[{"speaker":"agent","text":"${'话'.repeat(Math.floor(random() * 400))}"}]`;
      const line = Buffer.from(`${head}${transcript}}\n`);
      const at = Buffer.byteLength(head);
      const how = k % 5 === 0 ? 'keep' : random() < 0.6 ? 'candidate' : 'omit';
      const start = file.writeCall(line, { at, bytes: Buffer.byteLength(transcript) }, how);
      const page = how === 'candidate' && random() < 0.3;
      if (page && start !== undefined) paged.add(start);
      expected.push(how === 'keep' || page ? `${head}${transcript}}` : `${head}}`);
      if (k % 100 === 99) await file.flush();
    }
    await file.writeRecord({ type: 'error', source: 'x', error: 'y' });
    expected.push('{"type":"error","source":"x","error":"y"}');
    await file.close();
    await file.commit(paged);
    const text = await readFile(file.path, 'utf8');
    expect(Buffer.byteLength(text)).toBeGreaterThan(2_000_000);
    expect(text).toBe(`${expected.join('\n')}\n`);
  });
});

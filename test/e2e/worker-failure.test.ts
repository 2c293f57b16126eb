import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetadataIndex } from '../../src/metadata/join.js';
import { scoreToChunks } from '../../src/pipeline/chunks.js';
import type { WorkerChunk } from '../../src/pipeline/protocol.js';
import { reportLayout } from '../../src/report/tables.js';
import { loadRubric } from '../../src/rubric/load.js';
import { greetingMatchersOf } from '../../src/rules/greeting.js';
import { ROOT } from '../helpers/cli.js';

describe('a worker that fails unexpectedly', () => {
  it('says which input was under way, after the chunks of the inputs before it', async () => {
    const rubric = await loadRubric(undefined);
    const calls = join(ROOT, 'fixtures', 'calls');
    const first = join(calls, 'c1001-broadband-outage.json');
    const second = join(calls, 'c3001-refund-slow.txt');
    let seen = 0;
    // A bug somewhere past reading (here: the call-record join) on the second input's call.
    const metadata = {
      apply: () => {
        if (++seen === 2) throw new Error('boom');
        return undefined;
      },
    } as unknown as MetadataIndex;
    const ctx = { rubric, roles: { greetingElements: greetingMatchersOf(rubric) }, ingest: {}, metadata };
    const chunks: WorkerChunk[] = [];
    await scoreToChunks(
      7,
      [
        { kind: 'file', path: first },
        { kind: 'file', path: second },
      ],
      ctx,
      reportLayout(rubric),
      { count: 0 },
      (chunk) => chunks.push(chunk),
    );
    expect(chunks).toHaveLength(1);
    const [chunk] = chunks as [WorkerChunk];
    expect(chunk.done).toBe(true);
    expect(chunk.entries.map((e) => e.call?.source)).toEqual([first]);
    expect(chunk.failure?.startsWith(`${second}: Error: boom`)).toBe(true);
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputProblem } from '../../src/ingest/errors.js';
import { type ScoringConfig, scoringContext } from '../../src/pipeline/score-input.js';
import { loadRubric } from '../../src/rubric/load.js';
import { tempDir } from '../helpers/temp.js';

// Two deliveries of one contact's record: at disconnect (who hung up), and after after-contact work (the agent corrected).
const CONTACT = { AWSContactTraceRecordFormatVersion: '2017-03-10', ContactId: 'c-0001', Channel: 'VOICE', InitiationMethod: 'INBOUND' };
const EARLIER = { ...CONTACT, LastUpdateTimestamp: '2026-11-02T02:01:30Z', DisconnectReason: 'CUSTOMER_DISCONNECT', Agent: { Username: 'wangfang' } };
const LATER = { ...CONTACT, LastUpdateTimestamp: '2026-11-02T02:03:05Z', Agent: { Username: 'lilei' } };

/** A JSON Lines file of contact records; its path. */
async function file(dir: string, name: string, docs: object[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
  return path;
}

/** A folder of two JSON files (a.json, b.json) of a record each; its path. */
async function folder(dir: string, a: object, b: object): Promise<string> {
  const path = join(dir, 'stream');
  await mkdir(path);
  await writeFile(join(path, 'a.json'), JSON.stringify(a));
  await writeFile(join(path, 'b.json'), JSON.stringify(b));
  return path;
}

// One function makes the scoring context of the main thread and of every worker, from one configuration.
describe('scoringContext', () => {
  it('makes the same context from the same configuration, with the call records indexed and their errors listed', async () => {
    const dir = await tempDir('callqa-context-');
    const csv = join(dir, 'records.csv');
    await writeFile(csv, 'call_id,agent_id,hangup_by\nC-1,A1,customer\nC-2,A2,bob\nC-3,A3,agent\n');
    const rubric = await loadRubric(undefined);
    const config: ScoringConfig = {
      rubricPath: rubric.path,
      ingest: { timeUnit: 'ms' },
      roles: { direction: 'outbound', agentSpeaker: 'A' },
      metadata: { files: [csv], customerLeg: 'inbound' },
    };
    // The main thread passes the rubric it has loaded and checked; a worker loads its own from the path.
    const main = await scoringContext(config, rubric);
    const worker = await scoringContext(config);
    expect(main.context.rubric).toBe(rubric);
    // (Compared by identity: .not.toBe on two objects also compares them deeply, for its message, slowly for a rubric.)
    expect(worker.context.rubric === rubric).toBe(false);
    expect(worker.context.rubric.rules.map((r) => r.id)).toEqual(rubric.rules.map((r) => r.id));
    for (const { context } of [main, worker]) {
      expect(context.ingest).toEqual({ timeUnit: 'ms' });
      expect(context.roles.direction).toBe('outbound');
      expect(context.roles.agentSpeaker).toBe('A');
      // What role inference takes from the rubric, added to the command's options.
      expect(context.roles.greetingElements?.length).toBeGreaterThan(0);
      expect(context.roles.cues).toBeDefined();
      expect(context.metadata?.size).toBe(2);
    }
    expect(main.metadataErrors).toEqual([{ source: csv, line: 3, error: 'hangup_by: expected customer, agent or unknown, got "bob"' }]);
    expect(worker.metadataErrors).toEqual(main.metadataErrors);
  });

  it('merges a contact record delivered again in another --metadata file: the later LastUpdateTimestamp wins, whichever file comes first', async () => {
    const dir = await tempDir('callqa-context-ctr-');
    const ctr = (username: string, updated: string) => ({
      AWSContactTraceRecordFormatVersion: '2017-03-10',
      ContactId: 'c-0001',
      Channel: 'VOICE',
      InitiationMethod: 'INBOUND',
      LastUpdateTimestamp: updated,
      Agent: { Username: username },
    });
    const [later, earlier] = [join(dir, 'later.json'), join(dir, 'earlier.json')];
    await writeFile(later, JSON.stringify(ctr('lilei', '2026-11-02T02:03:05Z')));
    await writeFile(earlier, JSON.stringify(ctr('wangfang', '2026-11-02T02:01:30Z')));
    const rubric = await loadRubric(undefined);
    for (const files of [
      [later, earlier],
      [earlier, later],
    ]) {
      const { context } = await scoringContext({ rubricPath: rubric.path, ingest: {}, roles: {}, metadata: { files, customerLeg: 'inbound' } }, rubric);
      expect(context.metadata?.size).toBe(1);
      expect(context.metadata?.find('c-0001')).toMatchObject({ facts: { agentId: 'lilei' }, source: later });
    }
  });

  it.each([
    ['one file, the update last', (dir: string) => [file(dir, 'stream.jsonl', [EARLIER, LATER])], 'stream.jsonl', 2],
    ['one file, the update first', (dir: string) => [file(dir, 'stream.jsonl', [LATER, EARLIER])], 'stream.jsonl', 1],
    ['a folder, the update in its first file', (dir: string) => [folder(dir, LATER, EARLIER)], 'a.json', 1],
    ['a folder, the update in its last file', (dir: string) => [folder(dir, EARLIER, LATER)], 'b.json', 1],
  ])('merges a contact record delivered again in %s: the later LastUpdateTimestamp wins', async (_, write, named, line) => {
    const dir = await tempDir('callqa-context-again-');
    const files = await Promise.all(write(dir));
    const rubric = await loadRubric(undefined);
    const { context, metadataErrors } = await scoringContext(
      { rubricPath: rubric.path, ingest: {}, roles: {}, metadata: { files, customerLeg: 'inbound' } },
      rubric,
    );
    expect(metadataErrors).toEqual([]);
    expect(context.metadata?.size).toBe(1);
    const record = context.metadata?.find('c-0001');
    expect(record?.facts).toEqual({ agentId: 'lilei', hangupBy: 'customer', direction: 'inbound' });
    expect(record?.source.endsWith(named)).toBe(true);
    expect(record?.line).toBe(line);
    expect(record?.updatedAt).toBe(Date.parse('2026-11-02T02:03:05Z'));
  });

  it('has no call records without --metadata, and stops on a file it cannot read', async () => {
    const rubric = await loadRubric(undefined);
    const plain = await scoringContext({ rubricPath: rubric.path, ingest: {}, roles: {} }, rubric);
    expect(plain.context.metadata).toBeUndefined();
    expect(plain.metadataErrors).toEqual([]);
    const missing = scoringContext(
      { rubricPath: rubric.path, ingest: {}, roles: {}, metadata: { files: ['/nonexistent/records.csv'], customerLeg: 'inbound' } },
      rubric,
    );
    await expect(missing).rejects.toBeInstanceOf(InputProblem);
    await expect(missing).rejects.toThrow('cannot read metadata: no such file');
  });
});

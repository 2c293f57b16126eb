import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { factsFromCtr } from '../../src/metadata/ctr.js';
import { factsFromFreeswitch } from '../../src/metadata/freeswitch.js';
import { MetadataIndex } from '../../src/metadata/join.js';
import { loadMetadataFile } from '../../src/metadata/load.js';
import type { MetadataRecord } from '../../src/metadata/record.js';
import { InputProblem, messageText } from '../../src/ingest/errors.js';
import type { Lang } from '../../src/i18n/lang.js';
import type { SourceCall } from '../../src/model/source.js';

const CTR = {
  AWSContactTraceRecordFormatVersion: '2017-03-10',
  ContactId: '15a5cf14-0000-4000-8000-000000000001',
  Channel: 'VOICE',
  InitiationMethod: 'INBOUND',
  InitiationTimestamp: '2026-11-02T01:59:38Z',
  DisconnectTimestamp: '2026-11-02T02:01:22Z',
  DisconnectReason: 'CUSTOMER_DISCONNECT',
  Agent: { Username: 'wangfang', ConnectedToAgentTimestamp: '2026-11-02T02:00:49Z', AgentInteractionDuration: 33 },
  Queue: { Name: '宽带报障', Duration: 7, EnqueueTimestamp: '2026-11-02T02:00:42Z' },
};

describe('Amazon Connect contact trace records', () => {
  it('maps the fields callqa needs', () => {
    expect(factsFromCtr(CTR)).toEqual({
      ids: ['15a5cf14-0000-4000-8000-000000000001'],
      facts: { hangupBy: 'customer', agentId: 'wangfang', queue: '宽带报障', ringSeconds: 7, startedAt: '2026-11-02T01:59:38Z', direction: 'inbound' },
    });
  });

  it.each([
    ['AGENT_DISCONNECT', 'agent'],
    ['THIRD_PARTY_DISCONNECT', 'unknown'],
    ['TELECOM_PROBLEM', 'unknown'],
    ['CONTACT_FLOW_DISCONNECT', 'unknown'],
    // A copy of the record from before the contact ended says nothing: it must not blank another copy's answer.
    [null, undefined],
  ])('DisconnectReason %s → %s', (reason, hangupBy) => {
    expect(factsFromCtr({ ...CTR, DisconnectReason: reason }).facts.hangupBy).toBe(hangupBy);
  });

  it.each([
    ['INBOUND', 'VOICE', 'inbound'],
    ['OUTBOUND', 'VOICE', 'outbound'],
    ['CALLBACK', 'VOICE', 'outbound'],
    ['API', 'VOICE', 'outbound'],
    ['API', 'CHAT', 'inbound'],
    ['TRANSFER', 'VOICE', undefined],
    ['QUEUE_TRANSFER', 'VOICE', undefined],
  ])('InitiationMethod %s on %s → direction %s', (method, channel, direction) => {
    expect(factsFromCtr({ ...CTR, InitiationMethod: method, Channel: channel }).facts.direction).toBe(direction);
  });

  it('waits from the queue, never from the start of the flow, and only for a contact an agent took', () => {
    // Queue.Duration counts whole seconds to the dequeue; the timestamps count to the agent's answer.
    const q = { Name: 'Q', Duration: 7, EnqueueTimestamp: '2026-11-02T02:00:41.500Z' };
    expect(factsFromCtr({ ...CTR, Queue: q }).facts.ringSeconds).toBe(7.5);
    expect(factsFromCtr({ ...CTR, Queue: { Name: 'Q', Duration: 7 } }).facts.ringSeconds).toBe(7);
    // No queue: the IVR time from InitiationTimestamp is not a wait for an answer.
    expect(factsFromCtr({ ...CTR, Queue: null }).facts.ringSeconds).toBeUndefined();
    // Abandoned in the queue: nobody answered.
    expect(factsFromCtr({ ...CTR, Agent: null }).facts.ringSeconds).toBeUndefined();
  });

  it('derives the wait from timestamps when Queue.Duration is missing, and survives a null Agent', () => {
    const { facts } = factsFromCtr({ ...CTR, Queue: { Name: 'Q', EnqueueTimestamp: '2026-11-02T02:00:40Z' } });
    expect(facts.ringSeconds).toBe(9);
    expect(factsFromCtr({ ...CTR, Agent: null }).facts.agentId).toBeUndefined();
  });
});

describe('FreeSWITCH JSON CDRs', () => {
  const cdr = (variables: Record<string, string>) => ({ 'core-uuid': 'x', switchname: 'fs1', variables: { uuid: 'leg-a', call_uuid: 'call-1', ...variables } });

  it.each([
    // the customer's (inbound) leg: recv_bye = the customer sent BYE
    [{ direction: 'inbound', sip_hangup_disposition: 'recv_bye' }, 'inbound', 'customer'],
    [{ direction: 'inbound', sip_hangup_disposition: 'send_bye' }, 'inbound', 'agent'],
    // the agent's leg: recv_bye = the agent sent BYE
    [{ direction: 'outbound', sip_hangup_disposition: 'recv_bye' }, 'inbound', 'agent'],
    [{ direction: 'outbound', sip_hangup_disposition: 'send_bye' }, 'inbound', 'customer'],
    // no direction: the bridge role says which leg this is
    [{ last_bridge_role: 'originator', sip_hangup_disposition: 'recv_bye' }, 'inbound', 'customer'],
    [{ last_bridge_role: 'originatee', sip_hangup_disposition: 'recv_bye' }, 'inbound', 'agent'],
    // an outbound campaign: the customer is on the outbound leg
    [{ direction: 'outbound', sip_hangup_disposition: 'recv_bye' }, 'outbound', 'customer'],
    // unanswered, or nothing to go on
    [{ direction: 'inbound', sip_hangup_disposition: 'send_refuse' }, 'inbound', 'unknown'],
    [{ sip_hangup_disposition: 'recv_bye' }, 'inbound', 'unknown'],
  ] as const)('%j with the customer on the %s leg → %s', (variables, customerLeg, hangupBy) => {
    expect(factsFromFreeswitch(cdr(variables), { customerLeg }).facts.hangupBy).toBe(hangupBy);
  });

  it('takes ring time from µs epochs, then s epochs, then stamps; ids from uuid and call_uuid', () => {
    const us = factsFromFreeswitch(cdr({ start_uepoch: '1515666344534355', answer_uepoch: '1515666347534355', cc_agent: '1001', cc_queue: 'support' }), {
      customerLeg: 'inbound',
    });
    expect(us).toEqual({
      ids: ['leg-a', 'call-1'],
      facts: { hangupBy: 'unknown', ringSeconds: 3, startedAt: '2018-01-11T10:25:44.534Z', agentId: '1001', queue: 'support' },
    });
    expect(factsFromFreeswitch(cdr({ start_epoch: '100', answer_epoch: '104' }), { customerLeg: 'inbound' }).facts.ringSeconds).toBe(4);
    expect(
      factsFromFreeswitch(cdr({ start_stamp: '2018-01-11 11:25:44', answer_stamp: '2018-01-11 11:25:50' }), { customerLeg: 'inbound' }).facts,
    ).toMatchObject({
      ringSeconds: 6,
      startedAt: '2018-01-11T11:25:44',
    });
  });
});

describe('loading --metadata files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('callqa-meta-');
  });

  it('reads a plain CSV with Chinese headers, listing bad rows with their lines', async () => {
    const path = join(dir, 'm.csv');
    await writeFile(path, '\ufeff通话ID,坐席工号,坐席姓名,挂机方,振铃时长,技能组,备注\nC-1,A1,王芳,客户,4,宽带,x\nC-2,A2,李雷,bob,3,宽带,y\n');
    const out = await loadMetadataFile(path, { customerLeg: 'inbound' });
    expect(out).toEqual([
      { ids: ['C-1'], facts: { agentId: 'A1', agentName: '王芳', hangupBy: 'customer', ringSeconds: 4, queue: '宽带' }, source: path, line: 2 },
      { source: path, line: 3, error: 'hangup_by: expected customer, agent or unknown, got "bob"' },
    ]);
  });

  it('reads CTRs as JSONL and CDRs as JSON, recognising each', async () => {
    const jsonl = join(dir, 'ctr.jsonl');
    await writeFile(jsonl, `${JSON.stringify(CTR)}\n\n{"queue": "Q"}\n`);
    const out = await loadMetadataFile(jsonl, { customerLeg: 'inbound' });
    expect(out[0]).toMatchObject({ ids: [CTR.ContactId], facts: { agentId: 'wangfang', hangupBy: 'customer' }, line: 1 });
    expect(out[1]).toEqual({ source: jsonl, line: 3, error: expect.stringContaining('no call id') });
    const json = join(dir, 'cdr.json');
    await writeFile(json, JSON.stringify([{ variables: { uuid: 'u-1', direction: 'inbound', sip_hangup_disposition: 'recv_bye' } }]));
    expect(await loadMetadataFile(json, { customerLeg: 'inbound' })).toEqual([
      { ids: ['u-1'], facts: { hangupBy: 'customer', direction: 'inbound' }, source: json },
    ]);
  });

  it('stops on a file it cannot read or whose type it does not know', async () => {
    await expect(loadMetadataFile(join(dir, 'missing.csv'), { customerLeg: 'inbound' })).rejects.toThrow('cannot read metadata: no such file');
    const txt = join(dir, 'm.txt');
    await writeFile(txt, '<x/>');
    await expect(loadMetadataFile(txt, { customerLeg: 'inbound' })).rejects.toThrow('unknown metadata file type ".txt"');
    const noId = join(dir, 'noid.csv');
    await writeFile(noId, 'agent_id,queue\nA1,Q\n');
    await expect(loadMetadataFile(noId, { customerLeg: 'inbound' })).rejects.toThrow('no call id column');
  });

  it('says why it stops as a message, which the run prints in its language', async () => {
    const said = async (path: string) => {
      const err = await loadMetadataFile(path, { customerLeg: 'inbound', lang: 'zh-CN' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputProblem);
      const { said: message } = err as InputProblem;
      if (!message) throw new Error('no message');
      return (lang: Lang) => messageText(lang, message);
    };
    const txt = join(dir, 'm.txt');
    await writeFile(txt, '<x/>');
    const txtSaid = await said(txt);
    expect(txtSaid('zh-CN')).toBe(`${txt}：无法识别的通话元数据文件类型“.txt”；应为 .csv、.tsv、.json、.jsonl 或 .xml`);
    expect(txtSaid('zh-TW')).toBe(`${txt}：無法識別的通話後設資料檔案型別「.txt」；應為 .csv、.tsv、.json、.jsonl 或 .xml`);
    expect(txtSaid('en')).toBe(`${txt}: unknown metadata file type ".txt"; expected .csv, .tsv, .json, .jsonl or .xml`);
    const bare = join(dir, 'records');
    await writeFile(bare, 'call_id\nC-1\n');
    expect((await said(bare))('zh-CN')).toBe(`${bare}：无法识别的通话元数据文件类型（没有扩展名）；应为 .csv、.tsv、.json、.jsonl 或 .xml`);
    const missing = await said(join(dir, 'missing.csv'));
    expect(missing('zh-CN')).toBe(`${join(dir, 'missing.csv')}：无法读取通话元数据：文件不存在`);
    expect(missing('en')).toBe(`${join(dir, 'missing.csv')}: cannot read metadata: no such file`);
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"call_id": ');
    // A JSON file that does not parse: where, and the parser's reason, in the language too.
    const parse = (await said(broken))('zh-CN');
    expect(parse.startsWith(`${broken}`)).toBe(true);
    expect(parse).not.toMatch(/[A-Za-z]{2,} [A-Za-z]{2,}/);
  });
});

describe('MetadataIndex', () => {
  const record = (ids: string[], facts: MetadataRecord['facts'], line = 1): MetadataRecord => ({ ids, facts, source: 'm', line });
  const call = (id: string, extra: Partial<SourceCall> = {}): SourceCall => ({
    id,
    source: 's',
    format: 'test',
    agent: { id: 'T1', name: '转写' },
    hangupBy: 'unknown',
    utterances: [],
    ...extra,
  });

  it('overrides what the transcript says with what the records say, merging records for one call', () => {
    const index = new MetadataIndex();
    index.add(record(['C-1'], { agentId: 'A1', hangupBy: 'customer' }));
    index.add(record(['C-1'], { agentName: '王芳', queue: 'Q' }, 2));
    const c = call('C-1');
    expect(index.apply(c)).toBe('C-1');
    expect(c).toMatchObject({ agent: { id: 'A1', name: '王芳' }, hangupBy: 'customer', queue: 'Q' });
    expect(index.size).toBe(1);
  });

  it('an unknown hang-up in the records does not erase a known one', () => {
    const index = new MetadataIndex();
    index.add(record(['C-1'], { hangupBy: 'unknown' }));
    const c = call('C-1', { hangupBy: 'customer' });
    index.apply(c);
    expect(c.hangupBy).toBe('customer');
  });

  it('matches a record whose id begins the call id (Contact Lens file names), and reports the rest', () => {
    const index = new MetadataIndex();
    index.add(record(['15a5cf14-aaaa'], { agentId: 'A1' }));
    index.add(record(['never'], { agentId: 'A2' }, 5));
    expect(index.apply(call('15a5cf14-aaaa_analysis_2026-11-02T02:01:22Z'))).toBe('15a5cf14-aaaa');
    expect(index.apply(call('15a5cf14-aaaab'))).toBeUndefined();
    expect(index.unmatched().map((r) => r.ids)).toEqual([['never']]);
  });

  it('answers to every id of a record (FreeSWITCH leg and call uuids)', () => {
    const index = new MetadataIndex();
    index.add(record(['leg-a', 'call-1'], { hangupBy: 'agent' }));
    const c = call('call-1');
    expect(index.apply(c)).toBe('leg-a');
    expect(c.hangupBy).toBe('agent');
    expect(index.unmatched()).toEqual([]);
  });
});

describe('MetadataIndex: a record with an update time (a contact record delivered again)', () => {
  const ctr = (agentId: string, updatedAt: number | undefined, source: string, extra: MetadataRecord['facts'] = {}): MetadataRecord => ({
    ids: ['c-1'],
    facts: { agentId, ...extra },
    source,
    line: 1,
    ...(updatedAt === undefined ? {} : { updatedAt }),
  });
  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1 ? [items] : items.flatMap((item, k) => permutations([...items.slice(0, k), ...items.slice(k + 1)]).map((rest) => [item, ...rest]));

  it.each(permutations([0, 1, 2]).map((order) => [order.join(',')]))('keeps the latest update on top, arriving in the order %s', (order) => {
    const copies = [ctr('wangfang', 100, 'a.json', { hangupBy: 'customer' }), ctr('zhaolei', 200, 'b.json'), ctr('lilei', 300, 'c.json', { queue: 'Q2' })];
    const index = new MetadataIndex();
    for (const k of order.split(',')) index.add({ ...(copies[Number(k)] as MetadataRecord) });
    expect(index.records).toEqual([
      { ids: ['c-1'], facts: { agentId: 'lilei', hangupBy: 'customer', queue: 'Q2' }, source: 'c.json', line: 1, updatedAt: 300 },
    ]);
  });

  it('lets the later to arrive win on equal update times, naming it', () => {
    const index = new MetadataIndex();
    index.add(ctr('wangfang', 100, 'a.json'));
    index.add({ ...ctr('lilei', 100, 'b.json'), line: 7 });
    expect(index.records).toEqual([{ ids: ['c-1'], facts: { agentId: 'lilei' }, source: 'b.json', line: 7, updatedAt: 100 }]);
  });

  it('treats a record without an update time as before: the later to arrive wins, the first keeps its place and file', () => {
    const index = new MetadataIndex();
    index.add(ctr('wangfang', 300, 'a.json'));
    index.add(ctr('lilei', undefined, 'plain.csv', { queue: 'Q' }));
    expect(index.records).toEqual([{ ids: ['c-1'], facts: { agentId: 'lilei', queue: 'Q' }, source: 'a.json', line: 1, updatedAt: 300 }]);
    // A copy older than the update already merged goes under everything, the record without a time included.
    index.add(ctr('zhaolei', 100, 'b.json', { hangupBy: 'agent', queue: 'Q0' }));
    expect(index.records).toEqual([{ ids: ['c-1'], facts: { agentId: 'lilei', queue: 'Q', hangupBy: 'agent' }, source: 'a.json', line: 1, updatedAt: 300 }]);
    const plain = new MetadataIndex();
    plain.add(ctr('wangfang', undefined, 'a.csv'));
    plain.add(ctr('lilei', undefined, 'b.csv'));
    expect(plain.records).toEqual([{ ids: ['c-1'], facts: { agentId: 'lilei' }, source: 'a.csv', line: 1 }]);
  });
});

describe('a contact record delivered again (Amazon Connect record stream), read and indexed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('callqa-ctr-again-');
  });
  const inbound = { customerLeg: 'inbound' } as const;
  // The first delivery, at disconnect; the update after after-contact work, with the agent corrected and no
  // DisconnectReason of its own (a field an update lacks must not blank what the first copy said).
  const first = { ...CTR, LastUpdateTimestamp: '2026-11-02T02:01:30Z' };
  const update = { ...CTR, LastUpdateTimestamp: '2026-11-02T02:03:05Z', DisconnectReason: undefined, Agent: { ...CTR.Agent, Username: 'lilei' } };
  const other = { ...CTR, ContactId: '15a5cf14-0000-4000-8000-000000000002', LastUpdateTimestamp: '2026-11-02T02:02:00Z' };
  const merged = { hangupBy: 'customer', agentId: 'lilei', queue: '宽带报障', ringSeconds: 7 };
  const updatedAt = Date.parse('2026-11-02T02:03:05Z');

  /** The records of some --metadata files (or folders) as scoring indexes them. */
  const indexed = async (...paths: string[]): Promise<MetadataRecord[]> => {
    const index = new MetadataIndex();
    for (const path of paths) for (const item of await loadMetadataFile(path, inbound)) if (!('error' in item)) index.add(item);
    return index.records;
  };

  it('reads every copy as it is, with its update time: the index merges them', async () => {
    const path = join(dir, 'copies.jsonl');
    await writeFile(path, `${[first, update].map((d) => JSON.stringify(d)).join('\n')}\n`);
    expect(await loadMetadataFile(path, inbound)).toEqual([
      expect.objectContaining({
        ids: [CTR.ContactId],
        facts: expect.objectContaining({ agentId: 'wangfang' }),
        line: 1,
        updatedAt: Date.parse(first.LastUpdateTimestamp),
      }),
      expect.objectContaining({ ids: [CTR.ContactId], facts: expect.objectContaining({ agentId: 'lilei' }), line: 2, updatedAt }),
    ]);
  });

  it.each([
    ['in delivery order', [first, other, update], 3],
    ['with the update first', [update, other, first], 1],
  ])('the later LastUpdateTimestamp wins in one file, %s (JSON Lines)', async (_, docs, line) => {
    const path = join(dir, `order-${line}.jsonl`);
    await writeFile(path, `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
    const out = await indexed(path);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ ids: [CTR.ContactId], facts: merged, source: path, line, updatedAt });
    expect(out[1]).toMatchObject({ ids: [other.ContactId], facts: { agentId: 'wangfang' }, line: 2 });
  });

  it('the later LastUpdateTimestamp wins in a JSON array and in a Firehose file, whichever comes first', async () => {
    const array = join(dir, 'array.json');
    await writeFile(array, JSON.stringify([update, first]));
    expect(await indexed(array)).toEqual([{ ids: [CTR.ContactId], facts: expect.objectContaining(merged), source: array, updatedAt }]);
    const firehose = join(dir, 'firehose.json');
    await writeFile(firehose, [first, update].map((d) => JSON.stringify(d)).join(''));
    expect(await indexed(firehose)).toEqual([{ ids: [CTR.ContactId], facts: expect.objectContaining(merged), source: firehose, line: 1, updatedAt }]);
  });

  it.each([
    ['equal', '2026-11-02T02:01:30Z', '2026-11-02T02:01:30Z', 2],
    // Without an update time on both, the copies merge as any two records do: the record keeps the first's place.
    ['missing', undefined, undefined, 1],
    ['one missing', '2026-11-02T02:03:05Z', undefined, 1],
    ['not a date', 'soon', '2026-11-02T02:01:30Z', 1],
  ])('with %s timestamps the later in the file wins', async (name, a, b, line) => {
    const path = join(dir, `${name}.jsonl`);
    const copy = (username: string, stamp: string | undefined) => ({ ...CTR, LastUpdateTimestamp: stamp, Agent: { ...CTR.Agent, Username: username } });
    await writeFile(path, `${JSON.stringify(copy('wangfang', a))}\n${JSON.stringify(copy('lilei', b))}\n`);
    expect(await indexed(path)).toEqual([
      expect.objectContaining({ ids: [CTR.ContactId], facts: expect.objectContaining({ agentId: 'lilei' }), source: path, line }),
    ]);
  });

  it.each([
    ['the update in the first file', 'a.json', 'b.json'],
    ['the update in the second file', 'b.json', 'a.json'],
  ])('merges copies across the files of a folder by their timestamps, %s', async (_, updateIn, firstIn) => {
    const folder = join(dir, `stream-${updateIn}`);
    await mkdir(folder);
    await writeFile(join(folder, updateIn), JSON.stringify(update));
    await writeFile(join(folder, firstIn), JSON.stringify([first, { variables: { uuid: 'u-1' } }]));
    expect(await indexed(folder)).toEqual([
      { ids: [CTR.ContactId], facts: expect.objectContaining(merged), source: join(folder, updateIn), line: 1, updatedAt },
      expect.objectContaining({ ids: ['u-1'] }),
    ]);
  });

  it.each([
    ['the update first', true],
    ['the update second', false],
  ])('merges copies in two --metadata files, %s', async (name, updateFirst) => {
    const [a, b] = [join(dir, `${name}-update.jsonl`), join(dir, `${name}-first.jsonl`)];
    await writeFile(a, `${JSON.stringify(update)}\n`);
    await writeFile(b, `${JSON.stringify(first)}\n${JSON.stringify(other)}\n`);
    const out = await indexed(...(updateFirst ? [a, b] : [b, a]));
    // Whichever file comes first, the update names the record; the contact keeps its first place.
    expect(out.map((r) => [r.ids[0], r.facts.agentId, r.source, r.line])).toEqual([
      [CTR.ContactId, 'lilei', a, 1],
      [other.ContactId, 'wangfang', b, 2],
    ]);
    expect(out[0]?.facts).toEqual(expect.objectContaining(merged));
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointOf, isMasterCsvRow } from '../../src/metadata/asterisk.js';
import { loadMetadataFile } from '../../src/metadata/load.js';
import { tempDir } from '../helpers/temp.js';

const META = 'fixtures/formats/metadata';
const XML_DIR = `${META}/freeswitch-xml-cdr`;
const A_LEG = `${XML_DIR}/a_yf-0416-address-change.cdr.xml`;
const B_LEG = `${XML_DIR}/b_8e2d4f61-0a93-4b5c-b7e8-3c6d9f1a2e05.cdr.xml`;
const inbound = { customerLeg: 'inbound' } as const;

const xmlCdr = (variables: string) => `<?xml version="1.0"?>\n<cdr core-uuid="c-1">\n  <variables>\n${variables}\n  </variables>\n</cdr>\n`;

describe('FreeSWITCH XML CDRs (mod_xml_cdr)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('callqa-xmlcdr-');
  });

  it('reads the customer leg: URL-encoded values decoded, who hung up, ring time, agent, queue', async () => {
    expect(await loadMetadataFile(A_LEG, inbound)).toEqual([
      {
        ids: ['yf-0416-address-change'],
        facts: {
          hangupBy: 'agent',
          ringSeconds: 9,
          startedAt: '2026-04-16T06:30:05.000Z',
          agentId: '3001',
          queue: '改址服务@default',
          direction: 'inbound',
        },
        source: A_LEG,
        line: 10,
      },
    ]);
  });

  it('reads a folder of them, one record a leg; the agent leg answers to the call uuid and keeps its direction to itself', async () => {
    const out = await loadMetadataFile(XML_DIR, inbound);
    expect(out.map((r) => ('ids' in r ? r.ids : r))).toEqual([['yf-0416-address-change'], ['8e2d4f61-0a93-4b5c-b7e8-3c6d9f1a2e05', 'yf-0416-address-change']]);
    expect(out[1]).toMatchObject({ source: B_LEG, facts: { hangupBy: 'agent', ringSeconds: 3, agentId: '3001' } });
    expect(out[1] && 'facts' in out[1] ? out[1].facts.direction : 'none').toBeUndefined();
  });

  it('takes dialed_user as the agent when cc_agent is absent, and keeps a value that is not valid percent-encoding', async () => {
    const path = join(dir, 'dialed.xml');
    await writeFile(path, xmlCdr('    <uuid>u-2</uuid>\n    <dialed_user>8002</dialed_user>\n    <cc_queue>100%off</cc_queue>'));
    expect(await loadMetadataFile(path, inbound)).toMatchObject([{ ids: ['u-2'], facts: { agentId: '8002', queue: '100%off' } }]);
  });

  it('lists a malformed file, a CDR without a uuid and an XML document that is no CDR, each with its line', async () => {
    const broken = join(dir, 'broken.xml');
    await writeFile(broken, xmlCdr('    <uuid>u-1</uuid>\n    <billsec>12</bilsec>'));
    const noUuid = join(dir, 'no-uuid.xml');
    await writeFile(noUuid, xmlCdr('    <direction>inbound</direction>\n    <billsec>12</billsec>'));
    const other = join(dir, 'other.xml');
    await writeFile(other, '<?xml version="1.0"?>\n<invoice><total>3</total></invoice>\n');
    expect(await loadMetadataFile(broken, inbound)).toEqual([
      { source: broken, line: 5, error: expect.stringMatching(/^not well-formed XML \(column \d+\): .*billsec/) },
    ]);
    expect(await loadMetadataFile(noUuid, inbound)).toEqual([
      { source: noUuid, line: 3, error: 'no call id: expected ContactId (Amazon Connect CTR), variables.uuid (FreeSWITCH CDR) or a call_id field' },
    ]);
    expect(await loadMetadataFile(other, inbound)).toEqual([
      { source: other, line: 1, error: 'not a FreeSWITCH XML CDR: expected <cdr><variables>…</variables></cdr>' },
    ]);
    const zh = await loadMetadataFile(other, { ...inbound, lang: 'zh-CN' });
    expect(zh).toEqual([{ source: other, line: 1, error: '不是 FreeSWITCH XML 话单：应为 <cdr><variables>…</variables></cdr>' }]);
  });

  it('refuses an entity bomb (billion laughs) at once, without expanding it', async () => {
    const bomb = join(dir, 'lol.xml');
    const entities = Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    await writeFile(
      bomb,
      `<?xml version="1.0"?>\n<!DOCTYPE cdr [\n  <!ENTITY lol0 "lol">\n${entities}\n]>\n<cdr><variables><uuid>&lol9;</uuid></variables></cdr>\n`,
    );
    const started = performance.now();
    const out = await loadMetadataFile(bomb, inbound);
    expect(performance.now() - started).toBeLessThan(500);
    expect(out).toEqual([{ source: bomb, line: 2, error: expect.stringContaining('a call record carries no <!DOCTYPE>') }]);
  });

  it('lists a document nested past the parser limit, and one too large to be a CDR, without parsing it', async () => {
    const deep = join(dir, 'deep.xml');
    await writeFile(deep, `<cdr><variables><uuid>u</uuid></variables>${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</cdr>`);
    expect(await loadMetadataFile(deep, inbound)).toEqual([{ source: deep, line: 1, error: expect.stringMatching(/^not well-formed XML .*nested/) }]);
    const big = join(dir, 'big.xml');
    await writeFile(big, `<cdr><variables><uuid>u</uuid>${'<v>x</v>'.repeat(1_100_000)}</variables></cdr>`);
    const started = performance.now();
    expect(await loadMetadataFile(big, inbound)).toEqual([{ source: big, error: 'too large: 8.8 MB; the limit for a call-record file is 8.0 MB' }]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('in a folder, lists a JSON CDR that does not parse and passes over files that are no CDRs', async () => {
    const folder = join(dir, 'xml_cdr');
    await mkdir(folder);
    await writeFile(
      join(folder, 'a_u-3.cdr.xml'),
      xmlCdr('    <uuid>u-3</uuid>\n    <direction>inbound</direction>\n    <sip_hangup_disposition>recv_bye</sip_hangup_disposition>'),
    );
    await writeFile(join(folder, 'b_u-4.cdr.json'), '{"variables": {"uuid": ');
    await writeFile(join(folder, 'notes.txt'), 'rotated 2026-04-16');
    const out = await loadMetadataFile(folder, inbound);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ ids: ['u-3'], facts: { hangupBy: 'customer' } });
    expect(out[1]).toMatchObject({ source: join(folder, 'b_u-4.cdr.json'), error: expect.stringContaining(join(folder, 'b_u-4.cdr.json')) });
  });
});

describe('Asterisk CDRs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('callqa-asterisk-');
  });

  it('reads a headerless Master.csv: uniqueid, ring = duration − billsec of an answered row, its agent only', async () => {
    const path = `${META}/asterisk-cdr-csv/Master.csv`;
    expect(await loadMetadataFile(path, inbound)).toEqual([
      { ids: ['1776477731.18'], facts: { hangupBy: 'unknown', startedAt: '2026-04-18T10:02:11' }, source: path, line: 1 },
      {
        ids: ['xc-0418-plan-tw'],
        facts: { hangupBy: 'unknown', ringSeconds: 24, startedAt: '2026-04-18T10:02:11', agentId: 'agent-8001' },
        source: path,
        line: 2,
      },
      { ids: ['1776478840.25'], facts: { hangupBy: 'unknown', startedAt: '2026-04-18T10:20:40' }, source: path, line: 3 },
    ]);
  });

  it('reads a headered export: linkedid joins too, hangupsource says who hung up', async () => {
    const path = `${META}/asterisk-cdr-export.csv`;
    expect(await loadMetadataFile(path, inbound)).toEqual([
      {
        ids: ['1776843603.31', 'hx-0422-english'],
        facts: { hangupBy: 'agent', ringSeconds: 5, startedAt: '2026-04-22T15:40:03', agentId: 'agent-8101' },
        source: path,
        line: 2,
      },
      {
        ids: ['1776844330.40'],
        facts: { hangupBy: 'customer', ringSeconds: 18, startedAt: '2026-04-22T15:52:10', agentId: 'agent-8102' },
        source: path,
        line: 3,
      },
    ]);
  });

  it('knows a Master.csv by its rows, whatever its name, and lists a row with too few fields or a bad number', async () => {
    const path = join(dir, 'cdr-2026-04.csv');
    const row = (uniqueid: string, billsec = '20') =>
      `"","1001","2001","agents","""A"" <1001>","SIP/trunk-0000000a","SIP/8001-0000000b","Dial","SIP/8001,30","2026-04-18 09:00:00","2026-04-18 09:00:04","2026-04-18 09:00:24",24,${billsec},"ANSWERED","DOCUMENTATION","${uniqueid}",""`;
    await writeFile(path, `${row('1.1')}\n"","1001","2001","agents","clid","SIP/trunk-0000000c"\n${row('1.3', 'x')}\n${row('')}\n`);
    expect(await loadMetadataFile(path, inbound)).toEqual([
      { ids: ['1.1'], facts: { hangupBy: 'unknown', ringSeconds: 4, startedAt: '2026-04-18T09:00:00', agentId: '8001' }, source: path, line: 1 },
      { source: path, line: 2, error: 'expected 16–21 fields as Master.csv has them, got 6' },
      { source: path, line: 3, error: 'billsec: expected whole seconds (0, 1, 2…), got "x"' },
      { source: path, line: 4, error: 'no call id: expected a uniqueid or linkedid' },
    ]);
    const zh = await loadMetadataFile(path, { ...inbound, lang: 'zh-CN' });
    expect(zh[1]).toEqual({ source: path, line: 2, error: '应有 16–21 个字段（与 Master.csv 一致），实际为 6 个' });
  });

  it('takes no ring time from a row nobody answered (NO ANSWER, BUSY, FAILED, CONGESTION), yet joins it by its ids', async () => {
    const path = join(dir, 'Master.csv');
    // billsec is 0 on such a row and duration the whole attempt: duration − billsec is not a wait before an answer.
    // 21 fields: loguniqueid, loguserfield and newcdrcolumns all on (uniqueid, userfield, peeraccount, linkedid, sequence).
    const row = (disposition: string, uniqueid: string, answer: string, end: string, duration: number, billsec: number) =>
      `"","13800000003","95002","from-pstn","""13800000003"" <13800000003>","SIP/trunk-cn-00000012","SIP/8002-00000013","Queue","plans,t,,,300","2026-04-18 10:02:11","${answer}","${end}",${duration},${billsec},"${disposition}","DOCUMENTATION","${uniqueid}","","","l.${uniqueid}","1"`;
    const rows = [
      row('NO ANSWER', 'u.1', '', '2026-04-18 10:02:41', 30, 0),
      row('BUSY', 'u.2', '', '2026-04-18 10:02:12', 1, 0),
      row('FAILED', 'u.3', '', '2026-04-18 10:02:11', 0, 0),
      row('CONGESTION', 'u.4', '', '2026-04-18 10:02:14', 3, 0),
      row('ANSWERED', 'u.5', '2026-04-18 10:02:20', '2026-04-18 10:05:11', 180, 171),
    ];
    await writeFile(path, `${rows.join('\n')}\n`);
    const unanswered = { hangupBy: 'unknown', startedAt: '2026-04-18T10:02:11' };
    expect(await loadMetadataFile(path, inbound)).toEqual([
      { ids: ['u.1', 'l.u.1'], facts: unanswered, source: path, line: 1 },
      { ids: ['u.2', 'l.u.2'], facts: unanswered, source: path, line: 2 },
      { ids: ['u.3', 'l.u.3'], facts: unanswered, source: path, line: 3 },
      { ids: ['u.4', 'l.u.4'], facts: unanswered, source: path, line: 4 },
      { ids: ['u.5', 'l.u.5'], facts: { ...unanswered, ringSeconds: 9, agentId: '8002' }, source: path, line: 5 },
    ]);
  });

  it.each([
    ['SIP/8001-0000abcd', '8001'],
    ['PJSIP/agent-8001-00000012', 'agent-8001'],
    ['Local/8001@agents-00000a1b;1', '8001'],
    ['IAX2/branch', 'branch'],
    ['no-slash', undefined],
  ])('the endpoint of %s is %s', (channel, endpoint) => {
    expect(endpointOf(channel)).toBe(endpoint);
  });

  it('does not take a plain CSV row for a Master.csv row', () => {
    expect(isMasterCsvRow(['call_id', 'agent_id'])).toBe(false);
    expect(isMasterCsvRow(Array.from({ length: 18 }, () => 'x'))).toBe(false);
  });
});

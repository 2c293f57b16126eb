import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/i18n/lang.js';
import { createLineDecoder, decodeBytes } from '../../src/ingest/encoding.js';
import { type InputError, InputProblem, localizeError, messageText, msg } from '../../src/ingest/errors.js';
import type { IngestOptions } from '../../src/ingest/format.js';
import { discoverInputs, newTally, readInput } from '../../src/ingest/index.js';
import { factsFromFreeswitch } from '../../src/metadata/freeswitch.js';
import { loadMetadataFile } from '../../src/metadata/load.js';
import { resolveRoles } from '../../src/normalise/roles.js';
import { diedTwice, failedOn, timedOut } from '../../src/pipeline/not-scored.js';
import { defaultGreetingMatchers } from '../../src/rules/greeting.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** Every error readInput gives for the inputs, as errors.csv lists them: line and reason. */
async function errors(paths: string[], lang?: Lang, more: IngestOptions = {}): Promise<[number | undefined, string][]> {
  const out: [number | undefined, string][] = [];
  const options = { ...more, ...(lang ? { lang } : {}) };
  for await (const item of discoverInputs(paths, newTally(), options)) {
    for await (const p of readInput(item, options)) if (p.error) out.push([p.error.line, p.error.error]);
  }
  return out;
}

const broken = (name: string) => join(ROOT, 'fixtures', 'broken', name);

describe("errors.csv's reasons in the run's language", () => {
  it('the broken fixtures in Simplified Chinese: the place kept, quoted input and JSON paths as they are', async () => {
    expect(await errors([broken('bad-lines.txt'), broken('half-good.jsonl'), broken('truncated.json')], 'zh-CN')).toEqual([
      [9, '未知的说话人标签“主管”；坐席应标为 agent、坐席、客服、A，客户应标为 customer、caller、客户、顾客、用户、C'],
      [10, '时间戳 [00:75.0-00:79.0] 无效：应为 [mm:ss.s-mm:ss.s]、[hh:mm:ss] 或 [mm:ss]'],
      [2, 'segments[0].start：应为距通话开始的秒数（不小于 0 的数字），实际为 "00:00.5"'],
      [10, 'JSON 格式错误：文本在某个值的中间结束（文件被截断？）'],
    ]);
  });

  it('in Traditional Chinese with Taiwan wording', async () => {
    expect(await errors([broken('bad-lines.txt')], 'zh-TW')).toEqual([
      [9, '未知的說話人標籤「主管」；客服人員應標為 agent、坐席、客服、A，客戶應標為 customer、caller、客户、顾客、用户、C'],
      [10, '時間戳 [00:75.0-00:79.0] 無效：應為 [mm:ss.s-mm:ss.s]、[hh:mm:ss] 或 [mm:ss]'],
    ]);
  });

  it('in English (no language given) as before', async () => {
    expect(await errors([broken('truncated.json')])).toEqual([[10, 'invalid JSON: the text ends in the middle of a value (truncated?)']]);
  });

  it('file-level reasons, a call named in its reason, and the count of problems not listed', async () => {
    const dir = await tempDir();
    const put = async (name: string, text: string) => {
      await writeFile(join(dir, name), text);
      return join(dir, name);
    };
    const empty = await put('empty.json', '  \n');
    const xls = await put('export.xls', 'a,b');
    const csv = await put('day.csv', 'call_id,speaker,start,end,text\nK-1,agent,0,4,您好\nK-1,customer,5,2592000,网断了\n');
    const many = await put('many.txt', Array.from({ length: 22 }, () => '主管：你好').join('\n'));
    expect(await errors([empty, xls, csv], 'zh-CN', { timeUnit: 's' })).toEqual([
      [1, '空文件：没有通话'],
      [undefined, '无法识别的文件类型“.xls”；应为 .json、.jsonc、.jsonl、.ndjson、.txt、.vtt、.srt、.csv、.tsv 之一（或用 --input-format 指定格式）'],
      [2, '通话 K-1：第 2 句：2592000 秒（30 天）距通话开始超过 7 天（604800 秒）；应为距通话开始的秒数'],
    ]);
    const dangling = join(dir, 'gone.json');
    await symlink(join(dir, 'nowhere.json'), dangling);
    expect(await errors([dangling], 'zh-CN')).toEqual([[undefined, '符号链接已失效']]);
    const vtt = await put('a.vtt', 'WEBVTT\n\n00:01.000 --> 00:04.000\n您好\n');
    const srt = await put('b.srt', '1\n00:00:01,000 --> 00:00:0x,000\n坐席：您好\n');
    expect(await errors([vtt, srt], 'zh-CN')).toEqual([
      [1, '没有说话人信息：字幕文本中应有 <v Name> 语音标签或 坐席：、客服：、客户：、Agent: 或 Customer: 前缀；否则无法区分坐席和客户'],
      [2, '字幕时间行“00:00:01,000 --> 00:00:0x,000”无效：“00:00:0x,000”不是时间；应为形如“00:00:01,000 --> 00:00:04,000”的行'],
    ]);
    const other = await put('other.json', '{"foo": 1}');
    expect((await errors([other], 'zh-CN'))[0]?.[1]).toMatch(
      /^无法识别的 JSON：不是本工具能读取的格式（callqa-json、.*）；请查看 callqa formats，或用 --input-format 指定格式$/,
    );
    const task = await put('task.json', '{"TaskId": "t", "StatusText": "FILE_DOWNLOAD_FAILED"}');
    expect(await errors([task], 'zh-CN')).toEqual([[1, 'StatusText：识别任务失败（FILE_DOWNLOAD_FAILED）；没有可评分的句子']]);
    const headless = await put('cols.csv', 'a,b\n1,2\n');
    expect((await errors([headless], 'zh-CN'))[0]?.[1]).toMatch(/^没有文本列：应有 text（.*，或用 --columns text=<header name> 指定）；表头为：a、b$/);
    const listed = await errors([many], 'zh-CN');
    expect(listed).toHaveLength(21);
    expect(listed[20]).toEqual([undefined, '另有 2 个问题未列出']);
  });

  it("a call record's reason in the run's language", async () => {
    const dir = await tempDir();
    const file = join(dir, 'records.jsonl');
    await writeFile(file, '{"queue": "x"}\n[1]\n');
    const records = await loadMetadataFile(file, { customerLeg: 'inbound', lang: 'zh-CN' });
    expect(records.map((r) => ('error' in r ? [r.line, r.error] : r))).toEqual([
      [1, '没有通话编号：应有 ContactId (Amazon Connect CTR)、variables.uuid (FreeSWITCH CDR) 或 call_id 字段'],
      [2, '应为一条通话记录对象'],
    ]);
  });
});

describe('a reason as a message', () => {
  it('is written with its nested messages in the language, and leaves no message object behind', () => {
    const error: InputError = {
      source: 'a.csv',
      line: 3,
      error: 'x',
      said: msg('input.in-call', { id: 'C-1', problem: msg('input.more-problems', { count: 4 }) }),
    };
    expect(localizeError(error, 'zh-CN')).toEqual({ source: 'a.csv', line: 3, error: '通话 C-1：另有 4 个问题未列出' });
    expect(localizeError(error, 'en')).toEqual({ source: 'a.csv', line: 3, error: 'call C-1: 4 more problems not listed' });
    expect(localizeError({ source: 'b', error: 'as it was' }, 'zh-TW')).toEqual({ source: 'b', error: 'as it was' });
    expect(messageText('zh-TW', msg('input.backwards'))).toBe('時間戳倒退：每句的開始時間應不早於上一句');
  });
});

describe("AWS formats' reasons in the run's language", () => {
  const put = async (name: string, doc: unknown) => {
    const dir = await tempDir();
    await writeFile(join(dir, name), JSON.stringify(doc));
    return join(dir, name);
  };

  it('AWS Transcribe: bad times, an item and no speaker information, in zh-CN', async () => {
    const seconds = await put('t1.json', {
      results: { items: [{ type: 'pronunciation', start_time: 'x', end_time: '1.0', alternatives: [{ content: '您好' }] }], speaker_labels: { segments: [] } },
    });
    const unlabelled = await put('t2.json', { jobName: 'j', results: { items: [] } });
    const word = { type: 'word', alternatives: [{ content: '好' }] };
    const typed = await put('t3.json', { results: { items: [], channel_labels: { channels: [{ channel_label: 'ch_0', items: [word] }] } } });
    expect(await errors([seconds, unlabelled, typed], 'zh-CN')).toEqual([
      [1, 'results.items[0].start_time：应为秒数，写作小数字符串，如“0.860”，实际为 "x"'],
      [
        1,
        'results：没有说话人信息：应有 results.speaker_labels（转写任务开启 ShowSpeakerLabels）或 results.channel_labels（ChannelIdentification）；否则无法区分坐席和客户',
      ],
      [1, 'results.channel_labels.channels[0].items[0].type：应为“pronunciation”或“punctuation”，实际为 "word"'],
    ]);
  });

  it('Call Analytics and Contact Lens: roles, times and empty chats, in zh-CN and zh-TW', async () => {
    const turns = await put('ca.json', {
      JobName: 'c',
      Transcript: [{ ParticipantRole: 'BOT', BeginOffsetMillis: 0, EndOffsetMillis: 10, Content: '您好' }],
    });
    const reversed = await put('ca2.json', {
      JobName: 'c',
      Transcript: [{ ParticipantRole: 'AGENT', BeginOffsetMillis: 900, EndOffsetMillis: 100, Content: '您好' }],
    });
    const chat = await put('chat.json', {
      Channel: 'CHAT',
      Transcript: [{ AbsoluteTime: '2026-03-11T02:15:04.120Z', Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.participant.joined' }],
    });
    expect(await errors([turns, reversed, chat], 'zh-CN')).toEqual([
      [1, 'Transcript[0].ParticipantRole：应为 AGENT 或 CUSTOMER，实际为 "BOT"'],
      [1, 'Transcript[0].EndOffsetMillis：结束时间 100 毫秒早于开始时间 900 毫秒'],
      [1, 'Transcript：应至少有一条 AGENT 或 CUSTOMER 发出的 MESSAGE；这段会话没有可评分的消息'],
    ]);
    expect(await errors([chat], 'zh-TW')).toEqual([[1, 'Transcript：應至少有一條 AGENT 或 CUSTOMER 發出的 MESSAGE；這段會話沒有可評分的訊息']]);
    expect(await errors([reversed])).toEqual([[1, 'Transcript[0].EndOffsetMillis: end 100 ms is before begin 900 ms']]);
  });
});

/** The reason `run` throws, written in `lang` as errors.csv would hold it. */
function thrownIn(lang: Lang, run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof InputProblem && err.said) return messageText(lang, err.said);
    throw err;
  }
  throw new Error('nothing thrown');
}

describe("encoding, call record, role and not-scored reasons in the run's language", () => {
  it('an unknown --encoding, a byte-order mark that contradicts it, UTF-16 JSONL', () => {
    expect(thrownIn('zh-CN', () => decodeBytes(Buffer.from('x'), 'latin1'))).toBe('未知的编码“latin1”；应为 utf-8、utf-16le、utf-16be、gb18030、big5 之一');
    expect(thrownIn('zh-CN', () => decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x78]), 'gbk'))).toBe(
      '文件以 UTF-8 字节顺序标记开头，但 --encoding 指定的是 GB18030',
    );
    expect(thrownIn('zh-CN', () => createLineDecoder('utf-16le'))).toBe('不支持 UTF-16LE 编码的 JSONL 文件：请将文件另存为 UTF-8');
    expect(thrownIn('zh-TW', () => createLineDecoder('utf-16le'))).toBe('不支援 UTF-16LE 編碼的 JSONL 檔案：請將檔案另存為 UTF-8');
  });

  it("a FreeSWITCH record's start time past any date", () => {
    const cdr = { variables: { uuid: 'u', start_uepoch: '9e30' } };
    expect(thrownIn('zh-CN', () => factsFromFreeswitch(cdr, { customerLeg: 'inbound' }))).toBe(
      'variables.start_uepoch：应为自 1970 年起的微秒数，实际为 "9e30"',
    );
  });

  it('a call whose speakers cannot be told apart', () => {
    const call = (utterances: { speaker?: string; channel?: number; text: string }[]) => ({
      id: 'R1',
      source: 'r.json',
      format: 'callqa-json',
      agent: {},
      hangupBy: 'unknown' as const,
      utterances,
    });
    const options = { greetingElements: defaultGreetingMatchers() };
    expect(thrownIn('zh-CN', () => resolveRoles(call([{ speaker: 'spk_0', text: 'a' }, { text: 'b' }]), options))).toBe(
      '第 2 句没有角色、说话人标签或声道：应为已做说话人分离的转写，或带有 坐席：/Agent: 前缀',
    );
    expect(
      thrownIn('zh-CN', () =>
        resolveRoles(
          call([
            { channel: 0, text: '您好' },
            { channel: 0, text: '喂' },
          ]),
          options,
        ),
      ),
    ).toBe('整通通话只有一个说话人（0）：无法区分坐席和客户（录音是否做了说话人分离或按声道拆分？）');
  });

  it('an input stopped by --input-timeout, a bug or a worker that died twice', () => {
    expect(timedOut(1, 0, 'zh-CN')).toBe('处理超过 1 秒（--input-timeout）；未评分');
    expect(timedOut(0.5, 3, 'zh-CN')).toBe('处理超过 0.5 秒（--input-timeout）；前 3 条记录之后的内容未评分');
    expect(failedOn('Error: x', 0, 'zh-CN')).toBe('本工具处理此输入时出错（Error: x；请报告此问题）；未评分');
    expect(diedTwice('out of memory', 2, 'zh-TW')).toBe('評分此輸入的工作程序兩次異常退出（out of memory）；前 2 條記錄之後的內容未評分');
    expect(diedTwice('out of memory', 2)).toBe('the worker scoring this input died (out of memory) twice; not scored past its first 2 record(s)');
    expect(timedOut(0.000001, 0)).toBe('took longer than 0.000001 s (--input-timeout); not scored');
  });
});

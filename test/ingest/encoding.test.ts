import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineDecoder, decodeBytes, detectEncoding, ENCODINGS, encodingName } from '../../src/ingest/encoding.js';
import { InputProblem } from '../../src/ingest/errors.js';
import { readInput } from '../../src/ingest/index.js';
import type { Parsed } from '../../src/ingest/parsed.js';
import { onlyCall, onlyError } from '../helpers/parsed.js';

// Byte strings made once with python3: `text.encode('gbk').hex()` and `text.encode('big5').hex()`.
const GBK_SIMPLIFIED: [string, string][] = [
  ['您好，这里是星辰通信，很高兴为您服务', 'c4fabac3a3acd5e2c0efcac7d0c7b3bdcda8d0c5a3acbadcb8dfd0cbceaac4fab7fecef1'],
  ['请问您的快递单号是多少？', 'c7ebcecac4fab5c4bfecb5ddb5a5bac5cac7b6e0c9d9a3bf'],
  ['好的，我帮您查询一下，请稍等。', 'bac3b5c4a3acced2b0efc4fab2e9d1afd2bbcfc2a3acc7ebc9d4b5c8a1a3'],
  ['您的包裹已经到达云帆快递网点', 'c4fab5c4b0fcb9fcd2d1beadb5bdb4efd4c6b7abbfecb5ddcdf8b5e3'],
  ['华信银行信用卡中心，工号三零二', 'bbaad0c5d2f8d0d0d0c5d3c3bfa8d6d0d0c4a3acb9a4bac5c8fdc1e3b6fe'],
  ['我要投诉，你们的服务太差了', 'ced2d2aacdb6cbdfa3acc4e3c3c7b5c4b7fecef1ccabb2eec1cb'],
  ['嗯，好的，谢谢，再见', 'e0c5a3acbac3b5c4a3acd0bbd0bba3acd4d9bcfb'],
];

const BIG5_TRADITIONAL: [string, string][] = [
  ['您好，這裡是華信銀行，很高興為您服務', 'b17aa66ea141b36fb8ccac4fb5d8ab48bbc8a6e6a141abdcb0aabfb3acb0b17aaa41b0c8'],
  ['請問您的快遞單號是多少？', 'bdd0b0ddb17aaabaa7d6bbbcb3e6b8b9ac4fa668a4d6a148'],
  ['好的，我幫您查詢一下，請稍等。', 'a66eaabaa141a7dac0b0b17aac64b8dfa440a455a141bdd0b579b5a5a143'],
  ['您的包裹已經到達雲帆快遞網點', 'b17aaabaa55dbb71a477b867a8ecb946b6b3a67ca7d6bbbcbaf4c249'],
  ['帳戶餘額不足，請及時繳費', 'b162a4e1be6cc342a4a3a8aca141bdd0a4ceaec9c3bab64f'],
  ['我要投訴，你們的服務太差了', 'a7daad6ea7ebb644a141a741adccaabaaa41b0c8a4d3ae74a446'],
  ['嗯，好的，謝謝，再見', 'b6e2a141a66eaabaa141c1c2c1c2a141a641a8a3'],
];

/** Traditional characters exist in GBK too (files from mainland systems that display Traditional). */
const GBK_TRADITIONAL: [string, string][] = [
  ['您好，這裡是華信銀行，很高興為您服務', 'c4fabac3a3acdf40d165cac7c841d0c5e379d0d0a3acbadcb8dfc5649ee9c4fab7fe84d5'],
  ['請問您的快遞單號是多少？', 'd5888696c4fab5c4bfecdf6686cecc96cac7b6e0c9d9a3bf'],
  ['好的，我幫您查詢一下，請稍等。', 'bac3b5c4a3acced28ecdc4fab2e9d483d2bbcfc2a3acd588c9d4b5c8a1a3'],
];

const GBK_NIHAO = [0xc4, 0xe3, 0xba, 0xc3];

/** Joins UTF-8 strings, hex strings (`hex:…`) and byte arrays into one buffer. */
function bytes(...parts: (string | number[])[]): Buffer {
  return Buffer.concat(
    parts.map((p) => (typeof p !== 'string' ? Buffer.from(p) : p.startsWith('hex:') ? Buffer.from(p.slice(4), 'hex') : Buffer.from(p, 'utf8'))),
  );
}

const utf16le = (s: string) => Buffer.from(s, 'utf16le');
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

function thrown(f: () => unknown): InputProblem {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputProblem);
    return err as InputProblem;
  }
  throw new Error('expected an InputProblem');
}

describe('encodingName', () => {
  it.each([
    ['utf-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['UTF-8', 'utf-8'],
    ['UTF8', 'utf-8'],
    ['utf_8', 'utf-8'],
    [' utf-8 ', 'utf-8'],
    ['utf-8-sig', 'utf-8'],
    ['gbk', 'gb18030'],
    ['GBK', 'gb18030'],
    ['gb2312', 'gb18030'],
    ['GB_2312-80', 'gb18030'],
    ['cp936', 'gb18030'],
    ['CP936', 'gb18030'],
    ['windows-936', 'gb18030'],
    ['x-gbk', 'gb18030'],
    ['EUC-CN', 'gb18030'],
    ['gb18030', 'gb18030'],
    ['GB-18030', 'gb18030'],
    ['big5', 'big5'],
    ['Big5', 'big5'],
    ['BIG-5', 'big5'],
    ['big5-hkscs', 'big5'],
    ['cp950', 'big5'],
    ['utf-16le', 'utf-16le'],
    ['UTF-16LE', 'utf-16le'],
    ['utf16le', 'utf-16le'],
    ['utf16', 'utf-16le'],
    ['utf-16', 'utf-16le'],
    ['ucs-2', 'utf-16le'],
    ['unicode', 'utf-16le'],
    ['utf-16be', 'utf-16be'],
    ['UTF16BE', 'utf-16be'],
  ])('maps %j to %s', (given, want) => {
    expect(encodingName(given)).toBe(want);
  });

  it.each(['latin1', 'iso-8859-1', 'shift_jis', 'utf-32', 'gbk2', 'big', ''])('does not know %j', (given) => {
    expect(encodingName(given)).toBeUndefined();
  });

  it('maps every canonical name to itself', () => {
    expect(ENCODINGS.map((e) => encodingName(e))).toEqual([...ENCODINGS]);
    expect(ENCODINGS).toEqual(['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5']);
  });
});

describe('detectEncoding', () => {
  it.each<[string, Buffer, string]>([
    ['empty', bytes(), 'utf-8'],
    ['ASCII', bytes('# call_id: C-1\nagent: hello\n'), 'utf-8'],
    ['UTF-8 Chinese', bytes('坐席：您好，这里是星辰通信'), 'utf-8'],
    ['UTF-8 Traditional', bytes('坐席：您好，這裡是華信銀行'), 'utf-8'],
    ['a UTF-8 sample cut inside a character', bytes('坐席：您好').subarray(0, 13), 'utf-8'],
    ['a UTF-8 BOM', bytes([0xef, 0xbb, 0xbf], '{}'), 'utf-8'],
    ['a UTF-8 BOM before GBK bytes (the BOM wins)', bytes([0xef, 0xbb, 0xbf], `hex:${GBK_SIMPLIFIED[0]?.[1]}`), 'utf-8'],
    ['a UTF-16LE BOM', Buffer.concat([bytes([0xff, 0xfe]), utf16le('坐席：您好')]), 'utf-16le'],
    ['a UTF-16BE BOM', Buffer.concat([bytes([0xfe, 0xff]), utf16be('坐席：您好')]), 'utf-16be'],
    ['a GB18030 BOM', bytes([0x84, 0x31, 0x95, 0x33], 'hex:c4fabac3'), 'gb18030'],
    ['UTF-16LE ASCII without a BOM', utf16le('agent: hello\ncustomer: hi\n'), 'utf-16le'],
    ['UTF-16BE ASCII without a BOM', utf16be('agent: hello\ncustomer: hi\n'), 'utf-16be'],
    ['UTF-16LE Chinese without a BOM (一 is 00 4e)', utf16le('[00:01.0-00:03.5] 客户：一三八一二三四五六七八\n'), 'utf-16le'],
    ['UTF-16BE Chinese without a BOM', utf16be('[00:01.0-00:03.5] 客户：一三八一二三四五六七八\n'), 'utf-16be'],
    ['ASCII with a stray NUL', bytes('agent: hello', [0], ' there\n'), 'utf-8'],
  ])('%s → %s', (_name, input, want) => {
    expect(detectEncoding(input)).toBe(want);
  });

  describe.each([
    ['GBK (Simplified)', GBK_SIMPLIFIED, 'gb18030'],
    ['Big5 (Traditional)', BIG5_TRADITIONAL, 'big5'],
    ['GBK (Traditional)', GBK_TRADITIONAL, 'gb18030'],
  ])('%s', (_name, cases, want) => {
    it.each(cases)('detects %s on its own', (_text, hex) => {
      expect(detectEncoding(Buffer.from(hex, 'hex'))).toBe(want);
    });

    it.each(cases)('detects %s in a transcript line', (_text, hex) => {
      expect(detectEncoding(bytes('[00:01.5-00:04.0] agent: ', `hex:${hex}`, '\n'))).toBe(want);
    });

    it.each(cases)('detects %s in a JSON line cut inside a character', (_text, hex) => {
      const line = bytes('{"segments":[{"speaker":"agent","text":"', `hex:${hex}`);
      expect(detectEncoding(line.subarray(0, line.length - 1))).toBe(want);
    });
  });

  it('looks past a long ASCII start', () => {
    const input = bytes(`# ${'x'.repeat(100_000)}\n`, `hex:${BIG5_TRADITIONAL[0]?.[1]}`);
    expect(detectEncoding(input)).toBe('big5');
  });

  it.each<[string, Buffer]>([
    ['two GBK characters (too little to tell)', bytes('{"text":"', GBK_NIHAO, '"}')],
    ['Latin-1 bytes in English', bytes('caf', [0xe9], 's cr', [0xe8], 'me')],
    ['UTF-8 Chinese with a few GBK bytes', bytes('# call_id: g\n客服：您好\n客户：', GBK_NIHAO, '\n')],
    ['random high bytes', bytes([0x81, 0x20, 0xfe, 0xff, 0x80])],
  ])('calls %s UTF-8, so decoding reports the bad byte', (_name, input) => {
    expect(detectEncoding(input)).toBe('utf-8');
  });
});

describe('decodeBytes', () => {
  it.each([
    ...GBK_SIMPLIFIED.map(([text, hex]) => [text, hex, 'gb18030'] as const),
    ...BIG5_TRADITIONAL.map(([text, hex]) => [text, hex, 'big5'] as const),
    ...GBK_TRADITIONAL.map(([text, hex]) => [text, hex, 'gb18030'] as const),
  ])('reads %s (%s) as %s', (text, hex, encoding) => {
    const input = bytes('# call_id: C-1\n', `hex:${hex}`, '\n');
    expect(decodeBytes(input)).toEqual({ text: `# call_id: C-1\n${text}\n`, encoding });
  });

  it.each<[string, Buffer, string]>([
    ['UTF-8', bytes('坐席：您好'), 'utf-8'],
    ['UTF-8 with a BOM', bytes([0xef, 0xbb, 0xbf], '坐席：您好'), 'utf-8'],
    ['UTF-16LE with a BOM', Buffer.concat([bytes([0xff, 0xfe]), utf16le('坐席：您好')]), 'utf-16le'],
    ['UTF-16BE with a BOM', Buffer.concat([bytes([0xfe, 0xff]), utf16be('坐席：您好')]), 'utf-16be'],
    ['GB18030 with its BOM', bytes([0x84, 0x31, 0x95, 0x33], 'hex:d7f8cfafa3bac4fabac3'), 'gb18030'],
  ])('reads %s and drops the BOM', (_name, input, encoding) => {
    expect(decodeBytes(input)).toEqual({ text: '坐席：您好', encoding });
  });

  it('reads UTF-16LE without a BOM when its ASCII gives it away', () => {
    expect(decodeBytes(utf16le('[00:00.5-00:03.0] 坐席：您好\n'))).toEqual({ text: '[00:00.5-00:03.0] 坐席：您好\n', encoding: 'utf-16le' });
  });

  it('reads a 4-byte GB18030 character (an emoji)', () => {
    expect(decodeBytes(bytes('hex:c4fabac3a3acd5e2c0efcac7d0c7b3bdcda8d0c59439fc36'))).toEqual({
      text: '您好，这里是星辰通信😀',
      encoding: 'gb18030',
    });
  });

  describe('--encoding', () => {
    it.each<[string, Buffer, string, string]>([
      ['GBK', bytes('{"text":"', GBK_NIHAO, '"}'), '{"text":"你好"}', 'gb18030'],
      ['cp936', bytes(GBK_NIHAO), '你好', 'gb18030'],
      ['Big5', bytes('hex:a741a66e'), '你好', 'big5'],
      ['utf-16le', utf16le('ok'), 'ok', 'utf-16le'],
      ['UTF16BE', utf16be('ok'), 'ok', 'utf-16be'],
      ['utf8', bytes('您好'), '您好', 'utf-8'],
    ])('--encoding %s decodes what detection would not guess', (forced, input, text, encoding) => {
      expect(decodeBytes(input, forced)).toEqual({ text, encoding });
    });

    it('reports GBK bytes forced as UTF-8 in the UTF-8 message', () => {
      const err = thrown(() => decodeBytes(bytes(`hex:${GBK_SIMPLIFIED[0]?.[1]}`), 'utf-8'));
      expect(err.message).toBe('not valid UTF-8: byte 0xc4 at byte offset 0 (save the file as UTF-8)');
      expect(err.line).toBe(1);
    });

    it('rejects an unknown name', () => {
      expect(thrown(() => decodeBytes(bytes('x'), 'latin1')).message).toBe(
        'unknown encoding "latin1"; expected one of utf-8, utf-16le, utf-16be, gb18030, big5',
      );
    });

    it.each<[string, Buffer, string, string]>([
      ['a UTF-8 BOM', bytes([0xef, 0xbb, 0xbf], 'x'), 'gbk', 'the file starts with a UTF-8 byte-order mark, but --encoding says GB18030'],
      ['a UTF-16LE BOM', bytes([0xff, 0xfe, 0x78, 0x00]), 'utf-8', 'the file starts with a UTF-16LE byte-order mark, but --encoding says UTF-8'],
      ['a UTF-16BE BOM', bytes([0xfe, 0xff, 0x00, 0x78]), 'utf-16', 'the file starts with a UTF-16BE byte-order mark, but --encoding says UTF-16LE'],
    ])('refuses %s that contradicts --encoding', (_name, input, forced, message) => {
      const err = thrown(() => decodeBytes(input, forced));
      expect(err.message).toBe(message);
      expect(err.line).toBe(1);
    });
  });

  describe('invalid bytes', () => {
    it('keeps the UTF-8 message when it cannot tell the encoding', () => {
      const input = bytes('{\n  "segments": [{"speaker": "agent", "text": "', GBK_NIHAO, '"}]\n}\n');
      const err = thrown(() => decodeBytes(input));
      expect(err.message).toBe('not valid UTF-8: byte 0xc4 at byte offset 47 (save the file as UTF-8)');
      expect(err.line).toBe(2);
    });

    it('names GB18030, the byte, its offset and its line', () => {
      const before = bytes('# call_id: G-1\n', `hex:${GBK_SIMPLIFIED[0]?.[1]}`, '\n', `hex:${GBK_SIMPLIFIED[1]?.[1]}`, '\n');
      const err = thrown(() => decodeBytes(Buffer.concat([before, bytes([0xff], `hex:${GBK_SIMPLIFIED[2]?.[1]}`, '\n')])));
      expect(before.length).toBe(77);
      expect(err.message).toBe("not valid GB18030: byte 0xff at byte offset 77 (say the file's encoding with --encoding)");
      expect(err.line).toBe(4);
    });

    it('names the lead byte of a pair whose second byte is wrong', () => {
      // 0xc4 0x0a: a GBK lead byte followed by a newline.
      const input = bytes(`hex:${GBK_SIMPLIFIED[0]?.[1]}`, [0xc4], '\nok\n');
      const err = thrown(() => decodeBytes(input));
      expect(err.message).toBe("not valid GB18030: byte 0xc4 at byte offset 36 (say the file's encoding with --encoding)");
      expect(err.line).toBe(1);
    });

    it('reports a Big5 file cut in the middle of a character', () => {
      const input = bytes(`hex:${BIG5_TRADITIONAL[0]?.[1]}`, '\n', `hex:${BIG5_TRADITIONAL[1]?.[1]}`, [0xa4]);
      const err = thrown(() => decodeBytes(input));
      expect(err.message).toBe("not valid Big5: byte 0xa4 at byte offset 61 (say the file's encoding with --encoding)");
      expect(err.line).toBe(2);
    });

    it.each<[string, number[], string]>([
      ['0xff', [0xff], ''],
      ['0x80', [0x80], ''],
      ['a user-defined pair 0xfa 0x40', [0xfa, 0x40], ' (a user-defined character, not text)'],
      ['a user-defined pair 0x8e 0x40', [0x8e, 0x40], ' (a user-defined character, not text)'],
    ])('rejects Big5 %s, which Node decodes to a private-use or control character', (_name, bad, why) => {
      const input = bytes(`hex:${BIG5_TRADITIONAL[0]?.[1]}`, bad, `hex:${BIG5_TRADITIONAL[1]?.[1]}`);
      const err = thrown(() => decodeBytes(input, 'big5'));
      expect(err.message).toBe(`not valid Big5: byte 0x${(bad[0] as number).toString(16)} at byte offset 36${why} (say the file's encoding with --encoding)`);
    });

    it('rejects a GB18030 four-byte sequence for a control character', () => {
      const err = thrown(() => decodeBytes(bytes('hex:c4fabac3', [0x81, 0x30, 0x81, 0x30]), 'gbk'));
      expect(err.message).toBe("not valid GB18030: byte 0x81 at byte offset 4 (a control character, not text) (say the file's encoding with --encoding)");
    });

    it('rejects a GB18030 user-defined character (private use)', () => {
      const err = thrown(() => decodeBytes(bytes('hex:c4fabac3', [0xaa, 0xa1]), 'gbk'));
      expect(err.message).toBe("not valid GB18030: byte 0xaa at byte offset 4 (a user-defined character, not text) (say the file's encoding with --encoding)");
    });

    it.each((GBK_SIMPLIFIED[0]?.[1].match(/..../g) ?? []).map((_, k) => [k * 2] as const))('finds a 0xff put at byte offset %i of a GBK sentence', (at) => {
      const good = Buffer.from(GBK_SIMPLIFIED[0]?.[1] ?? '', 'hex');
      const input = Buffer.concat([good.subarray(0, at), bytes([0xff]), good.subarray(at), bytes('\n', `hex:${GBK_SIMPLIFIED[1]?.[1]}`)]);
      expect(thrown(() => decodeBytes(input, 'gb18030')).message).toBe(
        `not valid GB18030: byte 0xff at byte offset ${at} (say the file's encoding with --encoding)`,
      );
    });

    it.each<[string, Buffer, string, number]>([
      [
        'an odd UTF-16LE length',
        Buffer.concat([bytes([0xff, 0xfe]), utf16le('a\r\nb\r\n'), bytes([0x63])]),
        'not valid UTF-16LE: byte 0x63 at byte offset 14',
        3,
      ],
      [
        'a lone UTF-16LE surrogate',
        Buffer.concat([bytes([0xff, 0xfe]), utf16le('您好\n'), bytes([0x3d, 0xd8]), utf16le('x')]),
        'not valid UTF-16LE: byte 0x3d at byte offset 8',
        2,
      ],
      [
        'a lone UTF-16BE surrogate',
        Buffer.concat([bytes([0xfe, 0xff]), utf16be('a\nb\n'), bytes([0xdc, 0x00])]),
        'not valid UTF-16BE: byte 0xdc at byte offset 10',
        3,
      ],
    ])('reports %s', (_name, input, message, line) => {
      const err = thrown(() => decodeBytes(input));
      expect(err.message).toBe(`${message} (say the file's encoding with --encoding)`);
      expect(err.line).toBe(line);
    });
  });
});

describe('createLineDecoder', () => {
  it('decodes UTF-8 lines and drops a BOM from the first line only', () => {
    const decode = createLineDecoder('utf-8');
    expect(decode(bytes([0xef, 0xbb, 0xbf], '{"a":"您好"}'), 0)).toBe('{"a":"您好"}');
    expect(decode(bytes([0xef, 0xbb, 0xbf], 'x'), 20)).toBe('\ufeffx');
  });

  it.each<[string, string, Buffer, string]>([
    ['gb18030', 'gbk', bytes(`hex:${GBK_SIMPLIFIED[0]?.[1]}`), GBK_SIMPLIFIED[0]?.[0] ?? ''],
    ['big5', 'Big5', bytes(`hex:${BIG5_TRADITIONAL[0]?.[1]}`), BIG5_TRADITIONAL[0]?.[0] ?? ''],
    ['gb18030 with its BOM', 'gb18030', bytes([0x84, 0x31, 0x95, 0x33], 'hex:c4fabac3'), '您好'],
  ])('decodes %s lines (--encoding %s)', (_name, encoding, line, text) => {
    expect(createLineDecoder(encoding)(line, 0)).toBe(text);
  });

  it.each<[string, Buffer, string]>([
    ['utf-8', bytes('{"text":"', GBK_NIHAO, '"}'), 'not valid UTF-8: byte 0xc4 at byte offset 1009 (save the file as UTF-8)'],
    ['gb18030', bytes('{"text":"', [0xc4, 0xfa, 0xff], '"}'), "not valid GB18030: byte 0xff at byte offset 1011 (say the file's encoding with --encoding)"],
    ['big5', bytes('{"text":"', [0xb1, 0x7a, 0xa4], '"}'), "not valid Big5: byte 0xa4 at byte offset 1011 (say the file's encoding with --encoding)"],
  ])('names the %s byte with its offset in the file', (encoding, line, message) => {
    expect(thrown(() => createLineDecoder(encoding)(line, 1000)).message).toBe(message);
  });

  it.each(['utf-16le', 'UTF-16BE', 'utf16'])('refuses UTF-16 (%s) when it is made', (encoding) => {
    const err = thrown(() => createLineDecoder(encoding));
    expect(err.message).toMatch(/^UTF-16(LE|BE) JSONL is not supported: save the file as UTF-8$/);
    expect(err.line).toBe(1);
  });

  it('rejects an unknown name', () => {
    expect(thrown(() => createLineDecoder('koi8-r')).message).toMatch(/^unknown encoding "koi8-r"/);
  });
});

async function read(path: string, encoding?: string): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for await (const p of readInput({ kind: 'file', path }, encoding === undefined ? {} : { encoding })) out.push(p);
  return out;
}

describe('readInput with the encoding fixtures', () => {
  const dir = 'fixtures/formats/encodings';
  const SIMPLIFIED = [
    '您好，这里是星辰通信，我是陈静，很高兴为您服务。',
    '你好，我想查一下这个月的话费。',
    '好的，请您提供一下手机号码，我帮您查询。',
    '一三九零一二三四五六七。',
    '您本月话费是八十六元，其中流量包二十元，已经自动扣款。',
    '好的，谢谢。',
    '不客气，还有什么可以帮您的吗？再见。',
  ];
  const TRADITIONAL = [
    '您好，這裡是星辰通信，我是陳靜，很高興為您服務。',
    '你好，我想查一下這個月的話費。',
    '好的，請您提供一下手機號碼，我幫您查詢。',
    '一三九零一二三四五六七。',
    '您本月話費是八十六元，其中流量包二十元，已經自動扣款。',
    '好的，謝謝。',
    '不客氣，還有什麼可以幫您的嗎？再見。',
  ];
  const ROLES = ['agent', 'customer', 'agent', 'customer', 'agent', 'customer', 'agent'];

  it.each([
    ['xingchen-utf8.txt', 'ENC-UTF8', SIMPLIFIED, '陈静'],
    ['xingchen-utf8-bom.txt', 'ENC-UTF8-BOM', SIMPLIFIED, '陈静'],
    ['xingchen-utf16le-bom.txt', 'ENC-UTF16LE', SIMPLIFIED, '陈静'],
    ['xingchen-utf16be-bom.txt', 'ENC-UTF16BE', SIMPLIFIED, '陈静'],
    ['xingchen-gbk.txt', 'ENC-GBK', SIMPLIFIED, '陈静'],
    ['xingchen-big5-tw.txt', 'ENC-BIG5', TRADITIONAL, '陳靜'],
  ])('reads %s', async (file, id, texts, agentName) => {
    const call = onlyCall(await read(join(dir, file)));
    expect(call.id).toBe(id);
    expect(call.agent).toEqual({ id: 'A2001', name: agentName });
    expect(call.utterances.map((u) => u.text)).toEqual(texts);
    expect(call.utterances.map((u) => u.role)).toEqual(ROLES);
    expect(call.utterances.map((u) => [u.start, u.end])).toEqual([
      [0.4, 9.0],
      [9.6, 13.1],
      [13.6, 20.4],
      [21.0, 25.2],
      [25.8, 37.0],
      [37.6, 39.3],
      [39.8, 45.6],
    ]);
  });

  it('reads an English UTF-16LE file with CRLF line ends', async () => {
    const call = onlyCall(await read(join(dir, 'huaxin-en-utf16le-bom.txt')));
    expect(call.id).toBe('ENC-EN-UTF16LE');
    expect(call.utterances.map((u) => [u.role, u.text])).toEqual([
      ['agent', 'Thank you for calling Huaxin Bank, this is Grace, how may I help you?'],
      ['customer', "Hi, I'd like to check why my card was declined."],
      ['agent', 'Sure, I can look into that. Could you confirm your full name, please?'],
      ['customer', "It's Daniel Chen."],
      ['agent', "Thank you, Mr Chen. The card was paused after an unusual payment; I've reactivated it."],
      ['customer', 'Great, thanks. Bye.'],
    ]);
  });

  it('reports the bad byte in a GBK file with its offset and line', async () => {
    const path = join(dir, 'xingchen-gbk-bad-byte.txt');
    expect(onlyError(await read(path))).toEqual({
      source: path,
      line: 13,
      error: "not valid GB18030: byte 0xff at byte offset 499 (say the file's encoding with --encoding)",
    });
  });

  it('reads a GBK file as Big5 only when told to, and then reports the first byte Big5 lacks', async () => {
    const path = join(dir, 'xingchen-gbk.txt');
    const err = onlyError(await read(path, 'big5'));
    expect(err.error).toMatch(/^not valid Big5: byte 0x[0-9a-f]{2} at byte offset \d+/);
  });
});

describe('readInput with JSONL in legacy encodings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callqa-enc-'));
    await mkdir(dir, { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const line = (hex: string) => bytes('{"segments":[{"speaker":"agent","text":"', `hex:${hex}`, '"}]}\n');

  it('reads GBK JSONL line by line', async () => {
    const path = join(dir, 'gbk.jsonl');
    await writeFile(path, Buffer.concat(GBK_SIMPLIFIED.slice(0, 3).map(([, hex]) => line(hex))));
    const out = await read(path);
    expect(out.map((p) => p.call?.utterances[0]?.text)).toEqual(GBK_SIMPLIFIED.slice(0, 3).map(([text]) => text));
  });

  it('reports a bad Big5 line with its line and file offset, and reads the others', async () => {
    const path = join(dir, 'big5.jsonl');
    const first = line(BIG5_TRADITIONAL[0]?.[1] ?? '');
    const bad = bytes('{"segments":[{"speaker":"agent","text":"', [0xb1, 0x7a, 0xff], '"}]}\n');
    await writeFile(path, Buffer.concat([first, bad, line(BIG5_TRADITIONAL[1]?.[1] ?? '')]));
    const out = await read(path);
    expect(out.map((p) => p.call?.utterances[0]?.text ?? p.error)).toEqual([
      BIG5_TRADITIONAL[0]?.[0],
      { source: path, line: 2, error: `not valid Big5: byte 0xff at byte offset ${first.length + 42} (say the file's encoding with --encoding)` },
      BIG5_TRADITIONAL[1]?.[0],
    ]);
  });

  it('refuses UTF-16 JSONL as one error', async () => {
    const path = join(dir, 'utf16.jsonl');
    await writeFile(path, Buffer.concat([bytes([0xff, 0xfe]), utf16le('{"segments":[{"speaker":"agent","text":"您好"}]}\n')]));
    expect(await read(path)).toEqual([{ error: { source: path, line: 1, error: 'UTF-16LE JSONL is not supported: save the file as UTF-8' } }]);
  });
});

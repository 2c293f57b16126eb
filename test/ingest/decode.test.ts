import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8 } from '../../src/ingest/decode.js';
import { InputProblem } from '../../src/ingest/errors.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('firstInvalidUtf8', () => {
  it.each<[string, Uint8Array]>([
    ['empty', bytes()],
    ['ASCII', bytes('hello\n')],
    ['Chinese', bytes('您好，客服')],
    ['a BOM', bytes([0xef, 0xbb, 0xbf], 'x')],
    ['a 4-byte emoji', bytes('a😀b')],
    ['the largest code point U+10FFFF', bytes([0xf4, 0x8f, 0xbf, 0xbf])],
    ['U+FFFF', bytes([0xef, 0xbf, 0xbf])],
    ['the last 2-byte code point and first 3-byte one', bytes([0xdf, 0xbf, 0xe0, 0xa0, 0x80])],
  ])('is -1 for valid UTF-8: %s', (_name, input) => {
    expect(firstInvalidUtf8(input)).toBe(-1);
  });

  it.each<[string, Uint8Array, number]>([
    ['GBK bytes of 你好', bytes([0xc4, 0xe3, 0xba, 0xc3]), 0],
    ['GBK bytes after ASCII', bytes('ok:', [0xc4, 0xe3, 0xba, 0xc3]), 3],
    ['GBK bytes after valid Chinese', bytes('您好', [0xc4, 0xe3]), 6],
    ['a lone continuation byte', bytes('ab', [0x80]), 2],
    ['overlong 2-byte NUL (C0 80)', bytes('a', [0xc0, 0x80]), 1],
    ['overlong 2-byte (C1 BF)', bytes([0xc1, 0xbf]), 0],
    ['overlong 3-byte (E0 80 80)', bytes('xy', [0xe0, 0x80, 0x80]), 2],
    ['overlong 3-byte slash (E0 80 AF)', bytes([0xe0, 0x80, 0xaf]), 0],
    ['overlong 4-byte (F0 80 80 80)', bytes('z', [0xf0, 0x80, 0x80, 0x80]), 1],
    ['a high surrogate (ED A0 80)', bytes('a', [0xed, 0xa0, 0x80]), 1],
    ['a low surrogate (ED BF BF)', bytes('您', [0xed, 0xbf, 0xbf]), 3],
    ['above U+10FFFF (F4 90 80 80)', bytes([0xf4, 0x90, 0x80, 0x80]), 0],
    ['a F5 lead byte', bytes('abc', [0xf5, 0x80, 0x80, 0x80]), 3],
    ['an FF byte', bytes('a', [0xff]), 1],
    ['a truncated 3-byte sequence at the end', bytes('AB', [0xe4, 0xbd]), 2],
    ['a truncated 4-byte sequence at the end', bytes('您', [0xf0, 0x9f, 0x98]), 3],
    ['a lead byte alone at the end', bytes('hi', [0xc3]), 2],
    ['a lead byte followed by ASCII', bytes([0xe4, 0x41, 0x42]), 0],
  ])('finds %s at offset %d', (_name, input, want) => {
    expect(firstInvalidUtf8(input)).toBe(want);
  });

  it('agrees with a strict TextDecoder on which buffers are valid', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const samples = [
      [0xc2, 0x80],
      [0xc1, 0x80],
      [0xe0, 0x9f, 0xbf],
      [0xe0, 0xa0, 0x80],
      [0xed, 0x9f, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xee, 0x80, 0x80],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf0, 0x90, 0x80, 0x80],
      [0xf4, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
    ];
    for (const sample of samples) {
      const input = Uint8Array.from(sample);
      let valid = true;
      try {
        strict.decode(input);
      } catch {
        valid = false;
      }
      expect(firstInvalidUtf8(input) === -1, sample.map((b) => b.toString(16)).join(' ')).toBe(valid);
    }
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8', () => {
    expect(decodeUtf8(bytes('客服：您好\n'))).toBe('客服：您好\n');
  });

  it('drops a leading BOM', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], '{"a":1}'))).toBe('{"a":1}');
  });

  it('names the byte, its offset and its line for invalid bytes', () => {
    const input = bytes('# call_id: x\n客服: 您好\n客户: ', [0xc4, 0xe3, 0xba, 0xc3], '\n');
    const offset = Buffer.byteLength('# call_id: x\n客服: 您好\n客户: ');
    expect(offset).toBe(36);
    let thrown: unknown;
    try {
      decodeUtf8(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InputProblem);
    expect((thrown as InputProblem).message).toBe('not valid UTF-8: byte 0xc4 at byte offset 36 (save the file as UTF-8)');
    expect((thrown as InputProblem).line).toBe(3);
  });

  it('reports a truncated sequence at the end', () => {
    expect(() => decodeUtf8(bytes('ab', [0xe4, 0xbd]))).toThrow('not valid UTF-8: byte 0xe4 at byte offset 2 (save the file as UTF-8)');
  });

  it('reports an encoded surrogate', () => {
    expect(() => decodeUtf8(bytes([0xed, 0xa0, 0x80]))).toThrow('byte 0xed at byte offset 0');
  });
});

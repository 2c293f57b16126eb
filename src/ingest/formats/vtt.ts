import { type InputError, msg, reason } from '../errors.js';
import type { ParseContext, TextFormat } from '../format.js';
import type { Parsed } from '../parsed.js';
import { speakerFromLabel } from '../speakers.js';
import type { Cue, CueLine, Piece, Voice } from '../subtitles.js';
import { arrowProblem, collect, finishCall, PREFIX_PARAMS, parseTiming, prefixPieces } from '../subtitles.js';

const VTT_TIMING = '00:01.000 --> 00:04.000';
/** The signature line: `WEBVTT`, alone or followed by a space or tab and any text. */
const SIGNATURE = /^WEBVTT(?:[ \t].*)?$/;
/** Blocks that hold no cue: comments, style sheets and region definitions. */
const SKIPPED_BLOCK = /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/;
/** An inline tag: <v Name>, </v>, <i>, <c.class>, <00:00:01.000>… (never across lines). */
const TAG = /<([^<>\n]*)>/g;
const ENTITY = /&(?:(amp|lt|gt|nbsp|lrm|rlm|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '', rlm: '', quot: '"', apos: "'" };

/** Decodes the character references cue text may hold; direction marks (&lrm; &rlm;) are dropped, not kept invisible. */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** A voice name → the role it names (坐席, Agent, 客户…) or a speaker label. */
function voiceOf(name: string): Voice {
  const role = speakerFromLabel(name);
  return role === undefined ? { speaker: name } : { role };
}

/**
 * Splits a cue's text into pieces by voice span. `<v Name>` (classes allowed: `<v.loud Name>`)
 * starts a piece; `</v>` (optional) ends it, and text after it continues whoever spoke last.
 * Other tags are stripped; ruby text (`<rt>…</rt>`) is dropped. Undefined when the cue has no voice tag.
 */
function voicePieces(lines: readonly CueLine[]): Piece[] | undefined {
  const first = lines[0]?.line ?? 0;
  const text = lines.map((l) => l.text).join('\n');
  const pieces: Piece[] = [];
  let piece: Piece = { text: '', line: first };
  let voiced = false;
  let inRuby = false;
  let at = 0;
  const lineAt = (index: number) => first + (text.slice(0, index).match(/\n/g)?.length ?? 0);
  const add = (chunk: string, index: number) => {
    if (inRuby || chunk === '') return;
    if (piece.text.trim() === '') {
      const lead = chunk.search(/\S/);
      if (lead >= 0) piece.line = lineAt(index + lead);
    }
    piece.text += decodeEntities(chunk);
  };
  const open = (voice?: Voice) => {
    pieces.push(piece);
    piece = voice ? { voice, text: '', line: first } : { text: '', line: first };
  };
  for (const m of text.matchAll(TAG)) {
    add(text.slice(at, m.index), at);
    at = m.index + m[0].length;
    const tag = (m[1] ?? '').trim();
    const closing = tag.startsWith('/');
    const name = (closing ? tag.slice(1) : tag).split(/[.\s]/, 1)[0]?.toLowerCase() ?? '';
    if (name === 'rt') inRuby = !closing;
    if (name !== 'v') continue;
    if (closing) {
      open();
      continue;
    }
    const voiceName = decodeEntities(tag.replace(/^\S*\s*/, '')).trim();
    if (voiceName === '') continue; // <v> without a name says nothing about who speaks
    voiced = true;
    open(voiceOf(voiceName));
  }
  add(text.slice(at), at);
  pieces.push(piece);
  return voiced ? pieces : undefined;
}

/** A cue's text with every tag stripped and references decoded, line by line (for cues without voice tags). */
function plainLines(lines: readonly CueLine[]): CueLine[] {
  return lines.map(({ line, text }) => ({ line, text: decodeEntities(text.replace(TAG, '')) }));
}

const blank = (row: string | undefined) => row === undefined || row.trim() === '';

/**
 * WebVTT: the WEBVTT signature, then cues (optional identifier, `00:00.000 --> 00:02.000` with optional
 * settings, text lines) separated by blank lines; NOTE, STYLE and REGION blocks are skipped. Speakers
 * come from `<v Name>` voice tags (a role alias such as 坐席 or Agent as the name states the role), or,
 * in a cue without voice tags, from 坐席：/Agent: prefixes; a cue with neither continues the last speaker.
 */
export function* parseVtt(text: string, ctx: ParseContext): Generator<Parsed> {
  const rows = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  const { source } = ctx;
  if (!SIGNATURE.test(rows[0] ?? '')) {
    yield { error: { source, line: 1, ...reason(msg('input.vtt-signature', { format: 'WebVTT', signature: 'WEBVTT' })) } };
    return;
  }
  const problems: InputError[] = [];
  const cues: Cue[] = [];
  let i = 1;
  const skipBlock = () => {
    while (!blank(rows[i])) i++;
  };
  // The header: lines after the signature up to the first blank line (a timing line there starts a cue).
  while (!blank(rows[i]) && !rows[i]?.includes('-->')) i++;

  while (i < rows.length) {
    const row = rows[i] as string;
    if (blank(row)) {
      i++;
      continue;
    }
    if (SKIPPED_BLOCK.test(row)) {
      skipBlock();
      continue;
    }
    let timing = i;
    if (!row.includes('-->')) {
      const broken = arrowProblem(row, VTT_TIMING);
      if (broken !== undefined) {
        problems.push({ source, line: i + 1, ...reason(broken) });
        skipBlock();
        continue;
      }
      // A cue identifier: the timing line must follow.
      timing = i + 1;
      const next = rows[timing];
      if (!next?.includes('-->')) {
        const alone = blank(next);
        problems.push({
          source,
          line: alone ? i + 1 : timing + 1,
          ...reason(
            alone
              ? msg('input.vtt-not-block', { example: VTT_TIMING, blocks: ['NOTE', 'STYLE'], last: 'REGION' })
              : (arrowProblem(next ?? '', VTT_TIMING) ?? msg('input.vtt-no-timing', { example: VTT_TIMING })),
          ),
        });
        skipBlock();
        continue;
      }
    }
    let times: { start: number; end: number };
    try {
      times = parseTiming(rows[timing] as string, timing + 1, VTT_TIMING);
    } catch (err) {
      collect(problems, source, err);
      i = timing;
      skipBlock();
      continue;
    }
    const lines: CueLine[] = [];
    let j = timing + 1;
    // Cue text ends at a blank line, or at a line holding "-->" (the next cue, its blank line missing).
    for (; !blank(rows[j]) && !rows[j]?.includes('-->'); j++) lines.push({ line: j + 1, text: rows[j] as string });
    cues.push({ ...times, line: timing + 1, ...cueText(lines) });
    i = j;
  }
  yield* finishCall(cues, problems, ctx, 'vtt', {
    noCues: msg('input.vtt-no-cues', { example: VTT_TIMING, voice: '<v 王芳>您好' }),
    noSpeakers: msg('input.vtt-no-speakers', { ...PREFIX_PARAMS, tag: '<v Name>' }),
    unattributed: msg('input.vtt-unattributed', { ...PREFIX_PARAMS, tag: '<v Name>' }),
  });
}

function cueText(lines: readonly CueLine[]): Pick<Cue, 'pieces' | 'sep'> {
  const voiced = voicePieces(lines);
  return voiced ? { pieces: voiced, sep: '' } : { pieces: prefixPieces(plainLines(lines)), sep: '\n' };
}

const format: TextFormat = {
  kind: 'text',
  name: 'vtt',
  title: 'WebVTT; speakers from <v Name> voice tags (classes, optional </v>) or 坐席：/Agent: prefixes; hours optional',
  example: 'callqa score --agent-name 王芳 meetings/',
  extensions: ['.vtt'],
  parse: parseVtt,
};

export default format;

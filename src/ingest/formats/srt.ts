import { type InputError, msg, reason } from '../errors.js';
import type { ParseContext, TextFormat } from '../format.js';
import type { Parsed } from '../parsed.js';
import type { Cue, CueLine } from '../subtitles.js';
import { arrowProblem, collect, finishCall, PREFIX_PARAMS, parseTiming, prefixPieces } from '../subtitles.js';

/* SRT: numbered blocks of a timing line and text; speakers only from role prefixes (坐席：, Agent:). */

const SRT_TIMING = '00:00:01,000 --> 00:00:04,000';
const INDEX = /^\d+$/;
/** Inline formatting SRT players understand: <i>, <b>, <u>, <s>, <font …>, and ASS overrides such as {\an8}. */
const SRT_TAGS = /<\/?(?:i|b|u|s|font)\b[^>]*>|\{\\[^}]*\}/gi;

const blank = (row: string | undefined) => row === undefined || row.trim() === '';

/**
 * SRT: blocks of an index line, `00:00:00,010 --> 00:00:02,520` and text lines, separated by blank
 * lines. Speakers come only from role prefixes (坐席：, 客户：, Agent:…); a block without one continues
 * the speaker before it.
 */
export function* parseSrt(text: string, ctx: ParseContext): Generator<Parsed> {
  const rows = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  const problems: InputError[] = [];
  const cues: Cue[] = [];
  let i = 0;
  const skipBlock = () => {
    while (!blank(rows[i])) i++;
  };
  while (i < rows.length) {
    const row = rows[i] as string;
    if (blank(row)) {
      i++;
      continue;
    }
    let timing = i;
    if (INDEX.test(row.trim())) {
      timing = i + 1;
      const next = rows[timing];
      if (!next?.includes('-->')) {
        const line = blank(next) ? i + 1 : timing + 1;
        const error = arrowProblem(next ?? '', SRT_TIMING) ?? msg('input.srt-no-timing', { example: SRT_TIMING });
        problems.push({ source: ctx.source, line, ...reason(error) });
        skipBlock();
        continue;
      }
    } else if (!row.includes('-->')) {
      const error = arrowProblem(row, SRT_TIMING) ?? msg('input.srt-not-block', { example: SRT_TIMING });
      problems.push({ source: ctx.source, line: i + 1, ...reason(error) });
      skipBlock();
      continue;
    }
    let times: { start: number; end: number };
    try {
      times = parseTiming(rows[timing] as string, timing + 1, SRT_TIMING);
    } catch (err) {
      collect(problems, ctx.source, err);
      i = timing;
      skipBlock();
      continue;
    }
    const lines: CueLine[] = [];
    let j = timing + 1;
    for (; !blank(rows[j]); j++) {
      const cur = rows[j] as string;
      // A missing blank line: a timing line, or a number followed by one, starts the next block.
      if (cur.includes('-->') || (INDEX.test(cur.trim()) && rows[j + 1]?.includes('-->'))) break;
      lines.push({ line: j + 1, text: cur.replace(SRT_TAGS, '') });
    }
    cues.push({ ...times, line: timing + 1, pieces: prefixPieces(lines), sep: '\n' });
    i = j;
  }
  yield* finishCall(cues, problems, ctx, 'srt', {
    noCues: msg('input.srt-no-cues', { example: SRT_TIMING }),
    noSpeakers: msg('input.srt-no-speakers', { ...PREFIX_PARAMS, format: 'SRT' }),
    unattributed: msg('input.srt-unattributed', PREFIX_PARAMS),
  });
}

const format: TextFormat = {
  kind: 'text',
  name: 'srt',
  title: 'SRT subtitles; speakers from 坐席：/客服：/客户：/Agent:/Customer: prefixes (a subtitle without one continues the speaker before it)',
  example: 'callqa score subtitles/',
  extensions: ['.srt'],
  parse: parseSrt,
};

export default format;

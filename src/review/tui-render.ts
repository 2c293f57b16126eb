import type { ChalkInstance } from 'chalk';
import { type Translator, translator } from '../i18n/format.js';
import { terminalText } from '../render/explain.js';
import type { UtteranceRecord } from '../results/codec.js';
import { clock, round } from '../util/format.js';
import type { ReviewItem } from './tui-items.js';
import { current, type State, type Status } from './tui-state.js';
import { displayWidth, fitLine, type Line, lineText, type Piece, type Style, tailToWidth, wrapLine } from './tui-text.js';

/**
 * The terminal reviewer's screen: `height` rows of at most `width` columns each (by display width: a CJK
 * character takes two), never more, so that nothing wraps in an 80-column terminal or a tmux pane. Text
 * from the transcript is masked again and made harmless (explain's terminalText).
 */

/** How styled pieces become terminal text: with colour, or with plain marks (NO_COLOR, tests). */
export interface Painter {
  /** Without colour, the evidence is marked with [[ ]] and the caret is `_` (marks take columns: added before cutting). */
  plain: boolean;
  paint(line: Line): string;
}

export const PLAIN: Painter = { plain: true, paint: lineText };

/** Colour through chalk: evidence in inverse video, verdicts in their colours. */
export function colourPainter(chalk: ChalkInstance): Painter {
  const styles: Record<Style, (s: string) => string> = {
    head: chalk.bold,
    dim: chalk.dim,
    focus: chalk.bold,
    evidence: chalk.inverse.bold,
    confirmed: chalk.green,
    rejected: chalk.red,
    unsure: chalk.yellow,
    caret: chalk.inverse,
  };
  return { plain: false, paint: (line) => line.map((p) => (p.style ? styles[p.style](p.text) : p.text)).join('') };
}

/** Lines before cutting: without colour, evidence gets its marks and the caret a character. */
function decorate(line: Line, painter: Painter): Line {
  if (!painter.plain) return line;
  return line.flatMap((p): Piece[] => {
    if (p.style === 'evidence') return [{ text: '[[' }, p, { text: ']]' }];
    if (p.style === 'caret') return [{ text: '_' }];
    return [p];
  });
}

/** The whole screen, top to bottom: the finding shown, then the status line, the editor's line and the keys. */
export function render(state: State, width: number, height: number, painter: Painter = PLAIN): string[] {
  const say = translator(state.lang);
  const rows = (line: Line, max = 1, indent = 0) => wrapLine(decorate(line, painter), width, max, indent);
  const item = current(state);
  const top = item ? findingRows(state, item, say, rows) : rows([{ text: say('review-tui.nothing') }]);
  const bottom = [...rows(statusLine(state, say), 2, 2), ...rows(inputLine(state, say, width)), ...rows([{ text: say('review-tui.keys'), style: 'dim' }])];
  const room = Math.max(0, height - bottom.length);
  const screen = [...top.slice(0, room), ...Array.from({ length: Math.max(0, room - top.length) }, (): Line => []), ...bottom].slice(-height);
  return screen.map((line) => painter.paint(fitLine(line, width)));
}

type Rows = (line: Line, max?: number, indent?: number) => Line[];

const text = (t: string, style?: Style): Piece => (style === undefined ? { text: t } : { text: t, style });

/** The finding: where it is in the review, its call, its rule and message, the rule's advice, the utterances around it, its verdict. */
function findingRows(state: State, item: ReviewItem, say: Translator, rows: Rows): Line[] {
  const f = item.finding;
  const judged = state.items.filter((i) => state.judged.has(i.id)).length;
  const position =
    state.filter === ''
      ? say('review-tui.position', { rubric: state.heading, n: state.pos + 1, total: state.items.length, judged })
      : say('review-tui.position-filtered', { rubric: state.heading, n: state.pos + 1, shown: state.visible.length, total: state.items.length, judged });
  const { call } = item;
  const agent = [call.agentId, call.agentName].filter((s) => s !== '').join(' ') || say('review-tui.agent-unknown');
  const callText =
    call.startedAt === undefined
      ? say('review-tui.call-untimed', { agent: terminalText(agent), call: terminalText(call.callId) })
      : say('review-tui.call', { agent: terminalText(agent), call: terminalText(call.callId), time: callTime(call.startedAt) });
  const ruleKey = f.status === 'review' ? 'review-tui.rule-review' : 'review-tui.rule-deducted';
  const out: Line[] = [
    ...rows([text(position, 'head')]),
    ...rows([text(callText)]),
    ...rows([text(say(ruleKey, { title: terminalText(item.title), rule: terminalText(f.rule), points: round(f.deduction, 2) }), 'focus')]),
    ...rows([text(say('review-tui.message', { message: terminalText(f.message) }))], 2, 2),
  ];
  if (item.advice.trim() !== '') out.push(...rows([text(say('review-tui.advice', { advice: terminalText(item.advice) }), 'dim')], 2, 2));
  out.push([], ...context(item, say, rows), [], ...verdictRows(state, item, say, rows));
  return out;
}

/** An ISO time as a reader reads it: date and time of day, as the call's records wrote them (their offset left off). */
function callTime(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d(?::\d\d)?)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : terminalText(iso);
}

/** How many utterances are shown before and after the finding's. */
const AROUND = 2;

/** The utterances around the finding with their times, its own marked and its evidence highlighted; without a transcript, the evidence alone. */
function context(item: ReviewItem, say: Translator, rows: Rows): Line[] {
  const { utterances } = item.call;
  const f = item.finding;
  const evidence = f.evidence.trim() === '' ? rows([text(say('review-tui.no-evidence'), 'dim')]) : rows([text(terminalText(f.evidence), 'evidence')], 3);
  if (utterances === undefined) return [...rows([text(say('review-tui.no-transcript', { flag: '--keep-transcripts' }), 'dim')], 2), ...evidence];
  if (item.utterance === undefined) return [...rows([text(say('review-tui.whole-call'), 'dim')]), ...evidence];
  const labels = { agent: say('explain.agent'), customer: say('explain.customer') };
  const labelWidth = Math.max(displayWidth(labels.agent), displayWidth(labels.customer));
  const out: Line[] = [];
  const from = Math.max(0, item.utterance - AROUND);
  const to = Math.min(utterances.length - 1, item.utterance + AROUND);
  for (let i = from; i <= to; i++) {
    const u = utterances[i] as UtteranceRecord;
    const focus = i === item.utterance;
    const label = labels[u.speaker] ?? terminalText(u.speaker);
    const lead = `${focus ? '>' : ' '} ${u.start === undefined ? '--:--' : clock(u.start)}  ${label}${' '.repeat(Math.max(0, labelWidth - displayWidth(label)))}  `;
    const body = focus ? highlight(terminalText(u.text), terminalText(f.evidence)) : [text(terminalText(u.text), 'dim')];
    out.push(...rows([text(lead, focus ? 'focus' : 'dim'), ...body], focus ? 3 : 1, displayWidth(lead)));
  }
  return out;
}

/** An utterance with each part of the evidence it holds (parts are joined by ` / `) highlighted: the first place each is found. */
export function highlight(utterance: string, evidence: string): Piece[] {
  const marked = new Array<boolean>(utterance.length).fill(false);
  for (const part of evidence.split(' / ').map((p) => p.trim())) {
    if (part === '') continue;
    const at = utterance.indexOf(part);
    if (at >= 0) marked.fill(true, at, at + part.length);
  }
  const pieces: Piece[] = [];
  let start = 0;
  for (let i = 1; i <= utterance.length; i++) {
    if (i < utterance.length && marked[i] === marked[start]) continue;
    pieces.push(text(utterance.slice(start, i), marked[start] ? 'evidence' : undefined));
    start = i;
  }
  return pieces;
}

/** The verdict in force, who gave it and when, its note; a note typed but not saved yet. */
function verdictRows(state: State, item: ReviewItem, say: Translator, rows: Rows): Line[] {
  const j = state.judged.get(item.id);
  const out: Line[] = [];
  if (!j) out.push(...rows([text(say('review-tui.not-judged'), 'dim')]));
  else {
    const params = { verdict: say(`review-tui.verdict.${j.verdict}`), reviewer: terminalText(j.reviewer), time: callTime(j.at), note: terminalText(j.note) };
    out.push(...rows([text(say(j.note === '' ? 'review-tui.judged' : 'review-tui.judged-note', params), j.verdict)], 2, 2));
  }
  const draft = state.drafts.get(item.id);
  if (draft !== undefined) out.push(...rows([text(say('review-tui.draft', { note: terminalText(draft) }))], 2, 2));
  return out;
}

function statusLine(state: State, say: Translator): Line {
  const words = (s: Status) => say(s.key, s.verdict === undefined ? s.params : { ...s.params, verdict: say(`review-tui.verdict.${s.verdict}`) });
  return [text(state.status.map(words).join(' '))];
}

/** The editor's line (its prompt, the end of what is typed, the caret), or the filter in force. */
function inputLine(state: State, say: Translator, width: number): Line {
  if (state.mode === 'browse') return state.filter === '' ? [] : [text(say('review-tui.filtered', { filter: terminalText(state.filter) }), 'dim')];
  const key = state.mode === 'note' ? 'review-tui.note-prompt' : 'review-tui.filter-prompt';
  const keys = { enter: 'Enter', esc: 'Esc' };
  const room = Math.max(0, width - displayWidth(say(key, { ...keys, text: '' })) - 1);
  return [text(say(key, { ...keys, text: tailToWidth(terminalText(state.input), room) })), text(' ', 'caret')];
}

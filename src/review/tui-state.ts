import type { MessageKey, Params } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import type { Key } from './tui-keys.js';
import type { ReviewItem } from './tui-items.js';
import { dropLastGrapheme } from './tui-text.js';
import type { Review, Verdict } from './verdict.js';

/**
 * The terminal reviewer's state and what each key does to it: pure, so that every screen can be tested
 * without a terminal. Saving a verdict is left to the caller (`Step.save`), which appends it to reviews.csv
 * before the next key is read.
 */

/** A verdict given on a finding: the latest for it wins. */
export interface Judgement {
  verdict: Verdict;
  note: string;
  reviewer: string;
  /** When (ISO 8601 with offset). */
  at: string;
}

/** What the status line says, as a catalog key and parameters: the screen writes it in the reviewer's language. */
export interface Status {
  key: MessageKey;
  params?: Params;
  /** A verdict the message names (its `{verdict}`): the screen writes its word in the reviewer's language. */
  verdict?: Verdict;
}

/** browse: keys judge and move; note and filter: keys type into the one-line editor. */
export type Mode = 'browse' | 'note' | 'filter';

export interface State {
  /** Every finding, in review order. */
  items: readonly ReviewItem[];
  /** The findings the filter lets through (indices into items), in order; all of them without a filter. */
  visible: readonly number[];
  /** The finding shown: its place in `visible`. */
  pos: number;
  filter: string;
  judged: ReadonlyMap<string, Judgement>;
  /** Notes typed for findings not judged yet: saved with their verdict. */
  drafts: ReadonlyMap<string, string>;
  mode: Mode;
  /** The editor's text in note and filter mode. */
  input: string;
  status: readonly Status[];
  reviewer: string;
  lang: Lang;
  /** The rubric's name in the reviewer's language, for the top line. */
  heading: string;
  quit: boolean;
  /** Inside a bracketed paste: pasted text is typed into the editor (line breaks as spaces), and ignored when browsing. */
  pasting?: boolean;
}

/** A verdict to append to reviews.csv: the finding and the verdict given. */
export interface Save {
  item: ReviewItem;
  judgement: Judgement;
}

export interface Step {
  state: State;
  save?: Save;
}

/** The verdicts in force: for each finding the latest by `reviewed_at` (a later line when the times tie or cannot be read). */
export function latestVerdicts(reviews: readonly Review[]): Map<string, Judgement> {
  const latest = new Map<string, Judgement>();
  for (const r of reviews) {
    const before = latest.get(r.findingId);
    const [then, now] = [Date.parse(before?.at ?? ''), Date.parse(r.at)];
    if (before && Number.isFinite(then) && Number.isFinite(now) && now < then) continue;
    latest.set(r.findingId, { verdict: r.verdict, note: r.note, reviewer: r.reviewer, at: r.at });
  }
  return latest;
}

/**
 * The state a session starts in: the verdicts already saved (reviews.csv read back) in force, on the first
 * finding without one (the first of all when every finding has one). Verdicts on findings this run does not
 * have are counted on the status line, never applied.
 */
export function initialState(items: readonly ReviewItem[], reviews: readonly Review[], o: { reviewer: string; lang: Lang; heading: string }): State {
  const ids = new Set(items.map((i) => i.id));
  const judged = new Map<string, Judgement>();
  let stale = 0;
  for (const [id, j] of latestVerdicts(reviews)) {
    if (ids.has(id)) judged.set(id, j);
    else stale++;
  }
  const first = items.findIndex((i) => !judged.has(i.id));
  const status: Status[] = [];
  if (judged.size > 0) status.push({ key: 'review-tui.resumed', params: { judged: judged.size, total: items.length } });
  if (first < 0 && items.length > 0) status.push({ key: 'review-tui.all-judged' });
  if (stale > 0) status.push({ key: 'review-tui.stale', params: { count: stale } });
  return {
    items,
    visible: items.map((_, i) => i),
    pos: Math.max(0, first),
    filter: '',
    judged,
    drafts: new Map(),
    mode: 'browse',
    input: '',
    status,
    reviewer: o.reviewer,
    lang: o.lang,
    heading: o.heading,
    quit: false,
  };
}

/** The finding shown, or undefined when there is none. */
export function current(state: State): ReviewItem | undefined {
  const index = state.visible[state.pos];
  return index === undefined ? undefined : state.items[index];
}

const VERDICT_KEYS: ReadonlyMap<Key, Verdict> = new Map([
  ['y', 'confirmed'],
  ['Y', 'confirmed'],
  ['n', 'rejected'],
  ['N', 'rejected'],
  ['u', 'unsure'],
  ['U', 'unsure'],
]);

const NEXT: ReadonlySet<Key> = new Set(['j', 'down', 'right', 'pagedown']);
const PREVIOUS: ReadonlySet<Key> = new Set(['k', 'up', 'left', 'pageup']);

/**
 * What a key does. `at` is the time a verdict given now is saved with (the caller's clock: this stays pure).
 * Ctrl-C quits from any mode.
 */
export function reduce(state: State, key: Key, at = ''): Step {
  if (key === 'ctrl-c') return { state: { ...state, quit: true } };
  if (key === 'paste-start' || key === 'paste-end') return { state: { ...state, pasting: key === 'paste-start' } };
  if (state.pasting) {
    // A pasted line break would save the note half-pasted, and pasted letters must not judge findings.
    if (state.mode === 'browse') return { state };
    const typed = key === 'enter' || key === 'tab' ? ' ' : key;
    return [...typed].length === 1 ? edit(state, typed, at) : { state };
  }
  if (state.mode !== 'browse') return edit(state, key, at);
  const verdict = VERDICT_KEYS.get(key);
  if (verdict !== undefined) return judge(state, verdict, at);
  if (NEXT.has(key)) return { state: move(state, 1) };
  if (PREVIOUS.has(key)) return { state: move(state, -1) };
  if (key === 'home' || key === 'end') return { state: { ...state, pos: key === 'home' ? 0 : Math.max(0, state.visible.length - 1), status: [] } };
  const item = current(state);
  if ((key === 'e' || key === 'E') && item)
    return { state: { ...state, mode: 'note', input: state.drafts.get(item.id) ?? state.judged.get(item.id)?.note ?? '', status: [] } };
  if (key === '/') return { state: { ...state, mode: 'filter', input: state.filter, status: [] } };
  if (key === 'q' || key === 'Q') return { state: { ...state, quit: true } };
  return { state };
}

function move(state: State, by: number): State {
  const pos = state.pos + by;
  if (pos < 0) return { ...state, status: [{ key: 'review-tui.first' }] };
  if (pos >= state.visible.length) return { ...state, status: [{ key: 'review-tui.last' }] };
  return { ...state, pos, status: [] };
}

/** A verdict on the finding shown, with the note typed for it (or the one its last verdict had); then the next finding. */
function judge(state: State, verdict: Verdict, at: string): Step {
  const item = current(state);
  if (!item) return { state };
  const note = state.drafts.get(item.id) ?? state.judged.get(item.id)?.note ?? '';
  const judgement: Judgement = { verdict, note, reviewer: state.reviewer, at };
  const judged = new Map(state.judged).set(item.id, judgement);
  const drafts = new Map(state.drafts);
  drafts.delete(item.id);
  const last = state.pos + 1 >= state.visible.length;
  const status: Status[] = [{ key: 'review-tui.saved', verdict }];
  if (last) status.push({ key: 'review-tui.last' });
  return { state: { ...state, judged, drafts, pos: last ? state.pos : state.pos + 1, status }, save: { item, judgement } };
}

/** A key in the one-line editor: a character is typed, Backspace takes the last one off, Enter saves, Esc cancels. */
function edit(state: State, key: Key, at: string): Step {
  if (key === 'escape')
    return {
      state: { ...state, mode: 'browse', input: '', status: [{ key: state.mode === 'note' ? 'review-tui.note-cancelled' : 'review-tui.filter-cancelled' }] },
    };
  if (key === 'enter') return state.mode === 'note' ? saveNote(state, at) : { state: applyFilter(state) };
  if (key === 'backspace') return { state: { ...state, input: dropLastGrapheme(state.input) } };
  if (key === 'ctrl-u') return { state: { ...state, input: '' } };
  // Named keys are longer than one character: only characters are typed.
  if ([...key].length !== 1) return { state };
  return { state: { ...state, input: state.input + key } };
}

/**
 * A note saved: with a finding already judged, at once as a new row with its verdict; else kept until its
 * verdict is given. An empty note clears what was typed.
 */
function saveNote(state: State, at: string): Step {
  const item = current(state);
  const note = state.input.trim();
  const browse = { ...state, mode: 'browse' as const, input: '' };
  if (!item) return { state: browse };
  const before = state.judged.get(item.id);
  if (before) {
    const judgement: Judgement = { verdict: before.verdict, note, reviewer: state.reviewer, at };
    const status: Status[] = [{ key: 'review-tui.note-saved', verdict: before.verdict }];
    return { state: { ...browse, judged: new Map(state.judged).set(item.id, judgement), status }, save: { item, judgement } };
  }
  const drafts = new Map(state.drafts);
  if (note === '') drafts.delete(item.id);
  else drafts.set(item.id, note);
  return { state: { ...browse, drafts, status: [{ key: note === '' ? 'review-tui.note-cleared' : 'review-tui.note-kept' }] } };
}

/** Whether a finding's agent (id or name) or rule (id or title) holds the text, in any case. */
function matches(item: ReviewItem, text: string): boolean {
  const wanted = text.toLowerCase();
  return [item.call.agentId, item.call.agentName, item.finding.rule, item.title].some((s) => s.toLowerCase().includes(wanted));
}

/**
 * The filter typed applied: the findings it matches, staying on the one shown when it matches, else on the
 * next that does (else the first). Empty: every finding again. Matching none: the filter is left as it was.
 */
function applyFilter(state: State): State {
  const text = state.input.trim();
  const browse = { ...state, mode: 'browse' as const, input: '' };
  const shown = state.visible[state.pos] ?? 0;
  if (text === '') {
    return { ...browse, filter: '', visible: state.items.map((_, i) => i), pos: shown, status: [{ key: 'review-tui.filter-cleared' }] };
  }
  const visible = state.items.flatMap((item, i) => (matches(item, text) ? [i] : []));
  if (visible.length === 0) return { ...browse, status: [{ key: 'review-tui.filter-none', params: { filter: text } }] };
  const pos = Math.max(
    0,
    visible.findIndex((i) => i >= shown),
  );
  return { ...browse, filter: text, visible, pos, status: [{ key: 'review-tui.filter-set', params: { count: visible.length, filter: text } }] };
}

import { z } from 'zod';
import { PhraseMatcher } from '../match/phrases.js';
import type { Occurrence } from '../match/phrases.js';
import { TolerantMatcher } from '../match/pinyin.js';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { normaliseText } from '../normalise/text.js';
import { charTest } from '../util/char-table.js';
import type { Rubric } from '../rubric/load.js';
import { phrase } from './phrase-options.js';
import { agentUtterances, at, isTimed, isWritten, quote, sentences } from './helpers.js';
import type { MessageKey } from '../i18n/format.js';
import { defineRule, type RuleResult } from './types.js';

/** Seed 000 标准问候: "您好，这里是XX公司/部门，我是XX（姓名/工号），很高兴为您服务。" */
export const DEFAULT_GREETING_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  问候语: ['您好', '你好', '早上好', '上午好', '中午好', '下午好', '晚上好'],
  自报单位: ['这里是', '欢迎致电', '欢迎来电', '感谢致电', '感谢您致电'],
  自报姓名工号: ['/我是.{1,8}/', '工号', '/\\d+号/'],
  服务用语: ['很高兴为您服务', '有什么可以帮您', '有什么可以帮助您', '为您服务'],
};

/** The four slots of the standard greeting, by the names findings use. */
const SLOTS = ['问候语', '自报单位', '自报姓名工号', '服务用语'] as const;
type Slot = (typeof SLOTS)[number];
/** How a finding names each slot, in the run's language. */
const SLOT_KEYS: Record<Slot, MessageKey> = {
  问候语: 'greeting.slot.greeting',
  自报单位: 'greeting.slot.organisation',
  自报姓名工号: 'greeting.slot.identity',
  服务用语: 'greeting.slot.service',
};

const DEFAULTS = {
  greetings: ['您好', '你好', '早上好', '早安', '上午好', '中午好', '午安', '下午好', '晚上好'],
  /** Written service: the agent says they are there (在的, 在呢), not yet the greeting. */
  written_hello: ['在的', '在呢', '在线', '哈喽', '嗨'],
  /** Policy (seed 000 names the greetings, not the hours): generous, so that only a clearly wrong one fails. */
  time_of_day: {
    早上好: '04:00-12:00',
    早安: '04:00-12:00',
    上午好: '06:00-12:30',
    中午好: '10:30-14:30',
    午安: '11:00-18:00',
    下午好: '11:30-19:30',
    晚上好: '16:30-04:00',
  },
  organisation_cues: [
    '这里是',
    '这边是',
    '这儿是',
    '欢迎致电',
    '欢迎拨打',
    '欢迎来电',
    '感谢致电',
    '感谢您致电',
    '感谢拨打',
    '感谢您拨打',
    '感谢来电',
    '感谢您的来电',
  ],
  identity_cues: ['我是', '我叫', '我姓'],
  staff_number_cues: ['工号', '编号', '工牌号'],
  roles: ['客服专员', '客服代表', '客服人员', '服务专员', '客服', '工作人员', '话务员', '接线员', '坐席', '专员', '管家', '配送员', '快递员', '顾问', '人工'],
  service: [
    '很高兴为您服务',
    '为您服务',
    '乐意为您服务',
    '有什么可以帮',
    '有什么能帮',
    '有什么可以为您',
    '有什么需要',
    '有什么需求',
    '需要什么帮助',
    '需要办理什么',
    '办理什么业务',
    '有啥可以帮',
    '有啥需要',
    '请问有什么事',
    '请讲',
    '请说',
  ],
  outbound_cues: ['给您来电', '致电给您', '给您打电话', '给您回电', '回访', '打扰您', '/请问(您)?是.{1,8}(先生|女士|小姐|本人|机主|老师|师傅)吗/'],
  fillers: [
    '那个',
    '这个',
    '好的',
    '请问',
    '这边',
    '那边',
    '我们',
    '咱们',
    '您的',
    '你的',
    '专属',
    '在线',
    '本次',
    '今天',
    '由我',
    '中心',
    '热线',
    '部门',
    '团队',
    '喂',
    '嗯',
    '啊',
    '哎',
    '诶',
    '呃',
    '您',
    '你',
    '是',
    '的',
    '吗',
    '呢',
    '吧',
    '呀',
    '哈',
    '了',
    '在',
    '就',
  ],
};

/** The seed's greeting elements, compiled: role inference uses them when a rubric has no greeting rule. */
export function defaultGreetingMatchers(): PhraseMatcher[] {
  return Object.values(DEFAULT_GREETING_ELEMENTS).map((phrases) => new PhraseMatcher(phrases));
}

/** The greeting elements that tell the agent from the customer: the rubric's own `elements`, or the seed's. */
export function greetingMatchersOf(rubric: Rubric): PhraseMatcher[] {
  const elements = rubric.rules.find((r) => r.id === 'greeting')?.options.elements as { matcher: TolerantMatcher }[] | undefined;
  return elements ? elements.map((e) => e.matcher.exact) : defaultGreetingMatchers();
}

const HOUR_RANGE = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;
const minutesOf = (h: string, m: string) => Number(h) * 60 + Number(m);

const list = (defaults: readonly string[], description: string) =>
  z
    .array(phrase)
    .default([...defaults])
    .describe(description);

/** The local time of day a call started (minutes after midnight), where its started_at gives one: a UTC time (Z) gives none. */
export function localMinutes(startedAt: string | undefined): number | undefined {
  if (!startedAt) return undefined;
  const m = /^\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(startedAt.trim());
  if (!m) return undefined;
  const [, h = '', min = '', zone] = m;
  // A UTC time says nothing about the caller's clock (call records often give UTC); a time with an offset or none is local.
  if (zone !== undefined && zone.toUpperCase() === 'Z') return undefined;
  return minutesOf(h, min);
}

/** The hours a time-of-day greeting fits: as the rubric writes them, and read (minutes after midnight). */
interface Hours {
  range: string;
  from: number;
  to: number;
}

function hoursOf(range: string): Hours {
  const [, h1 = '', m1 = '', h2 = '', m2 = ''] = HOUR_RANGE.exec(range) ?? [];
  return { range, from: minutesOf(h1, m1), to: minutesOf(h2, m2) };
}

function fits(minutes: number, { from, to }: Hours): boolean {
  return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Punctuation, symbols, spaces and the line break between utterances: a name never runs across them. */
const BOUNDARY = /[\s\p{P}\p{S}]/u;
const NUMERAL = '0-9零〇一二三四五六七八九十百幺两洞';
/**
 * A stretch read as one name this long (characters, filler words out) may be two: an organisation's
 * (2–4) and an agent's (2–3), run together without punctuation (星辰通信王芳).
 */
const ROOM_FOR_TWO_NAMES = 6;
/** A name runs at most this far after 我是/这里是. */
const NAME_REACH = 12;

interface Compiled {
  greetings: TolerantMatcher;
  /** A time-of-day greeting (as the greetings list writes it) → the hours it fits. */
  times: ReadonlyMap<string, Hours>;
  organisations: PhraseMatcher | undefined;
  /** The organisation's names, normalised, to take out of a stretch (what is left may be the agent's name). */
  organisationNames: RegExp;
  /** Whether there are any (organisationNames is a regex that never matches when there are none). */
  hasOrganisationNames: boolean;
  organisationCues: TolerantMatcher;
  identityCues: PhraseMatcher;
  /** The identity cues (as written) after which a surname alone is a name (我姓王). */
  surnameCues: ReadonlySet<string>;
  staffNumber: RegExp;
  /** staffNumber matches only text holding one of these (号, and the staff number cues without it). */
  staffGate: readonly string[];
  roles: PhraseMatcher;
  service: TolerantMatcher;
  fillers: RegExp;
  /** The slots a call need not hold: `optional` calling in, with outbound_optional calling out. */
  optionalIn: ReadonlySet<Slot>;
  optionalOut: ReadonlySet<Slot>;
  writtenHello: PhraseMatcher;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(o: {
  greetings: string[];
  time_of_day: Record<string, string>;
  organisation: string[];
  organisation_cues: string[];
  identity_cues: string[];
  staff_number_cues: string[];
  roles: string[];
  service: string[];
  fillers: string[];
  pinyin: boolean;
  outbound_optional: Slot[];
  optional: Slot[];
  written_hello: string[];
}): Compiled {
  const norm = (s: string) => normaliseText(s).text;
  const staff = o.staff_number_cues.map((c) => escapeRe(norm(c))).filter((c) => c !== '');
  const roles = o.roles.map(norm).filter((r) => r !== '');
  const staffNumber = new RegExp(
    [
      ...(staff.length > 0 ? [`(?:${staff.join('|')})(?:是|为)?:?\\s*[${NUMERAL}]+`] : []),
      '[0-9]+号',
      // 十二号 is a date as often as a staff number: only beside a role or the service phrase.
      `[${NUMERAL}]+号(?=${[...roles.map(escapeRe), '为您', '为你', '很高兴'].join('|')})`,
    ].join('|'),
    'g',
  );
  const fillers = [...o.fillers.map(norm), ...roles].filter((f) => f !== '').sort((a, b) => b.length - a.length);
  return {
    greetings: new TolerantMatcher(o.greetings, { pinyin: o.pinyin }),
    times: new Map(
      o.greetings.flatMap((g) => {
        const range = Object.entries(o.time_of_day).find(([p]) => norm(p) === norm(g))?.[1];
        return range === undefined ? [] : [[g, hoursOf(range)] as const];
      }),
    ),
    organisations: o.organisation.length > 0 ? new PhraseMatcher(o.organisation) : undefined,
    organisationNames: new RegExp(
      o.organisation
        .map((n) => escapeRe(norm(n)))
        .filter((n) => n !== '')
        .join('|') || '(?!)',
      'g',
    ),
    hasOrganisationNames: o.organisation.some((n) => norm(n) !== ''),
    organisationCues: new TolerantMatcher(o.organisation_cues, { pinyin: o.pinyin }),
    identityCues: new PhraseMatcher(o.identity_cues),
    surnameCues: new Set(o.identity_cues.filter((cue) => norm(cue) === '我姓')),
    staffNumber,
    staffGate: ['号', ...o.staff_number_cues.map(norm).filter((cue) => cue !== '' && !cue.includes('号'))],
    roles: new PhraseMatcher(roles, { normalised: true }),
    service: new TolerantMatcher(o.service, { pinyin: o.pinyin }),
    fillers: new RegExp(fillers.map(escapeRe).join('|') || '(?!)', 'g'),
    optionalIn: new Set(o.optional),
    optionalOut: new Set([...o.outbound_optional, ...o.optional]),
    writtenHello: new PhraseMatcher(o.written_hello),
  };
}

const compiledOf = new WeakMap<object, Compiled>();

/** The compiled phrases of a rule's options, made once per rubric. */
function compiledFor(options: Parameters<typeof compile>[0]): Compiled {
  let c = compiledOf.get(options);
  if (!c) {
    c = compile(options);
    compiledOf.set(options, c);
  }
  return c;
}

/**
 * A short first message of a chat that only says hello (the rubric's greeting words) or that the agent is there
 * (written_hello: 在的, 哈喽), the greeting to follow in the next.
 */
function saysHello(text: string, c: Compiled): boolean {
  return c.greetings.test(text) || c.writtenHello.test(text);
}

/** The agent's utterances that form the greeting; undefined when there are none to read. */
function greetingWindow(call: PreparedCall, withinSeconds: number, c: Compiled): { window: PreparedUtterance[]; late?: PreparedUtterance } {
  const agent = agentUtterances(call);
  const first = agent[0];
  if (!first) return { window: [] };
  // Written service has no seconds of speech to count: the greeting is the agent's first message (first-response
  // judges how soon it came), as in an untimed transcript.
  if (!isTimed(call) || isWritten(call)) {
    // A bare 喂 / 您好 first, the greeting in the agent's next turn.
    const second = agent[1];
    // In writing, a short first message is a bare 您好 / 在的 only when it says one (not 稍等, not 单号？): else it is
    // the agent's first reply, and the greeting is judged on it alone.
    const bare = first.norm.text.length <= 8 && (!isWritten(call) || saysHello(first.norm.text, c));
    return { window: bare && second ? [first, second] : [first] };
  }
  // Outbound: the customer picks up and says 喂 first; the greeting counts from the agent's first words.
  const opens = call.direction === 'outbound' && first.start !== undefined ? first.start : (call.answeredAt ?? 0);
  const deadline = opens + withinSeconds;
  const window: PreparedUtterance[] = [];
  for (const u of agent) if (u.start !== undefined && u.start <= deadline) window.push(u);
  return window.length > 0 ? { window } : { window, late: first };
}

/** BOUNDARY.test of the one code unit `code` (as `text[i]` gives it). */
const isBoundary = charTest(BOUNDARY);

/** `[...s].length` without the array: code points, a lone surrogate counting one. */
function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** A name never starts with these (想来/要给/跟…打: the words after 我是 say what the agent does, not who). */
const NOT_A_NAME = /^[想来要给跟打]/;
const isName = (s: string) => s.length > 0 && !NOT_A_NAME.test(s);

/** The flags of readGreeting's text, by character: covered by a slot, a slot starts there, a service phrase starts there. */
const COVERED = 1;
const SLOT_START = 2;
const SERVICE_START = 4;
/** Texts up to this long share one scratch array of flags (a longer one gets its own, dropped after the call). */
const SCRATCH = 4096;
const scratch = new Uint8Array(SCRATCH + 1);

/** TolerantMatcher.findAll from its exact occurrences (already looked for): those, or where there are none, the ones heard by sound. */
function orBySound(m: TolerantMatcher, exact: Occurrence[], text: string): Occurrence[] {
  return exact.length > 0 || !m.bySound || m.bySound.size === 0 ? exact : m.bySound.findAll(text);
}

/**
 * What reading a greeting's text has found so far, shared by its steps: the flags of its characters, where its last
 * slot ends, whether the identity and the organisation are found, and how long a name may run where one is missing.
 */
interface Reading {
  text: string;
  c: Compiled;
  /** By character: COVERED, SLOT_START, SERVICE_START. */
  flags: Uint8Array;
  /** Where the last slot found ends: text after it is not read as a name. */
  blockEnd: number;
  identity: boolean;
  organisation: boolean;
  /** The longest stretch read as the organisation's name, configured names removed: it may hold the agent's name too. */
  roomForName: number;
  /** The longest name after 我是/我叫, configured names removed: it may hold the organisation's name too. */
  roomForOrganisation: number;
}

/** What the greeting holds: each slot found or not, the wrong time-of-day greetings, and text that may hold a name. */
function readGreeting(text: string, c: Compiled, startedAt: string | undefined) {
  const exactGreetings = c.greetings.exact.findAll(text);
  const greetings = orBySound(c.greetings, exactGreetings, text);
  const service = c.service.findAll(text);
  const staff = staffNumbers(text, c);
  const identityCues = c.identityCues.findAll(text);
  const organisationCues = c.organisationCues.findAll(text);
  const names = c.organisations?.findAll(text) ?? [];
  const r: Reading = {
    text,
    c,
    flags: text.length < SCRATCH ? scratch.fill(0, 0, text.length + 1) : new Uint8Array(text.length + 1),
    blockEnd: 0,
    identity: staff.length > 0,
    organisation: names.length > 0,
    roomForName: 0,
    roomForOrganisation: 0,
  };
  mark(r, greetings, SLOT_START);
  mark(r, service, SLOT_START | SERVICE_START);
  mark(r, staff, SLOT_START);
  mark(r, names, 0);
  for (const o of identityCues) r.flags[o.start] = (r.flags[o.start] as number) | SLOT_START;
  for (const o of organisationCues) r.flags[o.start] = (r.flags[o.start] as number) | SLOT_START;

  // Once both are found, nothing read below can change the verdict: roomForName and roomForOrganisation count only
  // where the identity or the organisation is missing, and the rest only sets what is already set. The identity
  // cues first (the loops touch nothing the other reads but these two): a name found there spares readOrganisation
  // its reading of one.
  for (const cue of identityCues) {
    if (r.identity && r.organisation) break;
    readIdentityCue(r, cue);
  }
  for (const cue of organisationCues) {
    if (r.identity && r.organisation) break;
    readOrganisation(r, coverCue(r, cue));
  }
  readBareNames(r);

  const { wrongTime, minutes } = wrongTimeOfDay(text, c, exactGreetings, startedAt);
  const found: Record<Slot, boolean> = { 问候语: greetings.length > 0, 自报单位: r.organisation, 自报姓名工号: r.identity, 服务用语: service.length > 0 };
  return { found, wrongTime, minutes, roomForName: r.roomForName, roomForOrganisation: r.roomForOrganisation };
}

/** The staff numbers said (工号1024, 12号客服): none where the text holds nothing they need. */
function staffNumbers(text: string, c: Compiled): Occurrence[] {
  const staff: Occurrence[] = [];
  if (c.staffGate.some((g) => text.includes(g))) {
    // exec on the compiled regex, not matchAll (which clones the regex for every text: three times slower here).
    const re = c.staffNumber;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      staff.push({ start: m.index, end: m.index + m[0].length, phrase: m[0] });
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return staff;
}

function cover(r: Reading, from: number, to: number): void {
  const flags = r.flags;
  for (let i = from; i < to; i++) flags[i] = (flags[i] as number) | COVERED;
}

/** Occurrences of a slot: their text covered, their starts flagged `start`, the block extended to them. */
function mark(r: Reading, occ: readonly Occurrence[], start: number): void {
  for (const o of occ) {
    cover(r, o.start, o.end);
    if (o.end > r.blockEnd) r.blockEnd = o.end;
    r.flags[o.start] = (r.flags[o.start] as number) | start;
  }
}

/** The words after a cue: up to punctuation, the next slot, or NAME_REACH characters. */
function tail(r: Reading, from: number): string {
  const { text, flags } = r;
  let to = from;
  while (to < text.length && to - from < NAME_REACH && !isBoundary(text.charCodeAt(to)) && ((flags[to] as number) & SLOT_START) === 0) to++;
  return text.slice(from, to);
}

/** A cue and the words after it (its tail, returned), covered as part of the greeting's block. */
function coverCue(r: Reading, cue: Occurrence): string {
  const t = tail(r, cue.end);
  cover(r, cue.start, cue.end + t.length);
  if (cue.end + t.length > r.blockEnd) r.blockEnd = cue.end + t.length;
  return t;
}

/** A stretch less the organisation's names and the filler words: what may be a name. */
function clean(c: Compiled, s: string): string {
  if (s === '') return s;
  return (c.hasOrganisationNames ? s.replace(c.organisationNames, '') : s).replace(c.fillers, '');
}

/** Where a stretch splits at its last job title: [start of the title, its end]; none: undefined. */
function atRole(c: Compiled, t: string): [number, number] | undefined {
  const roles = c.roles.findAll(t);
  if (roles.length === 0) return undefined;
  let end = -1;
  for (const o of roles) if (o.end > end) end = o.end;
  let start = t.length;
  for (const o of roles) if (o.end === end && o.start < start) start = o.start;
  return [start, end];
}

/** An identity cue (我是, 我姓) and the words after it: a name, perhaps the organisation before a title or 的. */
function readIdentityCue(r: Reading, cue: Occurrence): void {
  const c = r.c;
  const t = coverCue(r, cue);
  if (c.surnameCues.has(cue.phrase)) {
    if (t.length > 0) r.identity = true;
    return;
  }
  // 我是星辰通信的客服王芳: the organisation before the title (or 的), the name after it; 我是客服: no name.
  let before = '';
  let after = t;
  const role = atRole(c, t);
  if (role) {
    before = t.slice(0, role[0]);
    after = t.slice(role[1]);
  } else {
    const of = t.indexOf('的');
    if (of >= 0) {
      before = t.slice(0, of);
      after = t.slice(of + 1);
    }
  }
  const name = clean(c, after);
  if (isName(name)) r.identity = true;
  if (codePointCount(clean(c, before)) >= 2) r.organisation = true;
  // 我是星辰通信王芳: long enough to hold the organisation's name and the agent's.
  const length = codePointCount(name);
  if (length > r.roomForOrganisation) r.roomForOrganisation = length;
}

/** A stretch that names the organisation (这里是…, or said bare), perhaps followed by a title and the agent's name (星辰通信客服王芳). */
function readOrganisation(r: Reading, t: string): void {
  const c = r.c;
  const role = atRole(c, t);
  if (r.identity) {
    // The identity found already: only whether this names the organisation matters (roomForName counts without one).
    if (!r.organisation && codePointCount(clean(c, role ? t.slice(0, role[0]) : t)) >= 2) r.organisation = true;
    return;
  }
  const org = codePointCount(clean(c, role ? t.slice(0, role[0]) : t));
  if (org >= 2) r.organisation = true;
  if (isName(clean(c, role ? t.slice(role[1]) : ''))) r.identity = true;
  else if (org > r.roomForName) r.roomForName = org;
}

/**
 * A bare name: what is left of the greeting (up to its last slot) once the slots and filler words are taken out.
 * Where the organisation is named already, a short one just before the service phrase is the agent's (…小王为您服务).
 */
function readBareNames(r: Reading): void {
  const { text, flags, blockEnd } = r;
  const named = r.organisation;
  let run = -1;
  for (let i = r.identity && r.organisation ? blockEnd + 1 : 0; i <= blockEnd; i++) {
    if (i < blockEnd && ((flags[i] as number) & COVERED) === 0 && !isBoundary(text.charCodeAt(i))) {
      if (run < 0) run = i;
    } else if (run >= 0) {
      const stretch = text.slice(run, i);
      const name = clean(r.c, stretch);
      if (named && ((flags[i] as number) & SERVICE_START) !== 0 && isName(name) && codePointCount(name) <= 4) r.identity = true;
      else readOrganisation(r, stretch);
      run = -1;
    }
  }
}

/**
 * The time-of-day greetings said at the wrong hour, each once, and the call's local time where one was said (read
 * only then). Only a greeting said as written: one heard by sound is too uncertain to call wrong.
 */
function wrongTimeOfDay(text: string, c: Compiled, exactGreetings: readonly Occurrence[], startedAt: string | undefined) {
  const wrongTime: { phrase: string; range: string }[] = [];
  /** The call's local time (null: not read yet). */
  let minutes: number | undefined | null = null;
  for (const g of exactGreetings) {
    const hours = c.times.get(g.phrase);
    if (hours === undefined) continue;
    if (minutes === null) minutes = localMinutes(startedAt);
    if (minutes === undefined) break;
    const said = text.slice(g.start, g.end);
    if (!fits(minutes, hours) && !wrongTime.some((w) => w.phrase === said)) wrongTime.push({ phrase: said, range: hours.range });
  }
  return { wrongTime, minutes: minutes ?? undefined };
}

/** Names of the legacy `elements` option: each element must be matched by one of its phrases. */
function legacy(window: readonly PreparedUtterance[], elements: { name: string; matcher: TolerantMatcher }[], pinyin: boolean): string[] {
  // As written in any turn first: the sound reading (slower) only where no turn has the element as written.
  return elements
    .filter(({ matcher }) => {
      if (window.some((u) => matcher.exact.test(u.norm.text))) return false;
      const bySound = pinyin ? matcher.bySound : undefined;
      return !(bySound !== undefined && bySound.size > 0 && window.some((u) => bySound.test(u.norm.text)));
    })
    .map(({ name }) => name);
}

export default defineRule({
  id: 'greeting',
  messages: [
    'greeting.no-speech',
    'greeting.no-speech-within',
    'greeting.no-speech-within-joined',
    'greeting.lacks',
    'greeting.unclear-identity',
    'greeting.unclear-organisation',
  ],
  kind: 'seed',
  description:
    'The agent opens with the standard greeting: a greeting word (a time-of-day one fitting the local time, when started_at gives it), the organisation, the agent’s name or staff number, and a service phrase, in any order, within the first seconds of the call (outbound: of the agent’s first words).',
  source:
    'seeds/000 电话服务礼仪基础·标准问候: "您好,这里是XX公司/部门,我是XX(姓名/工号),很高兴为您服务。"; 语言礼仪·问候语: 根据时间使用"早上好"、"下午好"、"晚上好"',
  needs:
    'agent speech (timed transcript: utterances starting within within_seconds of the agent taking the call, or on an outbound call of the agent’s first words; untimed, or written service (chat, social): the first agent utterance or message, and the next when the first is a bare 喂/您好)',
  limits:
    'A name that may hide another (星辰通信王芳, no 我是/工号) asks for review; the organisation is read only up to the greeting’s last slot; UTC started_at is not checked for the time of day; 2-character phrases match only as written.',
  defaultDeduction: 10,
  options: {
    within_seconds: z
      .number()
      .positive()
      .default(10)
      .describe('agent utterances starting within this many seconds form the greeting (speech only: in written service, the first message)'),
    greetings: list(DEFAULTS.greetings, 'the greeting words (问候语)'),
    time_of_day: z
      .record(z.string().min(1), z.string().regex(HOUR_RANGE, 'expected HH:MM-HH:MM (local time; may wrap past midnight)'))
      .default(() => ({ ...DEFAULTS.time_of_day }))
      .describe('a time-of-day greeting → the local hours it fits (HH:MM-HH:MM); checked when the call’s started_at gives a local time (not UTC)'),
    organisation: z
      .union([
        z
          .string()
          .min(1)
          .transform((s) => [s]),
        z.array(z.string().min(1)),
      ])
      .default([])
      .describe('the organisation’s names (星辰通信, 星辰): named anywhere in the greeting, they are the organisation; role inference reads them too'),
    organisation_cues: list(DEFAULTS.organisation_cues, 'words that introduce the organisation’s name (这里是 X, 欢迎致电 X)'),
    identity_cues: list(DEFAULTS.identity_cues, 'words that introduce the agent’s name (我是 X, 我叫 X, 我姓 X)'),
    staff_number_cues: list(DEFAULTS.staff_number_cues, 'words that introduce a staff number (工号 1024); N号 counts too'),
    roles: list(DEFAULTS.roles, 'job titles, which are not a name (我是客服 is no identity; 我是客服王芳 is)'),
    service: list(DEFAULTS.service, 'service phrases (服务用语)'),
    fillers: list(
      DEFAULTS.fillers,
      'words that are never a name (喂, 请问, 这边): what is left of the greeting besides them and the slots is read as the organisation named bare',
    ),
    outbound_cues: list(
      DEFAULTS.outbound_cues,
      'where the call’s direction is unknown, these in the greeting show the agent calling out (请问是张先生吗, 给您来电): outbound_optional applies',
    ).transform((l) => new PhraseMatcher(l)),
    outbound_optional: z
      .array(z.enum(SLOTS))
      .default(['服务用语'])
      .describe('slots an outbound call need not hold (policy: the seed’s greeting is for answering; calling out, the agent states the purpose instead)'),
    optional: z
      .array(z.enum(SLOTS))
      .default([])
      .describe('slots no greeting need hold (policy, per channel: a public reply on social media names no agent: [自报姓名工号])'),
    written_hello: list(
      DEFAULTS.written_hello,
      'in written service, a short first message saying one of these, or a greeting word, is a bare hello: the greeting is read with the next message',
    ),
    pinyin: z.boolean().default(true).describe('also match phrases of 3 or more characters by sound (ASR homophones: 很高心为您服务)'),
    elements: z
      .record(z.string().min(1), z.array(phrase).min(1))
      .optional()
      .describe('instead of the slots: element name → phrases; each element must be matched by one of its phrases')
      .transform((elements) =>
        elements === undefined
          ? undefined
          : Object.entries(elements).map(([name, phrases]) => ({ name, matcher: new TolerantMatcher(phrases, { pinyin: true }) })),
      ),
  },
  check(call, options, { say }): RuleResult {
    const { within_seconds, elements, pinyin } = options;
    const c = compiledFor(options);
    const { window, late } = greetingWindow(call, within_seconds, c);
    // A chat the agent never answered has no greeting to judge: first-response says the customer went unanswered.
    if (window.length === 0 && isWritten(call)) return { outcome: 'n/a', findings: [] };
    if (window.length === 0) {
      return {
        outcome: 'fail',
        findings: [
          {
            ...(late ? at(late) : { at: 0 }),
            message:
              isTimed(call) && !isWritten(call)
                ? say(call.answeredAt ? 'greeting.no-speech-within-joined' : 'greeting.no-speech-within', { seconds: within_seconds })
                : say('greeting.no-speech'),
            evidence: late ? quote(late) : '',
          },
        ],
      };
    }
    // What a finding quotes and where it points: made only for a greeting that falls short.
    const evidence = () => window.map((u) => quote(u)).join(' / ');
    const where = () => at(window[0] as PreparedUtterance);
    if (elements) {
      const missing = legacy(window, elements, pinyin);
      return missing.length === 0
        ? { outcome: 'pass', findings: [] }
        : { outcome: 'fail', findings: [{ ...where(), message: say('greeting.lacks', { parts: missing }), evidence: evidence() }] };
    }
    const text = window.length === 1 ? (window[0] as PreparedUtterance).norm.text : window.map((u) => u.norm.text).join('\n');
    const { found, wrongTime, minutes, roomForName, roomForOrganisation } = readGreeting(text, c, call.startedAt);
    // Most greetings: every slot there, no greeting at the wrong hour; nothing below can fail or question it.
    if (found.问候语 && found.自报单位 && found.自报姓名工号 && found.服务用语 && wrongTime.length === 0) return { outcome: 'pass', findings: [] };
    // Calling out: the call record says so, or, where it says nothing, the agent asks for the customer by name or states the call's purpose.
    // Asked only where it matters: a slot lacking that calling out would excuse.
    const mayExcuse = SLOTS.some((s) => !found[s] && c.optionalOut.has(s));
    const outbound = mayExcuse && (call.direction === 'outbound' || (call.direction === undefined && options.outbound_cues.test(text)));
    const optional = outbound ? c.optionalOut : c.optionalIn;
    const missing = SLOTS.filter((s) => !found[s] && !optional.has(s));
    const problems: string[] = [];
    // No 我是/工号, but the organisation's name runs long enough to hold the agent's name too (星辰通信王芳为您服务): unsure.
    const unsureIdentity = missing.includes('自报姓名工号') && roomForName >= ROOM_FOR_TWO_NAMES;
    // No 这里是/欢迎致电, but the name after 我是 runs long enough to hold the organisation's too (我是星辰通信王芳): unsure.
    const unsureOrganisation = missing.includes('自报单位') && roomForOrganisation >= ROOM_FOR_TWO_NAMES - 1;
    const unsure: Slot[] = [...(unsureIdentity ? ['自报姓名工号' as const] : []), ...(unsureOrganisation ? ['自报单位' as const] : [])];
    const lacking = missing.filter((s) => !unsure.includes(s));
    if (lacking.length > 0) problems.push(say('greeting.lacks', { parts: lacking.map((slot) => say(SLOT_KEYS[slot])) }));
    for (const w of wrongTime) problems.push(say('greeting.wrong-time', { phrase: w.phrase, time: clock(minutes as number), range: w.range }));
    if (problems.length > 0) return { outcome: 'fail', findings: [{ ...where(), message: sentences(say, problems), evidence: evidence() }] };
    if (unsure.length > 0) {
      const parts = unsure.map((slot) => say(SLOT_KEYS[slot]));
      const message = say(unsureIdentity ? 'greeting.unclear-identity' : 'greeting.unclear-organisation', { parts });
      return { outcome: 'review', findings: [{ ...where(), message, evidence: evidence() }] };
    }
    return { outcome: 'pass', findings: [] };
  },
  examples: {
    pass: [
      {
        name: 'the standard opening',
        turns: ['[00:00.5-00:07.0] 坐席：您好，这里是星辰通信，我是客服王芳，很高兴为您服务。', '[00:07.5-00:10.0] 客户：你好，我的宽带断了。'],
      },
      {
        name: 'ASR text without punctuation, the organisation named bare, a staff number',
        turns: ['[00:00.5-00:05.0] 坐席：星辰通信您好工号1024很高心为您服务', '[00:05.5-00:08.0] 客户：我要交话费'],
      },
      {
        name: 'online chat: the first reply greets in full, whenever it came',
        call: { channel: 'chat' },
        turns: ['[00:00] 客户：在吗？我的订单还没发货', '[00:43] 坐席：您好，这里是星辰商城在线客服，我是刘洋，很高兴为您服务。'],
      },
    ],
    fail: [
      { name: 'no organisation, no name', turns: ['[00:00.5-00:02.0] 坐席：喂，你说。', '[00:02.5-00:05.0] 客户：我的宽带断了。'] },
      {
        name: '我是客服 is not a name',
        turns: ['[00:00.5-00:05.0] 坐席：您好，这里是星辰通信，我是客服，很高兴为您服务。', '[00:05.5-00:08.0] 客户：我要查话费。'],
      },
      {
        name: 'the first words come after 10 seconds',
        turns: ['[00:00.0-00:11.0] 客户：喂？喂？有人吗？', '[00:12.0-00:18.0] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。'],
      },
    ],
  },
});

import { z } from 'zod';
import type { PreparedUtterance } from '../model/call.js';
import { type Occurrence, PhraseMatcher, withoutExceptions } from '../match/phrases.js';
import type { Translator } from '../i18n/format.js';
import { at, quote, sentences } from './helpers.js';
import { HomophoneMatcher } from './homophones.js';
import { type PhraseClasses, type Presence, phraseClasses, presenceOf } from './phrase-classes.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import type { RuleFinding } from './types.js';
import { defineRule } from './types.js';
import { memoPair } from '../util/memo.js';
import { SoundPairs } from './restatement.js';

/**
 * What an unhappy, angry or anxious customer says, by class (seed 000 投訴處理, 面對情緒化客戶 "因不滿或著急而表現出
 * 急躁或憤怒"; seed 001 顾客为什么会不满; seed 002 情緒識別). Any one of them makes a complaint.
 */
export const DEFAULT_COMPLAINT_CUES: Record<string, string[]> = {
  escalation: [
    '投诉',
    '找领导',
    '找你们领导',
    '叫你们领导',
    '让你们领导',
    '你们领导呢',
    '找经理',
    '找你们经理',
    '叫你们经理',
    '让你们经理',
    '你们经理呢',
    '找主管',
    '找你们主管',
    '叫你们主管',
    '找你们负责人',
    '叫你们负责人',
    // consumer and government hotlines; inside a longer number they are none (cue_exceptions)
    '12315',
    '12345',
    '12300',
    '消协',
    '消费者协会',
    '工信部',
    '市场监管',
    '工商局',
    '曝光',
    '找媒体',
    '起诉',
    '告你们',
    '找律师',
    '差评',
  ],
  repeat_contact: [
    // each regex opens on the literal its matches hold, so it runs only on turns that have it
    '/(?:打)了?第?[两二三四五六七八九十几好多0-9]+(?:次|遍|回|个电话|通电话)/',
    '/(?:说了|讲了|反映了|催了|修了|退了|换了|寄了|问了)[两二三四五六七八九十几好多无数0-9]+(?:遍|次|回)/',
    '/(?:第)[二两三四五六七八九十几0-9]+(?:次|回|遍)(?:打|来电|致电|联系|反映|找你们)/',
    '说了多少遍',
    '说了多少次',
  ],
  frustration: [
    '太差',
    '很差',
    '真差',
    '差劲',
    '太烂',
    '烂透',
    '失望',
    '生气',
    '气死',
    '火大',
    '什么破',
    '破网',
    '破快递',
    '破手机',
    '破系统',
    '破服务',
    '破玩意',
    '破东西',
    '破公司',
    '破宽带',
    '破卡',
    '破软件',
    '破机器',
    '破电视',
    '破路由器',
    '破信号',
    '搞什么',
    '怎么搞的',
    '太过分',
    '过分了',
    '受不了',
    '受够了',
    '忍无可忍',
    '烦死',
    '什么态度',
    '垃圾',
    '坑人',
    '坑爹',
    '骗人',
    '骗子',
    '离谱',
    '无语',
    '不满意',
    '不太满意',
    '不是很满意',
    '不像话',
    '欺负人',
    '耍我',
    '糊弄',
    '敷衍',
    '什么玩意',
    '啥玩意',
    '扯淡',
    '忽悠',
    // 够了 as a clause of its own (够了！我不想听), not 流量够了
    '/(?<=(?:^|[,.。!?;])\\s*(?:真是)?)(?:够了)(?:吧)?\\s*(?=[,.。!?;]|$)/',
  ],
  // paid, done or sent already, and still not right (我刚交了一百怎么还欠费): a promise not kept (seed 001)
  unresolved: ['/(?<=(?:刚|已经|明明|早就|都)[^,.。!?;]{0,10}(?:交|缴|充|付|办|修|退|寄|还|报)[^.。!?;]{0,12})(?:怎么还|为什么还|咋还|怎么又)/'],
  anxiety: ['着急', '急死', '急死了', '急死人', '急坏了', '急得', '急人', '焦虑', '担心死了', '等不了', '火烧眉毛'],
};

/**
 * Cues that alone may be a plain question (这是怎么回事？) or a polite call-back (我又打来了): two of them
 * make a complaint (到底怎么回事？！); one alone, unanswered, asks for review instead of deducting.
 */
export const DEFAULT_WEAK_CUES: Record<string, string[]> = {
  // 又打来 (again), not 我之前打过电话问过 (a plain mention of an earlier call)
  repeat_contact: ['又打来', '又打过来', '又来电', '又打电话'],
  frustration: [
    '怎么回事',
    '咋回事',
    '到底',
    '怎么又',
    '怎么还',
    '为什么还',
    '咋还',
    // 根本没收到 / 根本没人管 (a grievance), not 我根本没去过那家店 (a denial)
    '根本没收到',
    '根本没有收到',
    '根本没到货',
    '根本没人',
    '根本没有人',
    '根本没用',
    '根本没来',
    '根本没修',
    '根本没解决',
    '根本没处理',
    '根本没回',
    '根本没反应',
    '根本没联系',
    '根本不管',
    '根本不理',
    '根本不回',
    '根本不接',
    '根本不处理',
    '根本不解决',
    '听我说完',
    '打不通',
    '很麻烦',
    '太麻烦',
    '好麻烦',
    '麻烦死',
  ],
  waiting: [
    '让我等',
    '等了好久',
    '等了半天',
    '等了这么久',
    '等好久',
    '好久才接',
    '半天才接',
    '这么久才接',
    '才接电话',
    '/(?:等了)(?:快|足足|整整|都)?[一二两三四五六七八九十半几0-9]+(?:个)?(?:多)?(?:分钟|分半钟|小时|钟头|天|礼拜|星期|周|月)/',
  ],
  // emphatic punctuation (！！！ holds ！！; a phrase counts once however often it recurs)
  emphatic: ['！！', '？！', '！？'],
};

/** Cue words that say the opposite, suppose, or name a topic rather than a feeling. */
export const DEFAULT_CUE_EXCEPTIONS = [
  '/(?:不是|不想|不用|不要|不打算|没想|没打算|并不是|也不是|没有要)(?:要|来|想|去)?投诉/',
  '/[0-9]+(?:12315|12345|12300)/',
  '/(?:12315|12345|12300)[0-9]+/',
  '/(?:如果|要是|万一|假如|假设)[^.。!?;]{0,15}(?:能|可以|可不可以|能不能|怎么|怎样|去哪|在哪|哪里)投诉/',
  '没生气',
  '不生气',
  '没有生气',
  '没有不满意',
  '没什么不满意',
  '不失望',
  '不会失望',
  '没有失望',
  '不算太差',
  '没那么差',
  '也不差',
  '不是很差',
  '不太差',
  '不着急',
  '不用着急',
  '不太着急',
  '没那么着急',
  '不是很着急',
  '别着急',
  '不要着急',
  '垃圾短信',
  '垃圾邮件',
  '垃圾电话',
  '垃圾广告',
  '垃圾桶',
  '垃圾袋',
  '垃圾分类',
  '垃圾费',
  '倒垃圾',
  '/请问[^.。!?;]{0,20}(?:怎么回事|到底)/',
  '不知道怎么回事',
  // 投诉 naming a channel for feedback, not a grievance
  '投诉建议',
  '投诉与建议',
  '投诉和建议',
  '建议和投诉',
];

/**
 * An apology or an acknowledgement of the feeling, by class: seed 000 C.A.L.M. Confirm ("我理解这种情况令您感到
 * 失望"), 投訴處理 真誠道歉; seed 002 共情表達 ("理解您的焦慮", "感謝您指出問題"), 標準化話術 (道歉用語); seed 001
 * 第三步 为发生的事情道歉. 您别激动 / 冷静一点 alone is none of these: it tells the customer how to feel without
 * acknowledging it.
 */
export const DEFAULT_EMPATHY: Record<string, string[]> = {
  apology: [
    '抱歉',
    '对不起',
    '不好意思',
    '道歉',
    '歉意',
    '添麻烦',
    '给您带来不便',
    '给您带来困扰',
    '给您造成',
    '给你造成',
    '让您久等',
    '让你久等',
    '久等了',
    '让您失望',
    '让你失望',
    '让您受累',
    '是我们的问题',
    '是我们的失误',
    '我们做得不好',
  ],
  acknowledgement: [
    '我理解',
    '理解您',
    '理解你',
    '能理解',
    '非常理解',
    '完全理解',
    '十分理解',
    '可以理解',
    '我明白您',
    '明白您的',
    '您的心情',
    '你的心情',
    '您的感受',
    '你的感受',
    '感到失望',
    '感到困扰',
    '您一定很着急',
    '您肯定很着急',
    '知道您着急',
    '知道您很着急',
    '换作是我',
    '换成是我',
    '换了是我',
    '确实让人',
    '感谢您指出',
    '感谢你指出',
    '感谢您的反馈',
  ],
};

/**
 * Soothing words, by the feeling they name (the cue class they answer): 您先别着急 is the verbal cushion of seed
 * 001 第一步 and the 安撫技巧 of seed 002 錄音分析要點 for an anxious customer, but it answers no grievance
 * (我要投诉！找了你们三次都没人管！ needs an apology); 别生气 answers anger.
 */
export const DEFAULT_SOOTHING: Record<string, string[]> = {
  anxiety: ['别着急', '不要着急', '先别急', '您别急', '别担心', '不用担心', '不要担心'],
  frustration: ['别生气', '不要生气', '消消气', '息怒'],
};

/**
 * What tells the customer the feeling is pointless or unjustified (seed 001 顾客为什么会不满: 他被告知他没有权利愤怒;
 * 要点6 避免居高临下的或不耐烦的语调): a reply holding one shows no empathy, whatever else it says.
 */
export const DEFAULT_DISMISSALS = [
  '急也没用',
  '着急也没用',
  '生气也没用',
  '气也没用',
  '发火也没用',
  '吵也没用',
  '喊也没用',
  '闹也没用',
  '投诉也没用',
  '有什么好生气',
  '有什么好气',
  '有什么好急',
  '有什么好着急',
  '有啥好急',
  '有啥好气',
  '有什么好激动',
  '至于吗',
  '至于这样吗',
  '/(?<=(?:^|[,.。!?;])\\s*(?:那)?(?:你|您)(?:就)?(?:去)?)(?:投诉)(?:吧|去吧|好了)/',
  '随便你投诉',
  '爱投诉就投诉',
  '/(?<=(?:^|[,.。!?;])\\s*)(?:随便)(?:你|您)(?:吧|啊)?\\s*(?=[,.。!?;]|$)/',
];

/** Apology words that apologise for something else (不好意思，没听清, an outbound opener), or deny the fault they seem to own (不是我们的问题). */
export const DEFAULT_EMPATHY_EXCEPTIONS = [
  '/(?:不好意思|抱歉|对不起)[,\\s]*(?:我)?(?:刚才)?(?:没听清|没有听清|听不清|没听到|您说什么|你说什么|您再说一遍|你再说一遍|请再说一遍|请您再说|信号不好)/',
  '不好意思打扰',
  // Fault denied, not owned: 不是我们的问题 holds 是我们的问题 (an apology) and says the opposite.
  '/(?:不|并不|并非|绝不|也不)是我们的(?:问题|失误)/',
];

/** An agent turn of at most this many characters (punctuation aside) is a backchannel (嗯, 是的, 明白), not a reply. */
const BACKCHANNEL_CHARS = 2;
/** What a backchannel's characters are counted without: spacing, punctuation, symbols (a code point each). */
const SPOKEN = /[^\s\p{P}\p{S}]/gu;

/**
 * Whether the text less its spacing, punctuation and symbols is at most BACKCHANNEL_CHARS code units long: counted
 * a code point at a time up to one past the limit, no text made.
 */
export function isBackchannel(u: Pick<PreparedUtterance, 'norm'>): boolean {
  const text = u.norm.text;
  if (text.length <= BACKCHANNEL_CHARS) return true;
  SPOKEN.lastIndex = 0;
  let units = 0;
  while (units <= BACKCHANNEL_CHARS && SPOKEN.test(text)) {
    const end = SPOKEN.lastIndex;
    // A code point past U+FFFF is two code units (a surrogate pair), as String.length counts it.
    const low = text.charCodeAt(end - 1);
    const high = text.charCodeAt(end - 2);
    units += end >= 2 && low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
  }
  return units <= BACKCHANNEL_CHARS;
}

/** The original words of an occurrence in an utterance's normalised text. */
function words(u: PreparedUtterance, occ: Occurrence): string {
  const map = u.norm.toOriginal;
  const from = map[occ.start] ?? 0;
  return u.text.slice(from, (map[occ.end - 1] ?? from) + 1).replace(/^[\s\p{P}]+/u, '');
}

/** Cues and weak cues in one matcher (one pass over each customer turn), and which phrases are cues; built once per rubric. */
const cueScan = memoPair((cues: PhraseClasses, weak: PhraseClasses) => ({
  matcher: new PhraseMatcher([...cues.matcher.phrases, ...weak.matcher.phrases]),
  strong: new Set(cues.matcher.phrases),
}));

/** The phrases of some classes read by their sound (ASR's 报歉, 天麻烦), built once per rubric. */
const homophones = memoPair(
  (empathy: PhraseClasses, classes: readonly string[]) => new HomophoneMatcher(classes.flatMap((name) => empathy.classes[name] ?? [])),
);

/** The homophone reader's pair gate (restatement.ts), built once per rubric. */
const soundPairs = memoPair((empathy: PhraseClasses, classes: readonly string[]) => new SoundPairs(classes.flatMap((name) => empathy.classes[name] ?? [])));

/** How an agent reply answers a complaint. */
type Reply = { kind: 'empathy' } | { kind: 'soothing'; classes: Set<string> } | { kind: 'dismissal'; occ: Occurrence; u: PreparedUtterance } | { kind: 'none' };
/** The replies that carry nothing but their kind: one object each, not one a reply. */
const EMPATHY: Reply = { kind: 'empathy' };
const NO_REPLY: Reply = { kind: 'none' };

/** What finds a complaint's cues in a customer turn; made once a call holds a turn that may have one. */
interface CueReader {
  /** A turn this says holds nothing a cue needs holds no cue (undefined: every turn may). */
  present: Presence | undefined;
  /** Cues and weak cues in one matcher, and which phrases are (strong) cues. */
  scan: { matcher: PhraseMatcher; strong: ReadonlySet<string> };
  cues: PhraseClasses;
  exceptions: PhraseMatcher;
}

/** The customer's turns from `from` up to the agent's next reply, and the cues found in them. */
interface Complaint {
  /** The first turn holding a cue. */
  at0: PreparedUtterance;
  /** Each turn holding a cue, quoted at its first (strong) cue. */
  quotes: string[];
  /** The classes of the cues found (escalation, anxiety…); undefined when only weak cues were. */
  classes: Set<string> | undefined;
  /** Weak cues found, each phrase once (！！ said thrice is one). */
  weak: Set<string> | undefined;
}

/** The first customer turn that may hold a cue (a plain pass, no regex run, no word check), or us.length. */
function firstMayHoldCue(us: readonly PreparedUtterance[], present: Presence | undefined): number {
  let i = 0;
  for (; i < us.length; i++) {
    const u = us[i] as PreparedUtterance;
    if (u.speaker === 'customer' && (present === undefined || present.test(u.norm.text))) break;
  }
  return i;
}

/** Where a run of the speaker's turns from `from` ends: the index of the next turn by someone else, or us.length. */
function endOfTurns(us: readonly PreparedUtterance[], from: number, speaker: PreparedUtterance['speaker']): number {
  let j = from;
  while (j < us.length && (us[j] as PreparedUtterance).speaker === speaker) j++;
  return j;
}

/** The cues in customer turns [from, to): a complaint, or undefined where they hold none. */
function readComplaint(us: readonly PreparedUtterance[], from: number, to: number, r: CueReader): Complaint | undefined {
  let complaint: Complaint | undefined;
  for (let j = from; j < to; j++) {
    const u = us[j] as PreparedUtterance;
    // Most turns hold nothing a cue needs: one plain pass says so.
    if (r.present !== undefined && !r.present.test(u.norm.text)) continue;
    // Cues and weak cues in one pass over the turn.
    const all = r.scan.matcher.findAll(u.norm.text);
    if (all.length === 0) continue;
    const kept = withoutExceptions(all, r.exceptions.findAll(u.norm.text));
    if (kept.length === 0) continue;
    complaint ??= { at0: u, quotes: [], classes: undefined, weak: undefined };
    let first: Occurrence | undefined;
    let firstWeak: Occurrence | undefined;
    for (const occ of kept) {
      if (r.scan.strong.has(occ.phrase)) {
        complaint.classes ??= new Set();
        complaint.classes.add(r.cues.classOf(occ));
        if (!first || occ.start < first.start) first = occ;
      } else {
        complaint.weak ??= new Set();
        complaint.weak.add(occ.phrase);
        if (!firstWeak || occ.start < firstWeak.start) firstWeak = occ;
      }
    }
    complaint.quotes.push(quote(u, (first ?? firstWeak) as Occurrence));
  }
  return complaint;
}

/** What an agent reply must do to answer a complaint, and what makes a reply no answer; made once a call holds a cue. */
interface ReplyOptions {
  empathy: PhraseClasses;
  empathyExceptions: PhraseMatcher;
  soothing: PhraseClasses;
  dismissals: PhraseMatcher;
  /** A reply this says holds nothing a dismissal needs holds none (undefined: every reply may). */
  dismissalsPresent: Presence | undefined;
  /** The classes of empathy phrases also found by their sound. */
  homophones: readonly string[];
}

/**
 * How the agent's replies in one call answer: each reply's kind worked out once (the reply windows of two
 * complaints may share replies), and the first empathy in the call found as far as a complaint asks.
 */
class Replies {
  private readonly kinds: (Reply | undefined)[] = [];
  /** The first agent turn that acknowledged a feeling (-1: none found yet), and how far the turns were read for it. */
  private firstEmpathy = -1;
  private read = 0;

  constructor(
    private readonly us: readonly PreparedUtterance[],
    private readonly o: ReplyOptions,
  ) {}

  /** How agent turn `k` answers. */
  kindAt(k: number): Reply {
    let kind = this.kinds[k];
    if (kind === undefined) {
      kind = this.replyKind(this.us[k] as PreparedUtterance);
      this.kinds[k] = kind;
    }
    return kind;
  }

  /** How one agent reply answers: a dismissal outweighs any empathy beside it. */
  private replyKind(u: PreparedUtterance): Reply {
    const o = this.o;
    const text = u.norm.text;
    // Most replies hold nothing a dismissal needs: one plain pass, not the list's own and its regexes' gate.
    const dismissal = o.dismissalsPresent !== undefined && !o.dismissalsPresent.test(text) ? undefined : o.dismissals.find(text)[0];
    if (dismissal) return { kind: 'dismissal', occ: dismissal, u };
    if (o.empathy.matcher.findExcept(text, o.empathyExceptions).length > 0) return EMPATHY;
    const soothed = o.soothing.matcher.find(text);
    if (soothed.length > 0) return { kind: 'soothing', classes: new Set(soothed.map((occ) => o.soothing.classOf(occ))) };
    return NO_REPLY;
  }

  /**
   * Whether the agent acknowledged a feeling (an apology, empathy) before `index`: the agent's turns are read
   * once, from the start up to the first such turn, and only as far as a complaint asks. A turn without an
   * empathy phrase (findAll: one pass that makes nothing on most turns) is no empathy whatever else it holds.
   */
  empathisedBefore(index: number): boolean {
    for (; this.firstEmpathy < 0 && this.read < index; this.read++) {
      const u = this.us[this.read] as PreparedUtterance;
      if (u.speaker !== 'agent') continue;
      if ((this.kinds[this.read] !== undefined || this.o.empathy.matcher.findAll(u.norm.text).length > 0) && this.kindAt(this.read) === EMPATHY) {
        this.firstEmpathy = this.read;
      }
    }
    return this.firstEmpathy >= 0 && this.firstEmpathy < index;
  }

  /** ASR's homophones (报歉 for 抱歉): a second look at a reply where nothing was found as written. */
  readonly soundsEmpathic = (u: PreparedUtterance): boolean => {
    const o = this.o;
    if (o.homophones.length === 0) return false;
    // Most replies hold no phrase's first two syllables in a row: then the reader need not spell them out.
    if (!soundPairs(o.empathy, o.homophones).mayHold(u.norm.text)) return false;
    // What the exceptions hold is no empathy by sound either (不是我们的问题 sounds like 是我们的问题 because it holds it).
    const excepted = o.empathyExceptions.findAll(u.norm.text);
    return homophones(o.empathy, o.homophones).find(excepted.length === 0 ? u.norm.text : blanked(u.norm.text, excepted)) !== undefined;
  };
}

/** The text with the occurrences' characters turned to commas, which hold no syllable: its length and the rest kept. */
function blanked(text: string, occurrences: readonly Occurrence[]): string {
  let out = '';
  let at = 0;
  for (const occ of occurrences) {
    if (occ.start < at) continue;
    out += `${text.slice(at, occ.start)}${','.repeat(occ.end - occ.start)}`;
    at = occ.end;
  }
  return out + text.slice(at);
}

/** What the agent's replies from `from` did with a complaint: up to `withinTurns` of them, backchannels aside (but an apology in one counts). */
interface Answer {
  /** The replies counted (not backchannels) before it was answered or the window closed. */
  replies: number;
  answered: boolean;
  /** The first reply that dismissed the feeling. */
  dismissal: Extract<Reply, { kind: 'dismissal' }> | undefined;
  /** The replies that neither answered nor dismissed it. */
  unanswered: PreparedUtterance[];
}

/** How the agent answered a complaint (strong: a cue, or two weak ones) in its replies from `from`. */
function answerTo(complaint: Complaint, strong: boolean, from: number, withinTurns: number, replies: Replies, us: readonly PreparedUtterance[]): Answer {
  const answer: Answer = { replies: 0, answered: false, dismissal: undefined, unanswered: [] };
  const classes = complaint.classes;
  for (let k = from; k < us.length && answer.replies < withinTurns; k++) {
    const u = us[k] as PreparedUtterance;
    if (u.speaker !== 'agent') continue;
    const reply = replies.kindAt(k);
    // Soothing answers a complaint of the feeling it names (别着急 an anxious one), or one of weak cues only.
    if (reply.kind === 'empathy' || (reply.kind === 'soothing' && (!strong || classes === undefined || [...reply.classes].some((c) => classes.has(c))))) {
      answer.answered = true;
      break;
    }
    if (reply.kind === 'dismissal') answer.dismissal ??= reply;
    else answer.unanswered.push(u);
    if (!isBackchannel(u)) answer.replies++;
  }
  return answer;
}

/** The finding for a complaint left unanswered, or answered with a dismissal. */
function unansweredFinding(complaint: Complaint, strong: boolean, dismissal: Answer['dismissal'], withinTurns: number, say: Translator): RuleFinding {
  return {
    ...at(complaint.at0),
    message: dismissal
      ? sentences(say, [say('empathy-on-complaint.dismissed', { words: words(dismissal.u, dismissal.occ) }), say('empathy-on-complaint.acknowledge')])
      : strong
        ? sentences(say, [
            say(withinTurns === 1 ? 'empathy-on-complaint.unacknowledged-one' : 'empathy-on-complaint.unacknowledged', { turns: withinTurns }),
            say('empathy-on-complaint.acknowledge-first'),
          ])
        : say('empathy-on-complaint.weak'),
    evidence: complaint.quotes.join(' / '),
  };
}

export default defineRule({
  id: 'empathy-on-complaint',
  messages: [
    'empathy-on-complaint.dismissed',
    'empathy-on-complaint.unacknowledged-one',
    'empathy-on-complaint.unacknowledged',
    'empathy-on-complaint.acknowledge',
    'empathy-on-complaint.acknowledge-first',
    'empathy-on-complaint.weak',
  ],
  kind: 'seed',
  description:
    "When the customer complains or shows anger or anxiety (escalation 投诉/找领导/12315, repeat contact 打了三次, frustration 太差/失望/什么破, anxiety 着急/急死了; two weak cues such as 到底 and ？！ together), the agent apologises or acknowledges the feeling (抱歉, 理解您的心情, 给您添麻烦了…) within the agent's next within_turns replies; soothing answers only the feeling it names (别着急 anxiety, 别生气 anger), and a reply that dismisses the feeling (急也没用, 这有什么好生气的) does not count. Once the feeling was acknowledged, later outbursts need no new apology. One finding per unanswered complaint (the customer's turns between two agent replies count as one). A single weak cue left unanswered asks for review.",
  source:
    'seeds/000 有效化解客户情绪·C-确认感受(Confirm): 首先承认并确认客户的情绪和感受…使用如"我理解这种情况令您感到失望/困扰"等语句。seeds/002 共情表达方法: 使用"理解您的焦虑""感谢您指出问题"等句式表达情感认同。',
  needs: 'a complaint, anger or anxiety cue in customer speech, followed by agent speech',
  limits:
    'Complaint cues are words, not tone: sarcasm and complaints in words off the lexicon (客訴, 太扯了) are missed, any apology counts even for something else, and one weak cue left unanswered asks for review.',
  defaultDeduction: 10,
  defaultMaxDeduction: 20,
  options: {
    cues: phraseClasses(
      DEFAULT_COMPLAINT_CUES,
      'what a complaining, angry or anxious customer says, in named classes (literal, or /regex/); one cue makes a complaint',
    ),
    weak_cues: phraseClasses(DEFAULT_WEAK_CUES, 'cues that make a complaint only two together (到底 + ？！); one alone, unanswered, asks for review'),
    cue_exceptions: phraseList(
      DEFAULT_CUE_EXCEPTIONS,
      'phrases in which a cue does not count: negated, supposed, or a topic (我不是投诉, 如果…可以投诉吗, 垃圾短信)',
    ),
    // Found wherever their characters stand, not only as words: missing an apology would deduct (precision first).
    phrases: phraseClasses(
      DEFAULT_EMPATHY,
      'apology and acknowledgement phrases that answer any complaint, in named classes (literal, or /regex/); found wherever their characters stand, not only as whole words',
      { words: false },
    ),
    phrase_exceptions: phraseList(DEFAULT_EMPATHY_EXCEPTIONS, 'phrases in which an empathy phrase does not count (不好意思，没听清)'),
    soothing: phraseClasses(
      DEFAULT_SOOTHING,
      'soothing words keyed by the cue class they answer (anxiety: 别着急; frustration: 别生气): they answer a complaint of that class, or a weak one, not others',
      { words: false },
    ),
    dismissals: phraseList(DEFAULT_DISMISSALS, 'what dismisses the feeling (急也没用, 这有什么好生气的): a reply holding one is not empathy'),
    extra_cues: extraPhraseList('cues besides the default classes'),
    extra_cue_exceptions: extraPhraseList('cue exceptions besides the default list'),
    extra_phrases: extraPhraseList('empathy phrases besides the default classes'),
    extra_dismissals: extraPhraseList('dismissals besides the default list'),
    homophones: z
      .array(z.string())
      .default(['apology', 'acknowledgement'])
      .describe(
        'classes of phrases also found by their sound (pinyin), for ASR text: 非常报歉 holds 抱歉; only where nothing was found as written. Short soothing words are left out: by sound, 您别急 is in 您别激动',
      ),
    answer_every_complaint: z
      .boolean()
      .default(false)
      .describe(
        'every complaint needs its own apology or empathy; by default, once the agent has acknowledged the feeling, a later outburst needs none (C.A.L.M. moves on to Assess, Listen, Manage), though a dismissal still fails',
      ),
    within_turns: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('the empathy must come in this many agent replies after the complaint (backchannels such as 嗯 or 是的 are not counted)'),
  },
  check(call, options, { say }) {
    const cues = options.cues.withExtra(options.extra_cues);
    const scan = cueScan(cues, options.weak_cues);
    const us = call.utterances;
    // Most calls hold no cue: one plain pass over each customer turn says so (no regex run, no word check), and
    // nothing else is done. A turn holding none of what a cue needs (presenceOf) holds no cue.
    const present = presenceOf(scan.matcher);
    let i = firstMayHoldCue(us, present);
    if (i === us.length) return { outcome: 'n/a', findings: [], hits: [] };

    const cueReader: CueReader = { present, scan, cues, exceptions: withExtra(options.cue_exceptions, options.extra_cue_exceptions) };
    const dismissals = withExtra(options.dismissals, options.extra_dismissals);
    const replies = new Replies(us, {
      empathy: options.phrases.withExtra(options.extra_phrases),
      empathyExceptions: options.phrase_exceptions,
      soothing: options.soothing,
      dismissals,
      dismissalsPresent: presenceOf(dismissals),
      homophones: options.homophones,
    });
    const withinTurns = options.within_turns;
    const findings: RuleFinding[] = [];
    const weakFindings: RuleFinding[] = [];
    const hits: number[] = [];
    let judged = 0;
    // From the first customer turn that may hold a cue: the turns before it hold none.
    while (i < us.length) {
      if ((us[i] as PreparedUtterance).speaker !== 'customer') {
        i++;
        continue;
      }
      // The customer's turns up to the agent's next reply are one complaint (or none).
      const j = endOfTurns(us, i, 'customer');
      const complaint = readComplaint(us, i, j, cueReader);
      i = j;
      if (!complaint) continue;
      const strong = complaint.classes !== undefined || (complaint.weak?.size ?? 0) >= 2;
      // Where complaints were, for rules that read what follows one (window.after): a lone weak cue (怎么回事) is a
      // question as often as a complaint, and marks no place even when it asks for review.
      if (strong && complaint.at0.start !== undefined) hits.push(complaint.at0.start);
      const { replies: counted, answered, dismissal, unanswered } = answerTo(complaint, strong, j, withinTurns, replies, us);
      // A complaint the agent never replied to (the call ends on it, or on a backchannel) is not judged, unless it
      // was answered (an apology in a backchannel, or as ASR's homophones); only whether any was judged matters.
      if (counted === 0) {
        if (answered || (judged === 0 && !dismissal && unanswered.some(replies.soundsEmpathic))) judged++;
        continue;
      }
      judged++;
      if (answered) continue;
      if (!dismissal) {
        // Acknowledged once already: a later outburst needs no new apology, unless it was dismissed.
        if (!options.answer_every_complaint && replies.empathisedBefore(j)) continue;
        // Nothing as written: the same words in ASR's homophones count (a dismissal still outweighs them).
        if (unanswered.some(replies.soundsEmpathic)) continue;
      }
      (strong ? findings : weakFindings).push(unansweredFinding(complaint, strong, dismissal, withinTurns, say));
    }
    if (findings.length > 0) return { outcome: 'fail', findings, hits };
    if (weakFindings.length > 0) return { outcome: 'review', findings: weakFindings, hits };
    if (judged === 0) return { outcome: 'n/a', findings: [], hits };
    return { outcome: 'pass', findings: [], hits };
  },
  examples: {
    pass: [
      {
        name: 'an apology and understanding first',
        turns: ['客户：你们这什么破网，三天两头断，我要投诉！', '坐席：非常抱歉给您添麻烦了，我理解您的心情，我马上为您查询。'],
      },
      { name: 'anxiety acknowledged', turns: ['客户：卡被锁了，我明天就要用钱，急死了。', '坐席：我理解您着急的心情，我们先帮您核实身份，马上解锁。'] },
    ],
    fail: [
      {
        name: 'straight to business',
        turns: ['客户：你们这什么破网，三天两头断，我要投诉！', '坐席：账号多少？', '客户：123456。', '坐席：等着吧，会有人联系你。'],
      },
      { name: 'a dismissal is not empathy', turns: ['客户：我的退款到现在还没到账，急死了。', '坐席：别着急，急也没用，退款就是要七个工作日。'] },
    ],
  },
});

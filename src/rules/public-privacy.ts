import { z } from 'zod';
import type { MessageKey, Translator } from '../i18n/format.js';
import type { Occurrence, PhraseMatcher } from '../match/phrases.js';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { digitsOf, findPersonalNumbers, maskNumbers, mayHoldNumber, PERSONAL_NUMBER_KINDS, type PersonalNumber } from '../privacy/numbers.js';
import { agentUtterances, at, FindingList, quote } from './helpers.js';
import { phraseList } from './phrase-options.js';
import { DEFAULT_NOT_PERSONAL_CUES, nearestCue, normSpan } from './privacy.js';
import { defineRule } from './types.js';

/** What the rule recognises as a customer's personal data written out: privacy's numbers, and an e-mail address. */
export const PUBLIC_DATA_KINDS = [...PERSONAL_NUMBER_KINDS, 'email'] as const;
export type PublicDataKind = (typeof PUBLIC_DATA_KINDS)[number];

/** The name of each kind, for the findings' {what}. */
const WHAT: Record<PublicDataKind, MessageKey> = {
  mobile: 'public-privacy.what.mobile',
  id_card: 'public-privacy.what.id-card',
  bank_card: 'public-privacy.what.bank-card',
  email: 'public-privacy.what.email',
};

/**
 * How an agent asks for something to be written in the thread (请提供 / 请留下 …). Not 填写: a form is filled in an app or a
 * web page, not in the thread (请在小程序内填写收货地址).
 */
export const DEFAULT_REQUEST_CUES = [
  '请提供',
  '麻烦提供',
  '提供一下',
  '提供下',
  '请留下',
  '留下',
  '留一下',
  '留个',
  '发一下',
  '发下',
  '发给我们',
  '请发送',
  '发送一下',
  '告诉我们',
  '请告知',
  '告知一下',
  '请回复',
  '回复一下',
  '报一下',
  // Where to put it (把电话打在评论里): a request as much as 请留下. Not …到: 结果会发到您的邮箱 names where the agent sends.
  '打在',
  '写在',
  '发在',
  '贴在',
  '留在',
  // A question for the data (您的手机号是多少？/ 地址是哪里？): asking in the open as much as 请提供; not a question
  // about it (电话是什么时候打的).
  '/(?<=(?:号|号码|电话|地址|住址|邮箱|信箱))(?:是)?(?:多少|什么|啥|哪里|哪儿)(?:呢|啊|呀)?(?=[?,.。!;]|$)/',
];

/** Personal data an agent may ask for (the seeds: 个人信息; 身份证号、银行账户). An order or tracking number is not among them. */
export const DEFAULT_PERSONAL_DATA = [
  '手机号',
  '手机号码',
  '电话号码',
  '联系电话',
  '电话',
  '联系方式',
  '身份证',
  // Taiwan's wording (身分證字號), as normalised: 身分证.
  '身分证',
  '证件号',
  '银行卡',
  '卡号',
  '住址',
  '地址',
  '邮箱',
  '信箱',
  '电子邮件',
  '电邮',
  '密码',
  '验证码',
];

/** The private channels of social platforms and the company's own (seed 000: 私信或其他私密渠道). */
export const DEFAULT_PRIVATE_CHANNELS = [
  '私信',
  '私聊',
  '私讯',
  '站内信',
  '后台',
  '私下',
  '客服热线',
  '在线客服',
  '私密渠道',
  '私戳',
  // The company's one-to-one WeChat service and a direct message by its English name (normalised lower case).
  '客服微信',
  '微信客服',
  '官方微信',
  '企业微信',
  '私人消息',
  '私密消息',
  // The platforms' direct-message button (微博, 抖音, 小红书: 发消息).
  '发消息',
  '/(?<![a-z])dm(?=[^a-z]|$)/',
];

/**
 * Where a request is made in the open (请在评论区留下手机号): a message asking there asks in public even when it
 * also names a private channel (…或者私信我们).
 */
export const DEFAULT_PUBLIC_PLACES = ['评论区', '留言区', '评论里', '评论中', '留言里', '留言板', '楼下', '帖子里', '帖子下', '本帖', '弹幕'];

/**
 * Words before a request cue, in its sentence, that make it no request for the customer's data: a warning not to post
 * it (请勿…, 不要…), a question about data given already (已经…, 之前…), the agent sending something itself (我给您发一下门店地址).
 */
export const DEFAULT_NOT_REQUEST = [
  '不要',
  '请勿',
  '勿',
  '别',
  '切勿',
  '避免',
  '不用',
  '不必',
  '无需',
  '不需要',
  '已经',
  '已',
  '之前',
  '刚才',
  '/(?:^|[^给向])我们?(?:这边|稍后|马上|现在|会|将|先|已|再)*(?:给您|帮您|为您|向您)?$/',
];

/** What the company's own contacts are called: a number or address right after one is the company's, not the customer's. */
export const DEFAULT_COMPANY_CUES = [
  '客服电话',
  '客服热线',
  '服务热线',
  '官方电话',
  '门店电话',
  '客服邮箱',
  '官方邮箱',
  '服务邮箱',
  '投诉邮箱',
  // Where the customer is to send something (请发送至 kefu@…); not where the agent sent it (已为您发送到 li.ming@…),
  // which is the customer's own address.
  '/(?<!(?:已|已经|为您|给您|帮您|向您)[^,.。!?;]{0,4})(?:发送至|发送到|发至|邮件至|邮件到)/',
];

/** An e-mail address, half- or full-width, not cut out of a longer word. */
const EMAIL =
  /(?<![A-Za-z0-9ａ-ｚＡ-Ｚ０-９._%+-])[A-Za-z0-9ａ-ｚＡ-Ｚ０-９._%+-]+[@＠][A-Za-z0-9ａ-ｚＡ-Ｚ０-９-]+(?:[.．][A-Za-z0-9ａ-ｚＡ-Ｚ０-９-]+)*[.．][A-Za-zａ-ｚＡ-Ｚ]{2,}/g;

interface Found {
  kind: PublicDataKind;
  start: number;
  end: number;
  digits: string;
}

interface Lists {
  kinds: readonly PublicDataKind[];
  allow: ReadonlySet<string>;
  cues: readonly [string, PhraseMatcher][];
}

/** The e-mail addresses of a text. */
function emails(text: string): Found[] {
  if (!text.includes('@') && !text.includes('＠')) return [];
  const out: Found[] = [];
  for (const m of text.matchAll(EMAIL)) {
    const start = m.index ?? 0;
    out.push({ kind: 'email', start, end: start + m[0].length, digits: m[0].normalize('NFKC').toLowerCase() });
  }
  return out;
}

/**
 * The customer's personal data a message writes out, of the kinds checked: privacy's numbers (a masked 138****5678 is
 * none) and e-mail addresses, less those named as an order number or as the company's own contact, and allowed ones.
 */
function personalData(u: PreparedUtterance, lists: Lists): Found[] {
  const mail = emails(u.text);
  // A mobile used as an address (13812345678@163.com) is one e-mail, not an e-mail and a mobile.
  const numbers: Found[] = mayHoldNumber(u.text)
    ? findPersonalNumbers(u.text).filter((n) => !(lists.kinds.includes('email') && mail.some((e) => e.start < n.end && n.start < e.end)))
    : [];
  return [...numbers, ...mail]
    .filter((f) => lists.kinds.includes(f.kind) && !lists.allow.has(f.kind === 'email' ? f.digits : digitsOf(f.digits)))
    .filter((f) => {
      const cue = nearestCue(u, f.start, lists.cues);
      return cue !== 'other' && cue !== 'company';
    })
    .sort((a, b) => a.start - b.start);
}

/** An address's user name cut to its first character (z***@qq.com): the report shows which address, not the address. */
function maskEmail(text: string, e: Found): string {
  const at = text.slice(e.start, e.end).search(/[@＠]/);
  const hidden = Math.max(0, at - 1);
  return text.slice(0, e.start + 1) + '*'.repeat(hidden) + text.slice(e.start + 1 + hidden);
}

/**
 * The message with everything found masked as privacy masks numbers (reports mask again, but only numbers), quoted
 * around a stretch of its normalised text (or whole).
 */
function maskedQuote(u: PreparedUtterance, found: readonly Found[], around?: { start: number; end: number }): string {
  const numbers = found.filter((f): f is Found & PersonalNumber => f.kind !== 'email');
  let text = maskNumbers(u.text, numbers);
  for (const f of found) if (f.kind === 'email') text = maskEmail(text, f);
  const masked = { ...u, text };
  return around ? quote(masked, around) : quote(masked);
}

/** A sentence of normalised text ends at one of these (full-width punctuation is half-width there). */
const SENTENCE_END = /[.。!?;\n]/;

/** A clause ends at a comma or colon as well (normalised text: half-width). */
const CLAUSE_END = /[,:、]/;

/** The part of `sentence` before `at` that belongs to the clause `at` is in. */
function clauseBefore(sentence: string, at: number): string {
  let from = at;
  while (from > 0 && !CLAUSE_END.test(sentence[from - 1] as string)) from--;
  return sentence.slice(from, at);
}

/**
 * The first personal-data word the message asks for, if it asks for one; with `where`, only in a sentence that names
 * one of its places (a message that also names a private channel asks in the open only where it says so).
 */
function askedFor(text: string, request: PhraseMatcher, data: PhraseMatcher, notRequest: PhraseMatcher, where?: PhraseMatcher): Occurrence | undefined {
  let from = 0;
  while (from < text.length) {
    let end = from;
    while (end < text.length && !SENTENCE_END.test(text[end] as string)) end++;
    const sentence = text.slice(from, end);
    const asked = where === undefined || where.test(sentence) ? data.find(sentence)[0] : undefined;
    if (asked) {
      for (const cue of request.find(sentence)) {
        // A warning (请勿留下…), data given already (您已经发送…), the agent as the sender (我给您发一下…): no request.
        // Read in the cue's own clause: 我们已关注到您的问题，请提供身份证号 asks, whatever the clause before says.
        if (notRequest.test(clauseBefore(sentence, cue.start))) continue;
        // 您留下的手机号 / 您提供的地址: the cue describes data given already.
        if (sentence[cue.end] === '的') continue;
        return { ...asked, start: asked.start + from, end: asked.end + from };
      }
    }
    from = end + 1;
  }
  return undefined;
}

interface Options {
  kinds: PublicDataKind[];
  allow_numbers: Set<string>;
  request_cues: PhraseMatcher;
  personal_data: PhraseMatcher;
  private_channels: PhraseMatcher;
  public_places: PhraseMatcher;
  not_request: PhraseMatcher;
  not_personal_cues: PhraseMatcher;
  company_cues: PhraseMatcher;
}

/** The index of the last agent message that names a private channel (-1: none). */
function lastMove(call: PreparedCall, channels: PhraseMatcher): number {
  for (let i = call.utterances.length - 1; i >= 0; i--) {
    const u = call.utterances[i] as PreparedUtterance;
    if (u.speaker === 'agent' && channels.test(u.norm.text)) return i;
  }
  return -1;
}

/** An agent message's findings: personal data written out (one each), and a request for it in the open (one). */
function agentFindings(u: PreparedUtterance, o: Options, lists: Lists, say: Translator, findings: FindingList): void {
  const found = personalData(u, lists);
  for (const f of found) {
    findings.add(() => ({
      ...at(u),
      message: say('public-privacy.disclosed', { what: say(WHAT[f.kind]) }),
      evidence: maskedQuote(u, found, normSpan(u, f.start, f.end)),
    }));
  }
  // Naming a private channel sends the customer there, unless the request itself names a public place.
  const where = o.private_channels.test(u.norm.text) ? o.public_places : undefined;
  const asked = askedFor(u.norm.text, o.request_cues, o.personal_data, o.not_request, where);
  if (asked) findings.add(() => ({ ...at(u), message: say('public-privacy.asked', { what: asked.phrase }), evidence: maskedQuote(u, found, asked) }));
}

/** The findings of a thread, in message order. */
function threadFindings(call: PreparedCall, o: Options, say: Translator): FindingList {
  const lists: Lists = {
    kinds: o.kinds,
    allow: o.allow_numbers,
    cues: [
      ['other', o.not_personal_cues],
      ['company', o.company_cues],
      ['personal', o.personal_data],
    ],
  };
  const findings = new FindingList();
  const moved = lastMove(call, o.private_channels);
  call.utterances.forEach((u, i) => {
    if (u.speaker === 'agent') agentFindings(u, o, lists, say, findings);
    // Personal data the customer wrote stays in the open unless a later agent message names a private channel.
    else if (u.speaker === 'customer' && i > moved) {
      const found = personalData(u, lists);
      const first = found[0];
      if (first) findings.add(() => ({ ...at(u), message: say('public-privacy.not-moved', { what: say(WHAT[first.kind]) }), evidence: maskedQuote(u, found) }));
    }
  });
  return findings;
}

export default defineRule({
  id: 'public-privacy',
  kind: 'seed',
  written: true,
  messages: ['public-privacy.disclosed', 'public-privacy.asked', 'public-privacy.not-moved'],
  description:
    "In a public social-media thread (channel social) the customer's personal data stays out of the open. Three findings: the agent writes out a mobile, ID card (mainland or Taiwan) or bank card number or an e-mail address (disclosed; a masked 138****5678 is fine); the agent asks for personal data (请提供/请留下… + 手机号/地址/身份证…, or 您的手机号是多少？) in a message that names no private channel, or in a sentence naming a public place (评论区) whatever else the message says (asked; 麻烦您私信发一下手机号 passes); the customer writes such data and no later agent message names a private channel (not-moved, at the customer's message). Order and tracking numbers and the company's own hotline or address are not personal. A private chat is n/a.",
  source:
    'seeds/000 網絡客戶服務禮儀·隱私保護: 在網絡溝通中嚴格保護客戶隱私,不在公開場合透露客戶個人信息。需要核實身份時使用安全的驗證方式; 社交媒體服務禮儀·公開回應原則: 對公開平臺的諮詢應先在原帖下回復…涉及具體細節或個人信息時,建議轉為私信或其他私密渠道繼續溝通。 The seed names no words: the cue and channel lists are policy.',
  needs: 'a public thread (channel social) with at least one agent message',
  limits:
    "Only a social thread is public: a thread moved into private messages is exported as its own chat, where this rule is n/a. Recognises checksum-valid numbers and e-mail addresses written out in one message, not names, street addresses or numbers split across messages; cannot tell the customer's data from a third party's; a request is read sentence by sentence from the cue and word lists (policy), and a message naming a private channel anywhere passes unless its request names a public place (public_places).",
  defaultDeduction: 10,
  options: {
    kinds: z
      .array(z.enum(PUBLIC_DATA_KINDS))
      .min(1)
      .default([...PUBLIC_DATA_KINDS])
      .describe(
        'which personal data must not be written in the thread: mobile (11 digits, 1[3-9]…), id_card (18-character resident ID, or a Taiwan ID such as A123456789), bank_card (16–19 digits, Luhn), email',
      ),
    allow_numbers: z
      .array(z.string().regex(/[0-9０-９@＠]/, 'expected a number or an e-mail address'))
      .default([])
      .describe("numbers or e-mail addresses that may be written (the company's published service mobile, say): numbers compared digit by digit")
      .transform((list) => new Set(list.map((v) => (/[@＠]/.test(v) ? v.normalize('NFKC').trim().toLowerCase() : digitsOf(v))))),
    request_cues: phraseList(
      DEFAULT_REQUEST_CUES,
      'how the agent asks for something (请提供, 请留下, 发一下…): with a personal_data word in the same sentence, a request',
    ),
    personal_data: phraseList(
      DEFAULT_PERSONAL_DATA,
      'personal data the agent must not ask for in the open (手机号, 身份证, 地址, 验证码…); also the names before a number that make it personal',
    ),
    private_channels: phraseList(
      DEFAULT_PRIVATE_CHANNELS,
      'private channels (私信, 私聊, 站内信, 客服热线…): an agent message naming one sends the customer there, so its request passes and the customer’s data before it is moved',
    ),
    public_places: phraseList(
      DEFAULT_PUBLIC_PLACES,
      'public places of a thread (评论区, 留言区, 楼下…): a request naming one asks in the open even in a message that also names a private channel (请在评论区留下手机号，或者私信我们)',
    ),
    not_request: phraseList(
      DEFAULT_NOT_REQUEST,
      'words before a request cue in its clause that make it no request: a warning (请勿, 不要), a question about data given already (已经, 之前), the agent sending something itself (我给您)',
    ),
    not_personal_cues: phraseList(
      DEFAULT_NOT_PERSONAL_CUES,
      'names of numbers that are not personal (订单号, 运单号, 工单号…; privacy’s list): a number right after one is never personal data',
    ),
    company_cues: phraseList(
      DEFAULT_COMPANY_CUES,
      "names of the company's own contacts (客服热线, 门店电话, 客服邮箱, 发送至…): a number or e-mail address right after one is not the customer's; one the agent sent something to (已为您发送到…) is",
    ),
  },
  check(call, options, { say }) {
    // Only a social thread is public: a private chat, like a phone call, is n/a.
    if (call.channel !== 'social' || agentUtterances(call).length === 0) return { outcome: 'n/a', findings: [] };
    return threadFindings(call, options, say).result();
  },
  examples: {
    pass: [
      {
        name: 'the agent replies in the thread and asks for the mobile number by private message',
        call: { channel: 'social' },
        turns: [
          '[00:00] 客户：@星辰通信 宽带断了两天了，没人管吗？',
          '[05:00] 坐席：非常抱歉给您带来不便！麻烦您私信发一下办理宽带的手机号，我们马上为您查询。',
        ],
      },
      {
        name: 'an order number and the company hotline are not personal data',
        call: { channel: 'social' },
        turns: ['[00:00] 客户：订单号6120458873122905414，一直没发货。', '[03:00] 坐席：已为您催促仓库尽快发货，如有疑问可拨打客服热线400-820-8820。'],
      },
    ],
    fail: [
      {
        name: 'the agent asks for the mobile number in the comments',
        call: { channel: 'social' },
        turns: ['[00:00] 客户：我的快递三天没动了！', '[02:00] 坐席：抱歉让您久等了，请在评论区留下手机号，我们帮您查询。'],
      },
      {
        name: 'the customer posts their mobile number and the agent answers in public',
        call: { channel: 'social' },
        turns: ['[00:00] 客户：我手机号13812345678，快点给我回电话！', '[04:00] 坐席：收到，我们会尽快联系您。'],
      },
    ],
  },
});

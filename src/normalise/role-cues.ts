/**
 * What people say in the first turns of a call that tells the agent from the customer, as data: role
 * inference (roles.ts) reads it; nothing here is code. Phrases are written as rubric phrases are (a
 * literal, matched after normalisation to Simplified script and lower case, or a `/regex/`).
 *
 * Agent cues are self-identification: naming the organisation, a staff number or a service role,
 * offering service, or the purpose of an outbound call. A plain "我是X" is not among them: customers say
 * it too (我是他家属, 我是用自己的手机打的); the rubric's greeting elements weigh it.
 * Customer cues are how one answers a ringing phone (a turn that is nothing but 喂 / Hello?) and asking
 * who is calling (哪位, 你是谁).
 */
export interface RoleCueTable {
  /** Cue class → phrases. A speaker whose early turns match any phrase of a class shows that class. */
  agent: Readonly<Record<string, readonly string[]>>;
  /** Cue class → phrases, as `agent`. */
  customer: Readonly<Record<string, readonly string[]>>;
  /**
   * Answering words: an early turn made of nothing else (punctuation, spaces and repeats aside:
   * 喂？喂？, "Hello? Hello?", 喂，你好) is a customer's answer to a ringing phone.
   */
  answers: readonly string[];
  /** An answer holds at least one of these: a turn that is only 你好, 嗯 or "yes" is a reply to anyone, not an answer to the phone. */
  answerMarks: readonly string[];
  /** Words an answer opens with: on an outbound call the first speaker opening with one picked up the phone. */
  answerOpeners: readonly string[];
  /** Customer cue class → agent cue classes it explains away in the same speaker's turns (请问这里是X吗 names X, asking). */
  cancels?: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_ROLE_CUES: RoleCueTable = {
  agent: {
    organisation: [
      '这里是',
      '这边是',
      '欢迎致电',
      '欢迎来电',
      '感谢致电',
      '感谢您致电',
      '感谢您的来电',
      'thank you for calling',
      'thanks for calling',
      'welcome to',
      "you've reached",
      'you have reached',
      '/\\bcalling (you )?from\\b/',
      "/\\b(this is|i'm|i am|it's) [a-z]+ (from|with|at) /",
    ],
    'staff-number': [
      '/(工号|编号|坐席号)(是)?[0-9零〇一二三四五六七八九]/',
      '/[0-9]{2,}号(客服|坐席|话务员|专员)/',
      '/\\b(staff|employee|agent) (number|id)\\b/',
    ],
    'service-role': ['/我是.{0,10}(客服|专员|顾问|客户经理|坐席|话务员|工作人员|回访员)/', '/\\b(customer service|support) (team|representative|agent)\\b/'],
    'service-offer': [
      '很高兴为您服务',
      '为您服务',
      '有什么可以帮您',
      '有什么可以帮到您',
      '有什么可以帮助您',
      '有什么能帮您',
      '有什么可以为您',
      'how can i help',
      'how may i help',
      'how can i assist',
      'how may i assist',
      'what can i do for you',
    ],
    // Not 打扰一下 / 打扰了: a customer calling in says them too.
    'outbound-purpose': [
      '给您来电',
      '致电给您',
      '给您打电话',
      '给您回电',
      '回访',
      '/请问(您)?是.{1,8}(先生|女士|小姐|本人|机主|老师|师傅)吗/',
      'am i speaking with',
      'is this mr',
      'is this ms',
      'is this mrs',
      'sorry to bother',
      'following up on',
    ],
  },
  customer: {
    'who-is-calling': [
      '哪位',
      '你是谁',
      '您是谁',
      '谁啊',
      '谁呀',
      '你是哪里',
      '你们是哪里',
      '哪里打来的',
      '你哪里',
      '你是哪个',
      '干什么的',
      'who is this',
      "who's this",
      'who is calling',
      "who's calling",
      'who are you',
    ],
    // 请问这里是星辰通信吗: a caller checking the number, not an agent naming the organisation.
    'asks-the-organisation': ['你们这里是', '你们这边是', '请问这里是', '这里是不是', '/这里是[^,.!?;:\\s。？！，]{1,12}吗/', 'is this the', 'have i reached'],
  },
  answers: ['喂', '哎', '诶', '欸', '嗯', '你好', '您好', '哪位', '有人吗', '在吗', 'hello', 'hallo', 'hi', 'yes', 'yeah'],
  answerMarks: ['喂', '哪位', '有人吗', '在吗', 'hello', 'hallo'],
  answerOpeners: ['喂', '哎', '诶', 'hello', 'hallo'],
  cancels: { 'asks-the-organisation': ['organisation'] },
};

export type Direction = 'inbound' | 'outbound';

/** What call records write for a call's direction (Amazon Connect, FreeSWITCH, Chinese call-centre exports), read as inbound or outbound. */
export const DIRECTION_WORDS: Readonly<Record<string, Direction>> = {
  inbound: 'inbound',
  in: 'inbound',
  incoming: 'inbound',
  呼入: 'inbound',
  来电: 'inbound',
  inbound_call: 'inbound',
  outbound: 'outbound',
  out: 'outbound',
  outgoing: 'outbound',
  callback: 'outbound',
  呼出: 'outbound',
  外呼: 'outbound',
  去电: 'outbound',
  回访: 'outbound',
  outbound_call: 'outbound',
};

/** A call's direction as roles read it: undefined for a word that names neither (transfer, api) or none. */
export function directionOf(value: string | undefined): Direction | undefined {
  if (value === undefined) return undefined;
  const word = value.trim().toLowerCase();
  return Object.hasOwn(DIRECTION_WORDS, word) ? DIRECTION_WORDS[word] : undefined;
}

// English messages. Every catalog (zh-CN.ts, zh-TW.ts) has the same keys with the same {parameters};
// test/i18n/catalogs.test.ts holds them to it. One entry a line.

export const en = {
  // ── rule titles: each rule keeps its id and has a title per language ──
  'rule.greeting.title': 'Greeting',
  'rule.banned-phrases.title': 'Banned phrases',
  'rule.speech-rate.title': 'Speech rate',
  'rule.hangup-order.title': 'Hang-up order',
  'rule.closing.title': 'Closing',
  'rule.courtesy.title': 'Polite words',
  'rule.colloquial-words.title': 'Colloquial words',
  'rule.refusal-wording.title': 'Refusal wording',
  'rule.confirm-understanding.title': "Confirming the customer's need",
  'rule.empathy-on-complaint.title': 'Empathy on a complaint',
  'rule.dead-air.title': 'Dead air',
  'rule.interruption.title': 'Interrupting the customer',
  'rule.answer-speed.title': 'Answer speed',
  'rule.privacy.title': 'Privacy',
  'rule.phrases.title': 'Phrases',
  'rule.silence.title': 'Silence',
  'rule.overlap.title': 'Overlapping speech',
  'rule.duration.title': 'Duration',
  'rule.talk-ratio.title': 'Talk ratio',
  'rule.expr.title': 'Combined condition',

  // ── findings ──
  'finding.unlisted': '{count} more findings of {rule} in this call, not listed one by one (at most {max} a rule)',
  'finding.sentences': '{first}; {second}',
  'greeting.no-speech': 'no agent speech',
  'greeting.no-speech-within': 'no agent speech in the first {seconds} s',
  'greeting.no-speech-within-joined': 'no agent speech in the first {seconds} s after the agent joined',
  'greeting.lacks': 'greeting lacks {parts}',
  'greeting.wrong-time': '"{phrase}" does not fit the call\'s local time {time} ({phrase}: {range})',
  'greeting.unclear-identity': 'greeting: {parts} unclear (no 我是/工号, but the organisation’s name may hold the agent’s)',
  'greeting.unclear-organisation': 'greeting: {parts} unclear (no 这里是/欢迎致电, but the name after 我是 may hold the organisation’s)',
  'greeting.slot.greeting': 'a greeting word',
  'greeting.slot.organisation': 'the organisation’s name',
  'greeting.slot.identity': 'the agent’s name or number',
  'greeting.slot.service': 'an offer of service',
  'hangup-order.agent-first': 'the agent hung up before the customer',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Readonly<Record<MessageKey, string>>;

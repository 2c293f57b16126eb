// 繁體中文（臺灣）訊息：由 scripts/zh-tw-catalog.mjs 從 zh-CN.ts 產生，請勿手改。
import type { Catalog } from './en.js';

export const zhTW: Catalog = {
  // ── rule titles ──
  'rule.greeting.title': '問候語',
  'rule.banned-phrases.title': '服務禁語',
  'rule.speech-rate.title': '語速',
  'rule.hangup-order.title': '掛機順序',
  'rule.closing.title': '結束語',
  'rule.courtesy.title': '禮貌用語',
  'rule.colloquial-words.title': '口語化用詞',
  'rule.refusal-wording.title': '拒絕用語',
  'rule.confirm-understanding.title': '確認客戶需求',
  'rule.empathy-on-complaint.title': '投訴安撫',
  'rule.dead-air.title': '靜默時長',
  'rule.interruption.title': '搶話',
  'rule.answer-speed.title': '接聽速度',
  'rule.privacy.title': '隱私保護',
  'rule.phrases.title': '話術',
  'rule.silence.title': '靜默',
  'rule.overlap.title': '重疊說話',
  'rule.duration.title': '時長',
  'rule.talk-ratio.title': '說話佔比',
  'rule.expr.title': '組合條件',

  // ── findings ──
  'finding.unlisted': '本通話另有 {count} 條「{rule}」問題未逐條列出（每條規則最多列 {max} 條）',
  'finding.sentences': '{first}；{second}',
  'greeting.no-speech': '客服人員未說話',
  'greeting.no-speech-within': '前 {seconds} 秒內客服人員未說話',
  'greeting.no-speech-within-joined': '客服人員接入後 {seconds} 秒內未說話',
  'greeting.lacks': '問候語缺少{parts}',
  'greeting.wrong-time': '「{phrase}」與通話當地時間 {time} 不符（{phrase}：{range}）',
  'greeting.unclear-identity': '問候語中{parts}不明確（沒有「我是/工號」，但單位名稱中可能含有客服人員姓名）',
  'greeting.unclear-organisation': '問候語中{parts}不明確（沒有「這裡是/歡迎致電」，但「我是」之後的名稱可能含有單位名稱）',
  'greeting.slot.greeting': '問候語',
  'greeting.slot.organisation': '自報單位',
  'greeting.slot.identity': '自報姓名或工號',
  'greeting.slot.service': '服務用語',
  'hangup-order.agent-first': '客服人員先於客戶掛機',
};

// 简体中文消息。与 en.ts 同键、同参数（test/i18n/catalogs.test.ts 检查）；zh-TW.ts 由 scripts/zh-tw-catalog.mjs 从本文件生成。
// 每行一条。
import type { Catalog } from './en.js';

export const zhCN: Catalog = {
  // ── rule titles ──
  'rule.greeting.title': '问候语',
  'rule.banned-phrases.title': '服务禁语',
  'rule.speech-rate.title': '语速',
  'rule.hangup-order.title': '挂机顺序',
  'rule.closing.title': '结束语',
  'rule.courtesy.title': '礼貌用语',
  'rule.colloquial-words.title': '口语化用词',
  'rule.refusal-wording.title': '拒绝用语',
  'rule.confirm-understanding.title': '确认客户需求',
  'rule.empathy-on-complaint.title': '投诉安抚',
  'rule.dead-air.title': '静默时长',
  'rule.interruption.title': '抢话',
  'rule.answer-speed.title': '接听速度',
  'rule.privacy.title': '隐私保护',
  'rule.phrases.title': '话术',
  'rule.silence.title': '静默',
  'rule.overlap.title': '重叠说话',
  'rule.duration.title': '时长',
  'rule.talk-ratio.title': '说话占比',
  'rule.expr.title': '组合条件',

  // ── findings ──
  'finding.unlisted': '本通话另有 {count} 条“{rule}”问题未逐条列出（每条规则最多列 {max} 条）',
  'finding.sentences': '{first}；{second}',
  'greeting.no-speech': '坐席未说话',
  'greeting.no-speech-within': '前 {seconds} 秒内坐席未说话',
  'greeting.no-speech-within-joined': '坐席接入后 {seconds} 秒内未说话',
  'greeting.lacks': '问候语缺少{parts}',
  'greeting.wrong-time': '“{phrase}”与通话当地时间 {time} 不符（{phrase}：{range}）',
  'greeting.unclear-identity': '问候语中{parts}不明确（没有“我是/工号”，但单位名称中可能含有坐席姓名）',
  'greeting.unclear-organisation': '问候语中{parts}不明确（没有“这里是/欢迎致电”，但“我是”之后的名称可能含有单位名称）',
  'greeting.slot.greeting': '问候语',
  'greeting.slot.organisation': '自报单位',
  'greeting.slot.identity': '自报姓名或工号',
  'greeting.slot.service': '服务用语',
  'hangup-order.agent-first': '坐席先于客户挂机',
};

import { describe, expect, it } from 'vitest';
import { verifyQuotes } from '../../src/llm/evidence.js';
import { renderTranscript } from '../../src/llm/transcript.js';
import type { Call, Utterance } from '../../src/model/call.js';
import { prepareCall } from '../../src/normalise/call.js';

function call(utterances: Utterance[]) {
  const c: Call = { id: 'E-1', source: 'e.json', agent: {}, hangupBy: 'unknown', roleSource: 'given', utterances };
  return prepareCall(c);
}

const CALL = call([
  { speaker: 'agent', start: 0.5, text: '您好，這裡是星辰通信，我是王芳，很高興為您服務。' },
  { speaker: 'customer', start: 9.8, text: '你好 ， 我家的寬帶從早上開始就斷了！' },
  { speaker: 'agent', start: 13, text: '好的，请您提供一下宽带账号，OK？我马上帮您查询。' },
  { speaker: 'customer', start: 21.3, text: '账号是我的手机号，一三八一二三四五六七八。' },
  { speaker: 'customer', start: 23, text: '备用号码138 1234 5678' },
  { speaker: 'agent', start: 24.9, text: '具体原因我现在还不知道，需要派师傅上门。' },
]);

const ok = (q: string) => expect(verifyQuotes([q], CALL)).toEqual({ verified: [q], rejected: [] });
const no = (q: string) => expect(verifyQuotes([q], CALL)).toEqual({ verified: [], rejected: [q] });

describe('verifyQuotes', () => {
  it('verifies a verbatim quote and a part of an utterance', () => {
    ok('具体原因我现在还不知道，需要派师傅上门。');
    ok('需要派师傅上门');
  });

  it('ignores punctuation, spaces, width, script and case', () => {
    ok('您好 这里是星辰通信 我是王芳');
    ok('我家的宽带从早上开始就断了');
    ok('你好，我家的寬帶');
    ok('宽带账号ｏｋ我马上帮您查询');
    ok('宽带账号,ok?我马上帮您查询');
  });

  it('ignores a leading time and speaker label as the transcript showed them', () => {
    ok('[00:24] 坐席：具体原因我现在还不知道');
    ok('坐席：需要派师傅上门');
  });

  it('rejects fabricated and paraphrased quotes', () => {
    no('非常抱歉给您带来不便');
    no('我们会在24小时内派师傅上门');
    no('需要派师傅明天上门');
  });

  it('rejects a quote stitched across two utterances', () => {
    no('我马上帮您查询。账号是我的手机号');
    no('很高兴为您服务你好');
  });

  it('accepts ellipsis-separated fragments of one utterance in order, nothing else', () => {
    ok('您好……很高兴为您服务');
    ok('您好…我是王芳…为您服务');
    ok('您好...很高兴为您服务');
    no('很高兴为您服务……您好');
    no('您好……需要派师傅上门');
    no('好…的');
    no('您好…的');
  });

  it('accepts quotes of masked numbers (digits and Chinese numerals) against the original', () => {
    const masked = renderTranscript(CALL, { sendPii: false });
    expect(masked).toContain('一三八****五六七八');
    expect(masked).toContain('138 **** 5678');
    ok('账号是我的手机号，一三八****五六七八。');
    ok('备用号码138 **** 5678');
    ok('备用号码138****5678');
    no('备用号码139 **** 5678');
    no('账号是我的手机号，一三八****五六七九');
    no('备用号码138 *** 5678');
  });

  it('accepts the unmasked numbers the model saw with sendPii', () => {
    ok('一三八一二三四五六七八');
    ok('138 1234 5678');
    no('138 1234 5679');
  });

  it('a masked digit stands only for a digit', () => {
    no('具体原因我*在还不知道');
  });

  it('rejects quotes too short to mean anything', () => {
    no('');
    expect(verifyQuotes(['   '], CALL)).toEqual({ verified: [], rejected: [''] });
    no('好');
    no('，。！');
    no('……');
  });

  it('sorts several quotes, trimmed, keeping order and dropping duplicates', () => {
    expect(verifyQuotes([' 需要派师傅上门 ', '编造的话', '需要派师傅上门', '您好，這裡是星辰通信'], CALL)).toEqual({
      verified: ['需要派师傅上门', '您好，這裡是星辰通信'],
      rejected: ['编造的话'],
    });
  });

  it('verifies nothing against an empty call', () => {
    expect(verifyQuotes(['您好'], call([]))).toEqual({ verified: [], rejected: ['您好'] });
  });
});

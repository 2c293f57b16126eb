import { describe, expect, it } from 'vitest';
import { diedTwice } from '../../src/pipeline/not-scored.js';
import { deathReason } from '../../src/pipeline/task-book.js';

const outOfMemory = {
  error: Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }),
};

describe('deathReason: how a worker died, for errors.csv', () => {
  it('says it in the run’s language, so that a Chinese reason has no English inside', () => {
    expect(deathReason(outOfMemory, 'zh-CN')).toBe('内存不足');
    expect(deathReason({ exitCode: 70 }, 'zh-CN')).toBe('退出码 70，可能是内存不足');
    expect(deathReason({}, 'zh-CN')).toBe('退出码 ?，可能是内存不足');
    expect(diedTwice(deathReason({ exitCode: 70 }, 'zh-CN'), 0, 'zh-CN')).toBe('评分此输入的工作进程两次异常退出（退出码 70，可能是内存不足）；未评分');
    expect(diedTwice(deathReason(outOfMemory, 'zh-TW'), 2, 'zh-TW')).toBe('評分此輸入的工作程序兩次異常退出（記憶體不足）；前 2 條記錄之後的內容未評分');
  });

  it('keeps the English as it was, and quotes the error a worker died of as it came', () => {
    expect(deathReason(outOfMemory)).toBe('out of memory');
    expect(deathReason({ exitCode: 70 }, 'en')).toBe('exit code 70, out of memory?');
    expect(deathReason({ error: new Error('boom\n  at x') }, 'zh-CN')).toBe('boom at x');
  });
});

/**
 * A conversation independent of any format, for tests that write the same call in every format
 * and check that callqa scores it the same way.
 */
export interface Turn {
  role: 'agent' | 'customer';
  /** Seconds from the start of the call, at most millisecond precision. */
  start: number;
  end: number;
  text: string;
}

export interface Conversation {
  id: string;
  turns: Turn[];
}

/** One conversation written in one format. */
export interface Rendered {
  /** File name to write it under (its stem is the call id where the format has no id field). */
  fileName: string;
  content: string | Buffer;
  /** Extra `callqa score` flags this rendering needs (e.g. --agent-speaker spk_1). */
  args: string[];
}

/** A conversation in Mandarin with a standard greeting, one banned phrase, an overlapping turn, and agent speech at 135 a minute. */
export const SAMPLE: Conversation = {
  id: 'X-1',
  turns: [
    { role: 'agent', start: 0.5, end: 9.5, text: '您好，这里是星辰通信，我是王芳，很高兴为您服务。' },
    { role: 'customer', start: 9.8, end: 12.8, text: '你好，我家的宽带从早上开始就断了。' },
    { role: 'agent', start: 13.0, end: 22.0, text: '好的，请您提供一下宽带账号，我马上帮您查询。' },
    { role: 'customer', start: 21.3, end: 24.5, text: '账号是我的手机号，一三八一二三四五六七八。' },
    { role: 'agent', start: 24.9, end: 32.9, text: '具体原因我现在还不知道，需要派师傅上门。' },
    { role: 'customer', start: 33.2, end: 34.7, text: '好吧，谢谢。' },
    { role: 'agent', start: 35.0, end: 42.3, text: '感谢您的来电，还有什么可以帮您的吗？再见。' },
  ],
};

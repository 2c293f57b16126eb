import type { TextFormat } from '../format.js';
import { parseTextTranscript } from '../text.js';

const format: TextFormat = {
  kind: 'text',
  name: 'callqa-text',
  title: 'plain text: "# key: value" headers, then "[mm:ss.s-mm:ss.s] 坐席：text" lines (times optional)',
  example: 'callqa score transcripts/*.txt',
  extensions: ['.txt'],
  parse: (text, ctx) => parseTextTranscript(text, ctx.source),
};

export default format;

import { stringify } from 'csv-stringify/sync';
import type { Conversation, Rendered } from '../conversation.js';

/**
 * The conversation as a spreadsheet export: a UTF-8 BOM, CR LF line ends, Chinese headers with the
 * call id on every row, stated roles (坐席 / 客户) and times in seconds. No flags are needed.
 */
export function render(conv: Conversation): Rendered {
  const header = ['通话ID', '角色', '开始时间', '结束时间', '内容'];
  const rows = conv.turns.map((t) => [conv.id, t.role === 'agent' ? '坐席' : '客户', String(t.start), String(t.end), t.text]);
  const content = `\uFEFF${stringify([header, ...rows], { record_delimiter: '\r\n' })}`;
  return { fileName: `${conv.id}.csv`, content, args: [] };
}

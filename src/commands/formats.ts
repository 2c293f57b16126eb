import { JSON_FORMATS, JSONL, TEXT_FORMATS } from '../ingest/formats/index.js';

/** `callqa formats`: every format, how it is recognised, and an example invocation. */
export function renderFormats(): string {
  const out: string[] = [
    'Formats callqa reads. JSON documents are recognised by their content, other files by extension;',
    '--input-format NAME reads every input as NAME.',
    '',
  ];
  const entry = (name: string, how: string, title: string, example: string) => {
    out.push(name);
    out.push(`  ${title}`);
    out.push(`  read from: ${how}`);
    out.push(`  example:   ${example}`);
    out.push('');
  };
  for (const f of JSON_FORMATS) entry(f.name, '.json (by content)', f.title, f.example);
  entry(JSONL.name, JSONL.extensions.join(', '), JSONL.title, JSONL.example);
  for (const f of TEXT_FORMATS) entry(f.name, f.extensions.join(', '), f.title, f.example);
  out.push('Encodings: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK and Big5 are detected; --encoding forces one.');
  out.push('Roles: where a source has only speaker labels or channels, --agent-speaker, --agent-channel or --agent-name say which is');
  out.push('the agent; otherwise the speaker whose first turns hold the greeting or identify the agent (organisation, staff number),');
  out.push('else the one who did not answer like a customer (喂, 哪位), else the direction (--direction), else the first speaker (calls.csv role_source).');
  return `${out.join('\n')}\n`;
}

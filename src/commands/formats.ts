import { JSON_FORMATS, JSONL, TEXT_FORMATS } from '../ingest/formats/index.js';

/** The call-record files --metadata reads (src/metadata/load.ts), each with an invocation that joins it. */
const METADATA_FORMATS = [
  {
    name: 'connect-ctr',
    title: 'Amazon Connect contact trace records as the record stream delivers them (ContactId, Agent.Username, DisconnectReason, Queue)',
    how: '.json, .jsonl (by content): one a line, a JSON array, or run together as Firehose writes them',
    example: 'callqa score contact-lens/ --metadata ctr.jsonl',
  },
  {
    name: 'freeswitch-json-cdr',
    title: 'FreeSWITCH mod_json_cdr CDRs (variables.uuid, sip_hangup_disposition, cc_agent; --customer-leg)',
    how: '.json (by content), or a folder of them',
    example: 'callqa score calls/ --metadata /var/log/freeswitch/json_cdr',
  },
  {
    name: 'freeswitch-xml-cdr',
    title: 'FreeSWITCH mod_xml_cdr CDRs (<cdr><variables>, URL-encoded values), one file a leg',
    how: '.xml, or a folder of them',
    example: 'callqa score calls/ --metadata /var/log/freeswitch/xml_cdr',
  },
  {
    name: 'asterisk-cdr',
    title: 'Asterisk CDRs: cdr_csv Master.csv (no header, known by its rows) or an export with a header (uniqueid, billsec, dstchannel, hangupsource)',
    how: '.csv (by content)',
    example: 'callqa score calls/ --metadata /var/log/asterisk/cdr-csv/Master.csv',
  },
  {
    name: 'call-records-csv',
    title: 'any CSV/TSV or JSON with call_id (通话ID) and agent_id, hangup_by, ring_seconds… (坐席工号, 挂机方, 振铃时长…)',
    how: '.csv, .tsv, .json, .jsonl',
    example: 'callqa score calls/ --metadata call-records.csv',
  },
] as const;

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
  out.push('Written service: a chat or social-media thread (callqa-json channel, Contact Lens chat, --channel chat|social for CSV and text');
  out.push('exports) is scored with --rubric zh-chat or zh-social; speech rate, dead air, interruption, answer speed and hang-up order are n/a.');
  out.push('', 'Call records for --metadata (joined by call id: agent, who hung up, ring time, queue, direction):', '');
  for (const f of METADATA_FORMATS) entry(f.name, f.how, f.title, f.example);
  out.pop();
  return `${out.join('\n')}\n`;
}

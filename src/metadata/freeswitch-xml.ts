import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputProblem, msg } from '../ingest/errors.js';
import { isRecord } from '../ingest/format.js';

/**
 * mod_xml_cdr writes one `<cdr core-uuid="…">` per leg, its channel variables as child elements of
 * `<variables>` with URL-encoded values (`2026-04-12%2009%3A15%3A02`), then `<app_log>`, `<callflow>`.
 * A CDR carries no DTD, so any `<!DOCTYPE` is refused before parsing: that is where entity bombs
 * (billion laughs) live, and the parser is also told never to expand entities.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * One XML CDR is one leg: a few kB, some 100 kB with a long app_log. Past 8 MB it is no CDR, and parsing
 * it (validator, then parser, each a pass over the whole text) would only cost time.
 */
const MAX_XML_CHARS = 8_000_000;

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** mod_xml_cdr's URL encoding undone; a value that is not valid percent-encoding is kept as written. */
function urlDecoded(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * The `<variables>` of one XML CDR as the object mod_json_cdr would have written, so that
 * factsFromFreeswitch reads both alike. A variable set twice keeps its first value; child elements
 * of a variable (none are written) are ignored. Throws InputProblem with a line on a malformed file.
 */
export function freeswitchXmlToJson(text: string): { cdr: Record<string, unknown>; line: number } {
  if (text.length > MAX_XML_CHARS) {
    throw new InputProblem(msg('metadata.too-large', { size: (text.length / 1e6).toFixed(1), limit: (MAX_XML_CHARS / 1e6).toFixed(1) }));
  }
  const doctype = text.search(/<!DOCTYPE|<!ENTITY/i);
  if (doctype !== -1) throw new InputProblem(msg('metadata.xml-doctype', { doctype: '<!DOCTYPE>' }), lineAt(text, doctype));
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputProblem(msg('metadata.xml-malformed', { format: 'XML', reason: valid.err.msg, column: valid.err.col }), valid.err.line);
  }
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    // The validator passes what the parser still refuses (nesting past its limit): the same kind of problem.
    throw new InputProblem(msg('metadata.xml-malformed', { format: 'XML', reason: (err as Error).message, column: 1 }), 1);
  }
  const cdr = isRecord(doc) ? doc.cdr : undefined;
  const at = text.indexOf('<variables');
  if (!isRecord(cdr) || !isRecord(cdr.variables)) {
    throw new InputProblem(
      msg('metadata.xml-not-cdr', { kind: 'FreeSWITCH XML', expected: '<cdr><variables>…</variables></cdr>' }),
      at === -1 ? 1 : lineAt(text, at),
    );
  }
  const variables: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(cdr.variables)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && !name.startsWith('@')) variables[name] = urlDecoded(first);
  }
  const channel = isRecord(cdr.channel_data) ? cdr.channel_data : undefined;
  // Older mod_xml_cdr builds leave `direction` out of the variables; channel_data always has it.
  if (variables.direction === undefined && typeof channel?.direction === 'string') variables.direction = channel.direction;
  return { cdr: { 'core-uuid': cdr['@core-uuid'], variables }, line: at === -1 ? 1 : lineAt(text, at) };
}

import type { Format, JsonFormat, TextFormat } from '../format.js';
import alibaba from './alibaba.js';
import awsCallAnalytics from './aws-call-analytics.js';
import awsTranscribe from './aws-transcribe.js';
import callqaJson from './callqa-json.js';
import callqaText from './callqa-text.js';
import contactLensChat from './contact-lens-chat.js';
import csvExport from './csv-export.js';
import pca from './pca.js';
import srt from './srt.js';
import vtt from './vtt.js';
import whisper from './whisper.js';

/** JSON formats in the order their detectors are asked: the most specific first. */
export const JSON_FORMATS: readonly JsonFormat[] = [callqaJson, alibaba, pca, awsCallAnalytics, contactLensChat, awsTranscribe, whisper];

/** Text formats, chosen by extension. */
export const TEXT_FORMATS: readonly TextFormat[] = [callqaText, vtt, srt, csvExport];

/** callqa's JSON Lines: one callqa-json call per line, streamed. */
export const JSONL = {
  name: 'callqa-jsonl',
  extensions: ['.jsonl', '.ndjson'],
  title: 'JSON Lines: one callqa-json call per line (streamed)',
  example: 'callqa score day.jsonl',
} as const;

export const FORMAT_NAMES: readonly string[] = [...JSON_FORMATS, ...TEXT_FORMATS].map((f) => f.name).concat(JSONL.name);

export function formatByName(name: string): Format | undefined {
  return [...JSON_FORMATS, ...TEXT_FORMATS].find((f) => f.name === name);
}

/** JSON documents, recognised by content; .jsonc as vendors publish examples (with comments). */
export const JSON_EXTENSIONS: readonly string[] = ['.json', '.jsonc'];

/** The extensions callqa reads: JSON documents for every JSON format, and each text format's own. */
export const EXTENSIONS: readonly string[] = [...JSON_EXTENSIONS, ...JSONL.extensions, ...TEXT_FORMATS.flatMap((f) => f.extensions)];

export function textFormatFor(extension: string): TextFormat | undefined {
  return TEXT_FORMATS.find((f) => f.extensions.includes(extension));
}

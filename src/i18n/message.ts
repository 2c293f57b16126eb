import type { MessageKey } from './catalogs/en.js';
import { type Params, type Translator, translate } from './format.js';
import type { Lang } from './lang.js';

/**
 * A message as data: a catalog key and its parameters, so that it can be written in any language later
 * (an input's reason in the run's language where it leaves the reading; a finding again by `callqa report
 * --lang`). A parameter is text as it is (quoted evidence, phrases, paths), a number, a list, another
 * message (a piece of this one: `12 秒`, a quoted phrase), or a rule named by its title in the language.
 */
export interface Message {
  key: MessageKey;
  params?: Readonly<Record<string, MessageParam>>;
}
/** A rule, named by its title in the language the message is written in. */
export interface RuleName {
  rule: string;
}
type Item = string | number | Message;
export type MessageParam = Item | RuleName | readonly Item[];

const isMessage = (v: unknown): v is Message => typeof v === 'object' && v !== null && !Array.isArray(v) && 'key' in v;

/** How a message is written: the translator of its rule (a rubric's own wording for some keys), and rules' titles. */
export interface MessageWords {
  say?: Translator;
  title?: (rule: string) => string;
}

function item(lang: Lang, v: Item, words: MessageWords): string | number {
  return typeof v === 'object' ? messageText(lang, v, words) : v;
}

/** A message in `lang`, its nested messages written first (through `words.say` when given, else the catalog). */
export function messageText(lang: Lang, m: Message, words: MessageWords = {}): string {
  const say = words.say ?? ((key: MessageKey, params?: Params) => translate(lang, key, params));
  if (!m.params) return say(m.key);
  const params: Record<string, string | number | readonly (string | number)[]> = {};
  for (const [name, v] of Object.entries(m.params)) {
    if (Array.isArray(v)) params[name] = (v as readonly Item[]).map((x) => item(lang, x, words));
    else if (isMessage(v)) params[name] = messageText(lang, v, words);
    else if (typeof v === 'object') params[name] = words.title ? words.title((v as RuleName).rule) : (v as RuleName).rule;
    else params[name] = v as string | number;
  }
  return say(m.key, params);
}

/** A message with `map` applied to every text parameter, nested ones included (masking personal numbers in a saved finding's). */
export function mapMessageText(m: Message, map: (text: string) => string): Message {
  if (!m.params) return m;
  const one = (v: Item): Item => (typeof v === 'string' ? map(v) : typeof v === 'object' ? mapMessageText(v, map) : v);
  const params: Record<string, MessageParam> = {};
  for (const [name, v] of Object.entries(m.params)) {
    if (Array.isArray(v)) params[name] = (v as readonly Item[]).map(one);
    else if (typeof v === 'object' && !isMessage(v)) params[name] = v as RuleName;
    else params[name] = one(v as Item);
  }
  return { key: m.key, params };
}

/**
 * Remembers, while a rule checks a call, the message behind each text its translator writes, so that a
 * finding's text can be kept as a message too. A parameter that is the text of an earlier message of the
 * same check (a piece: `12 秒`, a quoted phrase, a list of them) is kept as that message. A text that no
 * message wrote (assembled otherwise) has none: its finding keeps its text only.
 */
export class MessageRecorder {
  private readonly made = new Map<string, Message>();

  /** `say`, remembering what it writes. */
  wrap(say: Translator): Translator {
    return (key, params) => {
      const text = say(key, params);
      this.made.set(text, params ? { key, params: this.nested(params) } : { key });
      return text;
    };
  }

  /** The message that wrote `text` in this check, if one did. */
  messageOf(text: string): Message | undefined {
    return this.made.get(text);
  }

  /** Forgets the check's messages (before the next rule). */
  clear(): void {
    if (this.made.size > 0) this.made.clear();
  }

  private nested(params: Params): Record<string, MessageParam> {
    const out: Record<string, MessageParam> = {};
    for (const [name, v] of Object.entries(params)) {
      if (typeof v === 'string') out[name] = this.made.get(v) ?? v;
      else if (Array.isArray(v)) out[name] = (v as readonly (string | number)[]).map((x) => (typeof x === 'string' ? (this.made.get(x) ?? x) : x));
      else out[name] = v as number;
    }
    return out;
  }
}

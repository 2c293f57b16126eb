import { ruleTitle, type Translator } from '../i18n/format.js';
import { type Lang, savedLang } from '../i18n/lang.js';
import { type Message, messageText } from '../i18n/message.js';
import { en } from '../i18n/catalogs/en.js';
import { rubricRuleTranslator, rubricText, rubricWords } from '../i18n/rubric-text.js';
import type { Finding } from '../scoring/score-call.js';
import type { RunInfo } from './codec.js';

// A saved run in another language than it was scored in: the one place that decides how (report --lang, explain --lang, report.html's words).

type RunRubric = RunInfo['rubric'];

/**
 * run.json's rubric as a run in `lang` would have it: its name, the rules' titles and advice in `lang`, from
 * the rubric's own words run.json keeps (`texts`). A run from before them: the catalog's title of a rule
 * whose id is a rule type, else the title saved; saved texts converted for zh-TW when they are Simplified.
 */
export function rubricIn(rubric: RunRubric, lang: Lang): RunRubric {
  const from = savedLang(rubric);
  if (lang === from) return rubric;
  if (rubric.texts) {
    const words = rubricWords(rubric.texts, lang);
    return { ...rubric, lang, name: words.name, titles: { ...words.titles }, advice: { ...words.advice } };
  }
  const own = (text: string) => rubricText(text, lang, from) ?? text;
  const titles = Object.fromEntries(
    Object.entries(rubric.titles ?? {}).map(([id, title]) => {
      const catalog = ruleTitle(id, lang);
      return [id, catalog === id ? own(title) : catalog];
    }),
  );
  return { ...rubric, lang, titles, name: own(rubric.name), advice: Object.fromEntries(Object.entries(rubric.advice).map(([id, text]) => [id, own(text)])) };
}

/** run.json as a run in `lang` would have it: its rubric's words (rubricIn), and the model's criteria's advice with them. */
export function runIn(run: RunInfo, lang: Lang): RunInfo {
  if (lang === savedLang(run.rubric)) return run;
  const rubric = rubricIn(run.rubric, lang);
  if (!run.llm) return { ...run, rubric };
  const criteria = run.llm.criteria.map(({ advice: _advice, ...c }) => {
    const advice = Object.hasOwn(rubric.advice, `llm:${c.id}`) ? rubric.advice[`llm:${c.id}`] : undefined;
    return advice === undefined ? c : { ...c, advice };
  });
  return { ...run, rubric, llm: { ...run.llm, criteria } };
}

/** How a run's reports in `lang` name a rule: its title in `lang` (rubricIn), else the catalog's title of its id, else the id. */
export function titleIn(rubric: RunRubric | undefined, lang: Lang): (id: string) => string {
  const titles = rubric ? (rubricIn(rubric, lang).titles ?? {}) : {};
  return (id) => {
    const given = Object.hasOwn(titles, id) ? titles[id] : undefined;
    return typeof given === 'string' && given.trim() !== '' ? given : ruleTitle(id, lang);
  };
}

/** Whether every key of a saved message (and of the messages inside it) is one the catalogs have. */
function known(m: Message): boolean {
  if (!Object.hasOwn(en, m.key)) return false;
  for (const v of Object.values(m.params ?? {})) {
    const items = Array.isArray(v) ? v : [v];
    for (const x of items) if (typeof x === 'object' && x !== null && 'key' in x && !known(x as Message)) return false;
  }
  return true;
}

/**
 * A saved run's findings written in `lang`: each from its message (`said`), as the rule would have written
 * it in a run in `lang` (the rubric's own wording where it gives one); a finding without one (a run from
 * before messages were kept, or text no message wrote) keeps its text, and is counted in `kept`. The model's
 * findings (`llm:<id>`) keep its words, uncounted.
 */
export function findingsWriter(rubric: RunRubric, lang: Lang): { write(findings: readonly Finding[]): Finding[]; kept: number } {
  const title = titleIn(rubric, lang);
  const says = new Map<string, Translator>();
  const sayOf = (rule: string) => {
    let say = says.get(rule);
    if (!say) {
      say = rubricRuleTranslator(rubric.texts, rule, lang);
      says.set(rule, say);
    }
    return say;
  };
  const writer = {
    kept: 0,
    write(findings: readonly Finding[]): Finding[] {
      return findings.map((f) => {
        // The model's findings are its own words (its reason, quoted like evidence): they stay as it wrote them.
        if (f.rule.startsWith('llm:')) return f;
        if (!f.said || !known(f.said)) {
          writer.kept++;
          return f;
        }
        return { ...f, message: messageText(lang, f.said, { say: sayOf(f.rule), title }) };
      });
    },
  };
  return writer;
}

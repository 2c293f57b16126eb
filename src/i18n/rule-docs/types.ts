/** One rule's reference text in a language: what `callqa rules` prints beside its id (the seed citation stays as the seeds say it). */
export interface RuleDoc {
  description: string;
  needs: string;
  limits?: string;
  /** The rule's own options (not the common ones), by option key. */
  options: Readonly<Record<string, string>>;
  /** The names of the rule's examples in docs (`callqa rules --markdown`), in the order the rule gives them. */
  examples: { pass: readonly string[]; fail: readonly string[] };
}

/** A language's rule reference: the common options' help and each rule's texts, by rule id. */
export interface RuleDocs {
  common: Readonly<Record<string, string>>;
  rules: Readonly<Record<string, RuleDoc>>;
}

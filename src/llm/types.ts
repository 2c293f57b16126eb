import type { Lang } from '../i18n/lang.js';
import type { PerLang } from '../i18n/rubric-text.js';
/** One rubric criterion the model grades (rubric `llm.criteria[]`). */
export interface LlmCriterion {
  id: string;
  question: string;
  max_score: number;
  /** The call loses deduction × (max_score − score) / max_score. */
  deduction: number;
  /** Anchors: score → what that score means. */
  guide?: Record<string, string>;
  source?: string;
  /** What to tell an agent who scores low: one text, or one per language. */
  advice?: PerLang;
}

export interface LlmConfig {
  model: string;
  criteria: LlmCriterion[];
  /** The language the model writes its reasons in: the run's (inLanguage); absent: Simplified Chinese. */
  lang?: Lang;
}

/** What the grader concluded about one criterion. */
export interface CriterionGrade {
  id: string;
  score: number;
  /** Quotes the model gave that were found in the transcript (unverified ones never reach a report). */
  evidence: string[];
  reason: string;
  /** Scored below max_score with no verified quote: deducts nothing, flagged for human review. */
  unverified: boolean;
  /** What the call loses for this criterion. */
  deduction: number;
}

export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export type LlmStatus = 'ok' | 'cached' | 'error' | 'skipped' | 'n/a';

/** The LLM part of one call's result: plain data, saved in the cache and in results. */
export interface LlmOutcome {
  status: LlmStatus;
  model?: string;
  grades?: CriterionGrade[];
  usage?: TokenUsage;
  /** Why grading failed (status error) or was skipped. Never contains an API key. */
  error?: string;
  /** Requests sent for this call (0 when cached or skipped). */
  requests: number;
}

export const ZERO_USAGE: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };

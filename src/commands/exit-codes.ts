/**
 * Exit codes, a contract for nightly audits. When several apply, the first in this order wins:
 * usage (nothing scored), gate (a quality gate failed), inputErrors (some inputs listed in
 * errors.csv), llmErrors (the model's grading failed for some calls; their rules were scored).
 */
export const EXIT = {
  ok: 0,
  gate: 1,
  usage: 2,
  inputErrors: 3,
  llmErrors: 4,
} as const;

// The bounds of report.html: how many call pages, how much of each agent is listed.

/** At most this many calls get a page of their own: those that need attention first (results/pages.ts). */
export const MAX_CALL_PAGES = 1000;
/** …and the call pages together take at most this many bytes (so a 100,000-call run stays a few MB). */
export const CALL_PAGES_BUDGET_BYTES = 4 * 1024 * 1024;
/** A call whose transcript is longer than this (UTF-16 code units of its texts) gets no page (a runaway transcript). */
export const MAX_CALL_PAGE_BYTES = 512 * 1024;
/** Per agent, besides the calls that have a page, the lowest-scoring calls listed without one. */
export const LOWEST_CALLS_PER_AGENT = 10;
/** All agents' lists of calls without a page together hold about this many rows (fewer per agent when there are many agents). */
export const AGENT_ROWS_BUDGET = 5_000;
/** Evidence lines kept per agent and failing rule. */
export const EVIDENCE_PER_RULE = 3;
/** Failures shown per agent, most frequent first. */
export const TOP_FAILURES = 5;
/** Inputs that failed, listed by name (all are in errors.csv). */
export const MAX_ERRORS_LISTED = 50;

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no network) rendered from a
 * report directory's run.json and results.jsonl. An overview (score histogram, rule failure rates,
 * LLM criterion means, agents ranked by average score), a section per agent (its calls, its most
 * frequent failures with evidence lines), and a page per call (timeline and transcript with the
 * findings inline) shown one at a time by CSS `:target`.
 *
 * Memory stays flat: results.jsonl is streamed line by line, and only per-agent aggregates and bounded
 * samples are kept. Call pages go to the calls that need attention (results/pages.ts): a bounded shortlist
 * of candidates is kept as calls stream past, and the pages are drawn from it at the end, capped
 * (MAX_CALL_PAGES calls, CALL_PAGES_BUDGET_BYTES in all, none for a transcript over MAX_CALL_PAGE_BYTES);
 * the other calls are counted and listed without a page, and the page says so.
 *
 * The modules: escape (escaping, anchors), records (reading a record), aggregates (what is kept of the
 * calls), format, svg (the charts), call-page, overview (overview and agent sections), page (head, top,
 * footer; style.css inline), report (HtmlReport: the page built as records arrive), write (from a saved
 * report directory), words (the page's one language: catalog messages, rule titles, numbers and
 * times through Intl; run.json's `rubric.lang`, English for runs before languages).
 */

export { pageKey } from './aggregates.js';
export { placeFindings } from './call-page.js';
export { agentAnchor, anchorToken, callAnchor, escapeHtml } from './escape.js';
export {
  CALL_PAGES_BUDGET_BYTES,
  EVIDENCE_PER_RULE,
  LOWEST_CALLS_PER_AGENT,
  MAX_CALL_PAGE_BYTES,
  MAX_CALL_PAGES,
  MAX_ERRORS_LISTED,
  TOP_FAILURES,
} from './limits.js';
export { HtmlReport, type HtmlReportOptions, type HtmlRunStart } from './report.js';
export { offerSaved, offerStop, savedPageShortlist, writeHtmlReport } from './write.js';
export { reportLang, titleOf, type Words, wordsFor } from './words.js';

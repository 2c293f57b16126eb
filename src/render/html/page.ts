import { readFileSync } from 'node:fs';
import type { RunInfo } from '../../results/codec.js';
import type { Totals } from './aggregates.js';
import type { MessageKey } from '../../i18n/catalogs/en.js';
import { escapeHtml } from './escape.js';
import type { Words } from './words.js';

// The page around the overview, the agents and the call pages: its head (with the stylesheet inline), top and footer.

let style: string | undefined;

/** style.css, next to this module (in dist/ too: the build copies it), read the first time a page is written. */
function stylesheet(): string {
  style ??= readFileSync(new URL('./style.css', import.meta.url), 'utf8');
  return style;
}

/** From the doctype to `<body>`: everything inline, the CSP allows nothing else. */
function head(w: Words, title: string): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${w.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no network: everything is inline; a stray tag in the data could not run or fetch.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="generator" content="callqa">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${stylesheet()}</style>`,
    '</head>',
    '<body>',
  ].join('\n');
}

/** A time of the run in the language's way, its ISO 8601 form kept for machines (and for tests comparing runs, which strip the element). */
function moment(w: Words, iso: string | undefined): string {
  return `<time datetime="${escapeHtml(iso ?? '')}">${escapeHtml(w.moment(iso ?? ''))}</time>`;
}

/** The line under the title: rubric, the run's times, version, models, inputs. */
function runLine(w: Words, run: RunInfo, llmModels: readonly string[]): string {
  const items = [
    w.html('report.meta.rubric', { rubric: escapeHtml(run.rubric?.name ?? '') }),
    `${moment(w, run.startedAt)} – ${moment(w, run.endedAt)}`,
    `callqa ${escapeHtml(run.callqaVersion ?? '')}`,
  ];
  if (llmModels.length > 0) items.push(w.html('report.meta.models', { models: escapeHtml(llmModels.join(', ')) }));
  if (run.inputs) {
    const n = (v: unknown) => escapeHtml(typeof v === 'number' ? w.num(v, 0) : v);
    items.push(w.html('report.meta.inputs', { files: n(run.inputs.files), failed: n(run.inputs.failed), skipped: n(run.inputs.skipped) }));
  }
  return items.join(' · ');
}

/** The page's head, title and table of contents. */
export function pageTop(w: Words, run: RunInfo, totals: Totals, llmModels: readonly string[]): string {
  // A run of chats and social threads only is no report of calls (通话): `w` is the run's scope (writtenWords), its title says conversations.
  const title = w.say('report.title', { rubric: run.rubric?.name ?? '' });
  const toc: [string, MessageKey][] = [
    ['overview', 'report.toc.overview'],
    ['score-distribution', 'report.toc.scores'],
    ['rule-failures', 'report.toc.rules'],
    ['agents', 'report.toc.agents'],
  ];
  if (totals.errors > 0) toc.push(['errors', 'report.toc.errors']);
  return `${head(w, title)}<main id="top">\n<header class="top"><h1>${w.html('report.heading')}</h1><p class="meta">${runLine(w, run, llmModels)}</p><nav class="toc">${toc
    .map(([id, key]) => `<a href="#${id}">${w.html(key)}</a>`)
    .join('')}</nav></header>\n`;
}

/** The footer, the end of the page. */
export function pageFooter(w: Words, run: RunInfo, maxPages: number, budget: number): string {
  return `<footer>callqa ${escapeHtml(run.callqaVersion ?? '')} · ${w.html('report.footer.masked')} · ${w.html('report.footer.offline')} · ${w.html(
    'report.footer.pages',
    {
      count: escapeHtml(w.num(maxPages, 0)),
      size: escapeHtml(w.megabytes(budget)),
    },
  )}</footer>\n</body>\n</html>\n`;
}

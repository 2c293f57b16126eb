import { translator } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import { maskPersonalNumbers } from '../privacy/mask.js';
import type { ReviewRow, ReviewsInfo } from '../results/codec.js';
import { standingVerdicts } from '../review/apply.js';
import { findingIds } from '../review/ids.js';
import type { Review } from '../review/verdict.js';
import type { Finding } from '../scoring/score-call.js';
import { printable } from '../util/format.js';

/** Stale verdicts printed on stderr (run.json lists them all). */
export const STALE_PRINTED = 20;
/** A note's characters in run.json's history (the finding keeps the whole note). */
export const REVIEW_NOTE_CHARS = 200;

/**
 * The verdicts of a run's reviews files (--reviews), and what became of them, counted in the main thread
 * as the reviewed calls pass (`see`): how many findings each verdict was applied to, and the verdicts whose
 * finding no call of the run has (stale: never applied to anything else). The calls are reviewed where they
 * are scored (review/apply.ts); this only looks.
 */
export class ReviewLedger {
  /** The verdict that stands for each finding id. */
  readonly verdicts: ReadonlyMap<string, Review>;
  private readonly used = new Set<string>();
  private readonly applied = { confirmed: 0, rejected: 0, unsure: 0 };

  constructor(
    readonly files: readonly string[],
    private readonly reviews: readonly Review[],
  ) {
    this.verdicts = standingVerdicts(reviews);
  }

  /** A reviewed call (a record, or a result: its evidence is masked here, as findings.csv shows it). */
  see(call: { callId: string; findings: readonly Pick<Finding, 'rule' | 'at' | 'evidence'>[] }): void {
    if (this.verdicts.size === 0 || call.findings.length === 0) return;
    const ids = findingIds(
      call.callId,
      call.findings.map((f) => ({ rule: f.rule, at: f.at, evidence: maskPersonalNumbers(f.evidence) })),
    );
    for (const id of ids) {
      const verdict = this.verdicts.get(id);
      if (!verdict) continue;
      this.used.add(id);
      this.applied[verdict.verdict]++;
    }
  }

  /** The standing verdicts no call had the finding of, in the order read. */
  stale(): Review[] {
    return this.reviews.filter((r) => this.verdicts.get(r.findingId) === r && !this.used.has(r.findingId));
  }

  /** run.json's `reviews`. */
  runInfo(): ReviewsInfo {
    const standing = new Set(this.verdicts.values());
    return {
      files: [...this.files],
      applied: { ...this.applied },
      stale: this.stale().map((r) => ({ finding_id: r.findingId, file: r.file, line: r.line, ...described(r) })),
      history: this.reviews.map((r): ReviewRow => {
        const note = [...r.note];
        return {
          finding_id: r.findingId,
          verdict: r.verdict,
          reviewer: r.reviewer,
          at: r.at,
          note: note.length > REVIEW_NOTE_CHARS ? `${note.slice(0, REVIEW_NOTE_CHARS).join('')}…` : r.note,
          file: r.file,
          line: r.line,
          ...described(r),
          ...(standing.has(r) ? { standing: true as const } : {}),
        };
      }),
    };
  }

  /** The note for stderr in `lang` (empty when none is stale): how many, the first STALE_PRINTED with their file:line, call and rule. */
  describeStale(lang: Lang): string {
    const stale = this.stale();
    if (stale.length === 0) return '';
    const say = translator(lang);
    const lines = [
      `callqa: ${say(stale.length === 1 ? 'review.stale.one' : 'review.stale.other', { count: stale.length, file: 'run.json', field: 'reviews.stale' })}\n`,
    ];
    for (const r of stale.slice(0, STALE_PRINTED)) {
      const where = `${printable(r.file)}:${r.line}: ${r.findingId}`;
      const call = r.callId === undefined ? undefined : printable(r.callId);
      const rule = r.rule === undefined ? undefined : printable(r.rule);
      const of =
        call !== undefined && rule !== undefined
          ? say('review.stale.call-rule', { call, rule })
          : call !== undefined
            ? say('review.stale.call', { call })
            : rule !== undefined
              ? say('review.stale.rule', { rule })
              : '';
      lines.push(`  ${where}${of === '' ? '' : ` ${of}`}\n`);
    }
    if (stale.length > STALE_PRINTED) lines.push(`  ${say('review.stale.more', { count: stale.length - STALE_PRINTED })}\n`);
    return lines.join('');
  }
}

/** The call and rule a reviews file gave for a verdict, when it gave them. */
function described(r: Review): { call_id?: string; rule?: string } {
  return { ...(r.callId !== undefined ? { call_id: r.callId } : {}), ...(r.rule !== undefined ? { rule: r.rule } : {}) };
}

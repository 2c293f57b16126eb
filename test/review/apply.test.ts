import { describe, expect, it } from 'vitest';
import { maskPersonalNumbers } from '../../src/privacy/mask.js';
import { applyVerdicts, bonusOf, reviewCells, standingVerdicts } from '../../src/review/apply.js';
import { findingIds } from '../../src/review/ids.js';
import type { Review, Verdict } from '../../src/review/verdict.js';
import { ReviewLedger } from '../../src/run/reviews.js';
import type { CallResult } from '../../src/scoring/score-call.js';

/** A call as scoreCall leaves it: a banned phrase (5), a privacy breach (10, critical: the call is 0), a slow answer (review). */
function criticalCall(): CallResult {
  return {
    callId: 'C-2002',
    agentId: 'K3001',
    agentName: '赵磊',
    source: 'calls.jsonl',
    hangupBy: 'customer',
    roleSource: 'given',
    score: 0,
    passed: false,
    outcomes: { greeting: 'pass', 'banned-phrases': 'fail', privacy: 'fail', 'answer-speed': 'review' },
    findings: [
      { rule: 'banned-phrases', at: 12.5, deduction: 5, message: 'banned phrase "不行"', evidence: '这个不行' },
      { rule: 'privacy', at: 73.6, deduction: 10, message: 'a personal number read out', evidence: '您的卡号是6222021234567890123' },
      { rule: 'answer-speed', deduction: 0, message: 'could not tell', evidence: '', status: 'review' },
    ],
    criticalFailures: ['privacy'],
    ruleErrors: [],
  };
}

/** A call that lost 10 and 5 on two rules: 85. */
function plainCall(): CallResult {
  return {
    ...criticalCall(),
    callId: 'C-2003',
    score: 85,
    passed: true,
    outcomes: { 'hangup-order': 'fail', closing: 'fail' },
    findings: [
      { rule: 'hangup-order', at: 100, deduction: 10, message: 'the agent hung up first', evidence: '再见' },
      { rule: 'closing', deduction: 5, message: 'no closing', evidence: '' },
    ],
    criticalFailures: [],
  };
}

function idsOf(call: CallResult): string[] {
  // Masked, as findings.csv shows the evidence.
  return findingIds(
    call.callId,
    call.findings.map((f) => ({ rule: f.rule, at: f.at, evidence: maskPersonalNumbers(f.evidence) })),
  );
}

function review(findingId: string, verdict: Verdict, at: string, more: Partial<Review> = {}): Review {
  return { findingId, verdict, note: '', reviewer: '李华', at, file: 'reviews.csv', line: 2, ...more };
}

const verdicts = (...reviews: Review[]) => standingVerdicts(reviews);

describe('applyVerdicts', () => {
  it('a critical rule of two kinds: overturning its critical finding un-zeroes the call, the other kind still deducts', () => {
    // privacy under critical: true with critical_kinds [id_card]: an ID number (zeroes the call) and a mobile read back (deducts only).
    const call: CallResult = {
      ...criticalCall(),
      findings: [
        { rule: 'privacy', at: 20, deduction: 10, message: 'an ID number read out', evidence: '身份证号110101199003071234' },
        { rule: 'privacy', at: 40, deduction: 10, message: 'a mobile read out', evidence: '手机13812345678', critical: false },
      ],
      outcomes: { privacy: 'fail' },
    };
    const [id, mobile] = idsOf(call);
    const onlyMobile = applyVerdicts(call, verdicts(review(mobile as string, 'rejected', '2026-12-01T10:00:00Z')), 80);
    expect([onlyMobile.score, onlyMobile.criticalFailures]).toEqual([0, ['privacy']]);
    const onlyId = applyVerdicts(call, verdicts(review(id as string, 'rejected', '2026-12-01T10:00:00Z')), 80);
    expect([onlyId.score, onlyId.passed, onlyId.criticalFailures, onlyId.outcomes.privacy]).toEqual([90, true, [], 'fail']);
    // An appeal upholds the ID number: the call is 0 again.
    const upheld = applyVerdicts(onlyId, verdicts(review(id as string, 'confirmed', '2026-12-02T10:00:00Z')), 80);
    expect([upheld.score, upheld.criticalFailures]).toEqual([0, ['privacy']]);
  });

  it('a rejected finding deducts nothing: the call scores exactly what it lost less, passed recomputed', () => {
    const call = plainCall();
    const [hangup] = idsOf(call);
    const reviewed = applyVerdicts(call, verdicts(review(hangup as string, 'rejected', '2026-12-01T10:00:00Z', { note: '客户先挂' })), 80);
    expect(reviewed.score).toBe(95);
    expect(reviewed.passed).toBe(true);
    expect(reviewed.outcomes).toEqual({ 'hangup-order': 'pass', closing: 'fail' });
    expect(reviewed.findings[0]).toEqual({
      rule: 'hangup-order',
      at: 100,
      deduction: 0,
      message: 'the agent hung up first',
      evidence: '再见',
      review: { verdict: 'rejected', note: '客户先挂', reviewer: '李华', at: '2026-12-01T10:00:00Z', deduction: 10, ruleFailed: true },
    });
    expect(reviewed.findings[1]).toBe(call.findings[1]);
    // Pure: the result given is as it was.
    expect(call.score).toBe(85);
    expect(call.findings[0]?.deduction).toBe(10);
    // passed follows the recomputed score against the pass score: 95 passes at 95, not at 96.
    const rejected = verdicts(review(hangup as string, 'rejected', 'x'));
    expect([applyVerdicts(plainCall(), rejected, 95).passed, applyVerdicts(plainCall(), rejected, 96).passed]).toEqual([true, false]);
  });

  it('a rejected critical finding un-zeroes the call: its rule passes and leaves criticalFailures', () => {
    const call = criticalCall();
    const [, privacy] = idsOf(call);
    const reviewed = applyVerdicts(call, verdicts(review(privacy as string, 'rejected', '2026-12-01T10:00:00Z')), 80);
    expect([reviewed.score, reviewed.passed, reviewed.criticalFailures, reviewed.outcomes.privacy]).toEqual([95, true, [], 'pass']);
    expect(reviewed.findings[1]?.review).toEqual({
      verdict: 'rejected',
      note: '',
      reviewer: '李华',
      at: '2026-12-01T10:00:00Z',
      deduction: 10,
      ruleFailed: true,
      critical: true,
    });
    // A rule awaiting review is not a failure to overturn: it stays as it was.
    const [, , speed] = idsOf(call);
    expect(applyVerdicts(call, verdicts(review(speed as string, 'rejected', 'x')), 80).outcomes['answer-speed']).toBe('review');
  });

  it('appeals: the latest verdict wins; a later confirmation restores the deduction, the rule and the critical failure', () => {
    const call = criticalCall();
    const [, privacy] = idsOf(call);
    const id = privacy as string;
    const rejected = review(id, 'rejected', '2026-12-01T10:00:00Z', { file: 'a.csv' });
    const upheld = review(id, 'confirmed', '2026-12-02T09:00:00+08:00', { file: 'b.csv', reviewer: '质检主管', note: '申诉驳回' });
    // Given in either order, the later in time stands.
    expect(standingVerdicts([upheld, rejected]).get(id)).toBe(upheld);
    expect(standingVerdicts([rejected, upheld]).get(id)).toBe(upheld);
    // Equal times: the later file, then the later line.
    const sameTime = review(id, 'unsure', '2026-12-01T10:00:00Z', { file: 'b.csv' });
    expect(standingVerdicts([rejected, sameTime]).get(id)).toBe(sameTime);
    expect(standingVerdicts([sameTime, rejected]).get(id)).toBe(rejected);

    const first = applyVerdicts(call, verdicts(rejected), 80);
    expect(first.score).toBe(95);
    const appealed = applyVerdicts(first, verdicts(rejected, upheld), 80);
    expect([appealed.score, appealed.passed, appealed.criticalFailures, appealed.outcomes.privacy]).toEqual([0, false, ['privacy'], 'fail']);
    expect(appealed.findings[1]).toEqual({
      ...call.findings[1],
      review: {
        verdict: 'confirmed',
        note: '申诉驳回',
        reviewer: '质检主管',
        at: '2026-12-02T09:00:00+08:00',
        deduction: 10,
        ruleFailed: true,
        critical: true,
      },
    });
    // The same as the confirmation applied to the call as scored.
    expect(applyVerdicts(call, verdicts(upheld), 80)).toEqual(appealed);
  });

  it('is idempotent: the same verdicts on a reviewed record (read back as JSON) change nothing', () => {
    const call = criticalCall();
    const [banned, privacy] = idsOf(call);
    const book = verdicts(review(banned as string, 'confirmed', 't1'), review(privacy as string, 'rejected', 't1'));
    const once = applyVerdicts(call, book, 80);
    expect(once.score).toBe(95);
    const record = JSON.parse(JSON.stringify(once)) as CallResult;
    const twice = applyVerdicts(record, book, 80);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
    expect(JSON.stringify(applyVerdicts(twice, book, 80))).toBe(JSON.stringify(once));
  });

  it('confirmed and unsure change no figure but are marked; no verdict on the call gives the very result back', () => {
    const call = plainCall();
    const [hangup, closing] = idsOf(call);
    const reviewed = applyVerdicts(
      call,
      verdicts(review(hangup as string, 'confirmed', 't'), review(closing as string, 'unsure', 't', { note: '听不清' })),
      80,
    );
    expect([reviewed.score, reviewed.passed, reviewed.outcomes]).toEqual([85, true, call.outcomes]);
    expect(reviewed.findings.map((f) => [f.deduction, f.review?.verdict, reviewCells(f)])).toEqual([
      [10, 'confirmed', ['confirmed', '']],
      [5, 'unsure', ['unsure', '听不清']],
    ]);
    expect(reviewCells(call.findings[0] as CallResult['findings'][number])).toEqual(['', '']);
    expect(applyVerdicts(call, verdicts(review('F-0123456789abcdef', 'rejected', 't')), 80)).toBe(call);
  });

  it('recomputes with the bonus: saved, or inferred from a score that was not clamped', () => {
    // 100 − 15 + 3 = 88: saved with its bonus, or an older record without it.
    const withBonus: CallResult = { ...plainCall(), score: 88, bonus: 3 };
    const [hangup] = idsOf(withBonus);
    const book = verdicts(review(hangup as string, 'rejected', 't'));
    expect(applyVerdicts(withBonus, book, 80).score).toBe(98);
    const older: CallResult = { ...plainCall(), score: 88 };
    expect(bonusOf(older)).toBe(3);
    const reviewed = applyVerdicts(older, book, 80);
    expect([reviewed.score, reviewed.bonus]).toEqual([98, 3]);
    // Clamped at 100: the least bonus that gives it (any more gives 100 too).
    const full: CallResult = { ...plainCall(), score: 100 };
    expect(bonusOf(full)).toBe(15);
    expect(applyVerdicts(full, book, 80).score).toBe(100);
    // The model's deductions come after the clamp (applyLlm): 100 − 5 + 10 → 100, less the model's 6: 94.
    const graded: CallResult = {
      ...plainCall(),
      score: 94,
      bonus: 10,
      outcomes: { closing: 'fail' },
      findings: [
        { rule: 'closing', deduction: 5, message: 'no closing', evidence: '' },
        { rule: 'llm:empathy', deduction: 6, message: '4/10: 语气生硬', evidence: '你自己看' },
      ],
    };
    const [, llm] = idsOf(graded);
    expect(applyVerdicts(graded, verdicts(review(llm as string, 'rejected', 't')), 80).score).toBe(100);
  });
});

describe('the ledger of a run’s verdicts', () => {
  it('counts the findings each verdict was applied to and lists the stale ones (stderr: the first 20 and how many; run.json: all)', () => {
    const call = plainCall();
    const [hangup] = idsOf(call);
    const reviews: Review[] = [
      review(hangup as string, 'rejected', '2026-12-01T10:00:00Z', { file: 'a.csv', line: 2, note: 'x'.repeat(250) }),
      review(hangup as string, 'confirmed', '2026-12-02T10:00:00Z', { file: 'b.csv', line: 2 }),
    ];
    for (let i = 0; i < 22; i++) {
      reviews.push(review(`F-${String(i).padStart(16, '0')}`, 'confirmed', 't', { file: 'b.csv', line: 3 + i, callId: `C-${i}`, rule: 'greeting' }));
    }
    reviews.push(review('F-ffffffffffffffff', 'rejected', 't', { file: 'b.csv', line: 25 }));
    const ledger = new ReviewLedger(['a.csv', 'b.csv'], reviews);
    ledger.see(applyVerdicts(call, ledger.verdicts, 80));
    const info = ledger.runInfo();
    expect(info.applied).toEqual({ confirmed: 1, rejected: 0, unsure: 0 });
    expect(info.files).toEqual(['a.csv', 'b.csv']);
    expect(info.stale).toHaveLength(23);
    expect(info.stale[0]).toEqual({ finding_id: 'F-0000000000000000', file: 'b.csv', line: 3, call_id: 'C-0', rule: 'greeting' });
    expect(info.stale[22]).toEqual({ finding_id: 'F-ffffffffffffffff', file: 'b.csv', line: 25 });
    expect(info.history).toHaveLength(25);
    expect(info.history[0]).toEqual({
      finding_id: hangup,
      verdict: 'rejected',
      reviewer: '李华',
      at: '2026-12-01T10:00:00Z',
      note: `${'x'.repeat(200)}…`,
      file: 'a.csv',
      line: 2,
    });
    expect(info.history[1]).toEqual({
      finding_id: hangup,
      verdict: 'confirmed',
      reviewer: '李华',
      at: '2026-12-02T10:00:00Z',
      note: '',
      file: 'b.csv',
      line: 2,
      standing: true,
    });
    const lines = ledger.describeStale('en').split('\n');
    expect(lines[0]).toBe('callqa: note: 23 verdicts name a finding no call of this run has: they were not applied (run.json lists them in reviews.stale):');
    expect(lines[1]).toBe('  b.csv:3: F-0000000000000000 (call C-0, rule greeting)');
    expect(lines[20]).toBe('  b.csv:22: F-0000000000000019 (call C-19, rule greeting)');
    expect(lines[21]).toBe('  … and 3 more');
    expect(lines).toHaveLength(23);
    expect(ledger.describeStale('zh-CN').split('\n')[1]).toBe('  b.csv:3: F-0000000000000000 （通话 C-0，规则 greeting）');
    expect(new ReviewLedger([], []).describeStale('en')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  APPLICANT_COLUMNS,
  CELLS,
  ENTERED_CELLS,
  TABLE3_ROWS,
  answerOf,
  cellId,
  computeTable2,
  computeTable3,
  computeTable4,
  enterValues,
  newReport,
  readFrom,
  refreshReport,
  ReportEntries,
  type CountedApplication,
} from '#shared/domain/annual-report';
import type { Answer } from '#shared/domain/application';
import { ConflictError, ValidationError } from '#shared/errors';
import { issuesOf } from '#shared/http';

/** Table 二 / 三 / 四 of the annual report computed from records (pure; the integration test drives the same through the API). */

const who = { sub: 'u-1', name: '刘洋', role: 'infocenter' };
const W = (ground: string) => ({ what: '某部分', ground, reason: '理由' });
const ANSWERS: Record<string, Answer> = {
  disclosed: { type: '予以公开', given: '全部', documents: [] },
  partial: { type: '部分公开', given: '部分', documents: [], withheld: [W('third-party')] } as Answer,
  withheld: { type: '不予公开', withheld: [W('process'), W('secret')] } as Answer,
  unavailable: { type: '无法提供', reason: 'not-held', explanation: '说明' },
  notProcessed: { type: '不予处理', reason: 'repeated', explanation: '说明' },
  other: { type: '其他处理', reason: 'fee-unpaid', explanation: '说明' },
};

type Opts = { org?: string; decided?: [string, Answer]; withdrawnAt?: string };
function app(receivedOn: string, o: Opts = {}): CountedApplication {
  return {
    receivedOn,
    status: o.decided ? 'DELIVERED' : o.withdrawnAt ? 'WITHDRAWN' : 'RECEIVED',
    input: { applicant: o.org ? { type: '法人或其他组织', organisationKind: o.org as never } : { type: '公民' } },
    ...(o.decided ? { decision: { answer: o.decided[1], proposedBy: who, approvedBy: who, on: o.decided[0] } } : {}),
    history: o.withdrawnAt ? [{ at: o.withdrawnAt, by: who, step: 'withdraw', label: '撤回申请', from: 'RECEIVED', to: 'WITHDRAWN' }] : [],
  } as CountedApplication;
}
const c3 = (row: string, col: (typeof APPLICANT_COLUMNS)[number]['key'] = 'total') => cellId.table3(row, col);

describe('the cells of the format', () => {
  it('has 7 columns for each row of table 三, all computed; table 二 computes the normative row only; table 四 its totals', () => {
    expect(CELLS.filter((c) => c.table === '三')).toHaveLength(TABLE3_ROWS.length * 7);
    expect(CELLS.filter((c) => c.table === '二' && c.computed).map((c) => c.id)).toEqual(['二.normative.issued', '二.normative.repealed', '二.normative.inForce']);
    expect(CELLS.filter((c) => c.table === '四' && c.computed).map((c) => c.id)).toEqual(['四.reconsideration.total', '四.litigationDirect.total', '四.litigationAfter.total']);
    expect(ENTERED_CELLS).toContain('二.fees.amount');
    expect(ENTERED_CELLS.some((id) => id.startsWith('三.'))).toBe(false);
    expect(new Set(CELLS.map((c) => c.id)).size).toBe(CELLS.length);
  });
});

describe('table 三', () => {
  it('counts each answer once, in the year decided, in its row and its applicant column', () => {
    const apps = [
      app('2025-03-01', { decided: ['2025-03-20', ANSWERS.disclosed!] }),
      app('2025-03-01', { org: '商业企业', decided: ['2025-04-01', ANSWERS.partial!] }),
      app('2025-05-01', { org: '科研机构', decided: ['2025-05-20', ANSWERS.withheld!] }),
      app('2025-06-01', { org: '社会公益组织', decided: ['2025-06-20', ANSWERS.unavailable!] }),
      app('2025-07-01', { org: '法律服务机构', decided: ['2025-07-20', ANSWERS.notProcessed!] }),
      app('2025-08-01', { org: '其他', decided: ['2025-08-20', ANSWERS.other!] }),
      app('2025-09-01', { withdrawnAt: '2025-09-03T02:00:00Z' }),
    ];
    const t = computeTable3(apps, '2025');
    expect(t[c3('disclosed', 'person')]).toBe(1);
    expect(t[c3('partial', 'business')]).toBe(1);
    // Withheld on two grounds: counted once, under the first.
    expect(t[c3('withheld.process', 'research')]).toBe(1);
    expect(t[c3('withheld.secret')]).toBe(0);
    expect(t[c3('unavailable.not-held', 'welfare')]).toBe(1);
    expect(t[c3('notProcessed.repeated', 'legal')]).toBe(1);
    expect(t[c3('otherHandling.fee-unpaid', 'other')]).toBe(1);
    expect(t[c3('otherHandling.other', 'person')]).toBe(1);
    expect(t[c3('answered', 'person')]).toBe(2);
    expect(t[c3('answered')]).toBe(7);
    expect(t[c3('new')]).toBe(7);
    expect(t[c3('carriedIn')]).toBe(0);
    expect(t[c3('carriedOut')]).toBe(0);
  });

  it('carries in what was received before the year and not answered before it, and out what is not answered by 31 December (China days)', () => {
    const apps = [
      app('2024-12-20', { decided: ['2025-01-06', ANSWERS.disclosed!] }), // carried in, answered in 2025
      app('2024-12-20', { decided: ['2024-12-30', ANSWERS.disclosed!] }), // answered in 2024: not in 2025 at all
      app('2024-11-02'), // still open: carried in and out
      app('2025-12-29', { decided: ['2026-01-05', ANSWERS.disclosed!] }), // new, carried out
      // Withdrawn 2025-12-31 17:00 UTC = 2026-01-01 01:00 in China: not answered in 2025.
      app('2025-12-30', { withdrawnAt: '2025-12-31T17:00:00Z' }),
      app('2026-01-02'), // next year: nowhere
      app(`${Number(readFrom('2025').slice(0, 4)) - 1}-06-01`), // before the bound: not read
    ];
    const t = computeTable3(apps, '2025');
    expect(t[c3('carriedIn')]).toBe(2);
    expect(t[c3('new')]).toBe(2);
    expect(t[c3('answered')]).toBe(1);
    expect(t[c3('carriedOut')]).toBe(3);
    expect(answerOf(apps[4]!)).toEqual({ on: '2026-01-01', row: 'otherHandling.other' });
    const t26 = computeTable3(apps, '2026');
    expect(t26[c3('carriedIn')]).toBe(3);
    expect(t26[c3('otherHandling.other')]).toBe(1);
  });

  it('keeps 一 + 二 = (七) + 四 in every column, and 总计 the sum of the columns (random years of applications)', () => {
    const day = fc.integer({ min: 0, max: 5 * 365 }).map((n) => new Date(Date.UTC(2022, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const kinds = [undefined, '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'];
    const one = fc.record({ received: day, kind: fc.integer({ min: 0, max: 5 }), outcome: fc.integer({ min: 0, max: 7 }), delay: fc.integer({ min: 0, max: 400 }) }).map((r) => {
      const later = new Date(Date.parse(`${r.received}T00:00:00Z`) + r.delay * 86_400_000);
      const answers = Object.values(ANSWERS);
      return app(r.received, {
        ...(kinds[r.kind] ? { org: kinds[r.kind] } : {}),
        ...(r.outcome < 6 ? { decided: [later.toISOString().slice(0, 10), answers[r.outcome]!] as [string, Answer] } : r.outcome === 6 ? { withdrawnAt: later.toISOString() } : {}),
      });
    });
    fc.assert(
      fc.property(fc.array(one, { maxLength: 60 }), fc.constantFrom('2024', '2025', '2026'), (apps, year) => {
        const t = computeTable3(apps, year);
        for (const { key } of APPLICANT_COLUMNS) {
          expect(t[c3('new', key)]! + t[c3('carriedIn', key)]!).toBe(t[c3('answered', key)]! + t[c3('carriedOut', key)]!);
          const results = TABLE3_ROWS.filter((r) => r.group && r.key !== 'answered').reduce((n, r) => n + t[c3(r.key, key)]!, 0);
          expect(results).toBe(t[c3('answered', key)]);
        }
        for (const r of TABLE3_ROWS) expect(APPLICANT_COLUMNS.filter((c) => c.key !== 'total').reduce((n, c) => n + t[c3(r.key, c.key)]!, 0)).toBe(t[c3(r.key)]);
        // Carried out of one year = carried into the next (within the years both read: readFrom).
        const next = String(Number(year) + 1);
        const both = apps.filter((a) => a.receivedOn >= readFrom(next));
        expect(computeTable3(both, next)[c3('carriedIn')]).toBe(computeTable3(both, year)[c3('carriedOut')]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('table 二 (行政规范性文件)', () => {
  it('counts issued by the document date, repealed by the repeal date, in force on 31 December', () => {
    const docs = [
      { documentDate: '2025-02-01', validity: { from: '2025-03-01', until: '2030-02-28' } }, // issued, in force
      { documentDate: '2025-12-20', validity: { from: '2026-01-01', until: '2030-12-31' } }, // issued, not yet in force
      { documentDate: '2023-05-01', validity: { from: '2023-05-01', until: '2025-06-30' } }, // expired in 2025: neither
      { documentDate: '2022-01-10', validity: { from: '2022-01-10' }, validityChange: { kind: 'repealed' as const, date: '2025-08-01' } }, // repealed
      { documentDate: '2022-01-10', validity: { from: '2022-01-10' }, validityChange: { kind: 'amended' as const, date: '2025-09-01' } }, // amended: not 废止, not in force
      { documentDate: '2024-01-10', validity: { from: '2024-01-10' }, validityChange: { kind: 'repealed' as const, date: '2026-02-01' } }, // repealed next year: in force
      { documentDate: '2024-03-10' }, // no validity recorded: in force from its date
    ];
    expect(computeTable2(docs, '2025')).toEqual({ '二.normative.issued': 2, '二.normative.repealed': 1, '二.normative.inForce': 3 });
  });
});

describe('entering and refreshing', () => {
  const facts = { applications: [app('2025-03-01', { decided: ['2025-03-20', ANSWERS.disclosed!] })], normative: [] };
  const draft = refreshReport(newReport('county', '2025', '2026-01-05T01:00:00.000Z'), facts, '2026-01-05T01:00:00.000Z');

  it('keeps who entered a cell and when; table 四 总计 follows the entries', () => {
    const r = enterValues(
      draft,
      { cells: { '四.reconsideration.upheld': 2, '四.reconsideration.pending': 1, '二.fees.amount': 0.1234 }, sections: { overview: '本年度……' } },
      { ...who, unit: 'x' } as never,
      'T1',
    );
    expect(r.cells['四.reconsideration.upheld']).toEqual({ source: 'entered', value: 2, by: who, at: 'T1' });
    expect(r.cells['四.reconsideration.total']).toMatchObject({ source: 'computed', value: 3 });
    expect(computeTable4(r.cells)['四.litigationAfter.total']).toBe(0);
    expect(r.sections.overview).toEqual({ text: '本年度……', by: who, at: 'T1' });
    // The same value again: still the first entry's who and when; null and '' clear.
    const again = enterValues(
      r,
      { cells: { '四.reconsideration.upheld': 2, '二.fees.amount': null }, sections: { overview: '本年度……', problems: '  ' } },
      { ...who, sub: 'u-2' },
      'T2',
    );
    expect(again.cells['四.reconsideration.upheld']).toMatchObject({ by: who, at: 'T1' });
    expect(again.cells['二.fees.amount']).toBeUndefined();
    expect(again.sections.problems).toBeUndefined();
    // Refreshing keeps what was entered and recomputes the rest.
    expect(refreshReport(again, facts, 'T3').cells['四.reconsideration.upheld']).toMatchObject({ source: 'entered', at: 'T1' });
    expect(refreshReport(again, facts, 'T3').cells[c3('disclosed', 'person')]).toEqual({ source: 'computed', value: 1, at: 'T3' });
  });

  it('refuses a computed cell, an unknown one and a fraction, naming each, in Chinese and English', () => {
    let err: unknown;
    try {
      enterValues(draft, { cells: { '三.new.person': 5, '二.normative.issued': 1, '四.reconsideration.total': 1, '九.x.y': 1, '四.reconsideration.upheld': 1.5 } }, who, 'T');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(issues.map((i) => i.field)).toEqual([
      'cells.三.new.person',
      'cells.二.normative.issued',
      'cells.四.reconsideration.total',
      'cells.九.x.y',
      'cells.四.reconsideration.upheld',
    ]);
    expect(issues[0]!.zh).toMatch(/三\.new\.person.*系统.*计算，不能填报/);
    expect(issues[0]!.en).toMatch(/computed/);
    expect(issues[3]!.zh).toMatch(/没有单元格/);
    expect(issues[4]!.zh).toMatch(/整数/);
  });

  it('refuses an unknown text section and a negative value in the request, in Chinese with an English gloss', () => {
    const res = ReportEntries.safeParse({ version: 1, sections: { summary: '…' }, cells: { '二.fees.amount': -1 } });
    expect(res.success).toBe(false);
    // As the API answers them (the handler edge's per-field issues).
    const issues = issuesOf(res.error!);
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'sections', zh: expect.stringMatching(/不认识的字段：summary/), en: expect.stringMatching(/summary/) },
        { field: 'cells.二.fees.amount', zh: '数值不能为负。', en: 'A value cannot be negative.' },
      ]),
    );
  });

  it('takes no entries once submitted', () => {
    expect(() => enterValues({ ...draft, status: 'SUBMITTED' }, { cells: { '二.fees.amount': 1 } }, who, 'T')).toThrow(ConflictError);
  });
});

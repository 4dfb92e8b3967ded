import { describe, expect, it } from 'vitest';
import {
  answerFacts,
  CSV_HEADER,
  oversightCsv,
  publicationFacts,
  referenceDay,
  reviewFacts,
  scopeFigures,
  share,
  validityChangeFacts,
  YEAR_FIGURES,
  type ScopeCounts,
  type YearFigure,
} from '#shared/domain/oversight';
import type { Draft } from '#shared/domain/draft';
import type { Application } from '#shared/domain/application';
import { validForm } from '../support/forms.ts';

/** 监督考核 (issue 13.3), the pure part: which facts an event gives, and the figures and CSV from counts. */

const FILE = { key: 'k', fileName: 'f.txt', contentType: 'text/plain' as const, maxBytes: 1 };
type Pub = Parameters<typeof publicationFacts>[0];
const published = (over: Partial<Draft['form']>, at: string, extra: Partial<Pub> = {}): Pub => ({
  id: 'D1',
  form: { ...validForm(), ...over } as Draft['form'],
  files: { document: FILE },
  publication: { path: 'p', url: 'u', publishedAt: at },
  ...extra,
});
const figures = (f: ReturnType<typeof publicationFacts>) => f.facts.map((x) => (x.kind === 'year' ? `${x.figure}@${x.year}` : `${x.index}@${x.day}`));

describe('the facts of an event', () => {
  it('a publication: the Art. 26 clock on time, late, or not countable (never guessed), in the year published', () => {
    expect(figures(publicationFacts(published({ documentDate: '2026-11-20' }, '2026-12-07T02:00:00Z'), 'county'))).toEqual(['art26.onTime@2026']);
    expect(figures(publicationFacts(published({ documentDate: '2024-03-01' }, '2026-12-07T02:00:00Z'), 'county'))).toEqual(['art26.late@2026']);
    expect(figures(publicationFacts(published({ documentDate: '2003-06-02' }, '2026-12-07T02:00:00Z'), 'county'))).toEqual(['art26.unknown@2026']);
    // China's day: 23:30 UTC on 31 December is the next year in China.
    expect(figures(publicationFacts(published({ documentDate: '2025-12-20' }, '2025-12-31T23:30:00Z'), 'county'))).toEqual(['art26.onTime@2026']);
    // Converted on review: the clock runs from the conversion (变更), not the 成文日期.
    const converted = published({ documentDate: '2020-01-02' }, '2026-12-07T02:00:00Z', {
      decision: { outcome: 'convert', at: '2026-12-01T02:00:00Z', by: { sub: 's', name: 'n', role: 'approver' } },
    });
    expect(figures(publicationFacts(converted, 'county'))).toEqual(['art26.onTime@2026']);
  });

  it('a policy document with or without its interpretation, diversified or text', () => {
    const at = '2026-12-07T02:00:00Z';
    const withFile = { files: { document: FILE, interpretation: FILE } };
    expect(figures(publicationFacts(published({ documentDate: '2026-12-01', isPolicy: true, interpretation: { mode: 'attached', format: '图解' } }, at, withFile), 'c'))).toEqual([
      'art26.onTime@2026',
      'policy.all@2026',
      'policy.interpreted@2026',
      'interp.all@2026',
      'interp.diversified@2026',
    ]);
    expect(figures(publicationFacts(published({ documentDate: '2026-12-01', isPolicy: true, interpretation: { mode: 'attached', format: '问答' } }, at, withFile), 'c'))).toEqual([
      'art26.onTime@2026',
      'policy.all@2026',
      'policy.interpreted@2026',
      'interp.all@2026',
    ]);
    // Declared attached but no file (or not needed): not interpreted.
    expect(figures(publicationFacts(published({ documentDate: '2026-12-01', isPolicy: true, interpretation: { mode: 'attached', format: '视频' } }, at), 'c'))).toEqual([
      'art26.onTime@2026',
      'policy.all@2026',
    ]);
  });

  it('a normative document: its day indexes; a change by the day it takes effect', () => {
    const d = published({ documentType: '行政规范性文件', documentDate: '2026-11-30', validity: { from: '2027-01-01', until: '2028-12-31' } }, '2026-12-07T02:00:00Z');
    const f = publicationFacts(d, 'c');
    expect(figures(f)).toEqual(['art26.onTime@2026', 'normative.published@2026-12-07', 'normative.expiry@2028-12-31', 'normative.start@2027-01-01']);
    expect(f.facts[2]).toMatchObject({ attrs: { publishedOn: '2026-12-07' } });
    expect(figures(validityChangeFacts(d, { kind: 'repealed', date: '2027-06-01' }, 'c'))).toEqual(['normative.repealed@2027-06-01', 'normative.changedExpiry@2028-12-31']);
    expect(figures(validityChangeFacts(d, { kind: 'amended', date: '2027-06-01' }, 'c'))[0]).toBe('normative.amended@2027-06-01');
  });

  it('a re-review: on time by its due day, one fact per review cycle', () => {
    const d = { id: 'D1', form: validForm() as Draft['form'], filing: { filedAt: '2025-12-07T00:00:00Z', reviewDue: '2026-12-07' } };
    expect(reviewFacts(d, 'c', '2026-12-07').facts).toEqual([{ kind: 'year', figure: 'review.onTime', year: '2026', subject: 'D1#2026-12-07' }]);
    expect(reviewFacts(d, 'c', '2026-12-08').facts[0]).toMatchObject({ figure: 'review.late' });
  });

  it('an answer: on time, late, or unknown when the deadline is past the calendar; for the body only', () => {
    const app = (startOn: string) =>
      ({ id: 'A1', body: 'c', status: 'DECIDED', clock: { startOn, consultations: [] } }) as unknown as Pick<Application, 'id' | 'body' | 'status' | 'clock'>;
    expect(answerFacts(app('2026-11-02'), '2026-11-30')).toEqual({ body: 'c', facts: [{ kind: 'year', figure: 'answer.onTime', year: '2026', subject: 'A1' }] });
    expect(answerFacts(app('2026-10-09'), '2026-11-30').facts[0]).toMatchObject({ figure: 'answer.late' });
    expect(answerFacts(app('2026-12-20'), '2026-12-30').facts[0]).toMatchObject({ figure: 'answer.unknown' });
  });
});

const counts = (year: Partial<Record<YearFigure, number>>, normative: Partial<ScopeCounts['normative']> = {}): ScopeCounts => ({
  year: Object.fromEntries(YEAR_FIGURES.map((f) => [f, year[f] ?? 0])) as Record<YearFigure, number>,
  normative: { published: 0, repealed: 0, amended: 0, expired: 0, expiredButChanged: 0, notYetInForce: 0, ...normative },
});

describe('the figures', () => {
  it('every share carries its counts; nothing to divide is null, never 0 %', () => {
    expect(share(9, 10)).toEqual({ numerator: 9, denominator: 10, percent: 90 });
    expect(share(0, 0)).toEqual({ numerator: 0, denominator: 0, percent: null });
    expect(share(2, 3).percent).toBe(66.7);
  });

  it('the Art. 26 share is of the countable; the diversified share is held to the year’s target (70 % in 2020, 90 % after)', () => {
    const f = scopeFigures('body', '县政府', counts({ 'art26.onTime': 3, 'art26.late': 1, 'art26.unknown': 2, 'interp.all': 10, 'interp.diversified': 9 }), '2026');
    expect(f.art26).toEqual({ onTime: { numerator: 3, denominator: 4, percent: 75 }, late: 1, unknown: 2, published: 6 });
    expect(f.diversified).toMatchObject({ percent: 90, targetPercent: 90, meetsTarget: true });
    expect(scopeFigures('body', 'x', counts({ 'interp.all': 10, 'interp.diversified': 8 }), '2026').diversified.meetsTarget).toBe(false);
    expect(scopeFigures('body', 'x', counts({ 'interp.all': 10, 'interp.diversified': 7 }), '2020').diversified).toMatchObject({ targetPercent: 70, meetsTarget: true });
    expect(scopeFigures('body', 'x', counts({}), '2026').diversified.meetsTarget).toBeNull();
    expect(scopeFigures('unit', 'x', counts({}), '2026').answers).toBeUndefined();
  });

  it('normative documents: a change in effect wins over expiry; in force is what is left', () => {
    const f = scopeFigures('body', 'x', counts({}, { published: 10, repealed: 2, amended: 1, expired: 3, expiredButChanged: 1, notYetInForce: 1 }), '2026');
    expect(f.normative).toEqual({ total: 10, inForce: 4, expired: 2, repealed: 2, amended: 1, notYetInForce: 1 });
  });

  it('reads the normative state on the year’s last day, or today in the current year', () => {
    expect(referenceDay('2025', '2026-12-07')).toBe('2025-12-31');
    expect(referenceDay('2026', '2026-12-07')).toBe('2026-12-07');
  });
});

describe('the CSV', () => {
  it('is UTF-8 with a BOM, a Chinese header, counts beside each share, and no formula injection', () => {
    const row = scopeFigures('unit', '=HYPERLINK("x")', counts({ 'art26.onTime': 1, 'art26.late': 1 }), '2026');
    const csv = oversightCsv({ body: { id: 'c', name: '县政府, 办公室' }, year: '2026', referenceDay: '2026-12-07', targetPercent: 90, rows: [row] });
    expect(csv.startsWith('\uFEFF公开主体,范围,名称,年度')).toBe(true);
    const [header, line] = csv.slice(1).trim().split('\r\n');
    expect(header!.split(',')).toEqual([...CSV_HEADER]);
    expect(line).toContain('"县政府, 办公室",起草单位,"\'=HYPERLINK(""x"")",2026,1,2,50.0%,1,0');
    expect(line).toContain(',—,—,—,—,'); // a unit has no applications
  });
});

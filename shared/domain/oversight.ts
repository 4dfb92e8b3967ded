import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { chinaDate } from '#shared/calendar';
import type { Draft } from '#shared/domain/draft';
import { validityOf } from '#shared/domain/lists';
import type { ValidityChange } from '#shared/domain/validity';
import { answerDue, type Application } from '#shared/domain/application';
import { diversifiedTarget, isDiversified } from '#shared/rules/interpretation';
import { publicationClock } from '#shared/rules/workflow';

/**
 * 监督考核 (issue 13 part 3): what each 公开主体 and each of its drafting units is judged by,
 * per year. Pure: which facts an event contributes, and the figures and the CSV from the counts
 * the store reads (shared/oversight.ts). Each fact is one item keyed by its subject (a document,
 * a review cycle, an application), so recording it again (a retried message or request) counts
 * nothing twice.
 *
 * Year facts (counted per year of the event):
 *   art26.onTime / art26.late / art26.unknown  主动公开 published within 20 working days of forming
 *                                              (条例 Art. 26; unknown: the calendar does not cover it)
 *   policy.all / policy.interpreted            policy documents published, and those with their 政策解读
 *   interp.all / interp.diversified            interpretations published, and those in a diversified
 *                                              format (INT-4; target diversifiedTarget(year))
 *   review.onTime / review.late                re-reviews of filed documents decided by their reviewDue (REV-1)
 *   answer.onTime / answer.late / answer.unknown  applications answered (delivered) by their deadline (Art. 33)
 *
 * Day indexes of normative documents (行政规范性文件), read up to a reference day:
 *   normative.published  by publication day
 *   normative.repealed / normative.amended  by the day the 废止 / 修订 takes effect
 *   normative.expiry     by the last day of its 有效期 (expired: a function of the clock, never a counter)
 *   normative.changedExpiry  a changed document with an 有效期, by that last day (a change in effect wins over expiry)
 *   normative.start      by the first day of its 有效期, when it is after publication (尚未生效)
 */

export const YEAR_FIGURES = [
  'art26.onTime',
  'art26.late',
  'art26.unknown',
  'policy.all',
  'policy.interpreted',
  'interp.all',
  'interp.diversified',
  'review.onTime',
  'review.late',
  'answer.onTime',
  'answer.late',
  'answer.unknown',
] as const;
export type YearFigure = (typeof YEAR_FIGURES)[number];

export const DAY_INDEXES = ['normative.published', 'normative.repealed', 'normative.amended', 'normative.expiry', 'normative.changedExpiry', 'normative.start'] as const;
export type DayIndex = (typeof DAY_INDEXES)[number];

/** One fact to record: a year figure, or an entry of a day index (`day` its sort day, `attrs` what the count filters on). */
export type Fact =
  | { readonly kind: 'year'; readonly figure: YearFigure; readonly year: string; readonly subject: string }
  | { readonly kind: 'day'; readonly index: DayIndex; readonly day: string; readonly subject: string; readonly attrs?: Readonly<Record<string, string>> };

/** A fact is kept for the body and, where it has one, for the drafting unit too. */
export interface Facts {
  readonly body: string;
  readonly unit?: string;
  readonly facts: readonly Fact[];
}

const yearFact = (figure: YearFigure, day: string, subject: string): Fact => ({ kind: 'year', figure, year: day.slice(0, 4), subject });

const NORMATIVE = '行政规范性文件';

/**
 * A publication's facts: its Art. 26 clock, its interpretation, and for a normative document its
 * entries in the day indexes. A document converted on re-review is "changed" (变更) when the
 * conversion is decided: its clock runs from that day, not from its 成文日期.
 */
export function publicationFacts(d: Pick<Draft, 'id' | 'form' | 'files' | 'publication' | 'decision'>, body: string): Facts {
  if (!d.publication) return { body, unit: d.form.draftingUnit, facts: [] };
  const on = chinaDate(d.publication.publishedAt);
  const formedOn = d.decision?.outcome === 'convert' ? chinaDate(d.decision.at) : d.form.documentDate;
  const clock = publicationClock(formedOn, on);
  const facts: Fact[] = [yearFact(clock.withinLimit === true ? 'art26.onTime' : clock.withinLimit === false ? 'art26.late' : 'art26.unknown', on, d.id)];
  const interpreted = d.form.interpretation?.mode === 'attached' && d.files.interpretation !== undefined;
  if (d.form.isPolicy) {
    facts.push(yearFact('policy.all', on, d.id));
    if (interpreted) facts.push(yearFact('policy.interpreted', on, d.id));
  }
  if (interpreted && d.form.interpretation?.mode === 'attached') {
    facts.push(yearFact('interp.all', on, d.id));
    if (isDiversified(d.form.interpretation.format)) facts.push(yearFact('interp.diversified', on, d.id));
  }
  if (d.form.documentType === NORMATIVE) {
    facts.push({ kind: 'day', index: 'normative.published', day: on, subject: d.id });
    const v = validityOf(d.form);
    if (v?.until) facts.push({ kind: 'day', index: 'normative.expiry', day: v.until, subject: d.id, attrs: { publishedOn: on } });
    if (v && v.from > on) facts.push({ kind: 'day', index: 'normative.start', day: v.from, subject: d.id, attrs: { publishedOn: on } });
  }
  return { body, unit: d.form.draftingUnit, facts };
}

/** A re-review decided on `decidedOn` (keep or convert): on time when by its reviewDue (REV-1). One fact per review cycle. */
export function reviewFacts(d: Pick<Draft, 'id' | 'form' | 'filing'>, body: string, decidedOn: string): Facts {
  const due = d.filing?.reviewDue;
  if (!due) return { body, unit: d.form.draftingUnit, facts: [] };
  return { body, unit: d.form.draftingUnit, facts: [yearFact(decidedOn <= due ? 'review.onTime' : 'review.late', decidedOn, `${d.id}#${due}`)] };
}

/**
 * An application answered: `before` as it stood when the answer was delivered on `deliveredOn`
 * (its deadline: answerDue). Unknown when the calendar does not reach the deadline. Applications
 * belong to a body, not to a drafting unit.
 */
export function answerFacts(before: Pick<Application, 'id' | 'body' | 'status' | 'clock'>, deliveredOn: string): Facts {
  const due = answerDue(before);
  const figure: YearFigure = due.kind === 'due' ? (deliveredOn <= due.dueOn ? 'answer.onTime' : 'answer.late') : 'answer.unknown';
  return { body: before.body, facts: [yearFact(figure, deliveredOn, before.id)] };
}

/** A 废止 / 修订 of a normative document: its entry by the day it takes effect, and (with an 有效期) by that period's end. */
export function validityChangeFacts(d: Pick<Draft, 'id' | 'form'>, change: Pick<ValidityChange, 'kind' | 'date'>, body: string): Facts {
  const facts: Fact[] = [{ kind: 'day', index: change.kind === 'repealed' ? 'normative.repealed' : 'normative.amended', day: change.date, subject: d.id }];
  const v = validityOf(d.form);
  if (v?.until) facts.push({ kind: 'day', index: 'normative.changedExpiry', day: v.until, subject: d.id, attrs: { changedOn: change.date } });
  return { body, unit: d.form.draftingUnit, facts };
}

// --- The figures -----------------------------------------------------------------------------

/** A share always with its counts: `percent` null when there is nothing to divide by. */
export const Share = /* @__PURE__ */ (() => z.object({ numerator: z.number().int(), denominator: z.number().int(), percent: z.number().nullable() }))();
export type Share = z.infer<typeof Share>;

export const share = (numerator: number, denominator: number): Share => ({
  numerator,
  denominator,
  percent: denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 10,
});

/** What the store counts for one scope (the body, or one unit): each year figure, and the normative counts up to the reference day. */
export interface ScopeCounts {
  readonly year: Readonly<Record<YearFigure, number>>;
  readonly normative: {
    readonly published: number;
    readonly repealed: number;
    readonly amended: number;
    /** 有效期 ended before the reference day (published by then), a change in effect not subtracted yet. */
    readonly expired: number;
    /** Of those, the ones repealed or amended by the reference day (the change wins). */
    readonly expiredButChanged: number;
    readonly notYetInForce: number;
  };
}

export const ScopeFigures = /* @__PURE__ */ (() =>
  z.object({
    scope: z.enum(['body', 'unit']),
    name: z.string(),
    /** 条例 Art. 26: on time of those whose working days can be counted; `unknown` cannot be (the calendar), never guessed. */
    art26: z.object({ onTime: Share, late: z.number().int(), unknown: z.number().int(), published: z.number().int() }),
    /** Policy documents with their interpretation (政策解读). */
    interpreted: Share,
    /** Interpretations in a diversified format (INT-4) against the year's target. */
    diversified: Share.extend({ targetPercent: z.number(), meetsTarget: z.boolean().nullable() }),
    /** Re-reviews (REV-1) decided by their due day. */
    reviews: Share,
    /** Applications answered within the Art. 33 limit (body only: applications have no drafting unit). */
    answers: Share.extend({ unknown: z.number().int() }).optional(),
    /** 行政规范性文件 as they stand on the reference day. */
    normative: z.object({
      total: z.number().int(),
      inForce: z.number().int(),
      expired: z.number().int(),
      repealed: z.number().int(),
      amended: z.number().int(),
      notYetInForce: z.number().int(),
    }),
  }))();
export type ScopeFigures = z.infer<typeof ScopeFigures>;

export const OversightReport = /* @__PURE__ */ (() =>
  z.object({
    body: z.object({ id: z.string(), name: z.string() }),
    year: z.string(),
    /** The day the normative documents' state is read on: the year's last day, or today in the current year. */
    referenceDay: z.string(),
    targetPercent: z.number(),
    rows: z.array(ScopeFigures),
  }))();
export type OversightReport = z.infer<typeof OversightReport>;

/** The day a year's normative figures are read on: its 31 December, or today while the year runs. */
export const referenceDay = (year: string, today: string): string => (today.slice(0, 4) === year ? today : `${year}-12-31`);

export function scopeFigures(scope: 'body' | 'unit', name: string, c: ScopeCounts, year: string): ScopeFigures {
  const y = c.year;
  const target = diversifiedTarget(Number(year));
  const diversified = share(y['interp.diversified'], y['interp.all']);
  const expired = c.normative.expired - c.normative.expiredButChanged;
  const changed = c.normative.repealed + c.normative.amended;
  return {
    scope,
    name,
    art26: {
      onTime: share(y['art26.onTime'], y['art26.onTime'] + y['art26.late']),
      late: y['art26.late'],
      unknown: y['art26.unknown'],
      published: y['art26.onTime'] + y['art26.late'] + y['art26.unknown'],
    },
    interpreted: share(y['policy.interpreted'], y['policy.all']),
    diversified: { ...diversified, targetPercent: target * 100, meetsTarget: diversified.denominator === 0 ? null : diversified.numerator >= target * diversified.denominator },
    reviews: share(y['review.onTime'], y['review.onTime'] + y['review.late']),
    ...(scope === 'body' ? { answers: { ...share(y['answer.onTime'], y['answer.onTime'] + y['answer.late']), unknown: y['answer.unknown'] } } : {}),
    normative: {
      total: c.normative.published,
      inForce: Math.max(0, c.normative.published - changed - expired - c.normative.notYetInForce),
      expired,
      repealed: c.normative.repealed,
      amended: c.normative.amended,
      notYetInForce: c.normative.notYetInForce,
    },
  };
}

// --- CSV ---------------------------------------------------------------------------------------

const BOM = '\uFEFF';
const cell = (v: string | number | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would be read by Excel as a formula: quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const pct = (s: Share): string => (s.percent === null ? '—' : `${s.percent.toFixed(1)}%`);

export const CSV_HEADER = [
  '公开主体',
  '范围',
  '名称',
  '年度',
  '20个工作日内公开（件）',
  '可计算工作日的主动公开（件）',
  '按时公开比例',
  '超期公开（件）',
  '日历未覆盖无法计算（件）',
  '有解读的政策文件（件）',
  '政策文件（件）',
  '解读比例',
  '多样化解读（件）',
  '解读材料（件）',
  '多样化解读比例',
  '多样化目标',
  '是否达标',
  '按时复核（件）',
  '已复核（件）',
  '按时复核比例',
  '按时答复（件）',
  '可计算期限的答复（件）',
  '按时答复比例',
  '答复期限无法计算（件）',
  '规范性文件（件）',
  '现行有效（件）',
  '已失效（件）',
  '已废止（件）',
  '已修订（件）',
  '尚未生效（件）',
  '统计截至',
] as const;

/** The report as CSV: UTF-8 with a BOM (Excel reads the Chinese), a Chinese header row, every share as numerator, denominator and percent. */
export function oversightCsv(r: OversightReport): string {
  const lines = [CSV_HEADER.map(cell).join(',')];
  for (const row of r.rows) {
    const a = row.answers;
    lines.push(
      [
        r.body.name,
        row.scope === 'body' ? '公开主体' : '起草单位',
        row.name,
        r.year,
        row.art26.onTime.numerator,
        row.art26.onTime.denominator,
        pct(row.art26.onTime),
        row.art26.late,
        row.art26.unknown,
        row.interpreted.numerator,
        row.interpreted.denominator,
        pct(row.interpreted),
        row.diversified.numerator,
        row.diversified.denominator,
        pct(row.diversified),
        `${row.diversified.targetPercent}%`,
        row.diversified.meetsTarget === null ? '—' : row.diversified.meetsTarget ? '达标' : '未达标',
        row.reviews.numerator,
        row.reviews.denominator,
        pct(row.reviews),
        a ? a.numerator : '—',
        a ? a.denominator : '—',
        a ? pct(a) : '—',
        a ? a.unknown : '—',
        row.normative.total,
        row.normative.inForce,
        row.normative.expired,
        row.normative.repealed,
        row.normative.amended,
        row.normative.notYetInForce,
        r.referenceDay,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export const csvFileName = (r: Pick<OversightReport, 'body' | 'year'>): string => `oversight-${r.body.id}-${r.year}.csv`;

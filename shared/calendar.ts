/**
 * China's working-day calendar, for every statutory clock (条例 Art. 26, 30, 32, 33; task
 * overdue). The public holidays and the 调休 make-up working days come from the
 * `chinese-days` package (maintained from the State Council's yearly notices): updating the
 * calendar is a dependency bump, never an edit here. A date in a year the package does not
 * cover is never guessed as a plain weekday: it raises CalendarNotCoveredError, and
 * `deadlineAfter` reports it as an uncovered deadline for the office to see.
 *
 * The tables are the package's own published ones (chinese-days/dist/chinese-days.json, the
 * `holidays` and `workdays` maps its build writes from the same source), read with the rule of
 * its `isWorkday` — a make-up working day, or Monday to Friday and not a holiday —, and the
 * derived set of covered years is built on first use, not at import (issue 17.5: importing the
 * package's code builds all its tables, lunar ones included, at load: ~13 ms of CPU in nearly
 * every function's cold start, for a calendar most invocations never consult).
 * test/unit/calendar.test.ts checks this answers as chinese-days' `isWorkday` on every day of
 * every covered year.
 */
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** China Standard Time has no daylight saving: UTC+8 all year. */
const CHINA_OFFSET_MS = 8 * 3600_000;

const holidays = data.holidays as Readonly<Record<string, string>>;
const workdays = data.workdays as Readonly<Record<string, string>>;

let covered: ReadonlySet<number> | undefined;
/** The years the calendar data holds (each with its holidays and make-up days), built on first use. */
const coveredYears = (): ReadonlySet<number> => (covered ??= new Set([...Object.keys(holidays), ...Object.keys(workdays)].map((d) => Number(d.slice(0, 4)))));

/** The first and last year the calendar covers (computed on first read). */
export const calendarCoverage: { readonly first: number; readonly last: number } = {
  get first() {
    return Math.min(...coveredYears());
  },
  get last() {
    return Math.max(...coveredYears());
  },
};

/** A date whose year the holiday calendar does not hold: working days there are unknown. */
export class CalendarNotCoveredError extends Error {
  readonly year: number;
  constructor(year: number, options?: ErrorOptions) {
    super(`The holiday calendar (chinese-days) does not cover ${year}; update the chinese-days dependency`, options);
    this.name = 'CalendarNotCoveredError';
    this.year = year;
  }
}

function parse(date: string): { y: number; ms: number } {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`Not a calendar date: ${date}`);
  return { y: Number(m[1]), ms };
}

const format = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The calendar date in China (UTC+8) of an instant. */
export function chinaDate(instant: Date | string): string {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(t)) throw new RangeError(`Not an instant: ${String(instant)}`);
  return format(t + CHINA_OFFSET_MS);
}

export function isCovered(date: string): boolean {
  return coveredYears().has(parse(date).y);
}

/** Whether a date is a working day in China: weekdays, less public holidays, plus 调休 make-up days. */
export function isWorkingDay(date: string): boolean {
  const { y, ms } = parse(date);
  if (!coveredYears().has(y)) throw new CalendarNotCoveredError(y);
  // chinese-days' rule (its isWorkday): a 调休 make-up day works; otherwise Monday–Friday, less holidays.
  const weekday = new Date(ms).getUTCDay();
  return Boolean(workdays[date]) || (weekday >= 1 && weekday <= 5 && !holidays[date]);
}

/** The holiday's name (e.g. 国庆节) for a public holiday or a make-up working day; undefined otherwise. */
export function holidayName(date: string): string | undefined {
  parse(date);
  const entry = holidays[date] ?? workdays[date];
  return entry?.split(',')[1];
}

/**
 * The n-th working day after `from` (the day of receipt itself is not counted, as the
 * statutory time limits count: 20 working days from 2026-09-21 is 2026-10-26).
 * Throws CalendarNotCoveredError if the count reaches a year the calendar does not hold.
 */
export function addWorkingDays(from: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0: ${n}`);
  let ms = parse(from).ms;
  for (let counted = 0; counted < n;) {
    ms += DAY_MS;
    if (isWorkingDay(format(ms))) counted++;
  }
  return format(ms);
}

/**
 * Working days after `from` up to and including `to` (0 when `to` is not after `from`):
 * how much of a time limit has been used. Throws CalendarNotCoveredError past the calendar.
 */
export function workingDaysBetween(from: string, to: string): number {
  const end = parse(to).ms;
  let count = 0;
  for (let ms = parse(from).ms + DAY_MS; ms <= end; ms += DAY_MS) if (isWorkingDay(format(ms))) count++;
  return count;
}

/** A statutory deadline: computed, or flagged because the calendar ends before it. */
export type Deadline =
  { readonly kind: 'due'; readonly due: string } | { readonly kind: 'uncovered'; readonly year: number; readonly message: { readonly zh: string; readonly en: string } };

/** `addWorkingDays`, with a year the calendar does not cover reported (never guessed). */
export function deadlineAfter(from: string, workingDays: number): Deadline {
  try {
    return { kind: 'due', due: addWorkingDays(from, workingDays) };
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err;
    return {
      kind: 'uncovered',
      year: err.year,
      message: {
        zh: `节假日日历尚未包含${err.year}年的放假和调休安排，期限无法计算，请人工核定并更新日历（chinese-days）`,
        en: `The holiday calendar does not cover ${err.year} yet: the deadline cannot be computed; set it by hand and update the calendar (chinese-days)`,
      },
    };
  }
}

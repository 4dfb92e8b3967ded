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
 * The working-day index, built on first use from the same tables and the same rule as
 * isWorkingDay: for every day from 1 January of the first covered year to 31 December of the
 * last, `cum[i]` is the number of working days among days 0..i, and `runEnd[i]` the index of
 * the last day of the run of consecutive covered years day i is in (-1 for a day of an
 * uncovered year between covered ones). addWorkingDays and workingDaysBetween are then a
 * subtraction or a binary search instead of a walk over every day (a document formed six
 * years before its publication: ~2,200 days, each parsed and formatted, in every
 * publication clock). ~8,400 days: two typed arrays of 34 KB each.
 */
interface WorkingDayIndex {
  readonly startMs: number;
  readonly days: number;
  readonly cum: Int32Array;
  readonly runEnd: Int32Array;
}
let index: WorkingDayIndex | undefined;
function workingDayIndex(): WorkingDayIndex {
  if (index) return index;
  const years = coveredYears();
  const first = calendarCoverage.first;
  const startMs = Date.UTC(first, 0, 1);
  const days = Math.round((Date.UTC(calendarCoverage.last + 1, 0, 1) - startMs) / DAY_MS);
  // isWorkingDay's rule, applied to the whole span at once: Monday to Friday works, a holiday
  // does not, a make-up day does (last, so it wins over a holiday as in isWorkingDay).
  const works = new Uint8Array(days);
  const startWeekday = new Date(startMs).getUTCDay();
  for (let i = 0; i < days; i++) {
    const weekday = (startWeekday + i) % 7;
    works[i] = weekday >= 1 && weekday <= 5 ? 1 : 0;
  }
  const mark = (table: Readonly<Record<string, string>>, value: 0 | 1) => {
    for (const [date, entry] of Object.entries(table)) {
      if (!entry) continue;
      const i = Math.round((parse(date).ms - startMs) / DAY_MS);
      if (i >= 0 && i < days) works[i] = value;
    }
  };
  mark(holidays, 0);
  mark(workdays, 1);
  const cum = new Int32Array(days);
  const runEnd = new Int32Array(days).fill(-1);
  let count = 0;
  let runLast = calendarCoverage.last;
  // Year by year, last to first: a covered year's days end their run where the next uncovered year begins.
  const yearStart = (y: number) => Math.round((Date.UTC(y, 0, 1) - startMs) / DAY_MS);
  for (let y = calendarCoverage.last; y >= first; y--) {
    if (!years.has(y)) {
      runLast = y - 1;
      continue;
    }
    runEnd.fill(yearStart(runLast + 1) - 1, yearStart(y), yearStart(y + 1));
  }
  for (let y = first; y <= calendarCoverage.last; y++) {
    // A day of an uncovered year between covered ones is never counted (runEnd stops a count before it).
    const counts = years.has(y);
    for (let i = yearStart(y), end = yearStart(y + 1); i < end; i++) {
      if (counts && works[i]) count++;
      cum[i] = count;
    }
  }
  return (index = { startMs, days, cum, runEnd });
}

/** The day's position in the index, or undefined outside it (before the first or after the last covered year). */
function dayIndex(ix: WorkingDayIndex, ms: number): number | undefined {
  const i = Math.round((ms - ix.startMs) / DAY_MS);
  return i >= 0 && i < ix.days ? i : undefined;
}

/** Working days among index days 0..i (0 for i = -1). */
const cumAt = (ix: WorkingDayIndex, i: number): number => (i < 0 ? 0 : ix.cum[i]!);

/**
 * What a day-by-day count does on reaching a day of a year the calendar does not hold:
 * isWorkingDay raises (CalendarNotCoveredError, or RangeError past year 9999).
 */
function uncoveredAt(ms: number): never {
  isWorkingDay(format(ms));
  throw new Error(`${format(ms)} was expected to be outside the calendar`);
}

/**
 * The n-th working day after `from` (the day of receipt itself is not counted, as the
 * statutory time limits count: 20 working days from 2026-09-21 is 2026-10-26).
 * Throws CalendarNotCoveredError if the count reaches a year the calendar does not hold.
 */
export function addWorkingDays(from: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0: ${n}`);
  const fromMs = parse(from).ms;
  if (n === 0) return format(fromMs);
  const ix = workingDayIndex();
  const first = dayIndex(ix, fromMs + DAY_MS);
  const last = first === undefined ? -1 : ix.runEnd[first]!;
  if (first === undefined || last < 0) return uncoveredAt(fromMs + DAY_MS);
  const before = cumAt(ix, first - 1);
  // The count runs out of covered days: it stops at the first uncovered one, as a day-by-day walk would.
  if (cumAt(ix, last) - before < n) return uncoveredAt(ix.startMs + (last + 1) * DAY_MS);
  // The first day t in first..last with cum[t] - before ≥ n (cum is non-decreasing).
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumAt(ix, mid) - before >= n) hi = mid;
    else lo = mid + 1;
  }
  return format(ix.startMs + lo * DAY_MS);
}

/**
 * Working days after `from` up to and including `to` (0 when `to` is not after `from`):
 * how much of a time limit has been used. Throws CalendarNotCoveredError past the calendar.
 */
export function workingDaysBetween(from: string, to: string): number {
  const end = parse(to).ms;
  const startMs = parse(from).ms + DAY_MS;
  if (startMs > end) return 0;
  const ix = workingDayIndex();
  const first = dayIndex(ix, startMs);
  const last = first === undefined ? -1 : ix.runEnd[first]!;
  if (first === undefined || last < 0) return uncoveredAt(startMs);
  const endIndex = Math.round((end - ix.startMs) / DAY_MS);
  if (endIndex > last) return uncoveredAt(ix.startMs + (last + 1) * DAY_MS);
  return cumAt(ix, endIndex) - cumAt(ix, first - 1);
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

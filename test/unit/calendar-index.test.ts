import { describe, expect, it } from 'vitest';
import { addWorkingDays, CalendarNotCoveredError, calendarCoverage, deadlineAfter, isWorkingDay, workingDaysBetween } from '#shared/calendar';

/**
 * Issue 17.4: addWorkingDays / workingDaysBetween answer from a cumulative working-day index
 * (a subtraction, a binary search). These are the day-by-day walks they replaced, verbatim,
 * over isWorkingDay (itself checked against chinese-days on every covered day in
 * calendar.test.ts): the index must answer as they do — the same date, the same count, the
 * same error (CalendarNotCoveredError of the first uncovered year reached, RangeError on a bad
 * argument) — on every pair sampled.
 */
const DAY_MS = 86_400_000;
const format = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const msOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);
/** isWorkingDay, remembered per day (its answer or its error): the walks below ask for the same days again and again. */
const known = new Map<string, boolean | Error>();
function workingDay(date: string): boolean {
  let answer = known.get(date);
  if (answer === undefined) {
    try {
      answer = isWorkingDay(date);
    } catch (err) {
      answer = err as Error;
    }
    known.set(date, answer);
  }
  if (answer instanceof Error) throw answer;
  return answer;
}

function referenceAdd(from: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0: ${n}`);
  let ms = msOf(from);
  if (Number.isNaN(ms) || format(ms) !== from) throw new RangeError(`Not a date: ${from}`);
  for (let counted = 0; counted < n;) {
    ms += DAY_MS;
    if (workingDay(format(ms))) counted++;
  }
  return format(ms);
}

function referenceBetween(from: string, to: string): number {
  const end = msOf(to);
  let count = 0;
  for (let ms = msOf(from) + DAY_MS; ms <= end; ms += DAY_MS) if (workingDay(format(ms))) count++;
  return count;
}

type Outcome = { value: string | number } | { error: string; year?: number; message: string };
const outcome = (f: () => string | number): Outcome => {
  try {
    return { value: f() };
  } catch (err) {
    if (err instanceof CalendarNotCoveredError) return { error: err.name, year: err.year, message: err.message };
    if (err instanceof RangeError) return { error: 'RangeError', message: '' };
    throw err;
  }
};

const first = calendarCoverage.first;
const last = calendarCoverage.last;
/** Every day within `radius` days of 1 January of each year from the first covered to the one after the last. */
function aroundYearBoundaries(radius: number): string[] {
  const out: string[] = [];
  for (let y = first; y <= last + 1; y++) {
    const jan1 = Date.UTC(y, 0, 1);
    for (let k = -radius; k <= radius; k++) out.push(format(jan1 + k * DAY_MS));
  }
  return out;
}
/** Every `step`-th day from a month before the calendar to a month after it. */
function everyNthDay(step: number): string[] {
  const out: string[] = [];
  for (let ms = Date.UTC(first - 1, 11, 1); ms <= Date.UTC(last + 1, 1, 1); ms += step * DAY_MS) out.push(format(ms));
  return out;
}

describe('working-day index (issue 17.4) against the day-by-day count', () => {
  it('covers contiguous years, so the runs tested here are the whole calendar', () => {
    // If chinese-days ever leaves a year out between covered ones, the index stops a count at
    // that year as the walk does; the samples below then cross that edge too.
    expect(last - first).toBeGreaterThan(10);
  });

  it('addWorkingDays: every day around each year boundary (and the uncovered edges) × n = 0..45', () => {
    let compared = 0;
    for (const from of aroundYearBoundaries(40)) {
      for (let n = 0; n <= 45; n++) {
        const ours = outcome(() => addWorkingDays(from, n));
        const ref = outcome(() => referenceAdd(from, n));
        if (JSON.stringify(ours) !== JSON.stringify(ref)) expect.fail(`addWorkingDays(${from}, ${n}): ours ${JSON.stringify(ours)}, day by day ${JSON.stringify(ref)}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20 * 81 * 46);
  });

  it('addWorkingDays: every third day of the calendar × short counts, every 37th × long ones, up to past its end', () => {
    const pairs = [
      ...everyNthDay(3).flatMap((from) => [0, 1, 2, 3, 5, 8, 13, 20, 21, 34, 60, 120, 250, 251].map((n) => [from, n] as const)),
      ...everyNthDay(37).flatMap((from) => [1000, 3000].map((n) => [from, n] as const)),
    ];
    {
      for (const [from, n] of pairs) {
        const ours = outcome(() => addWorkingDays(from, n));
        const ref = outcome(() => referenceAdd(from, n));
        if (JSON.stringify(ours) !== JSON.stringify(ref)) expect.fail(`addWorkingDays(${from}, ${n}): ours ${JSON.stringify(ours)}, day by day ${JSON.stringify(ref)}`);
      }
    }
  });

  it('addWorkingDays: a count longer than the whole calendar stops at its end, from anywhere in it', () => {
    for (const from of [`${first}-01-01`, `${first - 1}-12-31`, '2020-06-15', `${last}-12-30`]) {
      expect(outcome(() => addWorkingDays(from, 10_000_000))).toEqual(outcome(() => referenceAdd(from, 10_000_000)));
      expect(() => addWorkingDays(from, 10_000_000)).toThrow(CalendarNotCoveredError);
    }
  });

  it('workingDaysBetween: every day around each year boundary × spans of -3..45 days', () => {
    for (const from of aroundYearBoundaries(40)) {
      for (let k = -3; k <= 45; k++) {
        const to = format(msOf(from) + k * DAY_MS);
        const ours = outcome(() => workingDaysBetween(from, to));
        const ref = outcome(() => referenceBetween(from, to));
        if (JSON.stringify(ours) !== JSON.stringify(ref)) expect.fail(`workingDaysBetween(${from}, ${to}): ours ${JSON.stringify(ours)}, day by day ${JSON.stringify(ref)}`);
      }
    }
  });

  it('workingDaysBetween: each from × every to, cumulatively, across the whole calendar', () => {
    // One walk per `from` (every 61st day), checking the index at every day it passes.
    for (const from of everyNthDay(61)) {
      let count = 0;
      let error: Outcome | undefined;
      for (let ms = msOf(from) + DAY_MS; ms <= Date.UTC(last + 1, 0, 20); ms += DAY_MS) {
        const to = format(ms);
        if (!error) {
          const day = outcome(() => (workingDay(to) ? 1 : 0));
          if ('value' in day) count += day.value as number;
          else error = day;
        }
        const ours = outcome(() => workingDaysBetween(from, to));
        const expected = error ?? { value: count };
        if (JSON.stringify(ours) !== JSON.stringify(expected))
          expect.fail(`workingDaysBetween(${from}, ${to}): ours ${JSON.stringify(ours)}, day by day ${JSON.stringify(expected)}`);
      }
    }
  });

  it('keeps the edges: n = 0 needs no calendar, an empty span counts 0 anywhere, bad arguments are RangeErrors', () => {
    expect(addWorkingDays(`${last + 5}-03-03`, 0)).toBe(`${last + 5}-03-03`);
    expect(() => addWorkingDays(`${last + 5}-03-03`, 1)).toThrow(CalendarNotCoveredError);
    expect(outcome(() => addWorkingDays(`${last}-12-31`, 1))).toMatchObject({ error: 'CalendarNotCoveredError', year: last + 1 });
    expect(outcome(() => addWorkingDays(`${first - 1}-12-31`, 1))).toEqual({ value: referenceAdd(`${first - 1}-12-31`, 1) });
    expect(outcome(() => addWorkingDays(`${first - 1}-12-30`, 1))).toMatchObject({ error: 'CalendarNotCoveredError', year: first - 1 });
    expect(workingDaysBetween(`${last + 3}-05-01`, `${last + 3}-04-01`)).toBe(0);
    expect(workingDaysBetween(`${first - 3}-05-01`, `${first - 3}-05-01`)).toBe(0);
    expect(outcome(() => workingDaysBetween(`${first - 1}-12-31`, `${last + 1}-01-01`))).toMatchObject({ error: 'CalendarNotCoveredError', year: last + 1 });
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-09-21', 1.5)).toThrow(RangeError);
    expect(() => workingDaysBetween('2026-09-21', '2026-9-30')).toThrow(RangeError);
    expect(() => workingDaysBetween('2026-13-01', '2026-09-30')).toThrow(RangeError);
    // Past year 9999 there is no YYYY-MM-DD: the count raises what parsing that day raises.
    expect(() => addWorkingDays('9999-12-31', 1)).toThrow(RangeError);
  });

  it('deadlineAfter reports the first uncovered year the count reaches, as before', () => {
    // Every day from October of the last covered year into the next: due dates, then uncovered ones.
    const kinds = new Set<string>();
    for (let ms = Date.UTC(last, 9, 1); ms <= Date.UTC(last + 1, 0, 31); ms += DAY_MS) {
      const from = format(ms);
      const d = deadlineAfter(from, 20);
      const ref = outcome(() => referenceAdd(from, 20));
      kinds.add(d.kind);
      if ('value' in ref) expect(d).toEqual({ kind: 'due', due: ref.value });
      else expect(d).toMatchObject({ kind: 'uncovered', year: ref.year });
    }
    expect([...kinds].sort()).toEqual(['due', 'uncovered']);
  });
});

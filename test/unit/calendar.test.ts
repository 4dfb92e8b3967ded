import { describe, expect, it } from 'vitest';
import { addWorkingDays, CalendarNotCoveredError, calendarCoverage, chinaDate, deadlineAfter, holidayName, isWorkingDay, workingDaysBetween } from '#shared/calendar';

describe('China working-day calendar', () => {
  it('counts 20 working days from 2026-09-21 to 2026-10-26, across 中秋 and 国庆 with their 调休 days', () => {
    expect(addWorkingDays('2026-09-21', 20)).toBe('2026-10-26');
    expect(workingDaysBetween('2026-09-21', '2026-10-26')).toBe(20);
  });

  it('knows the holidays and the make-up working days of 国庆 2026', () => {
    // 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are working days (调休).
    for (const d of ['2026-10-01', '2026-10-04', '2026-10-07', '2026-09-25']) expect(isWorkingDay(d)).toBe(false);
    expect(isWorkingDay('2026-09-20')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true);
    expect(holidayName('2026-10-10')).toBe('国庆节');
    expect(holidayName('2026-10-03')).toBe('国庆节');
    expect(holidayName('2026-10-13')).toBeUndefined();
  });

  it('knows 春节 2026 and its Saturday make-up days', () => {
    // 2026-02-15..02-23 off; Saturday 02-14 and 02-28 are working days.
    expect(isWorkingDay('2026-02-16')).toBe(false);
    expect(isWorkingDay('2026-02-23')).toBe(false);
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true);
    // From Friday 02-13: 02-14 (Sat, 调休) is the first working day, then 02-24.
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
  });

  it('flags a date in a year the calendar does not cover instead of guessing a plain weekday', () => {
    const next = calendarCoverage.last + 1;
    expect(() => isWorkingDay(`${next}-03-03`)).toThrow(CalendarNotCoveredError);
    const d = deadlineAfter(`${calendarCoverage.last}-12-20`, 20);
    expect(d.kind).toBe('uncovered');
    if (d.kind === 'uncovered') {
      expect(d.year).toBe(next);
      expect(d.message.zh).toContain(String(next));
      expect(d.message.en).toContain('does not cover');
    }
    expect(deadlineAfter('2026-09-21', 20)).toEqual({ kind: 'due', due: '2026-10-26' });
    expect(() => isWorkingDay(`${calendarCoverage.first - 1}-06-01`)).toThrow(CalendarNotCoveredError);
  });

  it('answers as chinese-days itself does on every day of every covered year', async () => {
    // The package's own isWorkday, its tables built at its import (what the calendar no longer loads).
    const { default: chineseDays } = await import('chinese-days');
    // chinese-days reads the weekday in local time: in China's zone, as its users are.
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      let days = 0;
      for (let ms = Date.UTC(calendarCoverage.first, 0, 1); ms < Date.UTC(calendarCoverage.last + 1, 0, 1); ms += 86_400_000, days++) {
        const date = new Date(ms).toISOString().slice(0, 10);
        if (isWorkingDay(date) !== chineseDays.isWorkday(date)) expect.fail(`${date}: ours ${isWorkingDay(date)}, chinese-days ${chineseDays.isWorkday(date)}`);
      }
      expect(days).toBeGreaterThan(365 * (calendarCoverage.last - calendarCoverage.first));
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('takes dates in China time', () => {
    expect(chinaDate('2026-09-30T16:30:00Z')).toBe('2026-10-01');
    expect(chinaDate(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => addWorkingDays('2026-13-01', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-09-21', -1)).toThrow(RangeError);
  });
});

describe('PUB-5: the publication clock of a 主动公开 document (条例 Art. 26)', () => {
  it('is due 20 working days after forming, and says whether publication kept it', async () => {
    const { publicationClock } = await import('#shared/rules/workflow');
    expect(publicationClock('2026-09-21')).toEqual({ formedOn: '2026-09-21', due: '2026-10-26' });
    expect(publicationClock('2026-09-21', '2026-10-26')).toMatchObject({ due: '2026-10-26', workingDaysTaken: 20, withinLimit: true });
    expect(publicationClock('2026-09-21', '2026-10-27')).toMatchObject({ workingDaysTaken: 21, withinLimit: false });
    // Eight days of 国庆 holidays do not count against the office.
    expect(publicationClock('2026-09-30', '2026-10-09')).toMatchObject({ workingDaysTaken: 2, withinLimit: true });
  });

  it('flags a deadline beyond the calendar, and still judges a publication the calendar can count', async () => {
    const { publicationClock } = await import('#shared/rules/workflow');
    const last = calendarCoverage.last;
    expect(publicationClock(`${last}-12-20`)).toMatchObject({ due: null, uncoveredYear: last + 1 });
    expect(publicationClock(`${last}-12-20`, `${last}-12-28`)).toMatchObject({ due: null, withinLimit: true });
    const late = publicationClock(`${last}-12-20`, `${last + 1}-01-20`);
    expect(late.due).toBeNull();
    expect(late.withinLimit).toBeUndefined();
  });
});

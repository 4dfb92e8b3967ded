import { describe, expect, it } from 'vitest';
import { taskWait } from '#shared/domain/task';

/** Task overdue (issue 12.1) counts China's working days, with holidays and 调休, never calendar days. */
describe('taskWait', () => {
  const at = (day: string) => new Date(`${day}T02:00:00Z`); // 10:00 China time

  it('counts working days across 国庆 and its 调休: 20 from 2026-09-21 to 2026-10-26', () => {
    expect(taskWait('2026-09-21T02:00:00Z', at('2026-10-26'), 20)).toEqual({ overdue: false, waitingWorkingDays: 20 });
    expect(taskWait('2026-09-21T02:00:00Z', at('2026-10-26'), 19)).toEqual({ overdue: true, waitingWorkingDays: 20 });
  });

  it('a week of holiday is no wait at all', () => {
    const wait = taskWait('2026-10-01T02:00:00Z', at('2026-10-07'), 5);
    expect(wait.overdue).toBe(false);
    expect(wait.waitingWorkingDays).toBe(0);
  });

  it('takes the day in China time: 23:30 UTC is already the next day', () => {
    // Friday 23:30 UTC is Saturday 07:30 in China: by Monday one working day (Monday) has passed, as from Friday evening.
    expect(taskWait('2026-03-06T23:30:00Z', at('2026-03-09'), 5).waitingWorkingDays).toBe(1);
    expect(taskWait('2026-03-06T15:00:00Z', at('2026-03-09'), 5).waitingWorkingDays).toBe(1);
    expect(taskWait('2026-03-06T15:59:00Z', at('2026-03-06'), 5).waitingWorkingDays).toBe(0);
  });

  it('a wait into a year the calendar does not cover is flagged, never guessed', () => {
    expect(taskWait('2026-12-28T02:00:00Z', at('2027-01-20'), 5)).toEqual({ overdue: 'unknown' });
    // Within the limit even in calendar days: certainly not overdue.
    expect(taskWait('2026-12-30T02:00:00Z', at('2027-01-02'), 5)).toEqual({ overdue: false });
  });
});

describe('the Art. 26 clock past the calendar', () => {
  it('is late when published after a known last day, though the days cannot be counted', async () => {
    const { publicationClock } = await import('#shared/rules/workflow');
    expect(publicationClock('2026-03-02', '2027-02-01')).toEqual({ formedOn: '2026-03-02', due: '2026-03-30', publishedOn: '2027-02-01', withinLimit: false });
    expect(publicationClock('2026-12-20', '2027-01-05')).toEqual({ formedOn: '2026-12-20', due: null, uncoveredYear: 2027, publishedOn: '2027-01-05' });
  });
});

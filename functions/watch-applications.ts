import { deadlines } from '#shared/applications';
import { reportsDue } from '#shared/annual-report-reminder';
import { listBodies } from '#shared/bodies';
import { today as chinaToday } from '#shared/clock';
import { log } from '#shared/log';
import { metrics } from '#shared/metrics';
import { observe } from '#shared/observe';

/**
 * Daily: for every body, its applications overdue and those due within 5 working days (one
 * query of the deadline index each), logged for the information centre and counted as the
 * metrics ApplicationsOverdue and ApplicationsDueSoon, on which the alarm in AWS fires. Also the
 * annual-report reminder: the bodies whose report on last year is not published (`reports`).
 */
export const handler = observe('watch-applications', async () => {
  const today = chinaToday();
  let overdue = 0;
  let dueSoon = 0;
  for (const body of await listBodies()) {
    const d = await deadlines(body.id, today);
    overdue += d.overdue.length;
    dueSoon += d.dueSoon.length;
    if (d.overdue.length || d.dueSoon.length || d.uncovered.length)
      log.warn('applications due', { body: body.id, overdue: d.overdue.map((a) => a.id), dueSoon: d.dueSoon.map((a) => a.id), uncovered: d.uncovered.map((a) => a.id) });
    dueSoon += d.uncovered.length;
  }
  metrics.applicationsWatched(overdue, dueSoon);
  // 条例 Art. 49: the bodies without a published annual report on last year, from 1 January on.
  const reports = await reportsDue(today);
  if (reports?.missing.length)
    log.warn('annual reports due', { year: reports.year, deadline: reports.deadline, daysLeft: reports.daysLeft, missing: reports.missing.map((b) => `${b.id}:${b.status}`) });
  return { today, overdue, dueSoon, ...(reports ? { reports } : {}) };
});

import { reportsDue } from '#shared/annual-report-reminder';
import { today as chinaToday } from '#shared/clock';
import { dueYear } from '#shared/domain/report-reminder';
import { reportDeadline } from '#shared/domain/annual-report';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/annual-reports';
import { bodiesOf } from '#shared/scope';

/**
 * GET /annual-reports/due: the reminder of 条例 Art. 49 on today (China time) — from 1 January, the
 * bodies whose report on the past year is not yet published, with where it stands. The information
 * centre sees the bodies it acts for; the platform administrator every body. Before the window
 * opens the answer says so (`open: false`) and lists none.
 */
export const handler = apiHandler(ROUTES.listReportsDue, async ({ who }) => {
  const today = chinaToday();
  const reminder = await reportsDue(today);
  const year = dueYear(today);
  if (!reminder) return { today, open: false, year, deadline: reportDeadline(year), daysLeft: 0, overdue: false, missing: [] };
  const mine = who.role === 'admin' ? reminder.missing : reminder.missing.filter((b) => bodiesOf(who).includes(b.id));
  return { today, open: true, year: reminder.year, deadline: reminder.deadline, daysLeft: reminder.daysLeft, overdue: reminder.overdue, missing: [...mine] };
});

import { listReports, reportScope } from '#shared/annual-reports';
import { today } from '#shared/clock';
import { reportDeadline } from '#shared/domain/annual-report';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/annual-reports';

/** GET /bodies/{id}/annual-reports: the body's annual reports, each year with its status, and the year whose report is due now (last year's). */
export const handler = apiHandler(ROUTES.listAnnualReports, async ({ who, id }) => {
  const day = today();
  const { body } = reportScope(who, id, undefined, day);
  const reports = (await listReports(body)).map((r) => ({ ...r, deadline: reportDeadline(r.year) }));
  const dueYear = String(Number(day.slice(0, 4)) - 1);
  return { body, reports, due: { year: dueYear, deadline: reportDeadline(dueYear), started: reports.some((r) => r.year === dueYear) } };
});

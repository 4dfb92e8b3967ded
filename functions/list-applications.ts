import { deadlines, listApplications } from '#shared/applications';
import { today as chinaToday } from '#shared/clock';
import { summaryOf } from '#shared/domain/application';
import { NotFoundError } from '#shared/errors';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/applications';
import { bodiesOf } from '#shared/scope';

/**
 * GET /applications: the applications of the bodies the caller acts for (or of one, ?body=),
 * the most recent first, and apart those overdue and those due within 5 working days — read
 * from the deadline index, so the cost follows what is due, not what is open.
 */
export const handler = apiHandler(ROUTES.listApplications, async ({ who, query }) => {
  const today = chinaToday();
  const mine = bodiesOf(who);
  if (query.body && !mine.includes(query.body)) throw new NotFoundError({ zh: `您不代表公开主体 ${query.body}。`, en: `You do not act for the body ${query.body}.` });
  const bodies = query.body ? [query.body] : [...mine];
  const overdue = [];
  const dueSoon = [];
  const uncovered = [];
  const applications = [];
  for (const body of bodies) {
    const d = await deadlines(body, today);
    overdue.push(...d.overdue.map((a) => summaryOf(a, today)));
    dueSoon.push(...d.dueSoon.map((a) => summaryOf(a, today)));
    uncovered.push(...d.uncovered.map((a) => summaryOf(a, today)));
    applications.push(...(await listApplications(body)).map((a) => summaryOf(a, today)));
  }
  const byWatch = (a: { watchOn?: string }, b: { watchOn?: string }) => (a.watchOn ?? '').localeCompare(b.watchOn ?? '');
  return {
    today,
    bodies,
    overdue: overdue.sort(byWatch),
    dueSoon: dueSoon.sort(byWatch),
    uncovered,
    applications: applications.sort((a, b) => b.receivedOn.localeCompare(a.receivedOn)),
  };
});

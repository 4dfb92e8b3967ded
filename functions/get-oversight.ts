import { findBody } from '#shared/bodies';
import { today as chinaToday } from '#shared/clock';
import { BodyId } from '#shared/domain/body';
import { NotFoundError } from '#shared/errors';
import { apiHandler } from '#shared/http';
import { csvFileName, oversightCsv, oversightReport, referenceDay } from '#shared/oversight';
import { ROUTES } from '#shared/routes/oversight';
import { diversifiedTarget } from '#shared/rules/interpretation';
import { bodiesOf } from '#shared/scope';
import { siteConfig } from '#shared/site/config';

const notFound = (id: string) => new NotFoundError({ zh: `没有标识为 ${id} 的公开主体，或您不代表该主体。`, en: `No body ${id}, or you do not act for it.` });

/** Whether the caller asked for CSV: ?format=csv, or an Accept naming text/csv (and not JSON first). */
function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  return !!accept && /text\/csv/i.test(accept) && !/application\/json/i.test(accept.split(',')[0] ?? '');
}

/**
 * GET /bodies/{id}/oversight?year=YYYY: 监督考核 of a body and each of its drafting units —
 * read from fact counts and day indexes (shared/oversight.ts), never by reading the drafts. The
 * information centre sees the bodies it acts for; the platform administrator every body.
 */
export const handler = apiHandler(ROUTES.getOversight, async ({ id, who, query, event }) => {
  if (!BodyId.safeParse(id).success) throw notFound(id);
  if (who.role !== 'admin' && !bodiesOf(who).includes(id)) throw notFound(id);
  const stored = await findBody(id);
  if (!stored && id !== siteConfig.bodyId) throw notFound(id);
  const body = stored ? { id, name: stored.name, units: stored.units } : { id, name: siteConfig.siteName, units: [] as string[] };
  const today = chinaToday();
  const year = query.year ?? today.slice(0, 4);
  const report = await oversightReport(body, year, referenceDay(year, today), diversifiedTarget(Number(year)) * 100);
  const accept = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'accept')?.[1];
  if (wantsCsv(query.format, accept)) return { fileName: csvFileName(report), contentType: 'text/csv; charset=utf-8' as const, csv: oversightCsv(report) };
  return report;
});

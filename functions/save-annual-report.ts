import { reportOrBlank, reportScope, saveReport } from '#shared/annual-reports';
import { now, today } from '#shared/clock';
import { enterValues, reportView } from '#shared/domain/annual-report';
import { ConflictError } from '#shared/errors';
import { actorOf, apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/annual-reports';

/**
 * POST /bodies/{id}/annual-reports/{year}: the information centre enters cells (null clears one)
 * and text sections ('' clears one) of a DRAFT report, at the version it read (0: a report
 * never saved). A computed or unknown cell is refused (400, naming it); a stale version is a
 * 409; a submitted or published report takes no entries (409).
 */
export const handler = apiHandler(ROUTES.saveAnnualReport, async ({ who, id, event, body: entries }) => {
  const at = now();
  const { body, year } = reportScope(who, id, event.pathParameters?.year ?? '', today());
  const current = await reportOrBlank(body, year, at);
  if (current.version !== entries.version)
    throw new ConflictError({
      zh: `${year} 年度报告已被他人修改（您读取的是第 ${entries.version} 版，现为第 ${current.version} 版），请刷新后重新填报。`,
      en: `The ${year} report was changed by someone else (you read version ${entries.version}, it is at ${current.version}); reload and enter again.`,
    });
  const next = enterValues(current, entries, actorOf(who), at.toISOString());
  return reportView(await saveReport(current, next));
});

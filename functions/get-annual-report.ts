import { reportOrBlank, reportScope } from '#shared/annual-reports';
import { now, today } from '#shared/clock';
import { reportView } from '#shared/domain/annual-report';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/annual-reports';

/**
 * GET /bodies/{id}/annual-reports/{year}: the report, every cell with its source — a draft's
 * computed cells computed now from the applications and the normative documents, the entered
 * ones with who entered them and when. A report never saved is shown blank at version 0 (this
 * route writes nothing).
 */
export const handler = apiHandler(ROUTES.getAnnualReport, async ({ who, id, event }) => {
  const { body, year } = reportScope(who, id, event.pathParameters?.year ?? '', today());
  return reportView(await reportOrBlank(body, year, now()));
});

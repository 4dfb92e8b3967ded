import { loadReport, reportScope } from '#shared/annual-reports';
import { submitReport } from '#shared/annual-report-submission';
import { now, today } from '#shared/clock';
import { reportView } from '#shared/domain/annual-report';
import { ConflictError, NotFoundError } from '#shared/errors';
import { actorOf, apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/annual-reports';

/**
 * POST /bodies/{id}/annual-reports/{year}/submit: the information centre submits a DRAFT report,
 * at the version it read, for approval. The report is frozen (SUBMITTED) and becomes a draft of
 * its body that goes through extraction, the rulebook and an approver like any other
 * (shared/annual-report-submission.ts); the answer names that draft.
 */
export const handler = apiHandler(ROUTES.submitAnnualReport, async ({ who, id, event, body: req }) => {
  const at = now();
  const version = req?.version ?? 0;
  const { body, year } = reportScope(who, id, event.pathParameters?.year ?? '', today());
  const current = await loadReport(body, year, at);
  if (!current) throw new NotFoundError({ zh: `${year} 年度报告尚未填报，不能报送。`, en: `No report on ${year} has been entered yet: there is nothing to submit.` });
  if (current.version !== version)
    throw new ConflictError({
      zh: `${year} 年度报告已被他人修改（您读取的是第 ${version} 版，现为第 ${current.version} 版），请刷新后核对再报送。`,
      en: `The ${year} report was changed (you read version ${version}, it is at ${current.version}); reload, check and submit again.`,
    });
  const { report, draft } = await submitReport(current, actorOf(who), at);
  return { report: reportView(report), draftId: draft.id };
});

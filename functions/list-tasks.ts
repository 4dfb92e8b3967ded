import middy from '@middy/core';
import { nowIso } from '#shared/clock';
import { httpErrors, json, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { listByStatus } from '#shared/store';

/** GET /tasks: drafts waiting for a decision, oldest first, with who holds a claim on each. */
export const listTasksHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['approver', 'infocenter']);
  const at = nowIso();
  const drafts = await listByStatus('PENDING_APPROVAL', { limit: 200 });
  return json(200, {
    tasks: drafts.map((d) => {
      const claim = d.task?.claim && d.task.claim.until > at ? d.task.claim : undefined;
      return {
        taskId: d.task?.id,
        draftId: d.id,
        version: d.version,
        title: d.form.title,
        draftingUnit: d.form.draftingUnit,
        attribute: d.form.attribute,
        isPolicy: d.form.isPolicy,
        waitingSince: d.stageEnteredAt,
        warnings: d.findings.filter((f) => f.severity === 'warn').length,
        claimedBy: claim?.by.name,
        claimUntil: claim?.until,
        ownSubmission: d.submitter.sub === who.sub,
      };
    }),
  });
};

export const handler = middy(listTasksHandler).use(httpErrors());

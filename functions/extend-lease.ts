import middy from '@middy/core';
import { ExtendLeaseRequest } from '#shared/api';
import { now } from '#shared/clock';
import { TASK_STATUSES } from '#shared/domain/draft';
import { ConflictError } from '#shared/errors';
import { bodyOf, httpErrors, json, parseWith, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { amend, getDraft } from '#shared/store';
import { tokenHash } from '#shared/tasks';
import { TASKS } from '#shared/topology';

/**
 * POST /tasks/{id}/lease (id = draft id): extends a live claim while the approver works.
 * The lease counts from now; the claim's `until` moves, and with it the task's inbox entry
 * (claimable again only when the new lease ends). An expired or foreign claim is a 409.
 */
export const extendLeaseHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['approver', 'infocenter']);
  const { claimToken, leaseSeconds = TASKS.defaultLeaseSeconds } = parseWith(ExtendLeaseRequest, bodyOf(event));
  const draft = await getDraft(event.pathParameters?.id ?? '');
  const at = now();
  const claim = draft.task?.claim;
  if (!draft.task || !TASK_STATUSES.includes(draft.status) || !claim || claim.by.sub !== who.sub || claim.tokenHash !== tokenHash(claimToken) || Date.parse(claim.until) <= at.getTime()) {
    throw new ConflictError({
      zh: '您没有该任务的有效领取（可能已超时或被他人领取），无法延长，请重新领取。',
      en: 'You do not hold a live claim on this task (it may have expired or been taken); claim it again.',
    });
  }
  const until = new Date(at.getTime() + leaseSeconds * 1000).toISOString();
  const next = await amend(draft, { task: { ...draft.task, claim: { ...claim, until } } }, { actor: claim.by, event: 'LEASE_EXTENDED', note: `租约延至 ${until}` });
  return json(200, { taskId: next.task!.id, leaseUntil: until, version: next.version });
};

export const handler = middy(extendLeaseHandler).use(httpErrors());

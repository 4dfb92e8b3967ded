import middy from '@middy/core';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { DecisionRequest } from '#shared/api';
import { sqs } from '#shared/aws/clients';
import { now } from '#shared/clock';
import { draftView, type Draft } from '#shared/domain/draft';
import { env } from '#shared/env';
import { ConflictError, ForbiddenError } from '#shared/errors';
import { bodyOf, httpErrors, json, parseWith, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { sendMessage } from '#shared/messages';
import { getDraft, transition } from '#shared/store';
import { tokenHash } from '#shared/tasks';

const addYears = (d: Date, years: number) => {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
};

/**
 * POST /tasks/{id}/decision (id = draft id): approve or reject a claimed task. Needs the
 * live claim (token and lease) and the version the approver reviewed; of two approvers
 * deciding at once exactly one write lands and the other gets 409.
 */
export const decideTaskHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['approver']);
  const req = parseWith(DecisionRequest, bodyOf(event));
  const draft = await getDraft(event.pathParameters?.id ?? '');
  const at = now();

  if (draft.submitter.sub === who.sub) {
    throw new ForbiddenError({ zh: '审批人不能审批本人提交的文件。', en: 'An approver cannot decide on their own submission.' });
  }
  if (draft.status !== 'PENDING_APPROVAL' || !draft.task) {
    throw new ConflictError({ zh: `该文件当前状态为 ${draft.status}，不在待审批状态。`, en: `The draft is ${draft.status}, not waiting for approval.` });
  }
  const claim = draft.task.claim;
  if (!claim || claim.by.sub !== who.sub || claim.tokenHash !== tokenHash(req.claimToken) || Date.parse(claim.until) <= at.getTime()) {
    throw new ConflictError({
      zh: '您没有该任务的有效领取（可能已超时或被他人领取），请重新领取后再审批。',
      en: 'You do not hold a live claim on this task (it may have expired or been claimed by someone else); claim it again.',
    });
  }
  if (req.version !== draft.version) {
    throw new ConflictError({ zh: '文件在您审阅后已有变化，请刷新后重新审阅。', en: 'The draft changed since you reviewed it; reload and review again.' });
  }

  const { sub, name, role, unit } = who;
  const by = { sub, name, role, ...(unit ? { unit } : {}) };
  const decision = { outcome: req.outcome, by, at: at.toISOString(), ...(req.reason ? { reason: req.reason } : {}) };
  const change = { decision, task: { ...draft.task, claim: undefined } };
  let next: Draft;
  if (req.outcome === 'reject') {
    next = await transition(draft, 'REJECTED', change, { actor: by, event: 'REJECTED_BY_APPROVER', note: req.reason });
  } else if (draft.form.attribute === '主动公开') {
    next = await transition(draft, 'PUBLISHING', change, { actor: by, event: 'APPROVED', note: req.reason });
    await sendMessage('publish', { draftId: next.id });
  } else {
    const reviewDue = addYears(at, 1).toISOString().slice(0, 10);
    next = await transition(
      draft,
      'FILED',
      { ...change, filing: { filedAt: at.toISOString(), reviewDue } },
      { actor: by, event: 'APPROVED_FILED', note: `${draft.form.attribute}；下次复核 ${reviewDue}` },
    );
  }
  // The task is done: remove its message. A failure here only leaves a stale message that
  // the next claim deletes.
  await sqs()
    .send(new DeleteMessageCommand({ QueueUrl: env.queueUrl('approval'), ReceiptHandle: req.claimToken }))
    .catch((err: unknown) => console.warn(JSON.stringify({ level: 'warn', message: 'could not delete approval message', error: String(err) })));
  return json(200, draftView(next));
};

export const handler = middy(decideTaskHandler).use(httpErrors());

import middy from '@middy/core';
import { WithdrawalRequest } from '#shared/api';
import { nowIso } from '#shared/clock';
import { draftView, STATUS_LABELS } from '#shared/domain/draft';
import { ConflictError } from '#shared/errors';
import { actorOf, bodyOf, httpErrors, json, parseWith, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { sendMessage } from '#shared/messages';
import { getDraft, transition } from '#shared/store';

/**
 * POST /documents/{id}/withdrawal: an approver or the information centre withdraws a
 * published document from the public site, with a reason (shown on the notice that
 * replaces its pages). The draft moves to WITHDRAWING with the withdrawal recorded, in one
 * conditional write with its history line; the site consumer (render-site, one run at a
 * time) then replaces the pages, drops the document from every index, invalidates the CDN
 * and completes it as WITHDRAWN. A lost message is re-sent by the reconciler (WITHDRAWING
 * is a stage it watches).
 */
export const withdrawDocumentHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['approver', 'infocenter']);
  const { reason } = parseWith(WithdrawalRequest, bodyOf(event));
  const draft = await getDraft(event.pathParameters?.id ?? '');
  if (draft.status !== 'PUBLISHED') {
    throw new ConflictError({
      zh: `只有已公开发布的文件可以撤回（该文件当前状态为“${STATUS_LABELS[draft.status]}”，${draft.status}）。`,
      en: `Only a published document can be withdrawn; this one is ${draft.status}.`,
    });
  }
  const by = actorOf(who);
  const next = await transition(
    draft,
    'WITHDRAWING',
    { withdrawal: { reason, at: nowIso(), by } },
    { actor: by, event: 'WITHDRAWAL_REQUESTED', note: reason },
  );
  // After the commit: the consumer reads WITHDRAWING. The dedup id makes a retried send land once.
  await sendMessage('site', { op: 'withdraw', draftId: next.id }, `${next.id}:withdraw`);
  return json(200, draftView(next));
};

export const handler = middy(withdrawDocumentHandler).use(httpErrors());

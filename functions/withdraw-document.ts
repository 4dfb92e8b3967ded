import { visibleDraft } from '#shared/access';
import { nowIso } from '#shared/clock';
import { draftView, STATUS_LABELS } from '#shared/domain/draft';
import { ConflictError } from '#shared/errors';
import { apiHandler, actorOf } from '#shared/http';
import { ROUTES } from '#shared/routes/documents';
import { sendMessage } from '#shared/messages';
import { transition } from '#shared/store';

/**
 * POST /documents/{id}/withdrawal: an approver or the information centre withdraws a
 * published document from the public site, with a reason (shown on the notice that
 * replaces its pages). The draft moves to WITHDRAWING with the withdrawal recorded, in one
 * conditional write with its history line; the site consumer (render-site, one run at a
 * time) then replaces the pages, drops the document from every index, invalidates the CDN
 * and completes it as WITHDRAWN. A lost message is re-sent by the reconciler (WITHDRAWING
 * is a stage it watches).
 */
export const handler = apiHandler(ROUTES.withdrawDocument, async ({ id, who, body: { reason } }) => {
  const draft = await visibleDraft(id, who);
  if (draft.status !== 'PUBLISHED') {
    throw new ConflictError({
      zh: `只有已公开发布的文件可以撤回（该文件当前状态为“${STATUS_LABELS[draft.status]}”，${draft.status}）。`,
      en: `Only a published document can be withdrawn; this one is ${draft.status}.`,
    });
  }
  const by = actorOf(who);
  const next = await transition(draft, 'WITHDRAWING', { withdrawal: { reason, at: nowIso(), by } }, { actor: by, event: 'WITHDRAWAL_REQUESTED', note: reason });
  // After the commit: the consumer reads WITHDRAWING. The dedup id makes a retried send land once.
  await sendMessage('site', { op: 'withdraw', draftId: next.id }, `${next.id}:withdraw`);
  return draftView(next);
});

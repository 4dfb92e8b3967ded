import { visibleDraft } from '#shared/access';
import { now } from '#shared/clock';
import { draftView } from '#shared/domain/draft';
import { env } from '#shared/env';
import { ConflictError } from '#shared/errors';
import { apiHandler, actorOf } from '#shared/http';
import { ROUTES } from '#shared/routes';
import { amend, getDraft } from '#shared/store';
import { startReview } from '#shared/tasks';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * POST /documents/{id}/applications: the information centre records an application for a
 * filed 依申请公开 document. When the applications of the last 12 months reach the
 * threshold (REVIEW_APPLICATION_THRESHOLD), its re-review is queued at once (REV-2), with
 * the same one-task-per-cycle rule as the yearly schedule.
 */
export const handler = apiHandler(ROUTES.recordApplication, async ({ id, who, body: { note } }) => {
  const draft = await visibleDraft(id, who);
  if (draft.form.attribute !== '依申请公开' || (draft.status !== 'FILED' && draft.status !== 'REVIEWING')) {
    throw new ConflictError({
      zh: `只有已归档的依申请公开文件可以登记公开申请（该文件为 ${draft.form.attribute ?? '未定'}，状态 ${draft.status}）。`,
      en: `Applications are recorded only for filed 依申请公开 (on request) documents; this one is ${draft.status}.`,
    });
  }
  const at = now();
  const by = actorOf(who);
  const applications = [...(draft.applications ?? []), { at: at.toISOString(), by, ...(note ? { note } : {}) }];
  const recent = applications.filter((a) => Date.parse(a.at) > at.getTime() - YEAR_MS).length;
  const threshold = env.reviewApplicationThreshold();
  const applicationsTotal = (draft.applicationsTotal ?? draft.applications?.length ?? 0) + 1;
  let next = await amend(
    draft,
    { applications, applicationsTotal },
    { actor: by, event: 'APPLICATION_RECORDED', note: `近 12 个月第 ${recent} 件申请（阈值 ${threshold}）${note ? `：${note}` : ''}` },
  );
  let reviewQueued = false;
  if (recent >= threshold && next.status === 'FILED') {
    reviewQueued = await startReview(next, `申请公开达到 ${recent} 件（阈值 ${threshold}），提前复核 / early review: ${recent} applications in 12 months`);
    next = await getDraft(next.id);
  }
  return { recentApplications: recent, threshold, reviewQueued, draft: draftView(next) };
});

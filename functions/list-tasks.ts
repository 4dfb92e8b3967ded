import { now } from '#shared/clock';
import { TASK_STATUSES } from '#shared/domain/draft';
import { taskWait } from '#shared/domain/task';
import { env } from '#shared/env';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/tasks';
import { actsForDraft, bodyOfDraft } from '#shared/scope';
import { publicationClock } from '#shared/rules/workflow';
import { listByStatus } from '#shared/store';

const publishBy = (formedOn: string) => {
  const clock = publicationClock(formedOn);
  return clock.due ? { publishBy: clock.due } : {};
};

/**
 * GET /tasks: drafts waiting for a decision (approvals and re-reviews), oldest first, with
 * who holds a claim on each. A task waiting longer than TASK_OVERDUE_DAYS working days
 * (China's calendar, with 调休) since it was queued is flagged `overdue`, one whose wait the
 * calendar cannot count `overdueUnknown`; `?overdue=true` lists both (the information
 * centre's watch list). Only the tasks of the bodies the caller acts for (issue 16.2).
 */
export const handler = apiHandler(ROUTES.listTasks, async ({ who, query }) => {
  const at = now();
  const atIso = at.toISOString();
  const overdueDays = env.taskOverdueDays();
  const onlyOverdue = query.overdue === 'true';
  const drafts = (await Promise.all(TASK_STATUSES.map((s) => listByStatus(s, { limit: 200 })))).flat();
  const tasks = drafts
    .filter((d) => d.task && actsForDraft(who, d))
    .map((d) => {
      const task = d.task!;
      const wait = taskWait(task.enqueuedAt, at, overdueDays);
      const claim = task.claim && task.claim.until > atIso ? task.claim : undefined;
      return {
        taskId: task.id,
        kind: task.kind,
        draftId: d.id,
        version: d.version,
        status: d.status,
        title: d.form.title,
        draftingUnit: d.form.draftingUnit,
        body: bodyOfDraft(d),
        attribute: d.form.attribute,
        isPolicy: d.form.isPolicy,
        waitingSince: task.enqueuedAt,
        overdue: wait.overdue === true,
        ...(wait.waitingWorkingDays !== undefined ? { waitingWorkingDays: wait.waitingWorkingDays } : {}),
        ...(wait.overdue === 'unknown' ? { overdueUnknown: true as const } : {}),
        ...(d.filing ? { reviewDue: d.filing.reviewDue } : {}),
        // 主动公开: the last day of the Art. 26 clock (PUB-5), for the approver to see what is pressing.
        ...(d.form.attribute === '主动公开' && d.form.documentDate && task.kind !== 'review' ? publishBy(d.form.documentDate) : {}),
        warnings: d.findings.filter((f) => f.severity === 'warn').length,
        claimedBy: claim?.by.name,
        claimUntil: claim?.until,
        ownSubmission: d.submitter.sub === who.sub,
      };
    })
    .filter((t) => !onlyOverdue || t.overdue || t.overdueUnknown)
    .sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
  return { overdueDays, tasks };
});

import { now } from '#shared/clock';
import { TASK_STATUSES } from '#shared/domain/draft';
import { env } from '#shared/env';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes';
import { actsForDraft, bodyOfDraft } from '#shared/scope';
import { listByStatus } from '#shared/store';

/**
 * GET /tasks: drafts waiting for a decision (approvals and re-reviews), oldest first, with
 * who holds a claim on each. A task waiting longer than TASK_OVERDUE_DAYS since it was
 * queued is flagged `overdue`; `?overdue=true` lists only those (the information centre's
 * watch list). Only the tasks of the bodies the caller acts for (issue 16.2).
 */
export const handler = apiHandler(ROUTES.listTasks, async ({ who, query }) => {
  const at = now();
  const atIso = at.toISOString();
  const overdueDays = env.taskOverdueDays();
  const overdueBefore = at.getTime() - overdueDays * 24 * 3600 * 1000;
  const onlyOverdue = query.overdue === 'true';
  const drafts = (await Promise.all(TASK_STATUSES.map((s) => listByStatus(s, { limit: 200 })))).flat();
  const tasks = drafts
    .filter((d) => d.task && actsForDraft(who, d))
    .map((d) => {
      const task = d.task!;
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
        overdue: Date.parse(task.enqueuedAt) < overdueBefore,
        ...(d.filing ? { reviewDue: d.filing.reviewDue } : {}),
        warnings: d.findings.filter((f) => f.severity === 'warn').length,
        claimedBy: claim?.by.name,
        claimUntil: claim?.until,
        ownSubmission: d.submitter.sub === who.sub,
      };
    })
    .filter((t) => !onlyOverdue || t.overdue)
    .sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
  return { overdueDays, tasks };
});

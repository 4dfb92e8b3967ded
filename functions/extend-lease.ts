import { visibleDraft } from '#shared/access';
import { now } from '#shared/clock';
import { TASK_STATUSES } from '#shared/domain/draft';
import { LEASE_EXTENSION_WINDOW_MS, LEASE_EXTENSIONS_PER_WINDOW, MAX_LEASE_LIFE_MS } from '#shared/domain/bounds';
import { ConflictError, TooManyRequestsError } from '#shared/errors';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/tasks';
import { amend } from '#shared/store';
import { tokenHash } from '#shared/tasks';
import { TASKS } from '#shared/topology';

/**
 * POST /tasks/{id}/lease (id = draft id): extends a live claim while the approver works.
 * The lease counts from now; the claim's `until` moves, and with it the task's inbox entry
 * (claimable again only when the new lease ends). An expired or foreign claim is a 409.
 *
 * Bounded, since every extension is a write and a history line: at most
 * LEASE_EXTENSIONS_PER_WINDOW per claim within LEASE_EXTENSION_WINDOW_MS (more: 429 with
 * Retry-After), and no lease past MAX_LEASE_LIFE_MS after the claim was taken (a longer
 * request is cut to that end; none left: 409). Two extensions at once race on the draft's
 * version, so the limit holds under concurrency too.
 */
export const handler = apiHandler(ROUTES.extendLease, async ({ id, who, body: { claimToken, leaseSeconds = TASKS.defaultLeaseSeconds } }) => {
  const draft = await visibleDraft(id, who);
  const at = now();
  const claim = draft.task?.claim;
  if (
    !draft.task ||
    !TASK_STATUSES.includes(draft.status) ||
    !claim ||
    claim.by.sub !== who.sub ||
    claim.tokenHash !== tokenHash(claimToken) ||
    Date.parse(claim.until) <= at.getTime()
  ) {
    throw new ConflictError({
      zh: '您没有该任务的有效领取（可能已超时或被他人领取），无法延长，请重新领取。',
      en: 'You do not hold a live claim on this task (it may have expired or been taken); claim it again.',
    });
  }
  const recent = (claim.extensions ?? []).filter((t) => at.getTime() - Date.parse(t) < LEASE_EXTENSION_WINDOW_MS);
  if (recent.length >= LEASE_EXTENSIONS_PER_WINDOW) {
    const retryAfter = (Date.parse(recent[0]!) + LEASE_EXTENSION_WINDOW_MS - at.getTime()) / 1000;
    const minutes = LEASE_EXTENSION_WINDOW_MS / 60_000;
    throw new TooManyRequestsError(
      {
        zh: `该任务的租约在 ${minutes} 分钟内已延长 ${recent.length} 次，已达上限；请在 ${Math.ceil(retryAfter)} 秒后再延长，或一次申请更长的租约（leaseSeconds）。`,
        en: `This claim's lease was extended ${recent.length} times in ${minutes} minutes, the limit; extend again in ${Math.ceil(retryAfter)} s, or ask for a longer lease (leaseSeconds) at once.`,
      },
      retryAfter,
    );
  }
  // A claim taken before claims recorded their start counts from its first extension.
  const since = claim.since ?? at.toISOString();
  const end = Date.parse(since) + MAX_LEASE_LIFE_MS;
  const untilMs = Math.min(at.getTime() + leaseSeconds * 1000, end);
  if (untilMs <= Date.parse(claim.until)) {
    throw new ConflictError({
      zh: `领取后的租约最长 ${MAX_LEASE_LIFE_MS / 3600_000} 小时（至 ${new Date(end).toISOString()}），不能再延长；请在到期前作出决定，或到期后重新领取。`,
      en: `A lease lasts at most ${MAX_LEASE_LIFE_MS / 3600_000} hours from the claim (until ${new Date(end).toISOString()}) and cannot be extended further; decide before then, or claim the task again after it ends.`,
    });
  }
  const until = new Date(untilMs).toISOString();
  const next = await amend(
    draft,
    { task: { ...draft.task, claim: { ...claim, since, until, extensions: [...recent, at.toISOString()] } } },
    { actor: claim.by, event: 'LEASE_EXTENDED', note: `租约延至 ${until}` },
  );
  return { taskId: next.task!.id, leaseUntil: until, version: next.version };
});

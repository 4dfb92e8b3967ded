import { createHash, randomBytes } from 'node:crypto';
import { CalendarNotCoveredError, chinaDate, workingDaysBetween } from '#shared/calendar';
import { nowIso } from '#shared/clock';
import type { Draft, TaskKind } from '#shared/domain/draft';
import { needsInfocenterFiling } from '#shared/rules/index';

/**
 * Approval tasks: one live task per draft revision, kept on the draft and listed in the
 * task inbox (shared/inbox.ts) by the same write; its seq counts how often it was queued.
 */

export const approvalTaskId = (d: Pick<Draft, 'id' | 'revision'>): string => `${d.id}:approve:r${d.revision}`;

/** The ATTR-3 filing with the information centre, once per revision. */
export const fileTaskId = (d: Pick<Draft, 'id' | 'revision'>): string => `${d.id}:file:r${d.revision}`;

/** One re-review per cycle: the id names the review date it answers, so repeats find it taken. */
export const reviewTaskId = (id: string, reviewDue: string): string => `${id}:review:${reviewDue}`;

export const tokenHash = (claimToken: string): string => createHash('sha256').update(claimToken).digest('hex').slice(0, 32);

/** A fresh claim token (the draft stores only its hash). */
export const newClaimToken = (): string => randomBytes(24).toString('base64url');

/**
 * The task record for a draft about to be (re-)queued: its review while under review;
 * before approval, first the information centre's filing when ATTR-3 asks for one, then
 * the approval.
 */
export function nextTask(d: Draft, at: string = nowIso()): NonNullable<Draft['task']> {
  if (d.task?.kind === 'review' && d.status === 'REVIEWING') return { ...d.task, claim: undefined, seq: d.task.seq + 1, enqueuedAt: at };
  const kind: TaskKind = needsInfocenterFiling(d.form) && !d.infocenterFiling ? 'file' : 'approve';
  return { id: kind === 'file' ? fileTaskId(d) : approvalTaskId(d), kind, seq: (d.task?.seq ?? 0) + 1, enqueuedAt: at };
}

/**
 * How long a task has waited, in working days (China's calendar, with 调休), and whether that
 * is longer than the limit. A wait whose working days the calendar cannot count (it reaches a
 * year the calendar does not hold) is never guessed: within the limit in calendar days it is
 * certainly not overdue; beyond, `overdue` is 'unknown' and the office sees it flagged.
 */
export function taskWait(enqueuedAt: string, at: Date, limitWorkingDays: number): { overdue: boolean | 'unknown'; waitingWorkingDays?: number } {
  const from = chinaDate(enqueuedAt);
  const today = chinaDate(at);
  try {
    const waitingWorkingDays = workingDaysBetween(from, today);
    return { overdue: waitingWorkingDays > limitWorkingDays, waitingWorkingDays };
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err;
    const calendarDays = (Date.parse(today) - Date.parse(from)) / 86_400_000;
    return { overdue: calendarDays > limitWorkingDays ? 'unknown' : false };
  }
}

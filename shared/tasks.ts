import { createHash } from 'node:crypto';
import type { Draft } from '#shared/domain/draft';
import { nowIso } from '#shared/clock';
import { sendMessage } from '#shared/messages';

/** Approval tasks: one live task per draft revision; its seq marks older queue messages stale. */

export const approvalTaskId = (d: Pick<Draft, 'id' | 'revision'>): string => `${d.id}:approve:r${d.revision}`;

export const tokenHash = (claimToken: string): string => createHash('sha256').update(claimToken).digest('hex').slice(0, 32);

/** The task record for a draft about to be (re-)enqueued. */
export function nextTask(d: Draft): NonNullable<Draft['task']> {
  return { id: approvalTaskId(d), kind: 'approve', seq: (d.task?.seq ?? 0) + 1, enqueuedAt: nowIso() };
}

export async function enqueueTask(d: Draft & { task: NonNullable<Draft['task']> }): Promise<void> {
  await sendMessage('approval', { taskId: d.task.id, draftId: d.id, kind: d.task.kind, seq: d.task.seq });
}

import { SYSTEM, type Draft } from '#shared/domain/draft';
import { nowIso } from '#shared/clock';
import { ConflictError } from '#shared/errors';
import { transition } from '#shared/store';

export { approvalTaskId, fileTaskId, reviewTaskId, tokenHash, newClaimToken, nextTask } from '#shared/domain/task';
import { reviewTaskId } from '#shared/domain/task';

/**
 * Queues the re-review of a filed document (REV-1 yearly, REV-2 early). The move
 * FILED → REVIEWING is a conditional write that also puts the task in the inbox, so of two
 * schedulers (or a scheduler and an application) exactly one queues the task; the others
 * find it taken and do nothing.
 * Returns whether this call queued it.
 */
export async function startReview(d: Draft, why: string): Promise<boolean> {
  if (d.status !== 'FILED' || !d.filing) return false;
  const task = { id: reviewTaskId(d.id, d.filing.reviewDue), kind: 'review' as const, seq: 1, enqueuedAt: nowIso() };
  try {
    await transition(d, 'REVIEWING', { task }, { actor: SYSTEM, event: 'REVIEW_QUEUED', note: why });
  } catch (err) {
    if (err instanceof ConflictError) return false; // another run queued it first
    throw err;
  }
  return true;
}

import { today } from '#shared/clock';
import { log } from '#shared/log';
import { observe } from '#shared/observe';
import { listDueForReview } from '#shared/store';
import { startReview } from '#shared/tasks';

export interface ScheduleReviewsReport {
  /** Items read from the index: follows the number due, not the size of the table. */
  readonly scanned: number;
  readonly due: number;
  /** Review tasks this run queued (a repeated run queues none). */
  readonly queued: number;
}

/**
 * The daily re-review (REV-1, 条例 Art. 18): every filed 依申请公开 / 不予公开 document whose
 * review date has come gets one review task. Found through the byReviewDue index; a
 * document under review leaves the index, and the move to REVIEWING is conditional, so
 * repeated runs or concurrent ones queue each review exactly once.
 */
export async function scheduleReviews(): Promise<ScheduleReviewsReport> {
  const day = today();
  const { drafts, scanned } = await listDueForReview(day);
  let queued = 0;
  for (const d of drafts) {
    if (await startReview(d, `年度复核：复核期限 ${d.filing?.reviewDue ?? ''} / yearly review due`)) queued++;
  }
  if (drafts.length) log.info('reviews scheduled', { today, scanned, due: drafts.length, queued });
  return { scanned, due: drafts.length, queued };
}

/** Scheduled daily (EventBridge in AWS, the local scheduler locally). */
export const handler = observe('schedule-reviews', async (): Promise<ScheduleReviewsReport> => scheduleReviews());

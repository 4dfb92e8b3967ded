import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { log, withChildLog } from '#shared/log';
import { observe } from '#shared/observe';

/** The draft a record is about: a stage message's draftId, or the draft of an S3 upload event's key (uploads/<id>/…). */
function draftOf(record: SQSRecord): string | undefined {
  try {
    const body = JSON.parse(record.body) as { draftId?: unknown; Records?: { s3?: { object?: { key?: string } } }[] };
    if (typeof body.draftId === 'string') return body.draftId;
    const key = decodeURIComponent(body.Records?.[0]?.s3?.object?.key ?? '');
    return /^uploads\/([^/]+)\//.exec(key)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * A queue-driven stage: each record is processed on its own; the ones that fail are
 * reported as batch item failures, so only they are retried (and, after the queue's
 * maxReceiveCount, moved to its dead-letter queue).
 */
export function sqsStage(name: string, processRecord: (record: SQSRecord, context: Context) => Promise<void>) {
  const run = async (event: SQSEvent, context: Context) =>
    Promise.allSettled(
      event.Records.map(async (record) => {
        // Each record logs through a logger of its own carrying its draft's id.
        await withChildLog(async () => {
          const draftId = draftOf(record);
          if (draftId) log.setCorrelationId(draftId);
          try {
            await processRecord(record, context);
          } catch (err) {
            log.warn('record failed', { stage: name, messageId: record.messageId, error: String(err) });
            throw err;
          }
        });
      }),
    );
  return observe(name, middy<SQSEvent, SQSBatchResponse>(run as never).use(sqsPartialBatchFailure({ logger: false as never })));
}

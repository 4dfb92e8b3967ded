import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { log } from '#shared/log';

/**
 * A queue-driven stage: each record is processed on its own; the ones that fail are
 * reported as batch item failures, so only they are retried (and, after the queue's
 * maxReceiveCount, moved to its dead-letter queue).
 */
export function sqsStage(name: string, processRecord: (record: SQSRecord) => Promise<void>) {
  const run = async (event: SQSEvent) =>
    Promise.allSettled(
      event.Records.map(async (record) => {
        try {
          await processRecord(record);
        } catch (err) {
          log.warn('record failed', { stage: name, messageId: record.messageId, error: String(err) });
          throw err;
        }
      }),
    );
  return middy<SQSEvent, SQSBatchResponse>(run as never).use(sqsPartialBatchFailure({ logger: false as never }));
}

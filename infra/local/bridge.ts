import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { S3EventRecord } from 'aws-lambda';
import { log } from '#shared/log';
import { topology, type BucketName, type QueueName } from '#shared/topology';

/** S3 URL-encodes object keys in event notifications (form encoding: space → '+'). */
export const encodeEventKey = (key: string): string => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

/**
 * Turns s3rver's object events into the S3 → SQS notifications AWS sends, for the
 * bucket/prefix/queue pairs the topology declares.
 */
export function adaptS3Event(raw: { Records?: S3EventRecord[] }, bucketOf: (name: string) => BucketName | undefined): { queue: QueueName; record: S3EventRecord }[] {
  const out: { queue: QueueName; record: S3EventRecord }[] = [];
  for (const r of raw.Records ?? []) {
    if (!r.eventName?.startsWith('ObjectCreated')) continue;
    const bucket = bucketOf(r.s3.bucket.name);
    const key = r.s3.object.key;
    for (const n of topology.notifications) {
      if (n.bucket !== bucket || !key.startsWith(n.prefix)) continue;
      out.push({
        queue: n.queue,
        record: {
          ...r,
          s3: { ...r.s3, object: { ...r.s3.object, key: encodeEventKey(key) } },
        },
      });
    }
  }
  return out;
}

export function bridgeS3Events(options: {
  source: NodeJS.EventEmitter;
  sqs: SQSClient;
  queueUrl: (q: QueueName) => string;
  bucketOf: (name: string) => BucketName | undefined;
}): void {
  options.source.on('event', (raw: { Records?: S3EventRecord[] }) => {
    for (const { queue, record } of adaptS3Event(raw, options.bucketOf)) {
      options.sqs
        .send(new SendMessageCommand({ QueueUrl: options.queueUrl(queue), MessageBody: JSON.stringify({ Records: [record] }) }))
        .catch((err: unknown) => log.error('S3 event bridge could not send', { queue, key: record.s3.object.key, error: String(err) }));
    }
  });
}

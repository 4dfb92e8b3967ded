import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ApiError, type GongkaiClient } from '#client/gongkai';
import type { QueueName } from '#shared/topology';
import type { TestStack } from './stack.ts';

/** The API error a call must fail with (a call that succeeds fails the test). */
export const apiError = (p: Promise<unknown>): Promise<ApiError> =>
  p.then(
    () => {
      throw new Error('expected the API to refuse this call');
    },
    (e: unknown) => {
      if (e instanceof ApiError) return e;
      throw e;
    },
  );

/** A DynamoDB client on the stack's emulator, for tests that look at or alter the stored items. */
export const tableClient = (stack: TestStack): DynamoDBClient =>
  new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

/** Waits until a queue's dead-letter queue holds a message, and returns how many it holds. */
export async function dlqDepth(stack: TestStack, queue: QueueName, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let depth = 0;
  while (Date.now() < deadline && depth === 0) {
    await new Promise((r) => setTimeout(r, 500));
    const attrs = await stack.sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.queues[queue].dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    depth = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
  }
  return depth;
}

/**
 * A page as the site bucket holds it now. Through the CDN an index page may be up to its
 * max-age old (as on CloudFront); tests of what was rendered read the bucket.
 */
export async function sitePage(stack: TestStack, key: string): Promise<string> {
  const res = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: key }));
  return res.Body!.transformToString('utf-8');
}

/** Claims tasks until the one of `draftId` comes up (others received on the way stay claimed by this approver). */
export async function claimFor(approver: GongkaiClient, draftId: string) {
  for (let i = 0; i < 30; i++) {
    const claim = await approver.claim();
    if (claim.draft?.id === draftId) return claim;
    if (!claim.claimToken) await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`could not claim the task of ${draftId}`);
}

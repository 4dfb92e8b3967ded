import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ApiError, uploadFile, type DraftView, type GongkaiClient } from '#client/gongkai';
import { validForm } from './forms.ts';
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

/**
 * A 依申请公开 document (a commercial secret, Art. 15) of `text`, submitted by the stack's
 * drafter and approved: FILED. Answers its view.
 */
export async function fileOnRequest(stack: TestStack, title: string, text: string): Promise<DraftView> {
  const bytes = new TextEncoder().encode(`${text}\n`);
  const created = await stack.drafter.createDraft({
    form: validForm({
      title,
      documentNumber: undefined,
      attribute: '依申请公开',
      nonPublicReason: '报告附有企业生产工艺参数和原料配方，属于商业秘密，公开会损害第三方合法权益',
      legalBasis: '《中华人民共和国政府信息公开条例》第十五条',
    }),
    files: { document: { fileName: 'report.txt', contentType: 'text/plain', size: bytes.length } },
  });
  await uploadFile(created.uploads[0]!, bytes, 'report.txt');
  await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
  const c = await claimFor(stack.approver, created.id);
  const filed = await stack.approver.decide(created.id, { claimToken: c.claimToken!, version: c.draft!.version, outcome: 'approve' });
  if (filed.status !== 'FILED') throw new Error(`the test document was not filed: ${filed.status}`);
  return filed;
}

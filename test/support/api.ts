import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ApiError, uploadFile, type Claim, type DraftView, type GongkaiClient } from '#client/gongkai';
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

/**
 * Claims the approver took on their way to another draft's task (claimFor), by draft id: the
 * approver holds them (the claim API takes the oldest claimable task; there is no release), so
 * a later claimFor for one of those drafts answers the held claim instead of waiting for the
 * lease to end. Per client object, so two tests' clients never share claims.
 */
const held = new WeakMap<GongkaiClient, Map<string, Claim>>();

/** A claim of a task: its token and the draft as the claim left it. */
export type HeldClaim = Claim & { readonly claimToken: string; readonly leaseUntil: string; readonly draft: DraftView };

/** How claimFor claims; every field has a default. */
export interface ClaimForOptions {
  /**
   * How long to wait for the task, in ms (default 10 s: after waitForStatus(PENDING_APPROVAL)
   * the task is there; the index may lag a little).
   */
  readonly timeoutMs?: number;
  /** The lease to claim with (default: the API's). A held claim keeps the lease it was taken with. */
  readonly leaseSeconds?: number;
  /**
   * Another draft's task handed out on the way: `keep` it for that draft's own claimFor (the
   * default), or `fail` at once naming it, for a test that has left no other task claimable
   * (one is then a bug the test must show). The claim is kept either way.
   */
  readonly otherTasks?: 'keep' | 'fail';
}

/**
 * The claim of `draftId`'s task for `approver` (any client that takes tasks: an approver, the
 * information centre), whatever order the tasks come in: tasks of other drafts claimed on the
 * way are kept for their own claimFor (see `held`), and a task not there yet (the draft still in
 * the pipeline, or behind the poller's other batches) is waited for, up to `timeoutMs`. Fails
 * with the draft's status and the tasks claimed meanwhile.
 */
export async function claimFor(approver: GongkaiClient, draftId: string, options: ClaimForOptions = {}): Promise<HeldClaim> {
  const { timeoutMs = 10_000, leaseSeconds, otherTasks = 'keep' } = options;
  const mine = held.get(approver) ?? new Map<string, Claim>();
  held.set(approver, mine);
  const deadline = Date.now() + timeoutMs;
  const passed: string[] = [];
  for (;;) {
    const kept = mine.get(draftId);
    if (kept) {
      mine.delete(draftId);
      // Still this claim (not expired, not decided or withdrawn meanwhile): with the draft as it is now.
      const now = await approver.getDraft(draftId);
      if (isHeld(kept) && now.task?.claimUntil === kept.leaseUntil && Date.parse(kept.leaseUntil) > Date.now()) return { ...kept, draft: now };
    }
    const claim = await approver.claim(leaseSeconds);
    if (isHeld(claim)) {
      if (claim.draft.id === draftId) return claim;
      mine.set(claim.draft.id, claim);
      if (otherTasks === 'fail') {
        throw new Error(
          `claimed the ${claim.draft.task?.kind ?? ''} task of ${claim.draft.id} (${claim.draft.status}) while waiting for that of ${draftId}: no other task should be claimable here`,
        );
      }
      passed.push(claim.draft.id);
      continue;
    }
    if (Date.now() > deadline) {
      const state = await approver.getDraft(draftId).then(
        (d) => `${d.status}${d.task?.claimedBy ? `, its task claimed by ${d.task.claimedBy} until ${d.task.claimUntil}` : ''}`,
        (e: unknown) => String(e),
      );
      throw new Error(
        `could not claim the task of ${draftId} within ${timeoutMs} ms (draft: ${state}; tasks of other drafts claimed meanwhile and kept: ${passed.join(', ') || 'none'})`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const isHeld = (c: Claim): c is HeldClaim => Boolean(c.claimToken && c.draft && c.leaseUntil);

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
  const filed = await stack.approver.decide(created.id, { claimToken: c.claimToken, version: c.draft.version, outcome: 'approve' });
  if (filed.status !== 'FILED') throw new Error(`the test document was not filed: ${filed.status}`);
  return filed;
}

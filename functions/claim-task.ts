import middy from '@middy/core';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { ClaimRequest } from '#shared/api';
import { sqs } from '#shared/aws/clients';
import { readText } from '#shared/blobs';
import { now } from '#shared/clock';
import { draftView, TASK_ROLE, TASK_STATUSES, type Draft } from '#shared/domain/draft';
import { env } from '#shared/env';
import { ConflictError } from '#shared/errors';
import { actorOf, bodyOf, httpErrors, json, parseWith, requireRole, type ApiEvent, type ApiResult, type Identity } from '#shared/http';
import { ApprovalTaskMessage } from '#shared/messages';
import { amend, findDraft } from '#shared/store';
import { tokenHash } from '#shared/tasks';
import { topology } from '#shared/topology';

const MAX_RECEIVES = 10;
const TEXT_LIMIT = 200_000;

type Verdict = { kind: 'stale' } | { kind: 'skip'; visibleInSeconds: number } | { kind: 'claim'; draft: Draft };

/** Decides what a received task message means for this approver. */
function judge(message: ApprovalTaskMessage, draft: Draft | undefined, who: Identity, at: Date): Verdict {
  if (!draft || !draft.task || !TASK_STATUSES.includes(draft.status)) return { kind: 'stale' };
  if (draft.task.id !== message.taskId || draft.task.seq !== message.seq) return { kind: 'stale' };
  // One queue for every kind: a task for another role goes straight back for its holder.
  if (!who.roles.includes(TASK_ROLE[draft.task.kind])) return { kind: 'skip', visibleInSeconds: 0 };
  if (draft.submitter.sub === who.sub) return { kind: 'skip', visibleInSeconds: 0 };
  const claim = draft.task.claim;
  if (claim && Date.parse(claim.until) > at.getTime() && claim.by.sub !== who.sub) {
    // A duplicate delivery of a task someone holds: hide it until their lease ends.
    return { kind: 'skip', visibleInSeconds: Math.ceil((Date.parse(claim.until) - at.getTime()) / 1000) };
  }
  return { kind: 'claim', draft };
}

/**
 * POST /tasks/claim: receives the next task for the caller's role (approvals and re-reviews
 * for approvers, ATTR-3 filings for the information centre). Receiving hides the message for the
 * lease (the visibility timeout); the receipt handle is the claim token the decision must
 * bring back. Stale messages (decided tasks, superseded copies) are deleted on the way.
 */
export const claimTaskHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['approver', 'infocenter']);
  const { leaseSeconds = topology.queues.approval.visibilityTimeoutSeconds } = parseWith(ClaimRequest, bodyOf(event));
  const queueUrl = env.queueUrl('approval');
  const skipped: { message: Message; visibleInSeconds: number }[] = [];
  try {
    for (let i = 0; i < MAX_RECEIVES; i++) {
      const res = await sqs().send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: leaseSeconds, WaitTimeSeconds: 0 }),
      );
      const message = res.Messages?.[0];
      if (!message?.ReceiptHandle) break;
      const parsed = ApprovalTaskMessage.safeParse(JSON.parse(message.Body ?? 'null'));
      const at = now();
      const verdict: Verdict = parsed.success ? judge(parsed.data, await findDraft(parsed.data.draftId), who, at) : { kind: 'stale' };
      if (verdict.kind === 'stale') {
        await sqs().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        continue;
      }
      if (verdict.kind === 'skip') {
        skipped.push({ message, visibleInSeconds: verdict.visibleInSeconds });
        continue;
      }
      const until = new Date(at.getTime() + leaseSeconds * 1000).toISOString();
      const by = actorOf(who, TASK_ROLE[verdict.draft.task!.kind]);
      let claimed: Draft;
      try {
        claimed = await amend(
          verdict.draft,
          { task: { ...verdict.draft.task!, claim: { by, until, since: at.toISOString(), tokenHash: tokenHash(message.ReceiptHandle) } } },
          { actor: by, event: 'CLAIMED', note: `租约至 ${until}` },
        );
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        skipped.push({ message, visibleInSeconds: 0 });
        continue;
      }
      const texts = await Promise.all(
        Object.entries(claimed.files).map(async ([part, f]) => [part, f?.textKey ? (await readText('drafts', f.textKey)).slice(0, TEXT_LIMIT) : undefined] as const),
      );
      return json(200, {
        claimToken: message.ReceiptHandle,
        leaseUntil: until,
        taskId: claimed.task!.id,
        draft: draftView(claimed),
        texts: Object.fromEntries(texts),
      });
    }
    return json(200, { claimToken: null, message: { zh: '目前没有可领取的任务。', en: 'No task is waiting for you.' } });
  } finally {
    await Promise.all(
      skipped.map(({ message, visibleInSeconds }) =>
        sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: visibleInSeconds })),
      ),
    );
  }
};

export const handler = middy(claimTaskHandler).use(httpErrors());

import { INDEX, ITEM, query } from '#shared/aws/table';
import { TASK_ROLE, TASK_STATUSES, type Draft } from '#shared/domain/draft';
import { bodyOfDraft } from '#shared/scope';
import { siteConfig } from '#shared/site/config';
import { TASKS } from '#shared/topology';

/**
 * The task inbox: approval, filing and review tasks are not messages but index entries of
 * the draft item itself (the byInbox GSI). A draft waiting for a decision carries
 *   gsi3pk = INBOX#<body>#<role of its task>   gsi3sk = <claimable at>#<draft id>
 * (INBOX#<role> for the platform's top body: the partition from before bodies, so tasks queued
 * then are still found). An approver reads only the partitions of the bodies they act for, so a
 * township's approver never pages through the county's tasks (issue 16.2).
 * where "claimable at" is when it was queued, or the end of the live lease while someone
 * holds it. The entry is computed from the draft in the same conditional write that
 * changes the task (store.toItem), so it cannot drift from the draft; a decision that
 * moves the draft on removes it.
 *
 * Why not SQS: receiving a message counts as a delivery, so approvers looking past tasks of
 * another role (or their own submissions) pushed them into the dead-letter queue, and a
 * claim could only read a few messages. Here looking reads an index and consumes nothing:
 * a claim queries its own role's partition, oldest first, only what is claimable now, a
 * page at a time, and takes a task by a conditional write of the lease. Tasks of other
 * roles are in other partitions, leased ones sort after now; so the cost of a claim does not
 * grow with what waits ahead of it (one's own submissions aside, skipped by a filter).
 */

/** The inbox partition of a body's tasks for a role. */
export const inboxPk = (role: string, body: string = siteConfig.bodyId): string => ITEM.inbox(role, body === siteConfig.bodyId ? undefined : body);

/** The inbox keys of a draft, or none when it waits for no decision. */
export function inboxKeys(d: Pick<Draft, 'id' | 'status' | 'task' | 'body'>): { gsi3pk: string; gsi3sk: string } | Record<string, never> {
  if (!d.task || !TASK_STATUSES.includes(d.status)) return {};
  const claimableAt = d.task.claim?.until ?? d.task.enqueuedAt;
  return { gsi3pk: inboxPk(TASK_ROLE[d.task.kind], bodyOfDraft(d)), gsi3sk: `${new Date(claimableAt).toISOString()}#${d.id}` };
}

export interface InboxEntry {
  readonly draftId: string;
  /** The sort key: claimable-at, then draft id. */
  readonly sortKey: string;
}

export interface InboxPage {
  readonly entries: InboxEntry[];
  /** Items DynamoDB evaluated for this page (the claim's cost). */
  readonly scanned: number;
  readonly next?: Record<string, unknown>;
}

/**
 * One page of a body's inbox for a role: entries claimable at `atIso`, oldest first, without
 * the caller's own submissions. Only keys and the id are read, not the drafts.
 */
export async function inboxPage(inbox: { role: string; body?: string }, atIso: string, excludeSubmitter: string, startKey?: Record<string, unknown>): Promise<InboxPage> {
  const res = await query(
    {
      IndexName: INDEX.byInbox,
      // '#' < '~': every entry claimable at `atIso` itself sorts below `${atIso}#~`.
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :upto',
      FilterExpression: 'submitter.#sub <> :me',
      ProjectionExpression: '#id, gsi3sk',
      ExpressionAttributeNames: { '#id': 'id', '#sub': 'sub' },
      ExpressionAttributeValues: { ':pk': inboxPk(inbox.role, inbox.body), ':upto': `${atIso}#~`, ':me': excludeSubmitter },
    },
    // One page: a filter may leave it short (or empty) with more to read after it.
    { limit: TASKS.claimPageSize, pageSize: TASKS.claimPageSize, ...(startKey ? { startKey } : {}), onePage: true },
  );
  return {
    entries: res.items.map((i) => ({ draftId: String(i.id), sortKey: String(i.gsi3sk) })),
    scanned: res.scanned,
    ...(res.next ? { next: res.next } : {}),
  };
}

/**
 * Drafts in a task status whose stored item lacks its inbox entry (or holds a wrong one):
 * items written before the inbox existed, or edited by hand. The reconciler rewrites them.
 */
export async function draftsMissingInbox(): Promise<string[]> {
  const out: string[] = [];
  for (const status of TASK_STATUSES) {
    const { items } = await query(
      {
        IndexName: INDEX.byStatus,
        KeyConditionExpression: 'gsi1pk = :pk',
        ProjectionExpression: '#id, #status, #task, #body, gsi3pk, gsi3sk',
        ExpressionAttributeNames: { '#id': 'id', '#status': 'status', '#task': 'task', '#body': 'body' },
        ExpressionAttributeValues: { ':pk': ITEM.draft.byStatus(status) },
      },
      { pageSize: 200 },
    );
    for (const item of items) {
      const want = inboxKeys(item as Pick<Draft, 'id' | 'status' | 'task' | 'body'>);
      if (want.gsi3pk !== item.gsi3pk || want.gsi3sk !== item.gsi3sk) out.push(String(item.id));
    }
  }
  return out;
}

import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { env } from '#shared/env';
import { TABLE } from '#shared/topology';
import { nowIso } from '#shared/clock';
import { ConflictError, NotFoundError } from '#shared/errors';
import { assertTransition, Draft, type HistoryEvent, type Status } from '#shared/domain/draft';
import { inboxKeys } from '#shared/inbox';

/**
 * Drafts in the single table. A draft is one item; every write replaces it whole,
 * conditional on the version it was read at, and appends to its history in the same
 * write, so a state change and its audit line land together or not at all (no
 * transactions needed, which dynalite lacks). A retried message that re-applies a change
 * fails the condition and becomes a no-op.
 */

const draftKey = (id: string) => ({ [TABLE.partitionKey]: `DRAFT#${id}`, [TABLE.sortKey]: 'DRAFT' });

function toItem(d: Draft): Record<string, unknown> {
  return {
    ...d,
    ...draftKey(d.id),
    gsi1pk: `STATUS#${d.status}`,
    // A scheduled draft sorts by its publication time, so the reconciler finds those due.
    gsi1sk: `${d.status === 'SCHEDULED' && d.publishAt ? new Date(d.publishAt).toISOString() : d.stageEnteredAt}#${d.id}`,
    ...(d.status === 'FILED' && d.filing ? { gsi2pk: 'REVIEW', gsi2sk: `${d.filing.reviewDue}#${d.id}` } : {}),
    // A waiting task's entry in the task inbox (shared/inbox.ts), written with the task itself.
    ...inboxKeys(d),
  };
}

function fromItem(item: Record<string, unknown>): Draft {
  return Draft.parse(item);
}

export async function createDraft(draft: Draft): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: env.tableName(),
      Item: toItem(draft),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function findDraft(id: string): Promise<Draft | undefined> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: draftKey(id), ConsistentRead: true }));
  return res.Item ? fromItem(res.Item) : undefined;
}

export async function getDraft(id: string): Promise<Draft> {
  const draft = await findDraft(id);
  if (!draft) throw new NotFoundError({ zh: `找不到文件草稿 ${id}。`, en: `No draft with id ${id}.` });
  return draft;
}

export type DraftChange = Partial<Omit<Draft, 'id' | 'version' | 'history' | 'createdAt' | 'updatedAt' | 'status' | 'stageEnteredAt'>>;

/** Writes `next` if the stored draft is still at `prev.version`; throws ConflictError otherwise. */
async function replace(prev: Draft, next: Draft): Promise<Draft> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: env.tableName(),
        Item: toItem(next),
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':expected': prev.version },
      }),
    );
    return next;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw new ConflictError(
        { zh: '该文件已被他人更新，请刷新后重试。', en: 'The draft was changed by someone else; reload and try again.' },
        { cause: err },
      );
    }
    throw err;
  }
}

/** Moves a draft to another status, with the changes and the history line that go with it. */
export async function transition(
  draft: Draft,
  to: Status,
  change: DraftChange,
  event: Omit<HistoryEvent, 'at' | 'from' | 'to'>,
): Promise<Draft> {
  assertTransition(draft.status, to);
  const at = nowIso();
  return replace(draft, {
    ...draft,
    ...change,
    status: to,
    version: draft.version + 1,
    updatedAt: at,
    stageEnteredAt: at,
    history: [...draft.history, { ...event, at, from: draft.status, to }],
  });
}

/** Changes a draft without moving it (claims, re-enqueued tasks). */
export async function amend(draft: Draft, change: DraftChange, event?: Omit<HistoryEvent, 'at'>): Promise<Draft> {
  const at = nowIso();
  return replace(draft, {
    ...draft,
    ...change,
    version: draft.version + 1,
    updatedAt: at,
    history: event ? [...draft.history, { ...event, at }] : draft.history,
  });
}

/** Drafts in a status, oldest stage entry first; `enteredBefore` bounds the stage entry time. */
export async function listByStatus(
  status: Status,
  options: { enteredBefore?: string; limit?: number; newestFirst?: boolean } = {},
): Promise<Draft[]> {
  const out: Draft[] = [];
  let startKey: Record<string, unknown> | undefined;
  const limit = options.limit ?? 100;
  do {
    const res = await dynamo().send(
      new QueryCommand({
        TableName: env.tableName(),
        IndexName: 'byStatus',
        KeyConditionExpression: options.enteredBefore ? 'gsi1pk = :pk AND gsi1sk < :before' : 'gsi1pk = :pk',
        ExpressionAttributeValues: {
          ':pk': `STATUS#${status}`,
          ...(options.enteredBefore ? { ':before': options.enteredBefore } : {}),
        },
        ExclusiveStartKey: startKey,
        ScanIndexForward: !options.newestFirst,
        Limit: Math.min(limit - out.length, 100),
      }),
    );
    for (const item of res.Items ?? []) out.push(fromItem(item));
    startKey = res.LastEvaluatedKey;
  } while (startKey && out.length < limit);
  return out;
}

/**
 * Filed documents whose review is due on or before `day` (YYYY-MM-DD), read from the
 * byReviewDue index page by page: only due items are read, however large the table.
 * `scanned` counts the items DynamoDB evaluated, the measure of the query's cost.
 */
export async function listDueForReview(day: string): Promise<{ drafts: Draft[]; scanned: number }> {
  const drafts: Draft[] = [];
  let scanned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await dynamo().send(
      new QueryCommand({
        TableName: env.tableName(),
        IndexName: 'byReviewDue',
        // '#' < '~': every key of the day itself sorts below `${day}#~`.
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :upto',
        ExpressionAttributeValues: { ':pk': 'REVIEW', ':upto': `${day}#~` },
        ExclusiveStartKey: startKey,
        Limit: 100,
      }),
    );
    scanned += res.ScannedCount ?? 0;
    for (const item of res.Items ?? []) drafts.push(fromItem(item));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return { drafts, scanned };
}

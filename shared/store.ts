import { BatchGetCommand, BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { INDEX, ITEM, putNew, query, replaceVersioned, VersionConflict } from '#shared/aws/table';
import { env } from '#shared/env';
import { TABLE } from '#shared/topology';
import { nowIso } from '#shared/clock';
import { ConflictError, ItemTooLargeError, NotFoundError } from '#shared/errors';
import { assertTransition, Draft, HistoryEvent, TASK_STATUSES, type Status } from '#shared/domain/draft';
import { boundDraft, boundEvent, DRAFT_ITEM_MAX_BYTES, HISTORY_INLINE_KEEP, HISTORY_INLINE_MAX } from '#shared/domain/bounds';
import { itemSize } from '#shared/aws/item-size';
import { inboxKeys } from '#shared/inbox';
import { metrics, recordTransition } from '#shared/metrics';

/**
 * Drafts in the single table. A draft is one item; every write replaces it whole,
 * conditional on the version it was read at, and appends to its history in the same
 * write, so a state change and its audit line land together or not at all (no
 * transactions needed, which dynalite lacks). A retried message that re-applies a change
 * fails the condition and becomes a no-op.
 *
 * The item stays bounded: only the most recent history lines live on it. When they pass
 * HISTORY_INLINE_MAX, the older ones are first copied to items of their own under the
 * draft's key (sk HIST#<seq>), then dropped from the draft by the conditional write. The
 * copies are of lines already committed, keyed by their position in the history, so a
 * write that loses its race, or a crash between the two, leaves at worst a line that is both
 * inline and copied — identical, and read once (readHistory). Every other growing field is
 * capped (shared/domain/bounds.ts), and the item's size as DynamoDB counts it (UTF-8 bytes)
 * is checked before every write.
 */

const draftKey = ITEM.draft.key;
const histKey = ITEM.draft.historyLine;

/** The position in the whole history of the first line kept on the draft. */
const firstInlineSeq = (d: Draft): number => (d.historyTotal ?? d.history.length) - d.history.length;

function checkedItem(d: Draft): Record<string, unknown> {
  const item = toItem(d);
  const bytes = itemSize(item);
  if (bytes > DRAFT_ITEM_MAX_BYTES) throw new ItemTooLargeError(`文件草稿 ${d.id} / draft ${d.id}`, bytes, DRAFT_ITEM_MAX_BYTES);
  return item;
}

function toItem(d: Draft): Record<string, unknown> {
  return {
    ...d,
    ...draftKey(d.id),
    gsi1pk: ITEM.draft.byStatus(d.status),
    // A scheduled draft sorts by its publication time, so the reconciler finds those due.
    gsi1sk: `${d.status === 'SCHEDULED' && d.publishAt ? new Date(d.publishAt).toISOString() : d.stageEnteredAt}#${d.id}`,
    ...(d.status === 'FILED' && d.filing ? { gsi2pk: ITEM.draft.byReviewDue, gsi2sk: `${d.filing.reviewDue}#${d.id}` } : {}),
    // A waiting task's entry in the task inbox (shared/inbox.ts), written with the task itself.
    ...inboxKeys(d),
  };
}

function fromItem(item: Record<string, unknown>): Draft {
  return Draft.parse(item);
}

export async function createDraft(draft: Draft): Promise<void> {
  if (!(await putNew(checkedItem(boundDraft({ ...draft, historyTotal: draft.historyTotal ?? draft.history.length }))))) {
    throw new ConflictError({ zh: `文件草稿 ${draft.id} 已存在。`, en: `A draft with id ${draft.id} exists already.` });
  }
  metrics.draftEnteredStage(draft.status);
}

export async function findDraft(id: string): Promise<Draft | undefined> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: draftKey(id), ConsistentRead: true }));
  return res.Item ? fromItem(res.Item) : undefined;
}

/**
 * Several drafts at once, read consistently (BatchGetItem, 100 keys a request): what
 * findDraft answers for each id, in one round trip for a batch instead of one per draft.
 * Ids without a draft are absent from the map.
 */
export async function findDrafts(ids: readonly string[]): Promise<Map<string, Draft>> {
  const out = new Map<string, Draft>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((id) => draftKey(id));
    for (let attempt = 0; keys?.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error(`could not read drafts ${unique.slice(i, i + 100).join(', ')}`);
      const res = await dynamo().send(new BatchGetCommand({ RequestItems: { [env.tableName()]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of res.Responses?.[env.tableName()] ?? []) {
        const d = fromItem(item);
        out.set(d.id, d);
      }
      keys = res.UnprocessedKeys?.[env.tableName()]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}

export async function getDraft(id: string): Promise<Draft> {
  const draft = await findDraft(id);
  if (!draft) throw new NotFoundError({ zh: `找不到文件草稿 ${id}。`, en: `No draft with id ${id}.` });
  return draft;
}

export type DraftChange = Partial<Omit<Draft, 'id' | 'version' | 'history' | 'createdAt' | 'updatedAt' | 'status' | 'stageEnteredAt'>>;

/** Copies history lines to their own items (idempotent: the same line always lands on the same key). */
async function archiveHistory(id: string, lines: readonly { seq: number; event: HistoryEvent }[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = lines.slice(i, i + 25).map(({ seq, event }) => ({ PutRequest: { Item: { ...histKey(id, seq), seq, ...event } } }));
    for (let attempt = 0; requests?.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error(`could not archive the history of draft ${id}`);
      const res = await dynamo().send(new BatchWriteCommand({ RequestItems: { [env.tableName()]: requests as never } }));
      requests = res.UnprocessedItems?.[env.tableName()] as Record<string, unknown>[] | undefined;
    }
  }
}

/**
 * Writes `next` if the stored draft is still at `prev.version`; throws ConflictError otherwise.
 * `next.history` is `prev.history` plus at most the new line; older lines move out here.
 */
async function replace(prev: Draft, proposed: Draft): Promise<Draft> {
  let next = boundDraft({ ...proposed, historyTotal: firstInlineSeq(prev) + proposed.history.length });
  if (next.history.length > HISTORY_INLINE_MAX) {
    const first = firstInlineSeq(next);
    const moving = next.history.slice(0, next.history.length - HISTORY_INLINE_KEEP);
    // Only lines of `prev` move: they are committed, whatever becomes of this write.
    await archiveHistory(
      next.id,
      moving.map((event, i) => ({ seq: first + i, event })),
    );
    next = { ...next, history: next.history.slice(moving.length) };
  }
  try {
    await replaceVersioned(checkedItem(next), prev.version);
    return next;
  } catch (err) {
    if (err instanceof VersionConflict) {
      throw new ConflictError({ zh: '该文件已被他人更新，请刷新后重试。', en: 'The draft was changed by someone else; reload and try again.' }, { cause: err });
    }
    throw err;
  }
}

/** Moves a draft to another status, with the changes and the history line that go with it. */
export async function transition(draft: Draft, to: Status, change: DraftChange, event: Omit<HistoryEvent, 'at' | 'from' | 'to'>): Promise<Draft> {
  assertTransition(draft.status, to);
  const at = nowIso();
  const next = await replace(draft, {
    ...draft,
    ...change,
    status: to,
    version: draft.version + 1,
    updatedAt: at,
    stageEnteredAt: at,
    history: [...draft.history, boundEvent({ ...event, at, from: draft.status, to })],
  });
  // Committed: what it tells the metrics (a stage entered, a rejection, a decided task's wait, a publication's latency).
  recordTransition(draft, next, TASK_STATUSES.includes(draft.status) && !TASK_STATUSES.includes(to), Date.parse(at));
  return next;
}

/** Changes a draft without moving it (claims, re-enqueued tasks). */
export async function amend(draft: Draft, change: DraftChange, event?: Omit<HistoryEvent, 'at'>): Promise<Draft> {
  const at = nowIso();
  return replace(draft, {
    ...draft,
    ...change,
    version: draft.version + 1,
    updatedAt: at,
    history: event ? [...draft.history, boundEvent({ ...event, at })] : draft.history,
  });
}

/**
 * The history of a draft, oldest first: the lines moved to their own items, then those on
 * the draft. `limit` keeps the most recent lines (the API's bound); `before` (a position in
 * the whole history) pages further back.
 */
export async function readHistory(draft: Draft, options: { limit?: number; before?: number } = {}): Promise<{ history: HistoryEvent[]; first: number; total: number }> {
  const total = draft.historyTotal ?? draft.history.length;
  const limit = Math.max(1, Math.min(options.limit ?? 200, 1000));
  const end = Math.min(options.before ?? total, total);
  const start = Math.max(0, end - limit);
  const inlineFirst = firstInlineSeq(draft);
  const lines: HistoryEvent[] = [];
  const upTo = Math.min(end, inlineFirst);
  if (start < upTo) {
    const { items } = await query({
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
      ExpressionAttributeValues: {
        ':pk': ITEM.draft.pk(draft.id),
        ':from': histKey(draft.id, start)[TABLE.sortKey],
        ':to': histKey(draft.id, upTo - 1)[TABLE.sortKey],
      },
      ConsistentRead: true,
    });
    // The schema drops the keys and seq.
    for (const item of items) lines.push(HistoryEvent.parse(item));
  }
  if (end > inlineFirst) lines.push(...draft.history.slice(Math.max(0, start - inlineFirst), end - inlineFirst));
  return { history: lines, first: start, total };
}

/** Drafts in a status, oldest stage entry first; `enteredBefore` bounds the stage entry time. */
export async function listByStatus(status: Status, options: { enteredBefore?: string; limit?: number; newestFirst?: boolean } = {}): Promise<Draft[]> {
  const { items } = await query(
    {
      IndexName: INDEX.byStatus,
      KeyConditionExpression: options.enteredBefore ? 'gsi1pk = :pk AND gsi1sk < :before' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': ITEM.draft.byStatus(status),
        ...(options.enteredBefore ? { ':before': options.enteredBefore } : {}),
      },
      ScanIndexForward: !options.newestFirst,
    },
    { limit: options.limit ?? 100, pageSize: 100 },
  );
  return items.map(fromItem);
}

/**
 * Filed documents whose review is due on or before `day` (YYYY-MM-DD), read from the
 * byReviewDue index page by page: only due items are read, however large the table.
 * `scanned` counts the items DynamoDB evaluated, the measure of the query's cost.
 */
export async function listDueForReview(day: string): Promise<{ drafts: Draft[]; scanned: number }> {
  const { items, scanned } = await query(
    {
      IndexName: INDEX.byReviewDue,
      // '#' < '~': every key of the day itself sorts below `${day}#~`.
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :upto',
      ExpressionAttributeValues: { ':pk': ITEM.draft.byReviewDue, ':upto': `${day}#~` },
    },
    { pageSize: 100 },
  );
  return { drafts: items.map(fromItem), scanned };
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { env } from '#shared/env';
import { TABLE } from '#shared/topology';

/**
 * The DynamoDB adapter: the one table's key registry (every item type's keys, index and
 * prefix, written once), one paginated query, one create-if-absent and one version-checked
 * replace. The stores (store.ts, inbox.ts, historical.ts, intake.ts, site/*) build their
 * items from these and never spell a key or an index name themselves.
 */

type Key = { readonly pk: string; readonly sk: string };
const key = (pk: string, sk: string): Key => ({ [TABLE.partitionKey]: pk, [TABLE.sortKey]: sk }) as Key;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Index names, as TABLE declares them (the CDK app and the local tables create them from TABLE). */
export const INDEX = Object.fromEntries(Object.keys(TABLE.indexes).map((n) => [n, n])) as { readonly [K in keyof typeof TABLE.indexes]: K };

/** Every item type of the table: its key, and its index keys where it has them. */
export const ITEM = {
  draft: {
    key: (id: string) => key(`DRAFT#${id}`, 'DRAFT'),
    pk: (id: string) => `DRAFT#${id}`,
    /** History lines moved off the draft item: DRAFT#<id> / HIST#<seq, 10 digits>. */
    historyLine: (id: string, seq: number) => key(`DRAFT#${id}`, `HIST#${pad(seq, 10)}`),
    /** byStatus partition of drafts in `status`. */
    byStatus: (status: string) => `STATUS#${status}`,
    /** byReviewDue partition: filed documents by next review day. */
    byReviewDue: 'REVIEW',
  },
  /** The task inbox (byInbox): a role's partition, per body; the top body's keeps the partition from before bodies. */
  inbox: (role: string, body?: string) => (body === undefined ? `INBOX#${role}` : `INBOX#${body}#${role}`),
  idempotency: (sub: string, k: string) => key(`IDEMP#${sub}#${k}`, 'IDEMP'),
  historical: {
    key: (id: string) => key(`HIST#${id}`, 'HIST'),
    byStatus: (status: string) => `HISTORICAL#${status}`,
  },
  site: {
    /** A list of the site (catalogue year, domain, column): its entries P#<page>#<pos> and its counter. */
    list: (list: string) => `SITE#LIST#${list}`,
    LIST_PREFIX: 'SITE#LIST#',
    entry: (page: number, pos: number) => `P#${pad(page, 6)}#${pad(pos, 9)}`,
    pagePrefix: (page: number) => `P#${pad(page, 6)}#`,
    ENTRY_PREFIX: 'P#',
    COUNTER: '#COUNTER',
    membership: (id: string) => key(`SITE#DOC#${id}`, 'MEMBERSHIP'),
    /** The documents the site consumer's current run is entering (its journal, while it does: shared/site/catalogue.ts). */
    entering: key('SITE#ENTERING', '#JOURNAL'),
    /** The years that have a list, per body (`body` absent: the top body's, from before bodies). */
    years: (body?: string) => key(body ? `SITE#YEARS#${body}` : 'SITE#YEARS', '#SET'),
    /** The 索引号 serials of a body and year (`body` absent: the top body, whose counter predates bodies). */
    indexNumberCounter: (year: string, body?: string) => key(body ? `SITE#INDEXNO#${body}#${year}` : `SITE#INDEXNO#${year}`, '#COUNTER'),
  },
  report: {
    /** The annual report's facts per body and year (`body` absent: the top body's, from before bodies). */
    fact: (year: string, metric: string, draftId: string, body?: string) => key(body ? `SITE#REPORT#${body}#${year}` : `SITE#REPORT#${year}`, `${metric}#${draftId}`),
    year: (year: string, body?: string) => (body ? `SITE#REPORT#${body}#${year}` : `SITE#REPORT#${year}`),
    years: (body?: string) => key(body ? `SITE#REPORTYEARS#${body}` : 'SITE#REPORTYEARS', '#SET'),
    /** The year's counters (one number per metric), beside its facts (issue 17.2). */
    counts: (year: string, body?: string) => key(body ? `SITE#REPORT#${body}#${year}` : `SITE#REPORT#${year}`, '#COUNTS'),
  },
  /** 公开主体 (issue 16): one partition lists them all; each body's archived audit lines; the claims that keep a name, code or unit to one body. */
  body: {
    PK: 'BODIES',
    key: (id: string) => key('BODIES', `BODY#${id}`),
    auditPk: (id: string) => `BODYAUDIT#${id}`,
    audit: (id: string, version: number) => key(`BODYAUDIT#${id}`, `V#${pad(version, 8)}`),
    claim: (kind: 'name' | 'code' | 'unit', value: string) => key(`BODYCLAIM#${kind}#${value}`, 'CLAIM'),
  },
  /** 依申请公开 (issue 12): an application, the key its tracking code finds it by, a body's list and deadline watch, per-client request counters. */
  application: {
    key: (id: string) => key(`APP#${id}`, 'APP'),
    tracking: (code: string) => key(`APPTRACK#${code}`, 'TRACK'),
    /** byStatus partition: a body's applications, newest received first when read backwards. */
    byBody: (body: string) => `APPS#${body}`,
    /** byReviewDue partition: a body's open applications by the day their clock runs out. */
    byDue: (body: string) => `APPDUE#${body}`,
    /** Requests of one client (its source address) in one window: a counter. */
    rate: (action: string, client: string, window: string) => key(`RATE#${action}#${client}`, `W#${window}`),
  },
  /** 政府信息公开工作年度报告 (issue 13): one versioned item per body and year; the body's partition lists its years. */
  annualReport: {
    key: (body: string, year: string) => key(`ANNUALREPORT#${body}`, `YEAR#${year}`),
    pk: (body: string) => `ANNUALREPORT#${body}`,
    YEAR_PREFIX: 'YEAR#',
  },
  validity: {
    PK: 'SITE#VALIDITY',
    day: (day: string, id: string) => key('SITE#VALIDITY', `DAY#${day}#${id}`),
    pending: (id: string) => key('SITE#VALIDITY', `PENDING#${id}`),
    PENDING_PREFIX: 'PENDING#',
    cursor: key('SITE#VALIDITY', '#CURSOR'),
  },
  /**
   * 监督考核 (issue 13.3, shared/oversight.ts): one partition per body, scope ('*' the body, or a
   * drafting unit), year and figure, one fact item per subject (counted with Select COUNT); the
   * day indexes of normative documents (sk <day>#<subject>); the units that have facts.
   */
  oversight: {
    figure: (body: string, scope: string, year: string, figure: string) => `OVERSIGHT#${body}#${scope}#${year}#${figure}`,
    fact: (body: string, scope: string, year: string, figure: string, subject: string) => key(`OVERSIGHT#${body}#${scope}#${year}#${figure}`, subject),
    index: (body: string, scope: string, index: string) => `OVERSIGHT#${body}#${scope}#DAY#${index}`,
    entry: (body: string, scope: string, index: string, day: string, subject: string) => key(`OVERSIGHT#${body}#${scope}#DAY#${index}`, `${day}#${subject}`),
    units: (body: string) => key(`OVERSIGHT#UNITS#${body}`, '#SET'),
    BODY_SCOPE: '*',
  },
} as const;

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

export interface QueryResult<T = Record<string, unknown>> {
  readonly items: T[];
  /** Items DynamoDB evaluated (the query's cost). */
  readonly scanned: number;
  /** Matching items counted (with Select: 'COUNT'). */
  readonly count: number;
  /** Where the next page starts, when `limit` stopped the query early. */
  readonly next?: Record<string, unknown>;
}

/**
 * One query of the table, page after page until it is exhausted or `limit` items are read
 * (each page asks for no more than what is still wanted, and at most `pageSize`); `onePage`
 * reads one page only and hands back where the next starts (a caller that pages itself).
 */
export async function query(input: QueryInput, options: { limit?: number; pageSize?: number; startKey?: Record<string, unknown>; onePage?: boolean } = {}): Promise<QueryResult> {
  const items: Record<string, unknown>[] = [];
  let scanned = 0;
  let count = 0;
  let startKey = options.startKey;
  const limit = options.limit ?? Infinity;
  do {
    const wanted = Math.min(limit - items.length, options.pageSize ?? Infinity);
    const res = await dynamo().send(new QueryCommand({ ...input, TableName: env.tableName(), ExclusiveStartKey: startKey, ...(Number.isFinite(wanted) ? { Limit: wanted } : {}) }));
    items.push(...(res.Items ?? []));
    scanned += res.ScannedCount ?? 0;
    count += res.Count ?? 0;
    startKey = res.LastEvaluatedKey;
  } while (startKey && items.length < limit && !options.onePage);
  return { items, scanned, count, ...(startKey ? { next: startKey } : {}) };
}

/** Writes `item` unless one with its key exists; false when it does. */
export async function putNew(item: Record<string, unknown>): Promise<boolean> {
  try {
    await dynamo().send(new PutCommand({ TableName: env.tableName(), Item: item, ConditionExpression: `attribute_not_exists(${TABLE.partitionKey})` }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Raised by replaceVersioned when the stored item is no longer at the version it was read at. */
export class VersionConflict extends Error {
  constructor(options?: ErrorOptions) {
    super('the item was changed since it was read', options);
    this.name = 'VersionConflict';
  }
}

/** Replaces an item if the stored one is still at `expectedVersion` (its `version` attribute); VersionConflict otherwise. */
export async function replaceVersioned(item: Record<string, unknown>, expectedVersion: number): Promise<void> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: env.tableName(),
        Item: item,
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new VersionConflict({ cause: err });
    throw err;
  }
}

/** Adds `value` to the string set `attribute` of the item at `k` (created if absent). */
export async function addToSet(k: Key, attribute: string, value: string): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: env.tableName(),
      Key: k,
      UpdateExpression: 'ADD #a :v',
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':v': new Set([value]) },
    }),
  );
}

/**
 * Counts one more request at `k` (a window's counter) unless `limit` are counted already: false
 * then. `expiresAt` (epoch seconds, in the table's TTL attribute) lets DynamoDB remove the counter after its window.
 */
export async function countWithin(k: Key, limit: number, expiresAt: number): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: env.tableName(),
        Key: k,
        UpdateExpression: 'ADD #n :one SET #e = :e',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#n': 'count', '#e': TABLE.timeToLive },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':e': expiresAt },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** The item at `k`, read consistently; undefined when there is none. */
export async function getItem(k: Key): Promise<Record<string, unknown> | undefined> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: k, ConsistentRead: true }));
  return res.Item;
}

/**
 * Claims the item at `k` for `owner` (a value that must belong to one owner only, where the table
 * has no transactions), stamped with the time `at` (ms): true when it is now `owner`'s, because it
 * was free, already `owner`'s, or held by `stale.owner` since before `stale.before` (a claim its
 * owner no longer holds, left by a change interrupted long enough ago that it cannot be in flight).
 */
export async function claim(k: Key, owner: string, at: number, stale?: { readonly owner: string; readonly before: number }): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: env.tableName(),
        Item: { ...k, owner, at },
        ConditionExpression: `attribute_not_exists(${TABLE.partitionKey}) OR #o = :owner${stale ? ' OR (#o = :stale AND #at < :before)' : ''}`,
        ExpressionAttributeNames: { '#o': 'owner', ...(stale ? { '#at': 'at' } : {}) },
        ExpressionAttributeValues: { ':owner': owner, ...(stale ? { ':stale': stale.owner, ':before': stale.before } : {}) },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Releases `owner`'s claim at `k` (nothing when another owner holds it, or nobody). */
export async function release(k: Key, owner: string): Promise<void> {
  try {
    await dynamo().send(
      new DeleteCommand({
        TableName: env.tableName(),
        Key: k,
        ConditionExpression: '#o = :owner',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

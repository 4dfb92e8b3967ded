import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { addToSet, ITEM, query } from '#shared/aws/table';
import type { Draft } from '#shared/domain/draft';
import { entryOf, listsOf, pageOf, type ListCounter, type ListEntry, type ListRef, type Membership, type Placement } from '#shared/domain/lists';
import { bodyOfDraft } from '#shared/scope';
import { env } from '#shared/env';
import { siteConfig } from '#shared/site/config';

export * from '#shared/domain/lists';

/**
 * The store of the site's lists (the lists themselves are domain: shared/domain/lists.ts).
 *
 * Items (single table):
 *   SITE#LIST#<ref> / #COUNTER             next (positions handed out), live (entries now);
 *                                           ref: <body>/<list>, the bare list for the top body
 *   SITE#LIST#<list> / P#<page>#<pos>       one entry (what the list pages show)
 *   SITE#DOC#<id>    / MEMBERSHIP           where a document was entered (for withdrawal)
 *   SITE#INDEXNO[#<body>]#<year> / #COUNTER the serial part of 索引号 (no body: the top body)
 *   SITE#YEARS[#<body>] / #SET              the years that have a list (no body: the top body)
 *   SITE#VALIDITY / DAY#<day>#<id>          a normative document's validity changes that day
 *                                           (the daily refresh re-renders its page then)
 *   SITE#VALIDITY / PENDING#<id>            a 废止 / 修订 recorded, its pages not yet rendered
 *   SITE#VALIDITY / #CURSOR                 the last day whose changes were rendered
 */

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const { list: listKey, entry: entrySk, pagePrefix, COUNTER, membership: memberKey } = ITEM.site;
/** The key of a body's set of years (the top body's from before bodies). */
const yearsKey = (body: string) => ITEM.site.years(body === siteConfig.bodyId ? undefined : body);

async function increment(key: { pk: string; sk: string }, fields: Record<string, number>): Promise<Record<string, number>> {
  const names = Object.keys(fields);
  const res = await dynamo().send(
    new UpdateCommand({
      TableName: env.tableName(),
      Key: key,
      UpdateExpression: `ADD ${names.map((_, i) => `#f${i} :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, fields[n]])),
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return (res.Attributes ?? {}) as Record<string, number>;
}

export async function findMembership(id: string): Promise<Membership | undefined> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: memberKey(id), ConsistentRead: true }));
  return res.Item as Membership | undefined;
}

/**
 * 索引号: the body's code / year of the document - serial within the body and year (the usual
 * form of 政府信息公开目录 index numbers; each 公开主体 numbers its own, issue 16.3). The serial
 * comes from an atomic counter; the caller stores the number with the draft, so a document
 * gets exactly one. The top body counts on in the counter of before bodies.
 */
export async function allocateIndexNumber(documentDate: string, body: { readonly id: string; readonly code: string }): Promise<string> {
  const year = documentDate.slice(0, 4);
  const counter = ITEM.site.indexNumberCounter(year, body.id === siteConfig.bodyId ? undefined : body.id);
  const serial = (await increment(counter, { next: 1 })).next!;
  return `${body.code}/${year}-${pad(serial, 5)}`;
}

/**
 * Enters a published document in its lists. Idempotent: positions are handed out once and
 * recorded (membership) before the entries are written, so a retry rewrites the same
 * entries. A crash between the counters and the membership leaves at most a gap.
 */
export async function enterDocument(d: Draft): Promise<Membership> {
  let member = await findMembership(d.id);
  if (!member) {
    const year = d.form.documentDate.slice(0, 4);
    const placements: Placement[] = [];
    for (const list of listsOf(d.form, !!d.files.interpretation?.textKey, bodyOfDraft(d), siteConfig.bodyId)) {
      const pos = (await increment({ pk: listKey(list), sk: COUNTER }, { next: 1, live: 1 })).next!;
      placements.push({ list, page: pageOf(pos), pos });
    }
    member = { id: d.id, indexNumber: d.publication?.indexNumber ?? '', placements };
    await dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...memberKey(d.id), ...member } }));
    await addToSet(yearsKey(bodyOfDraft(d)), 'years', year);
  }
  const entry = entryOf(d, member.indexNumber, d.publication?.summary ?? '');
  await Promise.all(
    member.placements.map((p) => dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { pk: listKey(p.list), sk: entrySk(p.page, p.pos), ...entry } }))),
  );
  return member;
}

/** Drops a withdrawn document from every list it was in. Idempotent (the membership is marked removed once). */
export async function removeDocument(id: string): Promise<Membership | undefined> {
  const member = await findMembership(id);
  if (!member) return undefined;
  await Promise.all(member.placements.map((p) => dynamo().send(new DeleteCommand({ TableName: env.tableName(), Key: { pk: listKey(p.list), sk: entrySk(p.page, p.pos) } }))));
  if (!member.removed) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: env.tableName(),
          Key: memberKey(id),
          UpdateExpression: 'SET removed = :t',
          ConditionExpression: 'attribute_not_exists(removed)',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
      await Promise.all(member.placements.map((p) => increment({ pk: listKey(p.list), sk: COUNTER }, { live: -1 })));
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    }
  }
  return { ...member, removed: true };
}

export async function counters(lists: readonly ListRef[]): Promise<Map<ListRef, ListCounter>> {
  const out = new Map<ListRef, ListCounter>(lists.map((l) => [l, { next: 0, live: 0 }]));
  for (let i = 0; i < lists.length; i += 100) {
    const keys = lists.slice(i, i + 100).map((l) => ({ pk: listKey(l), sk: COUNTER }));
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [env.tableName()]: { Keys: keys } };
    while (request && Object.keys(request).length) {
      const res = await dynamo().send(new BatchGetCommand({ RequestItems: request }));
      for (const item of res.Responses?.[env.tableName()] ?? []) {
        const list = String(item.pk).slice(ITEM.site.LIST_PREFIX.length) as ListRef;
        out.set(list, { next: Number(item.next ?? 0), live: Number(item.live ?? 0) });
      }
      request = res.UnprocessedKeys as typeof request;
    }
  }
  return out;
}

/** The entries on one page of a list, newest first. */
export async function pageEntries(list: ListRef, page: number): Promise<ListEntry[]> {
  return queryEntries(list, { prefix: pagePrefix(page) });
}

/** The newest `limit` entries of a list. */
export async function newestEntries(list: ListRef, limit: number): Promise<ListEntry[]> {
  return queryEntries(list, { prefix: ITEM.site.ENTRY_PREFIX, limit });
}

/** Every entry of a list (only for short lists: normative documents). */
export async function allEntries(list: ListRef): Promise<ListEntry[]> {
  return queryEntries(list, { prefix: ITEM.site.ENTRY_PREFIX });
}

async function queryEntries(list: ListRef, q: { prefix: string; limit?: number }): Promise<ListEntry[]> {
  const { items } = await query(
    { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': listKey(list), ':p': q.prefix }, ScanIndexForward: false },
    q.limit ? { limit: q.limit } : {},
  );
  return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as ListEntry);
}

/** The years (成文日期) in which a body has documents, newest first. */
export async function listedYears(body: string): Promise<string[]> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: yearsKey(body), ConsistentRead: true }));
  const years = res.Item?.years as Set<string> | undefined;
  return [...(years ?? [])].sort().reverse();
}

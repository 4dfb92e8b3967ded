import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { ITEM, query } from '#shared/aws/table';
import type { Draft } from '#shared/domain/draft';
import { entryOf, listsOf, pageOf, type ListCounter, type ListEntry, type ListRef, type Membership, type Placement } from '#shared/domain/lists';
import { bodyOfDraft } from '#shared/scope';
import { env } from '#shared/env';
import { siteConfig } from '#shared/site/config';
import { mapLimit } from '#shared/batching';

export * from '#shared/domain/lists';

/**
 * The store of the site's lists (the lists themselves are domain: shared/domain/lists.ts).
 *
 * Items (single table):
 *   SITE#LIST#<ref> / #COUNTER             next (positions handed out), live (entries now),
 *                                           run (the entering run that last moved it);
 *                                           ref: <body>/<list>, the bare list for the top body
 *   SITE#ENTERING / #JOURNAL                the documents a run is entering, while it does
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
 * A run's entering of new documents, recorded before any counter moves (one item: a run deals
 * with a journal left by a stopped run before it writes its own). Its documents, in the run's
 * order, with the lists each goes to; the counters record the run that last moved them.
 * (Its key belongs in ITEM.site, shared/aws/table.ts: spelled here until it moves there.)
 */
const JOURNAL_KEY = ITEM.site.entering;
interface Journal {
  readonly run: string;
  readonly docs: readonly { readonly id: string; readonly indexNumber: string; readonly body: string; readonly year: string; readonly lists: readonly ListRef[] }[];
}
/** Requests of a run's batch writes in flight at once. */
const WRITE_CONCURRENCY = 8;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** Writes (puts, deletes) in BatchWriteItem requests of 25, a few at once, retrying what DynamoDB leaves unprocessed. */
export async function writeAll(requests: readonly WriteRequest[]): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  await mapLimit(chunks, WRITE_CONCURRENCY, async (chunk) => {
    let pending: WriteRequest[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error(`could not write ${pending.length} site items`);
      const res = await dynamo().send(new BatchWriteCommand({ RequestItems: { [env.tableName()]: pending as never } }));
      pending = res.UnprocessedItems?.[env.tableName()] as WriteRequest[] | undefined;
    }
  });
}

/** Reads items by key, consistently, in BatchGetItem requests of 100 (a few at once); absent keys are absent from the answer. */
export async function readAll(keys: readonly { pk: string; sk: string }[]): Promise<Record<string, unknown>[]> {
  const chunks: { pk: string; sk: string }[][] = [];
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
  const read = await mapLimit(chunks, WRITE_CONCURRENCY, async (chunk) => {
    const items: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error(`could not read ${pending.length} site items`);
      const res = await dynamo().send(new BatchGetCommand({ RequestItems: { [env.tableName()]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(res.Responses?.[env.tableName()] ?? []));
      pending = res.UnprocessedKeys?.[env.tableName()]?.Keys as Record<string, unknown>[] | undefined;
    }
    return items;
  });
  return read.flat();
}

/** Test seam: called after each step of entering (a test stops the run there, as a crash would). */
let stepHook: ((step: 'journal' | 'allocated' | 'counters' | 'entries') => void | Promise<void>) | undefined;
export function onEnterStep(hook: typeof stepHook): void {
  stepHook = hook;
}

/**
 * Hands out the positions of a journal's documents and records them (memberships, years).
 * Idempotent, so a run finds a stopped run's journal and applies it again: each list's counter
 * moves by its k documents at most once per journal (its `run` tells), and a counter that moved
 * already is read back — no other run moved it since (a run applies the journal it finds before
 * writing its own) — so the same positions come out: none handed out twice, none left empty.
 */
async function applyJournal(j: Journal): Promise<Map<string, Membership>> {
  const byList = new Map<ListRef, string[]>();
  for (const d of j.docs) for (const list of d.lists) byList.set(list, [...(byList.get(list) ?? []), d.id]);
  const positions = new Map<string, number>(); // `${list}\n${id}` → pos
  await mapLimit([...byList], WRITE_CONCURRENCY, async ([list, ids]) => {
    const key = { pk: listKey(list), sk: COUNTER };
    let end: number;
    try {
      const res = await dynamo().send(
        new UpdateCommand({
          TableName: env.tableName(),
          Key: key,
          UpdateExpression: 'SET #run = :run ADD #next :k, #live :k',
          ConditionExpression: 'attribute_not_exists(#run) OR #run <> :run',
          ExpressionAttributeNames: { '#run': 'run', '#next': 'next', '#live': 'live' },
          ExpressionAttributeValues: { ':run': j.run, ':k': ids.length },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      end = Number(res.Attributes?.next);
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // Moved by this journal before the run stopped: its positions are the last k.
      const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: key, ConsistentRead: true }));
      end = Number(res.Item?.next);
    }
    if (!Number.isInteger(end) || end < ids.length) throw new Error(`list ${list}: counter ${end} below the ${ids.length} documents of run ${j.run}`);
    ids.forEach((id, i) => positions.set(`${list}\n${id}`, end - ids.length + 1 + i));
  });
  await stepHook?.('allocated');
  const members = new Map<string, Membership>();
  for (const d of j.docs) {
    const placements = d.lists.map((list): Placement => {
      const pos = positions.get(`${list}\n${d.id}`)!;
      return { list, page: pageOf(pos), pos };
    });
    members.set(d.id, { id: d.id, indexNumber: d.indexNumber, placements });
  }
  const years = new Map<string, Set<string>>();
  for (const d of j.docs) years.set(d.body, (years.get(d.body) ?? new Set()).add(d.year));
  await Promise.all([
    writeAll([...members.values()].map((m) => ({ PutRequest: { Item: { ...memberKey(m.id), ...m } } }))),
    ...[...years].map(([body, set]) =>
      dynamo().send(
        new UpdateCommand({
          TableName: env.tableName(),
          Key: yearsKey(body),
          UpdateExpression: 'ADD #a :v',
          ExpressionAttributeNames: { '#a': 'years' },
          ExpressionAttributeValues: { ':v': set },
        }),
      ),
    ),
  ]);
  try {
    await dynamo().send(
      new DeleteCommand({
        TableName: env.tableName(),
        Key: JOURNAL_KEY,
        ConditionExpression: '#run = :run',
        ExpressionAttributeNames: { '#run': 'run' },
        ExpressionAttributeValues: { ':run': j.run },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
  return members;
}

/**
 * Enters published documents in their lists, in the order given (each list hands out its
 * positions in that order). A run costs a few requests whatever its size: the memberships read
 * in one batch, one journal item, one counter update per list (by its k documents), the
 * memberships and entries in batch writes. Idempotent: a document entered before keeps its
 * positions (membership) and its entries are written again; a run stopped anywhere leaves its
 * journal, which the next run applies first, to the same positions (applyJournal) — no document
 * is entered twice, no position is left empty. Answers each document's membership, in order.
 *
 * One run at a time: across processes, render-site is the one consumer of a FIFO queue; within a
 * process, calls made while a run is under way wait for it and are entered together in the next
 * (in the order they came), so callers side by side (the site bench's seeding) stay correct.
 */
export function enterDocuments(ds: readonly Draft[]): Promise<Membership[]> {
  if (!ds.length) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    waiting.push({ ds, resolve, reject });
    pump();
  });
}

const waiting: { ds: readonly Draft[]; resolve: (m: Membership[]) => void; reject: (err: unknown) => void }[] = [];
let entering = false;
function pump(): void {
  if (entering || !waiting.length) return;
  entering = true;
  const calls = waiting.splice(0);
  void enterRun(calls.flatMap((c) => c.ds))
    .then(
      (members) => {
        const byId = new Map(members.map((m) => [m.id, m]));
        for (const c of calls) c.resolve(c.ds.map((d) => byId.get(d.id)!));
      },
      (err: unknown) => {
        for (const c of calls) c.reject(err);
      },
    )
    .finally(() => {
      entering = false;
      pump();
    });
}

async function enterRun(ds: readonly Draft[]): Promise<Membership[]> {
  const unique = [...new Map(ds.map((d) => [d.id, d])).values()];
  const left = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: JOURNAL_KEY, ConsistentRead: true }));
  if (left.Item) await applyJournal(left.Item as unknown as Journal);
  const members = new Map<string, Membership>();
  for (const item of await readAll(unique.map((d) => memberKey(d.id)))) {
    const { pk: _pk, sk: _sk, ...m } = item;
    members.set(String(m.id), m as unknown as Membership);
  }
  const fresh = unique.filter((d) => !members.has(d.id));
  if (fresh.length) {
    const journal: Journal = {
      run: randomUUID(),
      docs: fresh.map((d) => ({
        id: d.id,
        indexNumber: d.publication?.indexNumber ?? '',
        body: bodyOfDraft(d),
        year: d.form.documentDate.slice(0, 4),
        lists: listsOf(d.form, !!d.files.interpretation?.textKey, bodyOfDraft(d), siteConfig.bodyId),
      })),
    };
    await dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...JOURNAL_KEY, ...journal } }));
    await stepHook?.('journal');
    for (const [id, m] of await applyJournal(journal)) members.set(id, m);
    await stepHook?.('counters');
  }
  await writeAll(
    unique.flatMap((d) => {
      const m = members.get(d.id)!;
      const entry = entryOf(d, m.indexNumber, d.publication?.summary ?? '');
      return m.placements.map((p) => ({ PutRequest: { Item: { pk: listKey(p.list), sk: entrySk(p.page, p.pos), ...entry } } }));
    }),
  );
  await stepHook?.('entries');
  return unique.map((d) => members.get(d.id)!);
}

/** Enters one published document in its lists (enterDocuments of one). */
export async function enterDocument(d: Draft): Promise<Membership> {
  return (await enterDocuments([d]))[0]!;
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

import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { addToSet, ITEM, query } from '#shared/aws/table';
import type { Draft } from '#shared/domain/draft';
import { validityState, type ValidityChange, type ValidityState } from '#shared/domain/validity';
import { PILOT_DOMAINS, type DeclarationForm } from '#shared/domain/form';
import { env } from '#shared/env';
import type { ListId } from '#shared/render/site';
import { siteConfig } from '#shared/site/config';

/**
 * The site's lists (主动公开基本目录, the 26 domains, the years, 政策解读, 行政规范性文件),
 * kept in the table so that publishing one document touches only the pages it appears on.
 *
 * Pagination is stable: each list numbers its entries in order of entry (an atomic
 * counter), and page k holds positions (k-1)·PAGE_SIZE+1 … k·PAGE_SIZE. A new document
 * lands on the last page, so publishing rewrites that page (and the one before, when a
 * page was just started), the list's index and nothing else — however long the list is.
 * Withdrawing a document deletes its entry from its page; pages never shift.
 *
 * Items (single table):
 *   SITE#LIST#<list> / #COUNTER            next (positions handed out), live (entries now)
 *   SITE#LIST#<list> / P#<page>#<pos>       one entry (what the list pages show)
 *   SITE#DOC#<id>    / MEMBERSHIP           where a document was entered (for withdrawal)
 *   SITE#INDEXNO#<year> / #COUNTER          the serial part of 索引号
 *   SITE#YEARS / #SET                       the years that have a list
 *   SITE#VALIDITY / DAY#<day>#<id>          a normative document's validity changes that day
 *                                           (the daily refresh re-renders its page then)
 *   SITE#VALIDITY / PENDING#<id>            a 废止 / 修订 recorded, its pages not yet rendered
 *   SITE#VALIDITY / #CURSOR                 the last day whose changes were rendered
 */

export const PAGE_SIZE = 20;

export interface ListEntry {
  readonly id: string;
  readonly title: string;
  readonly indexNumber: string;
  readonly documentNumber?: string;
  readonly documentDate: string;
  readonly documentType: string;
  readonly unit: string;
  readonly domain?: string;
  /** 内容概述 (条例 Art. 12): a short summary of the (masked) text. */
  readonly summary: string;
  readonly hasInterpretation: boolean;
  readonly validity?: { readonly from?: string; readonly until?: string };
  /** 废止 / 修订 of a normative document, with the replacing document. */
  readonly validityChange?: Pick<ValidityChange, 'kind' | 'date' | 'replacedBy'>;
  readonly publishedAt: string;
}

export interface Placement {
  readonly list: ListId;
  readonly page: number;
  readonly pos: number;
}

export interface Membership {
  readonly id: string;
  readonly indexNumber: string;
  readonly placements: readonly Placement[];
  readonly removed?: boolean;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const { list: listKey, entry: entrySk, pagePrefix, COUNTER, membership: memberKey, years: YEARS_KEY } = ITEM.site;

export const pageOf = (pos: number): number => Math.ceil(pos / PAGE_SIZE);

/** The folder name of a pilot domain's list: domain-01 … domain-26, in the order of the notice. */
export function domainList(domain: string): ListId | undefined {
  const i = (PILOT_DOMAINS as readonly string[]).indexOf(domain);
  return i < 0 ? undefined : `domain-${pad(i + 1, 2)}`;
}
export const domainOfList = (list: string): string | undefined => {
  const m = /^domain-(\d\d)$/.exec(list);
  return m ? PILOT_DOMAINS[Number(m[1]) - 1] : undefined;
};
export const yearList = (year: string): ListId => `year-${year}`;

/** The lists a document belongs to. */
export function listsOf(form: DeclarationForm, hasInterpretation: boolean): ListId[] {
  const lists: ListId[] = ['catalogue'];
  const d = form.domain ? domainList(form.domain) : undefined;
  if (d) lists.push(d);
  lists.push(yearList(form.documentDate.slice(0, 4)));
  if (hasInterpretation) lists.push('interpretations');
  if (form.documentType === '行政规范性文件') lists.push('normative');
  return lists;
}

/** 有效期 of a normative document as dates, and whether it is in force on `day`. */
export function validityOf(form: DeclarationForm): { from: string; until?: string } | undefined {
  if (form.documentType !== '行政规范性文件') return undefined;
  const from = form.validity?.from ?? form.documentDate;
  if (form.validity?.until) return { from, until: form.validity.until };
  if (form.validity?.years) {
    const d = new Date(`${from}T00:00:00Z`);
    d.setUTCFullYear(d.getUTCFullYear() + form.validity.years);
    d.setUTCDate(d.getUTCDate() - 1);
    return { from, until: d.toISOString().slice(0, 10) };
  }
  return { from };
}

export type ValidityStatus = ValidityState;
/** The state on `day`; a 废止 / 修订 in effect wins over the dates (shared/domain/validity). */
export function validityStatus(v: { from?: string; until?: string }, day: string, change?: Pick<ValidityChange, 'kind' | 'date'>): ValidityStatus {
  return validityState(v, change, day);
}

/** 有效期 as the pages show it. */
export const validityText = (v: { from?: string; until?: string } | undefined): string =>
  !v ? '—' : v.until ? `${v.from ?? ''} 至 ${v.until}` : `自 ${v.from ?? ''} 起（未标注截止日期）`;

const CJK = '[\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef]';
const BETWEEN_CJK = new RegExp(`(?<=${CJK})\\s+|\\s+(?=${CJK})`, 'g');

/**
 * 内容概述 (条例 Art. 12): the opening of the text after its heading — the title, document
 * number and salutation (主送机关, "各乡镇人民政府：") that every document starts with say
 * nothing the catalogue's other columns don't — whitespace collapsed (none between Chinese
 * characters: PDF lines break anywhere), at most `max` characters.
 */
export function summarise(text: string, heading: { title?: string } = {}, max = 80): string {
  let flat = text.replace(BETWEEN_CJK, '').replace(/\s+/g, ' ').trim();
  const title = heading.title?.replace(/\s+/g, '');
  const at = title ? flat.indexOf(title) : -1;
  if (title && at >= 0 && at < 200) flat = flat.slice(at + title.length);
  const salutation = /^[^。！？：:]{2,60}[：:]/.exec(flat);
  if (salutation) flat = flat.slice(salutation[0].length);
  flat = flat.trim() || text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}

export function entryOf(d: Draft, indexNumber: string, summary: string): ListEntry {
  const f = d.form;
  const validity = validityOf(f);
  return {
    id: d.id,
    title: f.title,
    indexNumber,
    ...(f.documentNumber ? { documentNumber: f.documentNumber } : {}),
    documentDate: f.documentDate,
    documentType: f.documentType,
    unit: f.draftingUnit,
    ...(f.domain ? { domain: f.domain } : {}),
    summary,
    hasInterpretation: !!d.files.interpretation?.textKey,
    ...(validity ? { validity } : {}),
    ...(d.validityChange ? { validityChange: { kind: d.validityChange.kind, date: d.validityChange.date, ...(d.validityChange.replacedBy ? { replacedBy: d.validityChange.replacedBy } : {}) } } : {}),
    publishedAt: d.publication?.publishedAt ?? d.updatedAt,
  };
}

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
 * 索引号: organisation code / year of the document - serial within the year (the usual form
 * of 政府信息公开目录 index numbers). The serial comes from an atomic counter; the caller
 * stores the number with the draft, so a document gets exactly one.
 */
export async function allocateIndexNumber(documentDate: string): Promise<string> {
  const year = documentDate.slice(0, 4);
  const serial = (await increment(ITEM.site.indexNumberCounter(year), { next: 1 })).next!;
  return `${siteConfig.organizationCode}/${year}-${pad(serial, 5)}`;
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
    for (const list of listsOf(d.form, !!d.files.interpretation?.textKey)) {
      const pos = (await increment({ pk: listKey(list), sk: COUNTER }, { next: 1, live: 1 })).next!;
      placements.push({ list, page: pageOf(pos), pos });
    }
    member = { id: d.id, indexNumber: d.publication?.indexNumber ?? '', placements };
    await dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...memberKey(d.id), ...member } }));
    await addToSet(YEARS_KEY, 'years', year);
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

export interface ListCounter {
  /** Positions handed out: the number of pages is pageOf(next). */
  readonly next: number;
  /** Entries in the list now. */
  readonly live: number;
}

export async function counters(lists: readonly ListId[]): Promise<Map<ListId, ListCounter>> {
  const out = new Map<ListId, ListCounter>(lists.map((l) => [l, { next: 0, live: 0 }]));
  for (let i = 0; i < lists.length; i += 100) {
    const keys = lists.slice(i, i + 100).map((l) => ({ pk: listKey(l), sk: COUNTER }));
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [env.tableName()]: { Keys: keys } };
    while (request && Object.keys(request).length) {
      const res = await dynamo().send(new BatchGetCommand({ RequestItems: request }));
      for (const item of res.Responses?.[env.tableName()] ?? []) {
        const list = String(item.pk).slice(ITEM.site.LIST_PREFIX.length) as ListId;
        out.set(list, { next: Number(item.next ?? 0), live: Number(item.live ?? 0) });
      }
      request = res.UnprocessedKeys as typeof request;
    }
  }
  return out;
}

/** The entries on one page of a list, newest first. */
export async function pageEntries(list: ListId, page: number): Promise<ListEntry[]> {
  return queryEntries(list, { prefix: pagePrefix(page) });
}

/** The newest `limit` entries of a list. */
export async function newestEntries(list: ListId, limit: number): Promise<ListEntry[]> {
  return queryEntries(list, { prefix: ITEM.site.ENTRY_PREFIX, limit });
}

/** Every entry of a list (only for short lists: normative documents). */
export async function allEntries(list: ListId): Promise<ListEntry[]> {
  return queryEntries(list, { prefix: ITEM.site.ENTRY_PREFIX });
}

async function queryEntries(list: ListId, q: { prefix: string; limit?: number }): Promise<ListEntry[]> {
  const { items } = await query(
    { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': listKey(list), ':p': q.prefix }, ScanIndexForward: false },
    q.limit ? { limit: q.limit } : {},
  );
  return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as ListEntry);
}

/** The years (成文日期) that have documents, newest first. */
export async function listedYears(): Promise<string[]> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: YEARS_KEY, ConsistentRead: true }));
  const years = res.Item?.years as Set<string> | undefined;
  return [...(years ?? [])].sort().reverse();
}

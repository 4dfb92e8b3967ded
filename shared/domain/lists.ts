import type { Draft } from '#shared/domain/draft';
import { validityState, type ValidityChange, type ValidityState } from '#shared/domain/validity';
import { DISCLOSURE_CATEGORIES, PILOT_DOMAINS, type DeclarationForm } from '#shared/domain/form';

/**
 * The site's lists (主动公开基本目录, the 26 domains, the years, 政策解读, 行政规范性文件),
 * kept in the table (shared/site/catalogue.ts) so that publishing one document touches only
 * the pages it appears on.
 *
 * Pagination is stable: each list numbers its entries in order of entry (an atomic
 * counter), and page k holds positions (k-1)·PAGE_SIZE+1 … k·PAGE_SIZE. A new document
 * lands on the last page, so publishing rewrites that page (and the one before, when a
 * page was just started), the list's index and nothing else — however long the list is.
 * Withdrawing a document deletes its entry from its page; pages never shift.
 */

/** A list of the site: the catalogue, 政策解读, 行政规范性文件, a pilot domain's, a year's. */
export type ListId = 'catalogue' | 'interpretations' | 'normative' | `category-${string}` | `domain-${string}` | `year-${string}`;

/**
 * A list of one 公开主体 (issue 16.3): `<body>/<list>`, or the bare list for the platform's top
 * body (its lists from before bodies keep their keys and addresses).
 */
export type ListRef = ListId | `${string}/${ListId}`;

/** The list `list` of body `body` (`top`: the top body's id). */
export const listRef = (body: string, list: ListId, top: string): ListRef => (body === top ? list : `${body}/${list}`);
/** The body and list of a ref. */
export function parseListRef(ref: ListRef, top: string): { body: string; list: ListId } {
  const at = ref.indexOf('/');
  return at < 0 ? { body: top, list: ref as ListId } : { body: ref.slice(0, at), list: ref.slice(at + 1) as ListId };
}

export const PAGE_SIZE = 20;

export interface ListEntry {
  readonly id: string;
  readonly title: string;
  readonly indexNumber: string;
  readonly documentNumber?: string;
  readonly documentDate: string;
  readonly documentType: string;
  readonly unit: string;
  /** The 公开主体 it is published for (the platform's pages name it). */
  readonly body?: { readonly id: string; readonly name: string };
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
  readonly list: ListRef;
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

/** The folder name of a category's list (条例 Art. 20): category-01 … category-16, in the law's order. */
export function categoryList(category: string): ListId | undefined {
  const i = (DISCLOSURE_CATEGORIES as readonly string[]).indexOf(category);
  return i < 0 ? undefined : `category-${pad(i + 1, 2)}`;
}
export const categoryOfList = (list: string): string | undefined => {
  const m = /^category-(\d\d)$/.exec(list);
  return m ? DISCLOSURE_CATEGORIES[Number(m[1]) - 1] : undefined;
};

/**
 * The category a document is listed under: the one its 申报表 declares; a 行政规范性文件 without
 * one is (一) by its type (条例 Art. 20(一)); otherwise none (documents from before categories).
 */
export function categoryOf(form: Pick<DeclarationForm, 'category' | 'documentType'>): string | undefined {
  return form.category ?? (form.documentType === '行政规范性文件' ? DISCLOSURE_CATEGORIES[0] : undefined);
}

/** The lists a document of `body` belongs to (`top`: the top body's id). */
export function listsOf(form: DeclarationForm, hasInterpretation: boolean, body: string, top: string): ListRef[] {
  const lists: ListId[] = ['catalogue'];
  const category = categoryOf(form);
  if (category) lists.push(categoryList(category)!);
  const d = form.domain ? domainList(form.domain) : undefined;
  if (d) lists.push(d);
  lists.push(yearList(form.documentDate.slice(0, 4)));
  if (hasInterpretation) lists.push('interpretations');
  if (form.documentType === '行政规范性文件') lists.push('normative');
  return lists.map((l) => listRef(body, l, top));
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
    ...(d.publication?.body ? { body: d.publication.body } : {}),
    ...(f.domain ? { domain: f.domain } : {}),
    summary,
    hasInterpretation: !!d.files.interpretation?.textKey,
    ...(validity ? { validity } : {}),
    ...(d.validityChange
      ? { validityChange: { kind: d.validityChange.kind, date: d.validityChange.date, ...(d.validityChange.replacedBy ? { replacedBy: d.validityChange.replacedBy } : {}) } }
      : {}),
    publishedAt: d.publication?.publishedAt ?? d.updatedAt,
  };
}

export interface ListCounter {
  /** Positions handed out: the number of pages is pageOf(next). */
  readonly next: number;
  /** Entries in the list now. */
  readonly live: number;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DraftView } from '#client/gongkai';
import { dynamo } from '#shared/aws/clients';
import { ITEM } from '#shared/aws/table';
import { readJson, writeObject } from '#shared/blobs';
import { env } from '#shared/env';
import { ARCHIVE_LINKS, listPage } from '#shared/render/columns';
import { PAGE_SIZE, pageEntries, pageOf, type ListEntry } from '#shared/site/catalogue';
import { INDEX_CACHE } from '#shared/site/cache';
import { siteConfig } from '#shared/site/config';
import { SEARCH_POINTER_KEY, type SearchPointer } from '#shared/site/search';
import { validForm } from '../support/forms.ts';
import { decideAll, submitDraft, textFile } from '../support/publish.ts';
import { readSite, referencesOf, reachablePages, targetOf, type SiteFiles } from '../support/site-audit.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 17.2, what a reader relies on when a publication's cost must not grow with the site: a
 * document published into a long catalogue (here 34 full pages, seeded in the table as the site
 * consumer leaves them, the archive pages rendered as it last wrote them) rewrites the list's
 * front page, its feed and the page the document lands on (and the page before, when it starts
 * a page) — each with at most a page of entries and a bounded index of the archive — and every
 * document of the list stays reachable from the front page through the pagination, a few steps
 * away; the search lists the new documents. Real pages from the renderer and the site consumer
 * on the emulators.
 */

const SEEDED = 34 * PAGE_SIZE;
const SEEDED_PAGES = SEEDED / PAGE_SIZE;
const LIST = 'columns/catalogue/';
const YEAR = '2026';

let stack: TestStack;
const seededIds: string[] = [];

const idOf = (pos: number) => `01SEEDED${String(pos).padStart(18, '0')}`;

function seededEntry(pos: number): ListEntry {
  return {
    id: idOf(pos),
    title: `示例县人民政府办公室关于第 ${pos} 项重点工作的通知`,
    indexNumber: `${siteConfig.organizationCode}/2025-${String(pos).padStart(5, '0')}`,
    documentNumber: `示政办发〔2025〕${pos}号`,
    documentDate: '2025-03-01',
    documentType: '通知',
    unit: '示例县人民政府办公室',
    summary: `各乡镇人民政府、县政府各部门：现将第 ${pos} 项重点工作的有关事项通知如下。`,
    hasInterpretation: false,
    publishedAt: `2025-03-01T00:00:${String(pos % 60).padStart(2, '0')}.000Z`,
  };
}

async function batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
  for (let at = 0; at < items.length; at += 25) {
    let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [env.tableName()]: items.slice(at, at + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (request && Object.keys(request).length) {
      const res = await dynamo().send(new BatchWriteCommand({ RequestItems: request }));
      request = res.UnprocessedItems as typeof request;
    }
  }
}

beforeAll(async () => {
  stack = await startTestStack();
  // The catalogue of the top body: SEEDED entries and their counter, as enterDocument leaves them.
  const items: Record<string, unknown>[] = [];
  for (let pos = 1; pos <= SEEDED; pos++) {
    seededIds.push(idOf(pos));
    items.push({ pk: ITEM.site.list('catalogue'), sk: ITEM.site.entry(pageOf(pos), pos), ...seededEntry(pos) });
  }
  items.push({ pk: ITEM.site.list('catalogue'), sk: ITEM.site.COUNTER, next: SEEDED, live: SEEDED });
  await batchPut(items);
  // Its archive pages as the site consumer last wrote them: page k when page k + 1 began (the
  // newest when its last entry came), each linking only the pages that existed then.
  const day = new Date().toISOString().slice(0, 10);
  for (let k = 1; k <= SEEDED_PAGES; k++) {
    const next = k < SEEDED_PAGES ? k * PAGE_SIZE + 1 : SEEDED;
    const html = listPage('catalogue', k, await pageEntries('catalogue', k), { next, live: next }, day);
    await writeObject('site', `${LIST}page-${k}.html`, html, 'text/html; charset=utf-8', { cacheControl: INDEX_CACHE });
  }
}, 180_000);
afterAll(() => stack?.cleanup());

let n = 0;
async function publish(): Promise<DraftView> {
  n++;
  const title = `示例县人民政府关于做好${YEAR}年度防汛工作的通知（分页测试 ${n}）`;
  const id = await submitDraft(
    stack.drafter,
    validForm({ title, documentNumber: `示政发〔${YEAR}〕${n}号`, documentDate: `${YEAR}-05-0${n}` }),
    textFile(`${title}\n各乡镇人民政府：为做好今年防汛工作，现将有关事项通知如下。\n`),
  );
  const view = (await decideAll(stack, new Map([[id, 'approve']]))).get(id)!;
  expect(view.status, JSON.stringify(view.findings)).toBe('PUBLISHED');
  return view;
}

const site = () => readSite(stack.s3, stack.names.buckets.site);
const text = (files: SiteFiles, key: string) => new TextDecoder().decode(files.get(key)!);
/** Keys new or changed from `before` to `after`. */
const changed = (before: SiteFiles, after: SiteFiles) =>
  [...after.keys()].filter((k) => !before.has(k) || Buffer.compare(Buffer.from(before.get(k)!), Buffer.from(after.get(k)!)) !== 0).sort();
/** The documents a page links (each once), and the archive pages it links. */
function linksOf(files: SiteFiles, key: string): { documents: Set<string>; pages: Set<string> } {
  const targets = referencesOf(key, text(files, key))
    .filter((r) => r.tag === 'a')
    .map((r) => targetOf(key, r.value));
  return {
    documents: new Set(targets.filter((t) => /^documents\/[^/]+\.html$/.test(t))),
    pages: new Set(targets.filter((t) => t.startsWith(`${LIST}page-`))),
  };
}

/** Every page of the list by the fewest steps from its front page (links between the list's pages only). */
function stepsFromFront(files: SiteFiles): Map<string, number> {
  const steps = new Map([[`${LIST}index.html`, 0]]);
  const queue = [`${LIST}index.html`];
  for (let page = queue.shift(); page !== undefined; page = queue.shift()) {
    for (const next of linksOf(files, page).pages) {
      if (files.has(next) && !steps.has(next)) {
        steps.set(next, steps.get(page)! + 1);
        queue.push(next);
      }
    }
  }
  return steps;
}

let published: DraftView[] = [];
let after: SiteFiles;

describe('a publication into a long catalogue', () => {
  it('rewrites the front page, the feed and the page it lands on, each bounded', async () => {
    const before = await site();
    // Position SEEDED + 1 starts page 35: the page before gains its link to it.
    const a = await publish();
    const middle = await site();
    expect(changed(before, middle).filter((k) => k.startsWith(LIST))).toEqual([
      `${LIST}feed.xml`,
      `${LIST}index.html`,
      `${LIST}page-${SEEDED_PAGES}.html`,
      `${LIST}page-${SEEDED_PAGES + 1}.html`,
    ]);
    const b = await publish();
    after = await site();
    expect(changed(middle, after).filter((k) => k.startsWith(LIST))).toEqual([`${LIST}feed.xml`, `${LIST}index.html`, `${LIST}page-${SEEDED_PAGES + 1}.html`]);
    published = [a, b];

    // The front page: a page of entries, newest first, and at most ARCHIVE_LINKS archive pages
    // by number, the one before them and the first.
    const front = linksOf(after, `${LIST}index.html`);
    expect(front.documents.size).toBe(PAGE_SIZE);
    expect([...front.documents].slice(0, 2)).toEqual([b.publication!.path, a.publication!.path]);
    expect(front.pages.size).toBeLessThanOrEqual(ARCHIVE_LINKS + 2);
    expect(front.pages).toContain(`${LIST}page-1.html`);
    expect(front.pages).toContain(`${LIST}page-${SEEDED_PAGES + 1}.html`);
    // Each archive page written: its own entries (at most a page) and its neighbours.
    for (const k of [SEEDED_PAGES, SEEDED_PAGES + 1]) {
      const page = linksOf(after, `${LIST}page-${k}.html`);
      expect(page.documents.size).toBeLessThanOrEqual(PAGE_SIZE);
      expect(page.pages.size).toBeLessThanOrEqual(5);
    }
    expect(linksOf(after, `${LIST}page-${SEEDED_PAGES + 1}.html`).documents).toEqual(new Set([a.publication!.path, b.publication!.path]));
    expect(linksOf(after, `${LIST}page-${SEEDED_PAGES}.html`).pages).toContain(`${LIST}page-${SEEDED_PAGES + 1}.html`);
    // The feed: the newest PAGE_SIZE entries.
    expect(text(after, `${LIST}feed.xml`).match(/<entry>/g)?.length).toBe(PAGE_SIZE);
    // The home page: the newest ten.
    const home = referencesOf('index.html', text(after, 'index.html')).filter((r) => r.tag === 'a' && /^documents\//.test(targetOf('index.html', r.value)));
    expect(home.length).toBe(10);
  }, 240_000);

  it('leaves every document of the list reachable from its front page, a few steps away', () => {
    const steps = stepsFromFront(after);
    const pages = SEEDED_PAGES + 1;
    for (let k = 1; k <= pages; k++) expect(steps.has(`${LIST}page-${k}.html`), `page-${k}.html reachable from the front page`).toBe(true);
    // Ten pages on and back from every page, the newest ten and the first from the front page.
    expect(Math.max(...steps.values())).toBeLessThanOrEqual(Math.ceil(pages / ARCHIVE_LINKS) + 2);
    const listed = new Set([...steps.keys()].flatMap((page) => [...linksOf(after, page).documents]));
    const missing = [...seededIds.map((id) => `documents/${id}.html`), ...published.map((v) => v.publication!.path)].filter((p) => !listed.has(p));
    expect(missing, 'documents no page of the list links').toEqual([]);
    // And the list from the site's home.
    expect(reachablePages(after).has(`${LIST}page-1.html`)).toBe(true);
  });

  it('lists the new documents in the search', async () => {
    const pointer = await readJson<SearchPointer>('site', SEARCH_POINTER_KEY);
    const shard = pointer?.shards.find((s) => s.shard === `${siteConfig.bodyId}/${YEAR}/1`);
    expect(shard, JSON.stringify(pointer)).toBeDefined();
    const state = await readJson<{ ids: string[] }>('drafts', `search/shards/${shard!.shard}.json`);
    expect(state?.ids).toEqual(expect.arrayContaining(published.map((v) => v.id)));
    // Its bundle is on the site: the entry file the search page loads first.
    expect(after.has(`${shard!.folder}pagefind-entry.json`)).toBe(true);
  });
});

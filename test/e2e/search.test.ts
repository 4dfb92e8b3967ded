import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '#shared/aws/clients';
import { topology } from '#shared/topology';
import { saveSearchEntries, updateSearchIndex, writeSearchPage, type SearchEntry } from '#shared/site/search';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Site search end to end: entries saved as publish-document saves them, shard bundles built by
 * updateSearchIndex into the site bucket, and search.html in a real Chromium, served by the
 * local CDN: Chinese words of 2–4 characters find their document, every shard of every body is
 * searched together (or one body's only), a publication rebuilds one shard and a withdrawal only
 * the shard holding the document, whose text leaves every search file at once, user text is
 * never run as HTML, and adding one document to a big site reads only its own entry.
 */
const CHROMIUM = '/usr/bin/chromium';
const SEARCH_CSP = topology.cdn.headers.search.contentSecurityPolicy;
const SEEDS = new URL('../../../shared/seeds/', import.meta.url);

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let dialogs: string[];

interface Doc {
  readonly id: string;
  readonly title: string;
  readonly content: string;
  readonly number?: string;
  /** 公开主体 (none: the top body) and 成文日期: they choose the shard. */
  readonly body?: string;
  readonly date?: string;
}

/** A seed notice as a published document; `extra` adds text of our own. */
async function seed(file: string, id: string, title: string, extra = ''): Promise<Doc> {
  const text = (await readFile(new URL(file, SEEDS), 'utf8')).replace(/\s*\n\s*/g, '\n').trim();
  return { id, title, content: `${text}\n${extra}` };
}

// The meta publish-document records: unit, date and (when there is one) document number.
const entryOf = (d: Doc): SearchEntry => ({
  url: `documents/${d.id}.html`,
  title: d.title,
  content: d.content,
  meta: { unit: '某区人民政府办公室', date: d.date ?? '2020-12-10', ...(d.number ? { number: d.number } : {}), ...(d.body ? { body: d.body } : {}) },
});

/** updateSearchIndex, then waits out the CDN's cached pointer (no-cache: CloudFront's 1-second minimum TTL). */
async function update(change: { added: string[]; removed: string[] }, options?: { shardLimit?: number }) {
  const result = await updateSearchIndex(change, options);
  const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: 'search/current.json' }));
  const pointer = await obj.Body!.transformToString();
  await expect.poll(async () => (await fetch(`${stack.siteUrl}/search/current.json`)).text(), { timeout: 5_000 }).toBe(pointer);
  return result;
}

async function publish(...docs: Doc[]): Promise<void> {
  for (const d of docs) await saveSearchEntries(d.id, [entryOf(d)]);
}

/** Opens search.html?q=… and waits for the outcome line. */
async function searchFor(q: string): Promise<string> {
  await page.goto(`${stack.siteUrl}/search.html?q=${encodeURIComponent(q)}`);
  return finalStatus();
}

async function finalStatus(): Promise<string> {
  const status = page.locator('#search-status');
  await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/共找到|未找到|不可用/);
  return (await status.textContent())!;
}

const resultLinks = () => page.locator('#search-results li a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));

/** Every object under search/ in the site bucket, decoded (pagefind's data files are gzip). */
async function siteSearchObjects(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const res = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.site, Prefix: 'search/', ContinuationToken: token }));
    for (const o of res.Contents ?? []) {
      const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: o.Key! }));
      let bytes = Buffer.from(await obj.Body!.transformToByteArray());
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      // The index spaces out Chinese characters (charWords): close them up to look for phrases.
      out.set(o.Key!, bytes.toString('utf8').replace(/ (?=\p{Script=Han})|(?<=\p{Script=Han}) /gu, ''));
    }
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out;
}

let A: Doc, B: Doc, C: Doc, D: Doc, E: Doc;
// A fictional place and river, in A only: the withdrawal test looks for them everywhere.
const A_ONLY = ['翠屏湾', '澜沧溪镇'];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the search tests need Debian's chromium (apt-get install chromium; .ci/run installs it)`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  stack = await startTestStack();
  A = await seed(
    '000_70017f665202e428.txt',
    'DOCA0000000000000000000001',
    '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知',
    `试点设在${A_ONLY[0]}和${A_ONLY[1]}。`,
  );
  B = await seed('001_635c498a68e213e6.txt', 'DOCB0000000000000000000002', '李沧区人民政府办公室关于印发《青岛市李沧区全面推进基层政务公开标准化规范化工作方案》的通知');
  C = await seed('002_6bc38a5105b87f60.txt', 'DOCC0000000000000000000003', '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知');
  C = { ...C, number: '古政办发〔2022〕30号', body: 'guxian', date: '2022-05-01' };
  D = await seed('003_947bd769dad19b2f.txt', 'DOCD0000000000000000000004', '尤溪县人民政府办公室关于印发尤溪县全面推进基层政务公开标准化规范化工作实施方案的通知');
  E = await seed('004_a31f9dc5403041b8.txt', 'DOCE0000000000000000000005', '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见');
  E = { ...E, body: 'jiangxi', date: '2021-03-01' };
  await writeSearchPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

beforeEach(async () => {
  context = await browser.newContext({ locale: 'zh-CN' });
  page = await context.newPage();
  pageErrors = [];
  dialogs = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    // A failed load is reported below with its address.
    if ((msg.type() === 'error' || msg.type() === 'warning') && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) pageErrors.push(`${res.status()} ${res.url()}`);
  });
  // The CDN's response headers for search.html and search/* (CloudFront; topology.ts), so
  // the page is proven to work under the production policy whatever the local CDN sends.
  await page.route(/\/search(\.html|\/)/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, headers: { ...res.headers(), 'content-security-policy': SEARCH_CSP } });
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});
afterEach(async () => {
  expect(pageErrors).toEqual([]);
  expect(dialogs).toEqual([]);
  await context?.close();
});

describe('site search', () => {
  it('before any index: the page loads and finds nothing', async () => {
    expect(await searchFor('政务公开')).toBe('未找到与“政务公开”相关的结果。');
    // The page itself: labelled search box, the search landmark.
    expect(await page.getByRole('searchbox', { name: '关键词' }).inputValue()).toBe('政务公开');
    expect(await page.getByRole('search').count()).toBe(1);
    expect(await page.title()).toContain('站内搜索');
    // Served under the CDN's search policy (the route above), and the layout's own.
    const res = await page.goto(`${stack.siteUrl}/search.html`);
    expect(res!.headers()['content-security-policy']).toBe(SEARCH_CSP);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(await page.locator('#search-status').textContent()).toBe('请输入要查找的关键词。');
    // Without JavaScript the page says search needs it.
    expect(await page.locator('noscript').innerHTML()).toContain('站内搜索需要启用 JavaScript');
  });

  it('finds a document by a Chinese word of 2–4 characters, from the address and from the form', async () => {
    await publish(A, B, C);
    // Two shards: the top body's 2020 part (A, B) and 古县's 2022 one (C).
    const r = await update({ added: [A.id, B.id, C.id], removed: [] }, { shardLimit: 2 });
    expect(r).toMatchObject({ entriesRead: 3, shards: 2, missing: [] });
    expect(r.rebuilt).toEqual([
      { shard: 'county/2020/1', documents: 2 },
      { shard: 'guxian/2022/1', documents: 1 },
    ]);
    expect(r.written).toContain('search/current.json');
    expect(r.written.every((k) => k === 'search/current.json' || /^search\/s\/(county\/2020|guxian\/2022)\/1\/g1\//.test(k))).toBe(true);
    // A retried message changes nothing.
    expect(await updateSearchIndex({ added: [A.id, B.id, C.id], removed: [] }, { shardLimit: 2 })).toMatchObject({ rebuilt: [], written: [], deleted: [] });

    expect(await searchFor('李沧区')).toBe('共找到 1 条结果。');
    expect(await resultLinks()).toEqual([{ href: `documents/${B.id}.html`, text: B.title }]);
    // The excerpt shows the hit marked.
    expect((await page.locator('#search-results li mark').allTextContents()).join('')).toContain('李沧区');
    // …as the text reads: the index's spacing of characters is not shown.
    expect(await page.locator('#search-results li .excerpt').textContent()).toContain('青岛市李沧区全面推进');

    // A new query typed into the form.
    await page.getByRole('searchbox', { name: '关键词' }).fill('古县');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/search\.html\?q=/);
    expect(await finalStatus()).toBe('共找到 1 条结果。');
    expect(await resultLinks()).toEqual([{ href: `documents/${C.id}.html`, text: C.title }]);
    expect(await page.locator('#search-results li .facts').textContent()).toBe('古政办发〔2022〕30号 · 某区人民政府办公室 · 2022-05-01');

    // The link works from search.html: it opens the document's page (the CDN would serve it).
    const href = await page
      .locator('#search-results li a')
      .first()
      .evaluate((a) => (a as unknown as { href: string }).href);
    expect(href).toBe(`${stack.siteUrl}/documents/${C.id}.html`);
  });

  it('a publication rebuilds its own shard only; every shard of every body is searched together, or one body', async () => {
    await publish(D, E);
    // D fills no full part: the top body's 2020 part 1 is full, so D opens part 2; E is 江西's first.
    const r = await update({ added: [D.id, E.id], removed: [] }, { shardLimit: 2 });
    expect(r).toMatchObject({ entriesRead: 2, shards: 4, deleted: [] });
    expect(r.rebuilt).toEqual([
      { shard: 'county/2020/2', documents: 1 },
      { shard: 'jiangxi/2021/1', documents: 1 },
    ]);
    expect(r.written.every((k) => k === 'search/current.json' || /^search\/s\/(county\/2020\/2|jiangxi\/2021\/1)\/g1\//.test(k))).toBe(true);
    const pointer = JSON.parse((await siteSearchObjects()).get('search/current.json')!) as { version: number; shards: { shard: string; body: string; folder: string }[] };
    expect(pointer.version).toBe(2);
    expect(pointer.shards.map((s) => [s.shard, s.body, s.folder])).toEqual([
      ['county/2020/1', 'county', 'search/s/county/2020/1/g1/'],
      ['county/2020/2', 'county', 'search/s/county/2020/2/g1/'],
      ['guxian/2022/1', 'guxian', 'search/s/guxian/2022/1/g1/'],
      ['jiangxi/2021/1', 'jiangxi', 'search/s/jiangxi/2021/1/g1/'],
    ]);

    // One body: only its shards are loaded.
    const loaded: string[] = [];
    page.on('request', (req) => {
      const m = /\/search\/s\/([a-z]+\/\d{4}\/\d+)\//.exec(req.url());
      if (m && !loaded.includes(m[1]!)) loaded.push(m[1]!);
    });
    await page.goto(`${stack.siteUrl}/search.html?q=${encodeURIComponent('政务公开')}&body=guxian`);
    expect(await finalStatus()).toBe('共找到 1 条结果。');
    expect(await resultLinks()).toEqual([{ href: `documents/${C.id}.html`, text: C.title }]);
    expect(loaded).toEqual(['guxian/2022/1']);

    expect(await searchFor('尤溪县')).toBe('共找到 1 条结果。');
    expect(await resultLinks()).toEqual([{ href: `documents/${D.id}.html`, text: D.title }]);
    // A 4-character word every notice uses: all five, from both tiers, each once.
    expect(await searchFor('政务公开')).toBe('共找到 5 条结果。');
    const hrefs = (await resultLinks()).map((l) => l.href).sort();
    expect(hrefs).toEqual([A, B, C, D, E].map((d) => `documents/${d.id}.html`).sort());

    // Any substring is found, and only where it occurs: inside longer words (政府 in 人民政府),
    // across word boundaries, with digits, and two words at once (both must occur).
    for (const q of ['政府', '化工作', '2022年', '古县 要点', '江西 盐湖区']) {
      const words = q.split(' ');
      const expected = [A, B, C, D, E].filter((d) => words.every((w) => `${d.title}\n${d.content}`.includes(w))).map((d) => `documents/${d.id}.html`);
      const status = await searchFor(q);
      expect(status, q).toBe(expected.length ? `共找到 ${expected.length} 条结果。` : `未找到与“${q}”相关的结果。`);
      expect((await resultLinks()).map((l) => l.href).sort(), q).toEqual(expected.sort());
    }
  });

  it('a withdrawn document disappears from the results and from every search file', async () => {
    expect((await searchFor(A_ONLY[0]!)).startsWith('共找到 1 条')).toBe(true);
    const before = await siteSearchObjects();
    expect([...before.values()].some((text) => text.includes(A_ONLY[0]!))).toBe(true); // the check can see text

    const r = await update({ added: [], removed: [A.id] }, { shardLimit: 2 });
    // Only A's shard is rebuilt; its previous folder is gone at once, and reported for invalidation.
    expect(r.rebuilt).toEqual([{ shard: 'county/2020/1', documents: 1 }]);
    expect(r.deleted.length).toBeGreaterThan(0);
    expect(r.deleted.every((k) => k.startsWith('search/s/county/2020/1/g1/'))).toBe(true);
    expect(r.written.every((k) => k === 'search/current.json' || k.startsWith('search/s/county/2020/1/g2/'))).toBe(true);
    // The other shards' bundles are untouched.
    const keysBefore = [...before.keys()].filter((k) => /^search\/s\/(county\/2020\/2|guxian|jiangxi)\//.test(k));
    expect(keysBefore.length).toBeGreaterThan(0);
    const afterKeys = new Set((await siteSearchObjects()).keys());
    for (const k of keysBefore) expect(afterKeys.has(k), k).toBe(true);
    // A retried withdrawal changes nothing.
    expect(await updateSearchIndex({ added: [], removed: [A.id] }, { shardLimit: 2 })).toMatchObject({ rebuilt: [], written: [], deleted: [] });

    const after = await siteSearchObjects();
    for (const [key, text] of after) {
      for (const word of [...A_ONLY, A.title, A.id, '运城市盐湖区']) expect(text.includes(word), `${key} still holds ${word}`).toBe(false);
    }
    expect(await searchFor(A_ONLY[0]!)).toBe(`未找到与“${A_ONLY[0]}”相关的结果。`);
    expect(await searchFor('盐湖区')).toBe('未找到与“盐湖区”相关的结果。');
    expect(await searchFor('政务公开')).toBe('共找到 4 条结果。');
    expect((await resultLinks()).map((l) => l.href)).not.toContain(`documents/${A.id}.html`);
  });

  it('the query and the documents are shown as text, never run', async () => {
    const F: Doc = {
      id: 'DOCF0000000000000000000006',
      title: '关于<img src=x onerror=alert(1)>防汛抗旱的通知',
      content: '防汛抗旱工作要求：<script>window.__pwned=1</script> 请各单位 & 部门落实 <b>责任</b>。',
    };
    await publish(F);
    await update({ added: [F.id], removed: [] });

    const evil = '<img src=x onerror=alert(1)>防汛抗旱';
    const status = await searchFor(evil);
    expect(await page.getByRole('searchbox', { name: '关键词' }).inputValue()).toBe(evil);
    expect(status.startsWith('共找到') || status.includes(evil)).toBe(true);

    expect(await searchFor('防汛抗旱')).toBe('共找到 1 条结果。');
    const link = page.locator('#search-results li a');
    expect(await link.textContent()).toBe(F.title);
    // pagefind's excerpt of the title and text, with its <mark>s: markup in the text stays text.
    expect(await page.locator('#search-results li .excerpt').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#search-results li .excerpt mark').count()).toBeGreaterThan(0);
    expect(await page.locator('#search-results img, #search-results script, #search-results b').count()).toBe(0);

    const xss = '<img src=x onerror=window.__pwned=2>';
    expect(await searchFor(xss)).toMatch(/^(未找到与“<img src=x onerror=window.__pwned=2>”相关的结果。|共找到)/);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
  });

  it('adding one document to a big site rebuilds only its shard and reads only its own entry', async () => {
    const many: Doc[] = Array.from({ length: 60 }, (_, i) => ({
      id: `DOCM${String(i).padStart(22, '0')}`,
      title: `关于第${i + 1}批基层政务公开标准目录的公告`,
      content: `根据《中华人民共和国政府信息公开条例》，现公布第${i + 1}批目录，涉及义务教育、社会救助、养老服务、就业创业等领域。编号${i}号。`,
      body: 'minzheng',
      date: '2023-06-01',
    }));
    await publish(...many);
    // One body-year of 60 (a historical import): three parts of 20, each built alone.
    const big = await update({ added: many.map((d) => d.id), removed: [] }, { shardLimit: 20 });
    expect(big.rebuilt).toEqual([1, 2, 3].map((n) => ({ shard: `minzheng/2023/${n}`, documents: 20 })));

    const one: Doc = {
      id: 'DOCN0000000000000000000007',
      title: '关于开展电动自行车充电桩安全检查的通知',
      content: '充电桩安全检查工作于十月开展。',
      body: 'minzheng',
      date: '2023-10-01',
    };
    await publish(one);
    // Count the entry objects actually fetched from S3.
    const fetched: string[] = [];
    const client = s3();
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Key?: string };
        if (input.Key?.startsWith('search/entries/')) fetched.push(input.Key);
        return next(args);
      },
      { step: 'initialize', name: 'countEntryReads' },
    );
    try {
      const r = await update({ added: [one.id], removed: [] }, { shardLimit: 20 });
      expect(r).toMatchObject({ rebuilt: [{ shard: 'minzheng/2023/4', documents: 1 }], entriesRead: 1 });
      expect(fetched).toEqual([`search/entries/${one.id}.json`]);
      // Only the new part's folder and the pointer were written; no other shard was touched.
      expect(r.written.every((k) => k === 'search/current.json' || k.startsWith('search/s/minzheng/2023/4/g1/'))).toBe(true);
    } finally {
      client.middlewareStack.remove('countEntryReads');
    }
    expect(await searchFor('充电桩')).toBe('共找到 1 条结果。');
    // Substring search: exactly the live documents whose text holds the word (three seeds mention it too).
    const live = [B, C, D, E, ...many, one];
    const holding = live.filter((d) => `${d.title}\n${d.content}`.includes('养老服务')).length;
    expect(holding).toBeGreaterThan(60);
    expect(await searchFor('养老服务')).toBe(`共找到 ${holding} 条结果，显示前 50 条。`);
  });

  it('a site indexed before shards is migrated by the next update: its documents placed in shards, its old folders deleted', async () => {
    const old: Doc = { id: 'DOCO0000000000000000000008', title: '关于旧版索引中秸秆禁烧工作的通知', content: '秸秆禁烧工作从即日起开展。', body: 'huanbao', date: '2019-09-01' };
    await publish(old);
    const put = (bucket: string, key: string, body: string) => stack.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    // What the base + delta design left: its state, the base's id list and a bundle folder holding the text.
    await put(stack.names.buckets.drafts, 'search/base-ids.json', JSON.stringify([old.id]));
    await put(
      stack.names.buckets.drafts,
      'search/state.json',
      JSON.stringify({ version: 1, seq: 1, base: { folder: 'search/b1/', count: 1, idsKey: 'search/base-ids.json' }, delta: { folder: null, ids: [] }, folders: ['search/b1/'] }),
    );
    await put(stack.names.buckets.site, 'search/b1/pagefind-entry.json', JSON.stringify({ text: old.content }));

    const r = await update({ added: [], removed: [] });
    expect(r.rebuilt).toEqual([{ shard: 'huanbao/2019/1', documents: 1 }]);
    expect(r.deleted).toContain('search/b1/pagefind-entry.json');
    expect([...(await siteSearchObjects()).keys()].some((k) => k.startsWith('search/b1/'))).toBe(false);
    expect(await searchFor('秸秆禁烧')).toBe('共找到 1 条结果。');
    // Migrated once: the next update has nothing to do.
    expect(await updateSearchIndex({ added: [], removed: [] })).toMatchObject({ rebuilt: [], written: [], deleted: [] });
  });
});

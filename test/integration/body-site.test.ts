import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { chromium } from 'playwright-core';
import { GongkaiClient, type DraftView } from '#client/gongkai';
import { SAMPLE_BODIES } from '#infra/local/sample-bodies';
import { siteConfig } from '#shared/site/config';
import { DEFAULT_DRAFTER_UNIT, validForm } from '../support/forms.ts';
import { sitePage } from '../support/api.ts';
import { decideAll, submitDraft, textFile } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { axeAudit, checkLinks, describeAxe, describeHtmlErrors, describeLinks, readSite, selectFiles, validateHtml, withoutApps } from '../support/site-audit.ts';

/**
 * Issue 16.3 and 16.4: each 公开主体 numbers its own documents and has its own section of the
 * public site (home, 指南, 制度, the statutory columns, its catalogue); its documents' pages name
 * it; the platform's home lists the bodies; publishing into one body rewrites its pages only.
 */

const TOWNSHIP_UNIT = '运城市盐湖区北城街道办事处'; // dev-drafter-beicheng
const fgw = SAMPLE_BODIES.find((b) => b.id === 'fgw')!;
const beicheng = SAMPLE_BODIES.find((b) => b.id === 'beicheng')!;

let stack: TestStack;
let townshipDrafter: GongkaiClient;
let zfbDrafter: GongkaiClient;

beforeAll(async () => {
  stack = await startTestStack();
  const admin = new GongkaiClient(stack.apiUrl, 'dev-admin');
  townshipDrafter = new GongkaiClient(stack.apiUrl, 'dev-drafter-beicheng');
  zfbDrafter = new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb');
  for (const b of [fgw, beicheng]) await admin.createBody(b);
}, 120_000);
afterAll(() => stack?.cleanup());

let n = 0;
/** Publishes a short notice of `unit` dated `date`; answers its final view. */
async function publish(drafter: GongkaiClient, unit: string, date: string, over: Partial<Parameters<typeof validForm>[0]> = {}): Promise<DraftView> {
  n++;
  const title = `关于做好${date.slice(0, 4)}年度冬季供暖保障工作的通知（主体测试 ${n}）`;
  const text = `${title}\n各乡镇人民政府、区直各有关单位：为切实做好今冬明春供暖保障工作，现将有关事项通知如下。\n`;
  const id = await submitDraft(
    drafter,
    validForm({ title, draftingUnit: unit, documentNumber: `测试发〔${date.slice(0, 4)}〕${n}号`, documentDate: date, ...over }),
    textFile(text),
  );
  const views = await decideAll(stack, new Map([[id, 'approve']]));
  const view = views.get(id)!;
  expect(view.status, JSON.stringify(view.findings)).toBe('PUBLISHED');
  return view;
}

let published: DraftView[] = [];

describe('索引号 per body', () => {
  it("is the body's code / year - serial, the serials counted per body and year", async () => {
    const a = await publish(stack.drafter, DEFAULT_DRAFTER_UNIT, '2026-03-01');
    const b = await publish(townshipDrafter, TOWNSHIP_UNIT, '2026-03-02');
    const c = await publish(stack.drafter, DEFAULT_DRAFTER_UNIT, '2026-03-03');
    const d = await publish(stack.drafter, DEFAULT_DRAFTER_UNIT, '2025-05-01');
    // A unit no body lists publishes for the top body, under its code (as before bodies).
    const e = await publish(zfbDrafter, '运城市盐湖区人民政府办公室', '2026-04-01');
    published = [a, b, c, d, e];
    expect([a, b, c, d, e].map((v) => v.publication?.indexNumber)).toEqual([
      `${fgw.code}/2026-00001`,
      `${beicheng.code}/2026-00001`,
      `${fgw.code}/2026-00002`,
      `${fgw.code}/2025-00001`,
      `${siteConfig.organizationCode}/2026-00001`,
    ]);
    expect([a, b, e].map((v) => v.publication?.body)).toEqual([
      { id: 'fgw', name: fgw.name },
      { id: 'beicheng', name: beicheng.name },
      { id: siteConfig.bodyId, name: siteConfig.siteName },
    ]);

    // Each document page names its body beside the 索引号.
    const page = await sitePage(stack, b.publication!.path);
    expect(page).toContain(`<tr><th scope="row">索引号</th><td>${beicheng.code}/2026-00001</td></tr>`);
    expect(page).toContain(`<tr><th scope="row">公开主体</th><td>${beicheng.name}</td></tr>`);
  });
});

const page = (key: string) => sitePage(stack, key);
const titleOf = (v: DraftView) => v.form.title;

describe('the site of each body', () => {
  it('gives each body its section: home, columns and catalogue with its own documents only, its 指南 and 制度', async () => {
    const [a, b, c, d, e] = published as [DraftView, DraftView, DraftView, DraftView, DraftView];
    const home = await page('bodies/fgw/index.html');
    expect(home).toContain(`<a class="name" href="../../bodies/fgw/index.html">${fgw.name} · 政府信息公开</a>`);
    for (const v of [a, c, d]) expect(home).toContain(titleOf(v));
    for (const v of [b, e]) expect(home).not.toContain(titleOf(v));
    // Its catalogue lists its documents under its 索引号; the township's lists the township's.
    const catalogue = await page('bodies/fgw/columns/catalogue/index.html');
    expect(catalogue).toContain(`<td class="code">${fgw.code}/2026-00002</td>`);
    expect(catalogue).not.toContain(titleOf(b));
    expect(await page('bodies/beicheng/columns/catalogue/index.html')).toContain(titleOf(b));
    // 法定主动公开内容 by year, per body.
    const statutory = await page('bodies/fgw/columns/statutory/index.html');
    expect(statutory).toContain('href="../../../../bodies/fgw/columns/year-2025/index.html"');
    expect(await page('bodies/fgw/columns/year-2025/index.html')).toContain(titleOf(d));
    // Its 指南 and 制度 are its own texts, its settings filled in.
    const guide = await page('bodies/beicheng/about/guide.html');
    expect(guide).toContain('<h1>政府信息公开指南</h1>');
    expect(guide).toContain(beicheng.contact.office);
    expect(guide).not.toContain('{{');
    expect(await page('bodies/beicheng/about/system.html')).toContain(`${beicheng.name}按照`);
    // The annual report counts the body's own publications.
    expect(await page('bodies/beicheng/columns/report/index.html')).toContain(`${beicheng.name}政府信息公开工作年度报告`);

    // The top body's columns are where they were before bodies, with its documents only.
    const top = await page('columns/catalogue/index.html');
    expect(top).toContain(titleOf(e));
    expect(top).not.toContain(titleOf(a));
  });

  it("lists the bodies on the platform's home page, and names a document's body in its navigation", async () => {
    const home = await page('index.html');
    expect(home).toContain('<h2>公开主体</h2>');
    expect(home).toContain(`<a href="./bodies/fgw/index.html">${fgw.name}</a>`);
    expect(home).toContain(`<a href="./bodies/beicheng/index.html">${beicheng.name}</a>`);
    const b = published[1]!;
    const doc = await page(b.publication!.path);
    expect(doc).toContain(`<a class="name" href="../bodies/beicheng/index.html">${beicheng.name} · 政府信息公开</a>`);
    expect(doc).toContain('href="../bodies/beicheng/columns/catalogue/index.html"');
  });

  it('has no broken link, valid HTML on every body page, and no accessibility violation (axe, Chromium)', async () => {
    const site = withoutApps(await readSite(stack.s3, stack.names.buckets.site));
    const links = checkLinks(site, { siteOrigin: stack.siteUrl });
    expect(links.broken.length, describeLinks(links.broken)).toBe(0);
    const pages = selectFiles(site, (k) => k.endsWith('.html') && (k.startsWith('bodies/') || k === 'index.html' || k === 'search.html' || k.startsWith('documents/')));
    expect([...pages.keys()].filter((k) => k.startsWith('bodies/beicheng/')).length).toBeGreaterThanOrEqual(8);
    const errors = await validateHtml(pages);
    expect(errors.length, describeHtmlErrors(errors)).toBe(0);

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const context = await browser.newContext({ bypassCSP: true });
      const tab = await context.newPage();
      const violations = [];
      for (const key of [
        'index.html',
        'bodies/beicheng/index.html',
        'bodies/beicheng/columns/catalogue/index.html',
        'bodies/beicheng/about/guide.html',
        published[1]!.publication!.path,
      ]) {
        const res = await tab.goto(`${stack.siteUrl}/${key}`);
        expect(res?.status(), key).toBe(200);
        violations.push(...(await axeAudit(tab)));
      }
      expect(violations.length, describeAxe(violations)).toBe(0);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('法定主动公开内容', () => {
  it('is organised by the categories of 条例 Art. 20, the pilot domains beside them; the empty ones are named once', async () => {
    const budget = '（七）财政预算、决算信息' as const;
    const v = await publish(townshipDrafter, TOWNSHIP_UNIT, '2026-05-01', { category: budget, domain: '财政预决算' });
    expect(v.form.category).toBe(budget);
    published.push(v);
    const hub = await page('bodies/beicheng/columns/statutory/index.html');
    expect(hub).toContain('<h2>按法定类别（《条例》第二十条、第二十一条）</h2>');
    expect(hub).toContain(`<a href="../../../../bodies/beicheng/columns/category-07/index.html">${budget}</a> <span class="muted">（1 条）</span>`);
    expect(hub).toContain(`<a href="../../../../bodies/beicheng/columns/domain-07/index.html">财政预决算</a>`);
    // The other fifteen categories and twenty-five domains: one line each, not "暂无" beside every name.
    expect(hub.match(/以下类别暂无公开信息/g)).toHaveLength(2);
    expect(hub).not.toContain('（暂无）');
    expect(hub).toContain('（一）行政法规、规章和规范性文件；');
    const list = await page('bodies/beicheng/columns/category-07/index.html');
    expect(list).toContain(`<h1>法定主动公开内容 · ${budget}</h1>`);
    expect(list).toContain(v.form.title);
    // A category the API does not know is refused, field by field.
    const refused = await townshipDrafter
      .createDraft({
        form: { ...validForm({ draftingUnit: TOWNSHIP_UNIT }), category: '（十六）不存在的类别' as never },
        files: { document: { fileName: 'a.txt', contentType: 'text/plain', size: 10 } },
      })
      .then(
        () => undefined,
        (e: { status: number; body: { error?: { issues?: { field: string; zh: string }[] } } }) => e,
      );
    expect(refused?.status).toBe(400);
    expect(refused?.body.error?.issues?.map((i) => i.field)).toEqual(['form.category']);
  });
});

describe('search', () => {
  it("searches the whole platform, or one body with the filter (Chromium, under the pages' own CSP)", async () => {
    await stack.settle();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const tab = await (await browser.newContext()).newPage();
      const results = async (query: string) => {
        await tab.goto(`${stack.siteUrl}/search.html?${query}`);
        await tab
          .locator('#search-status')
          .filter({ hasText: /共找到|未找到/ })
          .waitFor({ timeout: 20_000 });
        return { status: await tab.locator('#search-status').textContent(), titles: await tab.locator('#search-results a.title').allTextContents() };
      };
      const all = await results(`q=${encodeURIComponent('供暖保障')}`);
      const township = published.filter((v) => v.publication?.body?.id === 'beicheng').map(titleOf);
      expect(township.length).toBeGreaterThan(0);
      expect(all.titles).toEqual(expect.arrayContaining(published.map(titleOf)));
      const one = await results(`q=${encodeURIComponent('供暖保障')}&body=beicheng`);
      expect(one.titles.sort()).toEqual(township.sort());
      expect(one.status).toContain(beicheng.name);
      expect(await tab.locator('#search-body').inputValue()).toBe('beicheng');
      // The body's home searches its own documents by default.
      expect(await page('bodies/beicheng/index.html')).toContain('<input type="hidden" name="body" value="beicheng">');
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('feeds', () => {
  it('offer each column of each body as valid Atom, newest first, linking to the documents', async () => {
    const [a, , c, d] = published as [DraftView, DraftView, DraftView, DraftView];
    const key = 'bodies/fgw/columns/catalogue/feed.xml';
    const res = await fetch(`${stack.siteUrl}/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const xml = await res.text();
    // The list page and the body's home announce it.
    expect(await page('bodies/fgw/columns/catalogue/index.html')).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(await page('bodies/fgw/index.html')).toContain('href="../../bodies/fgw/columns/catalogue/feed.xml"');

    // Parsed by a real XML parser (Chromium's), with what RFC 4287 requires of a feed and its entries.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const tab = await (await browser.newContext()).newPage();
      // In the page (the test's TypeScript has no DOM types): parse, then read what Atom requires.
      const parsed = (await tab.evaluate(`(() => {
        const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
        const NS = 'http://www.w3.org/2005/Atom';
        const error = doc.getElementsByTagName('parsererror')[0]?.textContent ?? null;
        const root = doc.documentElement;
        const child = (el, name) => [...el.children].filter((x) => x.namespaceURI === NS && x.localName === name);
        const entries = child(root, 'entry').map((e) => ({
          id: child(e, 'id')[0]?.textContent,
          title: child(e, 'title')[0]?.textContent,
          updated: child(e, 'updated')[0]?.textContent,
          link: child(e, 'link')[0]?.getAttribute('href'),
        }));
        return { error, root: root.namespaceURI + ' ' + root.localName, id: child(root, 'id').length, title: child(root, 'title')[0]?.textContent, updated: child(root, 'updated')[0]?.textContent, author: child(root, 'author').length, entries };
      })()`)) as {
        error: string | null;
        root: string;
        id: number;
        title?: string;
        updated?: string;
        author: number;
        entries: { id?: string; title?: string; updated?: string; link?: string }[];
      };
      expect(parsed.error).toBeNull();
      expect(parsed).toMatchObject({ root: 'http://www.w3.org/2005/Atom feed', id: 1, author: 1, title: `${fgw.name} · 主动公开基本目录` });
      expect(Number.isNaN(Date.parse(parsed.updated!))).toBe(false);
      expect(parsed.entries.map((e) => e.title)).toEqual([d, c, a].map(titleOf));
      for (const e of parsed.entries) {
        expect(e.id).toBe(e.link);
        expect(e.link).toMatch(new RegExp(`^${stack.siteUrl}/documents/[0-9A-Z]{26}\\.html$`));
        expect(Number.isNaN(Date.parse(e.updated!))).toBe(false);
      }
    } finally {
      await browser.close();
    }
  });
});

describe('publishing into one body (issue 16.4)', () => {
  it("rewrites that body's pages and the document's own, nothing of another body or of the platform's home", async () => {
    const modified = async () => {
      const out = new Map<string, number>();
      let token: string | undefined;
      do {
        const res = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.site, ContinuationToken: token }));
        for (const o of res.Contents ?? []) out.set(o.Key!, o.LastModified!.getTime());
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
      return out;
    };
    await stack.settle();
    const before = await modified();
    await new Promise((r) => setTimeout(r, 1100)); // LastModified has whole seconds
    const v = await publish(townshipDrafter, TOWNSHIP_UNIT, '2026-06-01');
    await stack.settle();
    const after = await modified();
    const changed = [...after].filter(([k, t]) => before.get(k) !== t).map(([k]) => k);
    expect(changed).toContain('bodies/beicheng/index.html');
    expect(changed).toContain('bodies/beicheng/columns/catalogue/index.html');
    expect(changed).toContain(v.publication!.path);
    // The document's own: its page, its original (files/<id>.<ext>); the search index is the platform's.
    const own = (k: string) => k === v.publication!.path || k.startsWith(`files/${v.id}.`);
    const outside = changed.filter((k) => !k.startsWith('bodies/beicheng/') && !k.startsWith('search/') && !own(k));
    expect(outside).toEqual([]);
    // The search: only the body's own shard of the document's year was rebuilt, in place (issue
    // 17.2: the files that changed; the pointer only when a shard's folder changes).
    const search = changed.filter((k) => k.startsWith('search/'));
    expect(search.some((k) => k.startsWith('search/s/beicheng/2026/'))).toBe(true);
    expect(search.filter((k) => k !== 'search/current.json' && !k.startsWith('search/s/beicheng/2026/'))).toEqual([]);
  });
});

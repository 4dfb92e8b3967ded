import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CreateDraftRequest } from '#shared/api';
import { fileSpec, uploadFile, type GongkaiClient } from '#client/gongkai';
import { validForm } from '../support/forms.ts';
import { REAL_FORMS } from '../support/rule-drafts.ts';
import { utf8 } from '../support/corpus.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';
import {
  axeAudit,
  checkLinks,
  describeAxe,
  describeHtmlErrors,
  describeLinks,
  describeOverflow,
  horizontalOverflow,
  overflows,
  reachablePages,
  readSite,
  textSizes,
  unscaledText,
  validateHtml,
  withoutApps,
  type AxeViolation,
  type OverflowReport,
  type SiteFiles,
} from '../support/site-audit.ts';

/**
 * The public site as a whole, after real documents went through the pipeline: no broken
 * link and nothing from another host, valid HTML on every page, no serious accessibility
 * violation, readable on a phone and with large text (适老化), and the way a reader takes
 * through it — a column, a document, its interpretation and back, and the site search —
 * in a real Chromium under the pages' own CSP.
 */
const CHROMIUM = '/usr/bin/chromium';
const HOOK_TIMEOUT = 300_000;
const TEST_TIMEOUT = 180_000;

type Form = CreateDraftRequest['form'];

interface Doc {
  readonly name: string;
  readonly form: Form;
  readonly document: { readonly fileName: string; readonly contentType: string; readonly bytes: Uint8Array };
  readonly interpretation?: { readonly fileName: string; readonly contentType: string; readonly bytes: Uint8Array };
  /** The text a reader finds in the document (for the search). */
  readonly text: string;
}

const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
const fromFile = async (path: string) => {
  const { spec, bytes } = await fileSpec(path);
  return { fileName: spec.fileName, contentType: spec.contentType, bytes };
};
const samplePath = (name: string) => fileURLToPath(new URL(`../../infra/local/samples/${name}`, import.meta.url));

/**
 * A 行政规范性文件 in force (its validity at the end of the text), with its interpretation;
 * a long unbroken web address in its text must still wrap on a phone.
 */
const NORMATIVE_TITLE = '盐湖区城乡居民最低生活保障审核确认办法';
const NORMATIVE_TEXT = `${NORMATIVE_TITLE}
第一条 为规范城乡居民最低生活保障审核确认工作，根据《社会救助暂行办法》等规定，结合本区实际，制定本办法。
第二条 本办法适用于本区行政区域内城乡居民最低生活保障的申请、审核、确认和管理。
第三条 共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定的，可以申请最低生活保障。
第四条 乡镇人民政府（街道办事处）负责受理申请、调查核实，区民政局负责审核确认。
第五条 审核确认结果在申请人所在村（社区）公示，公示期为7天。
第六条 申请表格和办理进度可在区政府门户网站查询（www.yanhuqu.gov.cn/zwgk/zcwj/shehuijiuzhu/zuidishenghuobaozhang/shenqingbiaoge_2024.html）。
第七条 本办法由区民政局负责解释。
第八条 本办法自2024年1月1日起施行，有效期5年。
`;
const NORMATIVE_INTERPRETATION = `《${NORMATIVE_TITLE}》政策解读
解读机关：运城市盐湖区民政局
一、出台背景和依据：为落实社会救助制度改革要求，统一全区审核确认程序，区民政局起草了本办法。
二、目标任务：做到应保尽保、应退尽退，让审核确认更快、更透明。
三、主要内容：办法共八条，明确了申请条件、受理和调查、审核确认、公示的程序和时限。
四、主要措施：一是乡镇受理、区级确认；二是结果在村（社区）公示七天，接受群众监督。
五、适用对象：本区户籍的城乡困难家庭。
六、关键词解释：“共同生活的家庭成员”指配偶、未成年子女和其他共同居住的近亲属。
七、与以往政策相比的变化：审核确认权限由区级统一行使，公示期由原来的五天调整为七天。
`;

/** The word the reader searches for: it occurs in the text of 古县's notice only (its COVID measures). */
const SEARCH_WORD = '疫情';

let stack: TestStack;
let browser: Browser;
let site: SiteFiles;
/** Published documents by their name in this file. */
const published = new Map<string, { id: string; title: string; text: string }>();
/** Every URL a page asked for, in any context, with the page it was asked from. */
const requests: { from: string; url: string }[] = [];

/** Claims and approves tasks until each of `ids` is decided (whichever comes up first). */
async function approveAll(approver: GongkaiClient, ids: readonly string[]): Promise<void> {
  const left = new Set(ids);
  const deadline = Date.now() + 120_000;
  while (left.size > 0) {
    if (Date.now() > deadline) throw new Error(`could not claim the tasks of ${[...left].join(', ')}`);
    const claim = await approver.claim();
    if (!claim.claimToken || !claim.draft) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (!left.has(claim.draft.id)) throw new Error(`claimed the task of ${claim.draft.id}, which this test did not submit`);
    await approver.decide(claim.draft.id, { claimToken: claim.claimToken, version: claim.draft.version, outcome: 'approve' });
    left.delete(claim.draft.id);
  }
}

/** Submits a document (and its interpretation), waits for approval, approves; answers its id. */
async function submit(doc: Doc): Promise<string> {
  const files: CreateDraftRequest['files'] = {
    document: { fileName: doc.document.fileName, contentType: doc.document.contentType, size: doc.document.bytes.length },
    ...(doc.interpretation
      ? { interpretation: { fileName: doc.interpretation.fileName, contentType: doc.interpretation.contentType, size: doc.interpretation.bytes.length } }
      : {}),
  } as CreateDraftRequest['files'];
  const drafter = stack.drafterFor(doc.form.draftingUnit);
  const created = await drafter.createDraft({ form: doc.form, files });
  for (const u of created.uploads) {
    const part = u.part === 'interpretation' ? doc.interpretation! : doc.document;
    await uploadFile(u, part.bytes, part.fileName);
  }
  const pending = await drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED'], 120_000);
  expect(pending.status, `${doc.name}: ${JSON.stringify(pending.findings.filter((f) => f.severity === 'block'))}`).toBe('PENDING_APPROVAL');
  return created.id;
}

async function newContext(options: { bypassCSP?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  context.on('request', (req) => requests.push({ from: req.frame()?.url() ?? '', url: req.url() }));
  return context;
}

/** The page kinds a reader meets, as site keys (and the search results page as a URL path). */
function pageKinds(): Record<string, string> {
  const keys = [...site.keys()];
  const first = (re: RegExp, what: string) => {
    const k = keys.find((key) => re.test(key));
    // A missing kind answers 404 when opened, and is reported with the others.
    return k ?? `missing/${what.replace(/\W+/g, '-')}.html`;
  };
  const withInterp = published.get('policy')!.id;
  return {
    home: 'index.html',
    guide: 'about/guide.html',
    system: 'about/system.html',
    statutory: 'columns/statutory/index.html',
    catalogue: 'columns/catalogue/index.html',
    interpretations: 'columns/interpretations/index.html',
    normative: 'columns/normative/index.html',
    report: 'columns/report/index.html',
    'domain list': first(/^columns\/domain-[^/]+\/index\.html$/, 'domain list'),
    'year list': first(/^columns\/year-[^/]+\/index\.html$/, 'year list'),
    'archive page': first(/^columns\/catalogue\/page-\d+\.html$/, 'archive page of the catalogue'),
    document: `documents/${withInterp}.html`,
    'normative document': `documents/${published.get('normative')!.id}.html`,
    interpretation: `interpretations/${withInterp}.html`,
    search: `search.html?q=${encodeURIComponent(SEARCH_WORD)}`,
    rules: 'rules.html',
  };
}

const url = (path: string) => `${stack.siteUrl}/${path}`;

/** Opens a page; on the search page, waits for the results of its query. */
async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(url(path), { waitUntil: 'load' });
  expect(res?.status(), `${path} answers ${res?.status()}`).toBe(200);
  if (path.startsWith('search.html?')) await searchResult(page, published.get('search')!.title).waitFor({ state: 'visible', timeout: 20_000 });
}

/** Opens each kind of page in turn and runs `audit` on it; pages that cannot be opened are collected, not fatal, so one run reports everything. */
async function eachKind(page: Page, audit: (kind: string, path: string) => Promise<void>): Promise<string[]> {
  const unavailable: string[] = [];
  for (const [kind, path] of Object.entries(pageKinds())) {
    try {
      await open(page, path);
    } catch (err) {
      unavailable.push(`${kind} (${path}): ${String(err).split('\n')[0]}`);
      continue;
    }
    await audit(kind, path);
  }
  return unavailable;
}

/** The page's h1 as a title: its text without the links beside the title in it (【解读】). */
const headingTitle = (page: Page): Promise<string> =>
  page.evaluate<string>("[...document.querySelector('h1').childNodes].filter((n) => !(n.nodeType === 1 && n.matches('a'))).map((n) => n.textContent).join('').trim()");

/** A search result: a link whose text contains the title. */
const searchResult = (page: Page, title: string) => page.locator('a', { hasText: title }).first();

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the site tests need Debian's chromium (apt-get install chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  stack = await startTestStack();

  const interp004 = await fromFile(samplePath('004-interpretation.txt'));
  const list: (Doc & { key: string })[] = [
    {
      key: 'notice',
      name: '盐湖区工作方案 (PDF, no interpretation needed, domain 城乡规划)',
      form: validForm({ domain: '城乡规划' }),
      document: await fromFile(corpus('pdf/000_70017f665202e428.pdf')),
      text: utf8('txt/000_70017f665202e428.txt'),
    },
    {
      key: 'policy',
      name: '江西实施意见 + 解读 (PDF)',
      form: validForm(REAL_FORMS['004_a31f9dc5403041b8'] as Partial<CreateDraftRequest['form']>),
      document: await fromFile(corpus('pdf/004_a31f9dc5403041b8.pdf')),
      interpretation: interp004,
      text: utf8('txt/004_a31f9dc5403041b8.txt'),
    },
    {
      key: 'search',
      name: '古县工作要点 (DOCX)',
      form: validForm({
        title: '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知',
        draftingUnit: '古县人民政府办公室',
        documentNumber: '古政办发〔2022〕30号',
        documentDate: '2022-06-09',
      }),
      document: await fromFile(corpus('docx/002_6bc38a5105b87f60.docx')),
      text: utf8('txt/002_6bc38a5105b87f60.txt'),
    },
    {
      key: 'normative',
      name: '低保审核确认办法 (行政规范性文件 with validity, domain 社会救助)',
      form: validForm({
        title: NORMATIVE_TITLE,
        draftingUnit: '运城市盐湖区民政局',
        documentNumber: '运盐民规〔2023〕1号',
        documentType: '行政规范性文件',
        documentDate: '2023-12-01',
        isPolicy: true,
        domain: '社会救助',
        validity: { from: '2024-01-01', years: 5 },
        interpretation: { mode: 'attached', format: '文字' },
      }),
      document: { fileName: 'banfa.txt', contentType: 'text/plain', bytes: enc(NORMATIVE_TEXT) },
      interpretation: { fileName: 'jiedu.txt', contentType: 'text/plain', bytes: enc(NORMATIVE_INTERPRETATION) },
      text: NORMATIVE_TEXT,
    },
  ];

  // Enough short notices to give the lists more than one page (PAGE_SIZE is 20): archive
  // pages and their pagers are audited too.
  const TOPICS = [
    '春季植树',
    '防汛演练',
    '消防安全检查',
    '秸秆禁烧',
    '文明城市创建',
    '全民健身',
    '图书馆开放',
    '义务献血',
    '垃圾分类',
    '冬季供暖',
    '安全生产月',
    '农田水利',
    '人口普查',
    '科普宣传周',
    '食品安全宣传',
    '交通安全整治',
    '河长制巡河',
  ];
  for (const [i, topic] of TOPICS.entries()) {
    const title = `运城市盐湖区人民政府办公室关于开展${topic}工作的通知`;
    const body = `${title}\n各乡镇人民政府、街道办事处，区直各有关部门：\n为做好${topic}工作，经区政府同意，现将有关事项通知如下。\n一、各单位要明确责任人，制定工作方案。\n二、请于本月底前报送工作进展情况。\n运城市盐湖区人民政府办公室\n`;
    list.push({
      key: `filler-${i + 1}`,
      name: `${topic} (text)`,
      form: validForm({
        title,
        documentNumber: `运盐政办发〔2024〕${i + 1}号`,
        documentDate: `2024-03-${String(i + 1).padStart(2, '0')}`,
        interpretation: { mode: 'not-needed', reason: '工作安排类通知，无需解读' },
      }),
      document: { fileName: `notice-${i + 1}.txt`, contentType: 'text/plain', bytes: enc(body) },
      text: body,
    });
  }

  // The search word belongs to one document only.
  const holders = list.filter((d) => d.text.includes(SEARCH_WORD) || new TextDecoder().decode(d.interpretation?.bytes ?? new Uint8Array()).includes(SEARCH_WORD));
  expect(holders.map((d) => d.key)).toEqual(['search']);

  const ids = await Promise.all(list.map((d) => submit(d)));
  await approveAll(stack.approver, ids);
  for (const [i, d] of list.entries()) published.set(d.key, { id: ids[i]!, title: d.form.title, text: d.text });
  for (const [key, p] of published) {
    const done = await stack.approver.waitForStatus(p.id, ['PUBLISHED'], 120_000);
    expect(done.status, key).toBe('PUBLISHED');
  }
  await stack.settle(120_000);
  // The pages that follow time and events elsewhere (the annual report) are refreshed by the
  // reconciler every few minutes; ask for that refresh now, as the schedule would.
  await stack.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queues.site.url,
      MessageBody: JSON.stringify({ op: 'refresh', cause: 'site.test' }),
      MessageGroupId: 'site',
      MessageDeduplicationId: `site-test-${Date.now()}`,
    }),
  );
  await stack.settle(120_000);
  site = await readSite(stack.s3, stack.names.buckets.site);
  // SITE_DUMP=<folder> keeps a copy of the site to look at.
  if (process.env.SITE_DUMP) {
    for (const [key, body] of site) {
      const path = join(process.env.SITE_DUMP, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    }
    await writeFile(join(process.env.SITE_DUMP, 'published.json'), JSON.stringify(Object.fromEntries([...published].map(([k, p]) => [k, { id: p.id, title: p.title }])), null, 1));
  }
}, HOOK_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
}, HOOK_TIMEOUT);

describe('the public site', () => {
  it(
    'has no broken internal link and no reference to another host',
    async () => {
      const report = checkLinks(site, { siteOrigin: stack.siteUrl });
      expect(report.checked).toBeGreaterThan(50);
      expect(report.broken.length, `${report.broken.length} broken links:\n${describeLinks(report.broken)}`).toBe(0);
      expect(report.outside.length, `${report.outside.length} outside references:\n${describeLinks(report.outside)}`).toBe(0);

      // A link to a folder works only if the CDN serves the folder's index.html for it
      // (CloudFront's default root object covers "/" alone).
      const folders = [...new Map(report.directoryLinks.map((l) => [l.target.replace(/index\.html$/, ''), l])).values()];
      const unserved: typeof folders = [];
      for (const l of folders) {
        const path = l.target.replace(/index\.html$/, '');
        if (path === '') continue;
        const res = await fetch(url(path));
        if (res.status !== 200) unserved.push({ ...l, target: `${path} → HTTP ${res.status} from the CDN` });
      }
      expect(unserved.length, `links to folders the CDN does not serve:\n${describeLinks(unserved)}`).toBe(0);

      // The pages the contract names exist.
      const missing = [
        'index.html',
        'about/guide.html',
        'about/system.html',
        'columns/statutory/index.html',
        'columns/catalogue/index.html',
        'columns/interpretations/index.html',
        'columns/normative/index.html',
        'columns/report/index.html',
        'search.html',
        'rules.html',
      ]
        .concat([...published.values()].map((p) => `documents/${p.id}.html`))
        .concat([published.get('policy')!, published.get('normative')!].map((p) => `interpretations/${p.id}.html`))
        .filter((k) => !site.has(k));
      expect(missing.length, `pages missing from the site bucket: ${missing.join(', ')}`).toBe(0);
      // A document declared as needing no interpretation has no 解读 page and links to none.
      const notice = published.get('notice')!;
      expect(site.has(`interpretations/${notice.id}.html`)).toBe(false);
      expect(new TextDecoder().decode(site.get(`documents/${notice.id}.html`)), 'the page of a document without interpretation').not.toContain(`interpretations/${notice.id}.html`);
    },
    TEST_TIMEOUT,
  );

  it('lets a reader reach every document and interpretation from the home page by links', () => {
    const reachable = reachablePages(site, 'index.html');
    const pages = [...withoutApps(site).keys()].filter((k) => k.endsWith('.html'));
    const lost = pages.filter((k) => /^(documents|interpretations)\//.test(k) && !reachable.has(k));
    expect(lost.length, `pages no link leads to: ${lost.join(', ')}`).toBe(0);
    // Every column of the navigation, and the lists they lead to, too.
    const columns = pages.filter((k) => /^(about|columns)\//.test(k) && !/\/page-\d+\.html$/.test(k) && !reachable.has(k));
    expect(columns.length, `column pages no link leads to: ${columns.join(', ')}`).toBe(0);
    // The catalogue holds more than one page: every page of its archive is linked.
    const archive = pages.filter((k) => /^columns\/catalogue\/page-\d+\.html$/.test(k));
    expect(archive.length, `catalogue archive pages: ${archive.join(', ')}`).toBeGreaterThan(1);
    const unlinked = archive.filter((k) => !reachable.has(k));
    expect(unlinked.length, `archive pages no link leads to: ${unlinked.join(', ')}`).toBe(0);
  });

  it(
    'is valid HTML on every page (vnu)',
    async () => {
      const pages = withoutApps(site);
      expect([...pages.keys()].filter((k) => k.endsWith('.html')).length).toBeGreaterThan(10);
      const errors = await validateHtml(pages);
      expect(errors.length, `vnu errors (${errors.length}):\n${describeHtmlErrors(errors)}`).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'has no accessibility violation of any impact on any kind of page (axe)',
    async () => {
      const context = await newContext({ bypassCSP: true });
      const page = await context.newPage();
      const violations: AxeViolation[] = [];
      let unavailable: string[];
      try {
        unavailable = await eachKind(page, async (kind, path) => {
          for (const v of await axeAudit(page)) violations.push({ ...v, url: `${kind}: ${path}` });
        });
      } finally {
        await context.close();
      }
      expect(unavailable, 'pages that could not be opened').toEqual([]);
      expect(violations.length, `axe violations:\n${describeAxe(violations)}`).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'fits a phone screen, and still wraps with the text twice as large (适老化)',
    async () => {
      const phone = await newContext({ viewport: { width: 375, height: 740 } });
      const large = await newContext({ viewport: { width: 375, height: 740 }, bypassCSP: true });
      const reports: { normal: OverflowReport[]; large: OverflowReport[] } = { normal: [], large: [] };
      const fixed: string[] = [];
      let unavailable: string[];
      try {
        const p1 = await phone.newPage();
        const p2 = await large.newPage();
        unavailable = await eachKind(p1, async (_kind, path) => {
          reports.normal.push(await horizontalOverflow(p1));
          await open(p2, path);
          const before = await textSizes(p2);
          await p2.addStyleTag({ content: 'html{font-size:200% !important}' });
          // Text sized in px would not follow the reader's setting.
          for (const u of unscaledText(before, await textSizes(p2), 2)) fixed.push(`${path}: ${u.element} stays ${u.after}px (was ${u.before}px) «${u.text}»`);
          reports.large.push(await horizontalOverflow(p2));
        });
      } finally {
        await phone.close();
        await large.close();
      }
      expect(unavailable, 'pages that could not be opened').toEqual([]);
      expect(reports.normal.filter(overflows).length, `wider than a 375 px phone:\n${describeOverflow(reports.normal)}`).toBe(0);
      expect(reports.large.filter(overflows).length, `wider than a 375 px phone with 200 % text:\n${describeOverflow(reports.large)}`).toBe(0);
      expect(fixed.length, `text that does not grow with the reader's font size:\n${fixed.slice(0, 40).join('\n')}`).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'asks only its own origin for anything, on every kind of page and in a search',
    async () => {
      const context = await newContext();
      const page = await context.newPage();
      const seen: { from: string; url: string }[] = [];
      const errors: string[] = [];
      page.on('request', (req) => seen.push({ from: page.url(), url: req.url() }));
      // Each page arrives with the CDN's CSP header; only the search page may run scripts.
      const policies: string[] = [];
      page.on('response', (res) => {
        if (res.request().resourceType() !== 'document') return;
        const csp = res.headers()['content-security-policy'];
        const path = new URL(res.url()).pathname;
        if (!csp) policies.push(`${path}: no Content-Security-Policy header`);
        else if (path !== '/search.html' && /script-src[^;]*'self'/.test(csp)) policies.push(`${path}: scripts allowed by ${csp}`);
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => errors.push(`${page.url()}: ${String(err)}`));
      page.on('requestfailed', (req) => errors.push(`${page.url()}: ${req.url()} failed (${req.failure()?.errorText ?? '?'})`));
      page.on('response', (res) => {
        if (res.status() >= 400) errors.push(`${page.url()}: ${res.url()} answered HTTP ${res.status()}`);
      });
      let unavailable: string[];
      try {
        unavailable = await eachKind(page, async () => {});
        // And a search typed into the home page's form.
        await open(page, 'index.html');
        await page.locator('form.search input[name=q]').fill(SEARCH_WORD);
        await page.locator('form.search input[name=q]').press('Enter');
        await page.waitForURL(/search\.html\?/);
        await searchResult(page, published.get('search')!.title).waitFor({ state: 'visible', timeout: 20_000 });
      } finally {
        await context.close();
      }
      expect(unavailable, 'pages that could not be opened').toEqual([]);
      const origin = new URL(stack.siteUrl).origin;
      const foreign = seen.filter((r) => !/^(data|blob):/.test(r.url) && new URL(r.url).origin !== origin);
      expect(seen.length).toBeGreaterThan(10);
      expect(
        foreign.map((r) => `${r.from} → ${r.url}`),
        'requests to other origins',
      ).toEqual([]);
      expect(errors, 'console errors (CSP violations, failed loads, script errors)').toEqual([]);
      expect(policies, 'CSP headers of the pages').toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'takes a reader from the home page through a column to a document, its interpretation and back, and finds a document by a word of its text',
    async () => {
      const context = await newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => errors.push(`${page.url()}: ${String(err)}`));
      page.on('requestfailed', (req) => errors.push(`${page.url()}: ${req.url()} failed (${req.failure()?.errorText ?? '?'})`));
      page.on('response', (res) => {
        if (res.status() >= 400) errors.push(`${page.url()}: ${res.url()} answered HTTP ${res.status()}`);
      });
      const policy = published.get('policy')!;
      const found = published.get('search')!;
      try {
        await open(page, '');
        // The statutory columns, by their exact labels, in the navigation.
        const nav = page.getByRole('navigation', { name: '政府信息公开栏目' });
        for (const label of [
          '政府信息公开指南',
          '政府信息公开制度',
          '法定主动公开内容',
          '主动公开基本目录',
          '政府信息公开工作年度报告',
          '政策解读',
          '行政规范性文件',
          '站内搜索',
        ]) {
          expect(await nav.getByRole('link', { name: label, exact: true }).count(), `home navigation link ${label}`).toBe(1);
        }

        await nav.getByRole('link', { name: '主动公开基本目录', exact: true }).click();
        await page.waitForURL(/columns\/catalogue\//);
        // The catalogue is the Art. 12 table.
        const headers = (await page.locator('main table th').allTextContents()).map((t) => t.trim());
        for (const h of ['索引号', '名称', '内容概述', '生成日期']) expect(headers, `catalogue table headers: ${headers.join(' | ')}`).toContain(h);

        // The document is on the front page of the list, or on one of its archive pages.
        const listed = () => page.locator('main').getByRole('link', { name: policy.title, exact: true });
        if ((await listed().count()) === 0) {
          const archive = await page.locator('main nav.pager a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
          const base = page.url();
          for (const href of archive) {
            await page.goto(new URL(href, base).href);
            if ((await listed().count()) > 0) break;
          }
        }
        expect(await listed().count(), `${policy.title} in 主动公开基本目录`).toBeGreaterThan(0);
        await listed().first().click();
        await page.waitForURL(new RegExp(`documents/${policy.id}\\.html$`));
        expect(await headingTitle(page)).toBe(policy.title);

        // The original file, offered for download, is served by the CDN as what it is.
        const download = page.locator(`main a[href$="files/${policy.id}.pdf"]`);
        expect(await download.count(), 'the document page offers its original PDF').toBeGreaterThan(0);
        const file = await page.request.get(new URL((await download.first().getAttribute('href'))!, page.url()).href);
        expect(file.status()).toBe(200);
        expect(file.headers()['content-type']).toContain('application/pdf');

        const toInterp = page.locator('main a[rel~="related"]', { hasText: '解读' });
        expect(await toInterp.count(), 'the document links to its interpretation (rel=related, text 解读)').toBeGreaterThan(0);
        await toInterp.first().click();
        await page.waitForURL(new RegExp(`interpretations/${policy.id}\\.html$`));
        expect(await page.locator('h1').textContent()).toContain('解读');

        await page.locator(`main a[rel~="related"][href$="documents/${policy.id}.html"]`).first().click();
        await page.waitForURL(new RegExp(`documents/${policy.id}\\.html$`));
        expect(await headingTitle(page)).toBe(policy.title);

        // Home, then the search box.
        await page
          .getByRole('link', { name: /政府信息公开$/ })
          .first()
          .click();
        await page.waitForURL((u) => u.pathname === '/' || u.pathname === '/index.html');
        const form = page.locator('form.search');
        expect(await form.getAttribute('method').then((m) => (m ?? 'get').toLowerCase())).toBe('get');
        expect(await form.getAttribute('action')).toMatch(/(^|\/)search\.html$/);
        await form.locator('input[name=q]').fill(SEARCH_WORD);
        await form.locator('input[name=q]').press('Enter');
        await page.waitForURL(/search\.html\?/);
        const result = searchResult(page, found.title);
        await result.waitFor({ state: 'visible', timeout: 20_000 });
        // Only the document that holds the word.
        for (const other of ['notice', 'policy', 'normative']) {
          expect(await page.locator('a', { hasText: published.get(other)!.title }).count(), `search for ${SEARCH_WORD} finds ${other}`).toBe(0);
        }
        await result.click();
        await page.waitForURL(new RegExp(`documents/${found.id}\\.html$`));
        expect(await headingTitle(page)).toBe(found.title);
      } finally {
        await context.close();
      }
      expect(errors, 'console errors on the way').toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'leads from 法定主动公开内容 to a domain and its documents, and lists normative documents and interpretations in their columns',
    async () => {
      const context = await newContext();
      const page = await context.newPage();
      const normative = published.get('normative')!;
      const policy = published.get('policy')!;
      const notice = published.get('notice')!;
      try {
        await open(page, 'index.html');
        const nav = page.getByRole('navigation', { name: '政府信息公开栏目' });
        await nav.getByRole('link', { name: '法定主动公开内容', exact: true }).click();
        await page.waitForURL(/columns\/statutory\//);
        await page.locator('main').getByRole('link', { name: '社会救助' }).first().click();
        await page.waitForURL(/columns\/domain-[^/]+\//);
        const inDomain = await page.locator('main a[href*="documents/"]').allTextContents();
        expect(
          inDomain.map((t) => t.trim()),
          'the 社会救助 list',
        ).toEqual([normative.title]);
        await page.locator('main').getByRole('link', { name: normative.title, exact: true }).click();
        await page.waitForURL(new RegExp(`documents/${normative.id}\\.html$`));
        expect(await headingTitle(page)).toBe(normative.title);

        // The other domain holds the other document.
        await open(page, 'columns/statutory/index.html');
        await page.locator('main').getByRole('link', { name: '城乡规划' }).first().click();
        await page.waitForURL(/columns\/domain-[^/]+\//);
        expect(
          (await page.locator('main a[href*="documents/"]').allTextContents()).map((t) => t.trim()),
          'the 城乡规划 list',
        ).toEqual([notice.title]);

        await nav.getByRole('link', { name: '行政规范性文件', exact: true }).click();
        await page.waitForURL(/columns\/normative\//);
        const normativeList = (await page.locator('main a[href*="documents/"]').allTextContents()).map((t) => t.trim());
        expect(normativeList, 'the 行政规范性文件 column').toContain(normative.title);
        expect(normativeList, 'the 行政规范性文件 column').not.toContain(notice.title);

        // The annual report counts this year's publications.
        await nav.getByRole('link', { name: '政府信息公开工作年度报告', exact: true }).click();
        await page.waitForURL(/columns\/report\//);
        const year = new Date().getUTCFullYear();
        const row = page.locator('main tr', { has: page.locator('th', { hasText: `${year}年` }) });
        expect(await row.count(), `the annual report has a row for ${year}`).toBe(1);
        const headers = (await page.locator('main thead th').allTextContents()).map((t) => t.trim());
        const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
        expect(cells[headers.indexOf('主动公开文件') - 1], `主动公开文件 in ${year}: ${headers.join('|')} / ${cells.join('|')}`).toBe(String(published.size));

        await nav.getByRole('link', { name: '政策解读', exact: true }).click();
        await page.waitForURL(/columns\/interpretations\//);
        const interpretations = await page.locator('main a[href*="interpretations/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
        for (const p of [policy, normative])
          expect(
            interpretations.some((h) => h.endsWith(`interpretations/${p.id}.html`)),
            `政策解读 lists the interpretation of ${p.title}`,
          ).toBe(true);
        expect(
          interpretations.some((h) => h.endsWith(`interpretations/${notice.id}.html`)),
          'a document without interpretation is not in 政策解读',
        ).toBe(false);
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT,
  );

  it('asked nothing of another origin in any of these tests', () => {
    const origin = new URL(stack.siteUrl).origin;
    const foreign = requests.filter((r) => !/^(data|blob):/.test(r.url) && new URL(r.url).origin !== origin);
    expect(foreign.map((r) => `${r.from} → ${r.url}`)).toEqual([]);
  });
});

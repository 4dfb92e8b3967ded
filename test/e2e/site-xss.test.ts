import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { CreateDraftRequest } from '#shared/api';
import type { DraftView } from '#client/gongkai';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { decideAll, docxFile, siteObjects, submitDraft, textFile, withdrawDocument, type SiteObject } from '../support/publish.ts';

/**
 * Stored XSS on the public site. Script payloads go into every user-controlled field that
 * can reach a public page — title, drafting unit, document number, contact, catalogue
 * elements, file names, the document and interpretation texts, a withdrawal reason — of
 * drafts that are approved and published. Then every HTML page of the site bucket (not the
 * web apps under app/) is opened in Chromium twice: as served (with its CSP) and with
 * `bypassCSP`, so that the test proves the escaping and not just the policy. No dialog may
 * open, `window.__pwned` must stay undefined and no inline script may even be attempted (a
 * CSP violation would say an injection got into the markup); the payloads must show as
 * literal text. The search page is opened with payloads in `?q=` and with a query that
 * finds the documents, so their titles and excerpts are rendered by its script.
 */
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** A word that occurs in the titles and texts, to search the documents by. */
const PROBE = 'qzxprobe';

const P = {
  script: '<script>window.__pwned=1;alert(1)</script>',
  attr: '"><img src=x onerror="window.__pwned=2;alert(2)">',
  js: 'javascript:window.__pwned=3;alert(3)//',
  title: '</title><script>window.__pwned=4</script>',
  template: '{{7*7}}${7*7}<%= 7*7 %>',
  svg: `'"--><svg onload=window.__pwned=5>`,
  iframe: '<iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>',
  link: '<a href="javascript:window.__pwned=7">点此</a>',
  style: '<style>*{background:url("javascript:window.__pwned=8")}</style>',
  textarea: '</textarea></noscript></style><script>window.__pwned=9</script>',
} as const;

type Form = CreateDraftRequest['form'];

/** Everything that must be visible as text on the first document's page. */
const TITLE = `关于${P.script}${P.attr}${PROBE}工作的${P.title}${P.template}通知`;
const UNIT = `盐湖区${P.attr}${P.svg}`;
const NUMBER = `${P.title}{{7*7}}`;
const CONTACT = '<svg onload=window.__pwned=5>';

const payloadLines = Object.values(P);

const DOC_TEXT = [
  `关于${PROBE}工作的通知`,
  '各乡镇人民政府、街道办事处，区直各有关单位：',
  '为做好相关工作，现将有关事项通知如下。以下内容为测试文本，应当原样显示：',
  ...payloadLines,
  `${P.script}${P.attr}${P.svg}`,
  '请各单位认真贯彻执行。',
  '运城市盐湖区人民政府办公室',
  '2024年3月1日',
].join('\n');

const INTERP_TEXT = [
  `关于${PROBE}工作通知的政策解读`,
  '一、出台背景和依据：近年来群众对办事便利程度的期待不断提高。',
  '二、目标任务：让群众少跑腿、好办事。',
  '三、主要内容：共分为总体要求、重点任务、保障措施三个部分。',
  ...payloadLines.map((p) => `解读示例：${p}`),
  '四、具体举措：推行一次告知、限时办结。',
  '五、适用对象：本区各乡镇（街道）和区直各部门。',
  '六、解读机关：运城市盐湖区人民政府办公室。',
  // The unit's own words, so that the quoted payloads (also in the document) stay well
  // under INT-3's share of text copied from the document.
  ...Array.from({ length: 3 }, (_, i) => [
    `（${i + 1}）问：本通知出台后，群众办理相关事项需要准备哪些材料？答：按照办事指南列明的清单准备，能够通过部门共享获取的材料不再要求群众提供。`,
    `（${i + 1}）问：企业和群众对办理结果有异议怎么办？答：可以向区政务服务中心咨询窗口反映，也可以依法申请行政复议或者提起行政诉讼。`,
    `（${i + 1}）问：与以往做法相比有哪些变化？答：新增了限时办结承诺、结果主动告知和满意度回访三个环节，办理时限总体压缩一半左右。`,
  ]).flat(),
].join('\n');

const policyForm = (): Form => ({
  title: TITLE,
  draftingUnit: UNIT,
  documentNumber: NUMBER,
  documentType: '通知',
  documentDate: '2024-03-01',
  isPolicy: true,
  attribute: '主动公开',
  interpretation: { mode: 'attached', format: '图解' },
  domain: '就业',
  contact: { name: CONTACT, phone: '0359-2021234' },
  secrecyLevel: 'none',
  catalogue: {
    name: P.js,
    content: `${P.script}${P.svg}`,
    basis: P.attr,
    timeLimit: P.title,
    subject: P.iframe,
    method: P.template,
    channel: 'javascript:alert(document.domain)',
    audience: P.link,
  },
});

let stack: TestStack;
let browser: Browser;
let policyId: string;
let htmlFileId: string;
let withdrawnId: string | undefined;
let finals: Map<string, DraftView>;
let objects: Map<string, SiteObject>;
const WITHDRAWAL_REASON = `撤回测试${P.script}${P.attr}`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the site XSS tests need Debian's chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  // A drafter of the payload unit: a drafter submits in their own unit's name only.
  stack = await startTestStack({ units: [UNIT] });
  const drafter = stack.drafterFor(UNIT);

  // 1. A policy document with its interpretation: payloads in every free-text field and both file names.
  policyId = await submitDraft(drafter, policyForm(), docxFile(DOC_TEXT, `${P.attr}${P.svg}.docx`), textFile(INTERP_TEXT, `${P.script}.txt`));
  // 2. A plain-text document whose file is an HTML page named .html (the original is offered for download).
  const htmlDoc = `<!doctype html><html><body><h1>${PROBE}</h1>${P.script}${P.attr}<p>运城市盐湖区人民政府办公室</p></body></html>\n关于${PROBE}原件下载的通知\n请各单位认真贯彻执行。`;
  htmlFileId = await submitDraft(
    drafter,
    {
      ...policyForm(),
      title: `关于${PROBE}原件下载${P.attr}的通知`,
      isPolicy: false,
      interpretation: { mode: 'not-needed', reason: `${P.script}无需解读的工作通知` },
      catalogue: undefined,
    },
    textFile(htmlDoc, `${P.svg}.html`),
  );
  // 3. A document to withdraw with a payload as the reason.
  const third = await submitDraft(
    drafter,
    { ...policyForm(), title: `关于${PROBE}撤回测试${P.svg}的通知`, isPolicy: false, interpretation: { mode: 'not-needed', reason: '工作部署类文件无需解读' } },
    textFile(DOC_TEXT, 'chehui.txt'),
  );
  finals = await decideAll(
    stack,
    new Map([
      [policyId, 'approve'],
      [htmlFileId, 'approve'],
      [third, 'approve'],
    ] as const),
    { timeoutMs: 90_000 },
  );
  for (const [id, d] of finals) {
    expect(d.status, `${id}: ${JSON.stringify(d.findings.filter((f) => f.severity === 'block'))}`).toBe('PUBLISHED');
  }
  await stack.settle(60_000);
  const res = await withdrawDocument(stack, 'dev-approver-li', third, WITHDRAWAL_REASON);
  if (res.routeMissing) {
    console.warn('POST /documents/{id}/withdrawal does not exist yet: the withdrawal notice is not checked');
  } else {
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    await stack.approver.waitForStatus(third, ['WITHDRAWN'], 60_000);
    withdrawnId = third;
  }
  await stack.settle(60_000);
  objects = await siteObjects(stack);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

interface Visit {
  readonly pwned: unknown;
  readonly dialogs: string[];
  readonly violations: string[];
  readonly errors: string[];
}

/** Records CSP violations (the init script runs whatever the page's CSP says). */
const INIT = `window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')); });`;

async function newContext(bypassCSP: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'zh-CN', bypassCSP });
  await context.addInitScript(INIT);
  return context;
}

async function visit(context: BrowserContext, url: string, settleMs = 150, check?: (page: Page) => Promise<void>): Promise<Visit> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(settleMs);
    if (check) await check(page);
    const pwned = await page.evaluate('window.__pwned');
    const violations = (await page.evaluate('window.__violations || []')) as string[];
    return { pwned, dialogs, violations, errors };
  } finally {
    await page.close();
  }
}

/** Content types a browser renders as a document that can run script. */
const RENDERED = /^\s*(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml)\b/i;

async function hrefsOf(page: Page, selector: string): Promise<string[]> {
  const out: string[] = [];
  for (const a of await page.locator(selector).all()) out.push((await a.getAttribute('href')) ?? '');
  return out;
}

/** The site keys that a browser would render as a document (HTML, SVG, XML), web apps excepted. */
function renderableKeys(): string[] {
  return [...objects.values()]
    .filter((o) => !o.key.startsWith('app/'))
    .filter((o) => /\.(html?|xhtml|svg|xml)$/i.test(o.key) || RENDERED.test(o.contentType ?? ''))
    .map((o) => o.key)
    .sort();
}

async function visitAll(keys: readonly string[], bypassCSP: boolean): Promise<string[]> {
  const context = await newContext(bypassCSP);
  const failures: string[] = [];
  try {
    const queue = [...keys];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        const v = await visit(context, `${stack.siteUrl}/${key}`);
        if (v.pwned !== undefined) failures.push(`${key}: window.__pwned = ${String(v.pwned)}`);
        if (v.dialogs.length) failures.push(`${key}: dialogs ${v.dialogs.join(' | ')}`);
        const scripty = v.violations.filter((x) => /script|object|frame/.test(x));
        if (scripty.length) failures.push(`${key}: CSP blocked something the page tried to run: ${scripty.join(' | ')}`);
      }
    };
    await Promise.all(Array.from({ length: 3 }, worker));
  } finally {
    await context.close();
  }
  return failures;
}

describe('script payloads in every field of published documents', () => {
  it('the drafts passed the rules and reached the site with their payloads', () => {
    expect(objects.has(`documents/${policyId}.html`)).toBe(true);
    expect(objects.has(`interpretations/${policyId}.html`)).toBe(true);
    // The payloads are in the bucket only escaped: never as live markup in a page.
    for (const key of renderableKeys()) {
      const text = objects.get(key)!.text;
      for (const live of ['<script>window.__pwned', '<img src=x onerror', '<svg onload', '<iframe srcdoc', 'href="javascript:', '<style>*{background']) {
        expect(text.includes(live), `${key} contains live markup ${live}`).toBe(false);
      }
    }
  });

  it('are accepted by the form as typed (no field refuses angle brackets, so every payload is live input)', () => {
    // A refusal would have failed submitDraft with a 400 naming the field; the contact phone
    // is the only free-text field with a strict pattern (digits, spaces, + - ( )), so it
    // carries no payload.
    expect(finals.get(policyId)!.form.title).toBe(TITLE);
    expect(finals.get(policyId)!.form.draftingUnit).toBe(UNIT);
    expect(finals.get(policyId)!.form.documentNumber).toBe(NUMBER);
    expect(finals.get(policyId)!.form.contact.name).toBe(CONTACT);
  });

  it('show as literal text on the document and interpretation pages, with CSP bypassed', async () => {
    const context = await newContext(true);
    try {
      const v = await visit(context, `${stack.siteUrl}/documents/${policyId}.html`, 150, async (page) => {
        expect(await page.title()).toContain(TITLE);
        expect((await page.locator('h1').innerText()).replace(/\s*【解读】\s*$/, '')).toBe(TITLE);
        const body = await page.locator('body').innerText();
        for (const p of [UNIT, NUMBER, ...payloadLines]) expect(body, `literal ${p}`).toContain(p);
        expect(await page.locator('script').count()).toBe(0);
        expect(await page.locator('body img, body svg, body iframe, body style').count()).toBe(0);
        for (const h of await hrefsOf(page, 'a')) expect(h, 'no javascript: link').not.toMatch(/^\s*javascript:/i);
      });
      expect(v.pwned).toBeUndefined();
      expect(v.dialogs).toEqual([]);

      const vi = await visit(context, `${stack.siteUrl}/interpretations/${policyId}.html`, 150, async (page) => {
        const body = await page.locator('body').innerText();
        for (const p of payloadLines) expect(body, `literal ${p}`).toContain(`解读示例：${p}`);
        expect(await page.locator('script').count()).toBe(0);
      });
      expect(vi.pwned).toBeUndefined();
      expect(vi.dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('run nowhere: every HTML page of the site, as served (with its CSP)', async () => {
    const keys = renderableKeys();
    console.info(`site-xss: ${keys.length} pages opened in each context`);
    expect(keys).toContain(`documents/${policyId}.html`);
    expect(keys.length).toBeGreaterThan(5);
    expect(await visitAll(keys, false)).toEqual([]);
  }, 170_000);

  it('run nowhere: every HTML page of the site, with CSP bypassed (the escaping alone)', async () => {
    expect(await visitAll(renderableKeys(), true)).toEqual([]);
  }, 170_000);

  it('the original files are never served as something a browser runs', async () => {
    const files = [...objects.keys()].filter((k) => k.startsWith('files/'));
    for (const key of files) {
      expect(key, 'extension from the sniffed kind, never from the uploaded name').toMatch(/^files\/[A-Za-z0-9_-]+\.(pdf|docx|txt)$/);
      const res = await fetch(`${stack.siteUrl}/${key}`);
      expect(res.headers.get('content-type') ?? '', key).not.toMatch(RENDERED);
      expect(res.headers.get('content-type') ?? '', key).not.toMatch(/javascript|ecmascript/i);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // The .html upload, if offered, is opened as the browser would: nothing runs.
    const htmlOriginal = files.find((k) => k.startsWith(`files/${htmlFileId}.`));
    if (htmlOriginal) {
      for (const bypassCSP of [false, true]) {
        const context = await newContext(bypassCSP);
        try {
          const page = await context.newPage();
          const dialogs: string[] = [];
          page.on('dialog', (d) => {
            dialogs.push(d.message());
            void d.dismiss().catch(() => undefined);
          });
          // A download (content-disposition) or a text view are both fine; a rendered page is not.
          await page.goto(`${stack.siteUrl}/${htmlOriginal}`).catch(() => undefined);
          await page.waitForTimeout(150);
          expect(await page.evaluate('window.__pwned').catch(() => undefined)).toBeUndefined();
          expect(dialogs).toEqual([]);
        } finally {
          await context.close();
        }
      }
    }
  });

  it('the withdrawal notice shows the reason as text', async () => {
    if (!withdrawnId) return; // the withdrawal route was missing (warned in beforeAll)
    const context = await newContext(true);
    try {
      const v = await visit(context, `${stack.siteUrl}/documents/${withdrawnId}.html`, 150, async (page) => {
        expect(await page.locator('body').innerText()).toContain(WITHDRAWAL_REASON);
        expect(await page.locator('script, img, svg, iframe').count()).toBe(0);
      });
      expect(v.pwned).toBeUndefined();
      expect(v.dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('(control) the harness does see a payload that runs, and CSP-only protection', async () => {
    // A page with the site's CSP and an unescaped payload, planted for this check only:
    // with CSP it is blocked but reported as a violation; with bypassCSP it runs.
    const doc = objects.get(`documents/${policyId}.html`)!.text;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(doc)?.[1];
    expect(csp, 'document pages carry a CSP').toBeDefined();
    const key = 'documents/zz-xss-control.html';
    const Bucket = stack.names.buckets.site;
    await stack.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: key,
        ContentType: 'text/html; charset=utf-8',
        Body: `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><title>x</title></head><body>${P.attr}</body></html>`,
      }),
    );
    try {
      const served = await visitAll([key], false);
      expect(served.join('\n')).toMatch(/CSP blocked/);
      expect(served.join('\n')).not.toMatch(/__pwned/);
      const bypassed = await visitAll([key], true);
      expect(bypassed.join('\n')).toMatch(/window.__pwned = 2/);
      expect(bypassed.join('\n')).toMatch(/dialogs alert: 2/);
    } finally {
      await stack.s3.send(new DeleteObjectCommand({ Bucket, Key: key }));
    }
  });

  it('the search page runs nothing from its query or from the results it shows', async () => {
    const queries = [PROBE, 'window', 'pwned', 'onerror', 'script', ...payloadLines, `${PROBE} ${P.script}`, '"><script>window.__pwned=1</script>', 'javascript:window.__pwned=1'];
    const failures: string[] = [];
    let sawResults = false;
    const excerpts: string[] = [];
    for (const bypassCSP of [false, true]) {
      const context = await newContext(bypassCSP);
      try {
        for (const q of queries) {
          const v = await visit(context, `${stack.siteUrl}/search.html?q=${encodeURIComponent(q)}`, 0, async (page) => {
            // Wait for the script to finish: a status other than "searching".
            await page.waitForFunction('!/正在搜索/.test(document.getElementById("search-status")?.textContent || "")', undefined, { timeout: 10_000 }).catch(() => undefined);
            await page.waitForTimeout(200);
            expect(await page.locator('#search-q').inputValue()).toBe(q.trim().slice(0, 100));
            excerpts.push(...(await page.locator('#search-results .excerpt').allInnerTexts()));
            expect(await page.locator('#search-results script, #search-results img, #search-results svg, #search-results iframe, #search-results style').count()).toBe(0);
            if (q === PROBE) {
              const results = page.locator('#search-results li');
              const n = await results.count();
              if (n > 0) {
                sawResults = true;
                const titles = await page.locator('#search-results a.title').allInnerTexts();
                expect(
                  titles.some((t) => t.includes(P.script)),
                  `result titles: ${titles.join(' | ')}`,
                ).toBe(true);
                for (const h of await hrefsOf(page, '#search-results a')) expect(h).not.toMatch(/^\s*javascript:/i);
                expect(await page.locator('#search-results script, #search-results img, #search-results svg, #search-results iframe').count()).toBe(0);
              }
            }
          });
          if (v.pwned !== undefined) failures.push(`q=${q} bypassCSP=${bypassCSP}: window.__pwned = ${String(v.pwned)}`);
          if (v.dialogs.length) failures.push(`q=${q} bypassCSP=${bypassCSP}: dialogs ${v.dialogs.join(' | ')}`);
          const scripty = v.violations.filter((x) => /script-src-attr|script-src-elem .*inline|inline/.test(x));
          if (scripty.length) failures.push(`q=${q} bypassCSP=${bypassCSP}: CSP blocked an inline script: ${scripty.join(' | ')}`);
        }
      } finally {
        await context.close();
      }
    }
    expect(failures).toEqual([]);
    expect(sawResults, `searching ${PROBE} found the published documents`).toBe(true);
    // The results the script built did carry payloads, as text.
    expect(
      excerpts.some((e) => /<script>|onerror=|<svg onload/.test(e)),
      `excerpts shown: ${excerpts.slice(0, 10).join(' | ')}`,
    ).toBe(true);
  }, 120_000);
});

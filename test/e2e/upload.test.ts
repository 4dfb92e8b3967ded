import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';
import { claimFor } from '../support/api.ts';
import { validForm } from '../support/forms.ts';
import { fillUploadForm } from '../support/upload-page.ts';
import { pdfOf, scanPng } from '../support/scans.ts';
import { topology } from '#shared/topology';
import type { DraftView } from '#client/gongkai';
import { ScanCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The drafting units' upload page (web/upload/), in Chromium against a local stack: the page
 * is served by the local CDN from the site bucket, exactly as the local runner deploys it.
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set GONGKAI_CHROMIUM to its path.`);
}

const PDF = corpus('pdf/000_70017f665202e428.pdf');
const form = validForm();

let stack: TestStack;
let browser: Browser;
/** Every host the browser asked for, across all tests. */
const hosts = new Set<string>();

beforeAll(async () => {
  stack = await startTestStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

async function openPage(query = ''): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('request', (req) => {
    hosts.add(new URL(req.url()).hostname);
  });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${stack.siteUrl}/${topology.web.prefix}upload/index.html${query}`);
  await page.fill('#token', 'dev-drafter-fgw');
  await page.click('#signin-form button[type=submit]');
  // The selects are filled from GET /openapi.json.
  await page.waitForSelector('#f-documentType option[value="通知"]', { state: 'attached', timeout: 60_000 });
  expect(errors).toEqual([]);
  return page;
}

const fillForm = (page: Page, over: { title?: string; documentDate?: string; file?: { name: string; mimeType: string; buffer: Buffer } } = {}) =>
  fillUploadForm(page, form, over.file ?? PDF, over);

const draftId = (page: Page) => page.textContent('#draft-id').then((t) => t!.trim());

async function waitForStatus(page: Page, statuses: string[], timeout = 60_000) {
  await page.waitForFunction((s) => s.includes((globalThis as unknown as Dom).document.getElementById('draft-status')?.dataset.status ?? ''), statuses, { timeout, polling: 200 });
}

/** Draft items in the table and objects in the drafts bucket. */
async function stored(): Promise<{ drafts: number; objects: number }> {
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const scan = await dynamo.send(
      new ScanCommand({
        TableName: stack.names.table,
        FilterExpression: 'begins_with(pk, :d) AND sk = :s',
        ExpressionAttributeValues: { ':d': { S: 'DRAFT#' }, ':s': { S: 'DRAFT' } },
        Select: 'COUNT',
      }),
    );
    const list = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts }));
    return { drafts: scan.Count ?? 0, objects: list.KeyCount ?? 0 };
  } finally {
    dynamo.destroy();
  }
}

let firstDraft = '';

/** The little of the DOM the page functions below touch (the project's TypeScript has no DOM lib). */
type Dom = { document: { getElementById(id: string): { value?: unknown; textContent: string | null; dataset: Record<string, string | undefined> } | null } };

describe('the upload page', () => {
  it('submits the declaration, uploads the PDF straight to S3 with progress, and follows the draft to 待审批', async () => {
    const page = await openPage();
    await expect(page.getAttribute('html', 'lang')).resolves.toBe('zh-CN');
    // Every form control has a label.
    const unlabeled = await page.evaluate(
      `[...document.querySelectorAll('#draft-form input, #draft-form select, #draft-form textarea')].filter((e) => !e.id || !document.querySelector('label[for="' + e.id + '"]')).map((e) => e.id || e.outerHTML)`,
    );
    expect(unlabeled).toEqual([]);
    // Enum selects come from the API schema.
    const attributes = await page.$$eval('#f-attribute option', (os) => os.map((o) => o.getAttribute('value')).filter(Boolean));
    expect(attributes).toEqual(['主动公开', '依申请公开', '不予公开']);

    await fillForm(page);
    await page.click('#submit');
    await page.waitForFunction(() => (globalThis as unknown as Dom).document.getElementById('progress-document')?.value === 100, undefined, { timeout: 30_000 });
    expect(await page.textContent('#progress-document-text')).toBe('100 %');
    await waitForStatus(page, ['PENDING_APPROVAL']);
    expect(await page.textContent('#draft-status')).toBe('待审批');

    const id = await draftId(page);
    const view: DraftView = await stack.drafter.getDraft(id);
    expect(view.status).toBe('PENDING_APPROVAL');
    expect(view.form.title).toBe(form.title);
    expect(view.files.document).toMatchObject({ fileName: '000_70017f665202e428.pdf', kind: 'pdf' });
    expect(view.files.document!.uploadedAt).toBeTruthy();
    firstDraft = id;

    // Usable at phone width (and so at 200 % zoom of a 640 px window): nothing wider than the screen.
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    await page.context().close();
  });

  it('opens a draft returned for revision by its link with the declaration filled in, and submits revision 2', async () => {
    const claim = await claimFor(stack.approver, firstDraft);
    await stack.approver.decide(firstDraft, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'return', reason: '请补充联系人手机号码' });
    const page = await openPage(`?draft=${firstDraft}`);
    await waitForStatus(page, ['RETURNED']);
    expect(await page.textContent('#draft-status')).toBe('退回修改');
    expect(await page.textContent('#status-hint')).toContain('请补充联系人手机号码');
    expect(await page.inputValue('#f-title')).toBe(form.title);
    expect(await page.inputValue('#f-documentType')).toBe(form.documentType);
    expect(await page.inputValue('#f-interpretationReason')).toBe('印发工作方案，无需解读');
    await page.fill('#f-contactPhone', '13903591234');
    await page.setInputFiles('#f-documentFile', PDF);
    await page.click('#resubmit');
    await page.waitForFunction(() => (globalThis as unknown as Dom).document.getElementById('progress-document')?.value === 100, undefined, { timeout: 30_000 });
    await waitForStatus(page, ['PENDING_APPROVAL']);
    expect(await draftId(page)).toBe(firstDraft);
    const view = await stack.drafter.getDraft(firstDraft);
    expect(view).toMatchObject({ status: 'PENDING_APPROVAL', revision: 2 });
    expect(view.form.contact.phone).toBe('13903591234');
    await page.context().close();
  });

  it('shows the API’s Chinese messages beside the fields it rejects, and creates nothing', async () => {
    const page = await openPage();
    const before = await stored();
    expect(before.drafts).toBeGreaterThan(0);
    const posts: number[] = [];
    page.on('response', (res) => {
      if (res.request().method() === 'POST' && new URL(res.url()).pathname === '/drafts') posts.push(res.status());
    });
    await fillForm(page, { title: '', documentDate: '2020-13-45' });
    await page.click('#submit');
    await page.waitForSelector('#f-title-error');
    expect(posts).toEqual([400]);

    expect(await page.getAttribute('#f-title', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#f-documentDate', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#f-title', 'aria-describedby')).toContain('f-title-error');
    expect(await page.getAttribute('#f-documentDate', 'aria-describedby')).toContain('f-documentDate-error');
    expect(await page.textContent('#f-title-error')).toContain('文件标题至少 4 个字');
    expect(await page.textContent('#f-documentDate-error')).toContain('不是有效的日期');
    // The other fields are fine.
    expect(await page.getAttribute('#f-draftingUnit', 'aria-invalid')).toBeNull();
    // Announced: the summary is an alert region and names the fields.
    expect(await page.getAttribute('#form-summary', 'role')).toBe('alert');
    expect(await page.textContent('#form-summary')).toContain('文件标题');
    expect(await page.isHidden('#status-section')).toBe(true);
    expect(await stored()).toEqual(before);
    await page.context().close();
  });

  it('shows the ATTR-2 finding of a vague non-public declaration, keeps the form, and a fixed re-submission passes', async () => {
    const page = await openPage();
    await fillForm(page, { title: '盐湖区工作方案（不予公开，页面测试）' });
    await page.selectOption('#f-attribute', '不予公开');
    await expect(page.isVisible('#f-nonPublicReason')).resolves.toBe(true);
    await page.fill('#f-nonPublicReason', '内部文件，不宜公开');
    await page.click('#submit');
    await waitForStatus(page, ['REJECTED']);
    const rejectedId = await draftId(page);
    expect(await page.textContent('#draft-status')).toBe('已退回');

    const attr2 = page.locator('.severity-block .finding[data-rule="ATTR-2"]');
    expect(await attr2.count()).toBeGreaterThanOrEqual(1);
    const text = (await attr2.allTextContents()).join('\n');
    const api = await stack.drafter.getDraft(rejectedId);
    for (const f of api.findings.filter((x) => x.ruleId === 'ATTR-2')) {
      expect(text).toContain(f.zh);
      expect(text).toContain(f.en);
      expect(text).toContain(f.source);
    }
    expect(text).toContain('过于笼统');

    // The form kept its values.
    expect(await page.inputValue('#f-title')).toBe('盐湖区工作方案（不予公开，页面测试）');
    expect(await page.inputValue('#f-attribute')).toBe('不予公开');
    expect(await page.inputValue('#f-nonPublicReason')).toBe('内部文件，不宜公开');
    expect(await page.evaluate(`document.getElementById('f-documentFile').files[0]?.name`)).toBe('000_70017f665202e428.pdf');
    await expect(page.isVisible('#resubmit')).resolves.toBe(true);

    await page.fill('#f-nonPublicReason', '方案附件含各责任单位内部分工和联系人信息，属于内部事务信息');
    await page.fill('#f-legalBasis', '《中华人民共和国政府信息公开条例》第十六条第一款');
    await page.click('#resubmit');
    await page.waitForFunction((old) => (globalThis as unknown as Dom).document.getElementById('draft-id')?.textContent?.trim() !== old, rejectedId);
    await waitForStatus(page, ['PENDING_APPROVAL']);
    const passedId = await draftId(page);
    expect(passedId).not.toBe(rejectedId);
    const passed = await stack.drafter.getDraft(passedId);
    expect(passed.status).toBe('PENDING_APPROVAL');
    expect(passed.form).toMatchObject({ attribute: '不予公开', legalBasis: '《中华人民共和国政府信息公开条例》第十六条第一款' });
    expect(passed.findings.filter((f) => f.severity === 'block')).toEqual([]);
    expect(await page.locator('.finding[data-rule="ATTR-2"]').count()).toBe(0);
    await page.context().close();
  });

  it('says which pages of a scan were read by OCR and which to check, in the page lists the API words', async () => {
    // Pages 1 and 4 have a text layer; 2–3 are scans, 5 a blank scan (nothing to read: to check).
    const textPage = (n: number) => `${form.documentNumber}\n${form.title}\n第${n}页：各乡镇人民政府，区直各有关单位：现将工作方案印发给你们，请认真贯彻执行。`;
    const pdf = await pdfOf([
      textPage(1),
      scanPng(['运城市盐湖区人民政府办公室', '关于做好有关工作的通知', '各乡镇人民政府：']),
      scanPng(['现将有关事项通知如下，请认真贯彻执行。', '一、提高认识，加强领导。']),
      textPage(4),
      scanPng([]),
    ]);
    const page = await openPage();
    await fillForm(page, { title: '盐湖区工作方案（扫描件，页面测试）', file: { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) } });
    await page.click('#submit');
    await waitForStatus(page, ['PENDING_APPROVAL', 'REJECTED'], 300_000);
    const ocr = (await stack.drafter.getDraft(await draftId(page))).files.document!.ocr!;
    expect(ocr.pages.map((p) => p.page)).toEqual([2, 3, 5]);
    // Worded by the API (shared/page-ranges.ts), shown by the page as it comes.
    expect(ocr.text).toEqual({ pages: '2–3、5', check: '5', pending: '' });
    await expect(page.locator('#ocr-note').isVisible()).resolves.toBe(true);
    const note = page.locator('#ocr-note p[data-part="document"]');
    await expect(note.textContent()).resolves.toBe(
      `文件正文第 2–3、5 页的文字由文字识别（OCR，${ocr.engine}）读取，请对照原件核对。` +
        '请重点核对第 5 页（识别置信度低或未识别出文字）。' +
        'Read by OCR: page(s) 2–3、5; please check page(s) 5.',
    );
    await expect(note.locator('.ocr-check').textContent()).resolves.toBe('请重点核对第 5 页（识别置信度低或未识别出文字）。');
    await page.context().close();
  }, 360_000);

  it('never runs markup from user text', async () => {
    const page = await openPage();
    const evil = '测试标题<img src=x onerror=window.__xss=1>';
    await fillForm(page, { title: evil });
    await page.click('#submit');
    await waitForStatus(page, ['PENDING_APPROVAL', 'REJECTED']);
    const id = await draftId(page);
    expect((await stack.drafter.getDraft(id)).form.title).toBe(evil);
    await page.waitForFunction((t) => (globalThis as unknown as Dom).document.getElementById('draft-title')?.textContent === t, evil);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await page.locator('img').count()).toBe(0);
    await page.context().close();
  });

  it('asked no host but 127.0.0.1', () => {
    expect(hosts.size).toBeGreaterThan(0);
    expect([...hosts]).toEqual(['127.0.0.1']);
  });
});

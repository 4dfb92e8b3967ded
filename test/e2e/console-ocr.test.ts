import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { fileSpec, uploadFile } from '#client/gongkai';
import { topology } from '#shared/topology';
import { validForm } from '../support/forms.ts';
import { signedInConsole } from '../support/console.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';
import { auditState, listSite, problemsOf, readSite, type StateAudit } from '../support/site-audit.ts';

/**
 * Issue 14 in the browser (real Chromium against a local stack): a scan read by OCR
 * (bad/scanned_002.pdf). The approver's console shows each OCR page beside its image (fetched
 * by its short-lived link and shown as a data: URL under the console's own CSP), with the
 * engine's confidence; the upload page tells the drafting unit that the document was read by
 * OCR. Every state: valid HTML, no axe finding of any impact, usable at 375 px and 200 % text.
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package or set GONGKAI_CHROMIUM.`);

let stack: TestStack;
let browser: Browser;
let draftId = '';
const pageErrors: string[] = [];
const hosts = new Set<string>();
const audits: StateAudit[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const { spec, bytes } = await fileSpec(corpus('bad/scanned_002.pdf'));
  // Two drafts of the scan: one claimed under the console's CSP, one claimed for the audits (which inject axe).
  const ids: string[] = [];
  for (const _ of [1, 2]) {
    const created = await stack.drafter.createDraft({
      form: validForm({ title: '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知', documentNumber: '古政办发〔2022〕30号', documentDate: '2022-06-09' }),
      files: { document: spec },
    });
    await uploadFile(created.uploads[0]!, bytes, spec.fileName);
    ids.push(created.id);
  }
  for (const id of ids) {
    const d = await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL', 'REJECTED'], 600_000);
    expect(d.status, JSON.stringify(d.findings)).toBe('PENDING_APPROVAL');
  }
  draftId = ids[0]!;
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

describe('a scan read by OCR', () => {
  it('the console shows each OCR page beside its image, with its confidence, under the console’s CSP', async () => {
    const { page, csp } = await signedInConsole(browser, stack.siteUrl, 'dev-approver-li', { pageErrors, hosts }, { bypassCSP: false });
    await page.getByRole('button', { name: '领取下一个任务' }).click();
    await page.locator('#claim').waitFor({ state: 'visible' });
    const figures = page.locator('#preview .ocr-pages figure.ocr-page');
    await expect.poll(() => figures.count(), { timeout: 20_000 }).toBe(2);
    expect(await figures.nth(0).locator('figcaption').textContent()).toMatch(/^第 1 页 · 识别置信度 [01]\.\d\d/);
    expect(await figures.nth(1).getAttribute('data-page')).toBe('2');
    // The page image: loaded by its link, shown as data: (img-src 'self' data: only), no CSP refusal.
    await expect.poll(() => figures.nth(0).locator('img').getAttribute('src'), { timeout: 20_000 }).toMatch(/^data:image\/png;base64,/);
    const naturalSize = () =>
      figures
        .nth(0)
        .locator('img')
        .evaluate((img) => ({ w: (img as unknown as { naturalWidth: number }).naturalWidth, h: (img as unknown as { naturalHeight: number }).naturalHeight }));
    await expect.poll(async () => (await naturalSize()).w, { timeout: 20_000 }).toBeGreaterThan(300);
    const size = await naturalSize();
    expect(size.h).toBeGreaterThan(size.w);
    // The recognised text of the page beside it.
    // (The page's text as the engine read it, brackets included: the rulebook folds brackets for detection, nothing is rewritten.)
    expect((await figures.nth(0).locator('pre').textContent())!.replace(/\s/g, '')).toMatch(/古政办发.2022.30号/);
    expect(await page.locator('#preview .ocr-pages h5').textContent()).toContain('OCR');
    expect(csp).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('every console state with OCR pages passes the audits (vnu, axe, 375 px, 200 % text)', async () => {
    const { page } = await signedInConsole(browser, stack.siteUrl, 'dev-approver-chen', { pageErrors, hosts });
    await page.getByRole('button', { name: '领取下一个任务' }).click();
    await page.locator('#claim').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#preview .ocr-pages figure img[src^="data:"]').count(), { timeout: 20_000 }).toBe(2);
    audits.push(await auditState(page, 'console-ocr-pages'));
    await page.context().close();
  }, 120_000);

  it('the upload page says the document was read by OCR, and which pages', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (req) => hosts.add(new URL(req.url()).hostname));
    // The drafter opens the draft's link and signs in as a user does (the token typed, 登录 pressed): the page resumes the draft.
    await page.goto(`${stack.siteUrl}/${topology.web.prefix}upload/index.html?draft=${draftId}`);
    await page.fill('#token', 'dev-drafter-fgw');
    await page.click('#signin-form button[type=submit]');
    const note = page.locator('#ocr-note');
    await note.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await note.textContent()).toMatch(/文件正文第 1–2 页的文字由文字识别（OCR.*）读取，请对照原件核对/);
    expect(await note.textContent()).toContain('Read by OCR: page(s) 1–2');
    // The FILE-2 notice is among the findings.
    expect(await page.locator('#findings [data-rule="FILE-2"]').count()).toBeGreaterThan(0);
    audits.push(await auditState(page, 'upload-ocr-note'));
    await context.close();
  }, 120_000);

  it('has no page error, nothing is fetched from another host, and every audited state is clean', async () => {
    expect(pageErrors).toEqual([]);
    expect([...hosts]).toEqual(['127.0.0.1']);
    const served = await readSite(
      stack.s3,
      stack.names.buckets.site,
      (await listSite(stack.s3, stack.names.buckets.site, topology.web.prefix)).filter((k) => k.endsWith('.html')),
    );
    expect(await problemsOf(audits, served)).toEqual({ html: [], axe: [], phone: [], largeText: [], unscaled: [] });
  }, 120_000);
});

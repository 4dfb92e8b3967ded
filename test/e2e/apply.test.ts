import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GongkaiClient } from '#client/gongkai';
import { deadlineAfter } from '#shared/calendar';
import { resetClock, setClock } from '#shared/clock';
import { topology } from '#shared/topology';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { fileOnRequest } from '../support/api.ts';
import { auditState, listSite, problemsOf, readSite, type StateAudit } from '../support/site-audit.ts';

/**
 * 依申请公开 (issue 12): the public's application page and its tracking page (web/apply/), in
 * Chromium against a local stack, served by the local CDN from the site bucket as the local
 * runner deploys them. A bad form gets the API's messages beside its fields; a good one a
 * tracking code; the tracking page shows the status, the deadline and the steps, takes the
 * 补正 asked for and a withdrawal, and never the applicant's identity number. Every state:
 * valid HTML, no axe finding of any impact, usable at 375 px and with 200 % text.
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set GONGKAI_CHROMIUM to its path.`);
}

/** The top body of the test stack (config/site.json bodyId). */
const BODY = 'county';
const ID_NUMBER = '11010119900307123X';
/**
 * The stack's day: a Monday the holiday calendar covers, with its 20 working days (the clock
 * of the in-process handlers runs on from it), so the deadline is a day, not 'uncovered'.
 */
const RECEIVED_ON = '2026-03-02';
const DUE_ON = (() => {
  const d = deadlineAfter(RECEIVED_ON, 20);
  if (d.kind !== 'due') throw new Error(`the holiday calendar does not cover ${RECEIVED_ON} + 20 working days`);
  return d.due;
})();
const DESCRIPTION = '请公开示例县 2024 年度城乡居民最低生活保障资金的发放情况（依申请公开页面测试）';

let stack: TestStack;
/** A filed 依申请公开 document of the body: the finder lists it by title. */
const FILED_TITLE = '关于某工业园区企业排污许可核查情况的报告';
let filedId = '';

let browser: Browser;
/** Every host the browser asked for. */
const hosts = new Set<string>();

beforeAll(async () => {
  stack = await startTestStack();
  // Filed on the real clock (the upload's expiry is checked against S3's own time), then the stack's day is set.
  filedId = (await fileOnRequest(stack, FILED_TITLE, `${FILED_TITLE}\n经核查，园区内三家企业的生产工艺参数和原料配方属于商业秘密。`)).id;
  const base = Date.parse(`${RECEIVED_ON}T01:00:00Z`); // 09:00 China time
  const t0 = Date.now();
  setClock(() => new Date(base + (Date.now() - t0)));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
  resetClock();
});

/** A page of a context that lets the audit add axe and a style (the pages forbid both by CSP). */
async function auditedPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('request', (req) => {
    hosts.add(new URL(req.url()).hostname);
  });
  return { page, errors };
}

const appUrl = (file: string) => `${stack.siteUrl}/${topology.web.prefix}apply/${file}`;

/** The controls of the page without a label[for] (hidden ones too: they show when chosen). */
const unlabeled = (page: Page) =>
  page.evaluate(
    `[...document.querySelectorAll('input, select, textarea')].filter((e) => !e.id || !document.querySelector('label[for="' + e.id + '"]')).map((e) => e.id || e.outerHTML)`,
  ) as Promise<string[]>;

const activeId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id') as Promise<string>;

async function fillApplicant(page: Page, over: { idNumber?: string; email?: string } = {}) {
  await page.selectOption('#f-type', '公民');
  await page.fill('#f-name', '张三');
  await page.selectOption('#f-idType', '居民身份证');
  await page.fill('#f-idNumber', over.idNumber ?? ID_NUMBER);
  await page.fill('#f-phone', '0571-12345678');
  await page.fill('#f-email', over.email ?? '');
  await page.fill('#f-description', DESCRIPTION);
  await page.selectOption('#f-delivery', '电子邮件');
  await page.selectOption('#f-format', '电子文档');
}

async function expectNoProblems(audits: readonly StateAudit[]): Promise<void> {
  const keys = (await listSite(stack.s3, stack.names.buckets.site, `${topology.web.prefix}apply/`)).filter((k) => k.endsWith('.html'));
  expect(keys.sort()).toEqual([`${topology.web.prefix}apply/index.html`, `${topology.web.prefix}apply/track.html`]);
  const problems = await problemsOf(audits, await readSite(stack.s3, stack.names.buckets.site, keys));
  const report = Object.entries(problems)
    .filter(([, found]) => found.length > 0)
    .map(([check, found]) => `apply — ${check} (${found.length}):\n${found.slice(0, 20).join('\n')}`);
  expect(report.length, report.join('\n\n')).toBe(0);
}

describe('the application page (政府信息公开申请) and its tracking page', () => {
  it('refuses a bad form field by field, gives a tracking code for a good one, and tracks it through 补正 and withdrawal', async () => {
    const { page, errors } = await auditedPage();
    const audits: StateAudit[] = [];
    let code = '';
    let dueOn: string;
    try {
      // Linked from a catalogue page: the body and the document come in the address.
      await page.goto(appUrl(`index.html?body=${BODY}&document=D0123456789`));
      await expect(page.getAttribute('html', 'lang')).resolves.toBe('zh-CN');
      await page.waitForFunction(`document.getElementById('f-body').value === '${BODY}'`);
      expect(await page.inputValue('#f-documentId')).toBe('D0123456789');
      expect(await unlabeled(page)).toEqual([]);
      // 组织类别 and 法定代表人 only for 法人或其他组织.
      expect(await page.isVisible('#f-organisationKind')).toBe(false);
      await page.selectOption('#f-type', '法人或其他组织');
      expect(await page.isVisible('#f-organisationKind')).toBe(true);
      expect(await page.isVisible('#f-representative')).toBe(true);
      expect(await page.inputValue('#f-idType')).toBe('统一社会信用代码');
      await page.selectOption('#f-type', '公民');
      expect(await page.isVisible('#f-organisationKind')).toBe(false);
      audits.push(await auditState(page, 'empty-form'));

      // A 居民身份证 number of 10 digits, and 电子邮件 without an e-mail address.
      await fillApplicant(page, { idNumber: '1234567890', email: '' });
      await page.click('#submit');
      await page.locator('#f-idNumber-error').waitFor();
      await page.locator('#f-email-error').waitFor();
      expect(await page.textContent('#f-idNumber-error')).toContain('居民身份证号码应为 18 位');
      expect(await page.textContent('#f-idNumber-error')).toContain('A resident identity card number has 18 characters');
      expect(await page.getAttribute('#f-idNumber-error .en', 'lang')).toBe('en');
      expect(await page.textContent('#f-email-error')).toContain('选择电子邮件送达时须填写电子邮箱');
      for (const id of ['f-idNumber', 'f-email']) {
        expect(await page.getAttribute(`#${id}`, 'aria-invalid')).toBe('true');
        expect((await page.getAttribute(`#${id}`, 'aria-describedby'))!.split(' ')).toContain(`${id}-error`);
      }
      // The hint stays described beside the error.
      expect((await page.getAttribute('#f-idNumber', 'aria-describedby'))!.split(' ')).toContain('f-idNumber-help');
      expect(await page.isVisible('#form-summary')).toBe(true);
      expect(await page.locator('#form-summary li').count()).toBe(2);
      expect(await activeId(page)).toBe('form-summary');
      audits.push(await auditState(page, 'field-errors'));

      // Too many applications from one network (429): how long to wait, the form kept.
      await fillApplicant(page, { email: 'zhangsan@example.cn' });
      await page.route('**/public/applications', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 429,
              headers: { 'content-type': 'application/json', 'retry-after': '1800', 'access-control-allow-origin': '*', 'access-control-expose-headers': 'retry-after' },
              body: JSON.stringify({ error: { code: 'TooManyRequestsError', zh: '提交过于频繁。', en: 'Too many requests.' } }),
            })
          : route.fallback(),
      );
      await page.click('#submit');
      await page.locator('#form-summary', { hasText: '约 30 分钟后再试' }).waitFor();
      expect(await activeId(page)).toBe('form-summary');
      expect(await page.inputValue('#f-idNumber')).toBe(ID_NUMBER);
      audits.push(await auditState(page, 'too-many'));
      await page.unroute('**/public/applications');

      // The document finder: the body's filed 依申请公开 documents by title and number; choosing one names it.
      await page.fill('#f-doc-q', '排污许可');
      await page.click('#doc-search');
      const choose = page.getByRole('button', { name: `选择：${FILED_TITLE}` });
      await choose.waitFor();
      expect(await page.textContent('#doc-results-status')).toContain('找到 1 件');
      audits.push(await auditState(page, 'document-finder'));
      await choose.click();
      expect(await page.inputValue('#f-documentId')).toBe(filedId);
      expect(await page.textContent('#f-documentId-chosen')).toContain(FILED_TITLE);
      expect(await activeId(page)).toBe('f-documentId');

      // The identity document's copy: declared with the application, uploaded after it.
      const copy = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('身份证复印件'), 0xff, 0xd9]);
      await page.setInputFiles('#f-idCopy', { name: 'id.jpg', mimeType: 'image/jpeg', buffer: copy });

      // A good one: the request is ApplicationInput with no empty optional.
      const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/public/applications'));
      await page.click('#submit');
      const body = (await sent).postDataJSON() as Record<string, unknown> & { applicant: Record<string, unknown>; request: Record<string, unknown> };
      expect((await sent).headers()['authorization']).toBeUndefined();
      expect(body).toEqual({
        body: BODY,
        applicant: { type: '公民', name: '张三', idType: '居民身份证', idNumber: ID_NUMBER, phone: '0571-12345678', email: 'zhangsan@example.cn' },
        request: { description: DESCRIPTION, documentId: filedId },
        delivery: '电子邮件',
        format: '电子文档',
        idCopy: { fileName: 'id.jpg', contentType: 'image/jpeg', size: copy.length },
      });
      await page.locator('#receipt').waitFor({ state: 'visible' });
      await page.locator('#receipt-upload', { hasText: '身份证明复印件已上传' }).waitFor();
      expect(await page.isVisible('#form-summary')).toBe(false);
      code = (await page.textContent('#tracking-code'))!.trim();
      expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(await page.textContent('#receipt')).toContain('妥善保存跟踪码');
      expect(await page.textContent('#receipt-received')).toBe(RECEIVED_ON);
      expect(await page.textContent('#receipt-due')).toContain('20 个工作日');
      dueOn = (await page.getAttribute('#receipt-due', 'data-due-on'))!;
      expect(dueOn).toBe(DUE_ON);
      expect(await page.textContent('#receipt-due')).toContain(`答复期限：${DUE_ON}`);
      expect(await activeId(page)).toBe('receipt-heading');
      audits.push(await auditState(page, 'receipt'));

      // The tracking page, by the receipt's link (track.html#<code>).
      const tracked = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith(`/public/applications/${code}`));
      await page.click('#receipt-link');
      const response = await tracked;
      expect(new URL(page.url()).pathname).toBe(`/${topology.web.prefix}apply/track.html`);
      expect(new URL(page.url()).hash).toBe(`#${code}`);
      const apiText = await response.text();
      expect(apiText).not.toContain(ID_NUMBER);
      expect(apiText).not.toContain('1990030712');
      await page.locator('#t-status[data-status="RECEIVED"]').waitFor();
      expect(await page.textContent('#t-status')).toContain('已登记');
      expect(await page.getAttribute('#t-due', 'data-due-on')).toBe(dueOn);
      expect(await page.textContent('#t-due')).toContain(dueOn);
      expect(await page.textContent('#t-body')).toBeTruthy();
      expect(await page.textContent('#t-description')).toBe(DESCRIPTION);
      expect(await page.locator('#t-steps > li').count()).toBeGreaterThan(0);
      expect(await page.isVisible('#completion')).toBe(false);
      expect(await page.isVisible('#withdraw-form')).toBe(true);
      expect(await page.content()).not.toContain(ID_NUMBER);
      expect(await unlabeled(page)).toEqual([]);
      audits.push(await auditState(page, 'tracked'));

      // The information centre asks for 补正: the page lists the items and takes the supplement.
      const office = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
      const { applications } = await office.listApplications(BODY);
      const summary = applications.find((a) => a.description === DESCRIPTION.slice(0, 80))!;
      expect(summary).toBeTruthy();
      const view = await office.getApplication(summary.id);
      // The office sees the copy the browser uploaded, byte for byte.
      expect(view.idCopy).toMatchObject({ fileName: 'id.jpg', uploaded: true, size: copy.length });
      expect(Buffer.from(await (await fetch(view.idCopy!.url!)).arrayBuffer())).toEqual(copy);
      await office.stepApplication(summary.id, view.version, {
        step: 'request-completion',
        items: ['请写明所需资金发放情况的具体乡镇', '请说明所需信息的时间范围'],
        workingDays: 15,
      });
      await page.reload();
      await page.locator('#t-status[data-status="AWAITING_COMPLETION"]').waitFor();
      expect(await page.locator('#completion-items > li').allTextContents()).toEqual(['请写明所需资金发放情况的具体乡镇', '请说明所需信息的时间范围']);
      expect(await page.getAttribute('#t-due', 'data-kind')).toBe('stopped');
      expect(await page.textContent('#t-due')).toContain('补正');
      await page.click('#complete');
      await page.locator('#f-supplement-error').waitFor();
      expect(await page.getAttribute('#f-supplement', 'aria-invalid')).toBe('true');
      expect(await activeId(page)).toBe('complete-summary');
      audits.push(await auditState(page, 'completion-error'));

      await page.fill('#f-supplement', '需要北城街道 2024 年 1 月至 12 月的发放情况。');
      await page.click('#complete');
      await page.locator('#t-status[data-status="RECEIVED"]').waitFor();
      expect(await page.isVisible('#completion')).toBe(false);
      expect(await page.getAttribute('#t-due', 'data-kind')).toBe('due');
      expect(await page.textContent('#t-steps')).toContain('已收到补正');
      audits.push(await auditState(page, 'completed'));

      // Withdrawal, with a reason; the page re-renders from the answer.
      await page.fill('#f-reason', '已从其他渠道获得所需信息。');
      await page.click('#withdraw-button');
      await page.locator('#t-status[data-status="WITHDRAWN"]').waitFor();
      expect(await page.isVisible('#withdraw')).toBe(false);
      expect(await page.getAttribute('#t-due', 'data-kind')).toBe('closed');
      expect(await page.textContent('#t-steps')).toContain('申请人已撤回申请');
      audits.push(await auditState(page, 'withdrawn'));

      // An unknown code: the API's message beside the field.
      await page.fill('#f-code', 'ZZZZ-ZZZZ-ZZZZ-ZZZZ');
      await page.click('#lookup');
      await page.locator('#f-code-error').waitFor();
      expect(await page.textContent('#f-code-error')).toContain('找不到该跟踪码对应的申请');
      expect(await page.isVisible('#result')).toBe(false);
      audits.push(await auditState(page, 'not-found'));
    } finally {
      await page.context().close();
    }
    // With the bodies listed in config.json, 受理机关 is a select of them (?body= chosen).
    const listed = await auditedPage();
    try {
      await listed.page.route('**/app/config.json', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            apiUrl: stack.apiUrl,
            bodies: [
              { id: 'county', name: '示例县人民政府' },
              { id: 'fgw', name: '示例县发展和改革局' },
            ],
          }),
        }),
      );
      await listed.page.goto(appUrl('index.html?body=fgw'));
      await listed.page.locator('select#f-body').waitFor();
      expect(await listed.page.inputValue('#f-body')).toBe('fgw');
      expect(await listed.page.locator('#f-body option').allTextContents()).toEqual(['请选择', '示例县人民政府', '示例县发展和改革局']);
      expect(await unlabeled(listed.page)).toEqual([]);
      audits.push(await auditState(listed.page, 'bodies-listed'));
    } finally {
      await listed.page.context().close();
    }
    expect([...errors, ...listed.errors]).toEqual([]);
    // The tracking API never answers the identity number, whoever asks.
    expect(JSON.stringify(await stack.drafter.trackApplication(code))).not.toContain(ID_NUMBER);
    // Nothing but the local site and API (no outside hosts).
    expect([...hosts].every((h) => h === '127.0.0.1' || h === 'localhost')).toBe(true);
    await expectNoProblems(audits);
  }, 240_000);
});

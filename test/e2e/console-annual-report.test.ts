import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GongkaiClient } from '#client/gongkai';
import { topology } from '#shared/topology';
import { signedInConsole } from '../support/console.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { auditState, listSite, problemsOf, readSite, type StateAudit } from '../support/site-audit.ts';

/**
 * The annual report in the console (web/console/annual-report.js), in Chromium against a local
 * stack: the information centre opens the draft report of 2026, sees the computed cells
 * read-only marked 系统计算 (an application answered 予以公开 counted), enters a cell and a text
 * section and saves at the version read (填报人 and time shown); when someone else saved in
 * between, the 409 is shown and the report reloaded. The hook for 'submit for approval' is
 * there. Every state: valid HTML, no axe finding of any impact, usable at 375 px and 200 % text.
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package or set GONGKAI_CHROMIUM.`);

const BODY = 'county';
const YEAR = '2026';
let stack: TestStack;
let browser: Browser;
const pageErrors: string[] = [];
const hosts = new Set<string>();
const audits: StateAudit[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  // One application received and answered 予以公开 this year, by a citizen.
  const office = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  const app = await office.registerApplication({
    channel: '当面',
    receivedOn: `${YEAR}-01-05`,
    application: {
      body: BODY,
      applicant: { type: '公民', name: '张三', idType: '居民身份证', idNumber: '11010119900307123X', phone: '0359-1234567' },
      request: { description: '请公开本县 2025 年度政府信息公开工作年度报告的编制情况' },
      delivery: '当面领取',
      format: '纸质文本',
    },
  });
  const proposed = await office.stepApplication(app.id, app.version, { step: 'propose', answer: { type: '予以公开', given: '提供编制说明' } });
  await stack.approver.stepApplication(app.id, proposed.version, { step: 'approve' });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

const watch = { pageErrors, hosts };
const signedIn = async (token: string): Promise<Page> => (await signedInConsole(browser, stack.siteUrl, token, watch)).page;
const cell = (page: Page, id: string) => page.locator(`td[data-cell="${id}"]`);

describe('the annual report in the console', () => {
  it('shows computed cells read-only, saves entered ones with who and when, and reloads on a conflict', async () => {
    const page = await signedIn('dev-infocenter');
    await page.getByRole('link', { name: /年度报告/ }).click();
    await page.locator('#annual-reports').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#nav-annual-reports', 'aria-current')).toBe('page');
    await page.selectOption('#ar-body', BODY);
    await page.fill('#ar-year', YEAR);
    await page.getByRole('button', { name: '打开报告' }).click();
    await page.locator('#ar-report').waitFor({ state: 'visible' });
    await expect.poll(() => page.textContent('#ar-meta')).toContain('第 0 版');

    // Computed: read-only, marked; the application answered this year is counted.
    expect(await cell(page, '三.disclosed.person').locator('.value').textContent()).toBe('1');
    expect(await cell(page, '三.disclosed.person').textContent()).toContain('系统计算');
    expect(await cell(page, '三.disclosed.person').locator('input').count()).toBe(0);
    expect(await cell(page, '二.normative.issued').textContent()).toContain('系统计算');
    expect(await cell(page, '四.reconsideration.total').textContent()).toContain('系统计算');
    // Entered: an input, labelled.
    await expect.poll(() => page.getByLabel('行政许可 本年处理决定数量').count()).toBe(1);
    expect(await page.locator('#ar-submit-hook[data-hook="submit-for-approval"]').count()).toBe(1);
    // The reminder: the report on last year is not published, so the body is listed with its link.
    expect(await page.textContent('#ar-due')).toContain('尚未发布');
    audits.push(await auditState(page, 'report-draft'));

    await page.getByLabel('行政许可 本年处理决定数量').fill('12');
    await page.getByLabel('行政复议 结果维持').fill('2');
    await page.getByLabel('一、总体情况').fill('2026年，本县认真贯彻落实《中华人民共和国政府信息公开条例》。');
    await page.click('#ar-save');
    await expect.poll(() => page.textContent('#ar-meta')).toContain('第 1 版');
    expect(await cell(page, '二.licensing.decisions').textContent()).toContain('填报人：刘洋（信息中心）');
    expect(await cell(page, '四.reconsideration.total').locator('.value').textContent()).toBe('2');
    expect(await page.textContent('#ar-texts')).toContain('填报人：刘洋（信息中心）');
    audits.push(await auditState(page, 'report-saved'));

    // Someone else saves meanwhile: this page's save is refused (409) and the report reloaded.
    await new GongkaiClient(stack.apiUrl, 'dev-infocenter').saveAnnualReport(BODY, YEAR, { version: 1, cells: { '二.penalty.decisions': 5 } });
    await page.getByLabel('行政强制 本年处理决定数量').fill('3');
    await page.click('#ar-save');
    await page.locator('#error').waitFor({ state: 'visible' });
    expect(await page.textContent('#error')).toContain('409');
    await expect.poll(() => page.textContent('#ar-meta')).toContain('第 2 版');
    expect(await page.getByLabel('行政处罚 本年处理决定数量').inputValue()).toBe('5');
    audits.push(await auditState(page, 'report-conflict'));

    // Submitting the saved version freezes it: no more inputs, and the status says so.
    await page.click('#ar-submit');
    await expect.poll(() => page.textContent('#ar-meta')).toContain('已报送审批');
    expect(await page.locator('#ar-report input:not([disabled]), #ar-report textarea:not([disabled])').count()).toBe(0);
    expect(await page.locator('#ar-submit').isHidden()).toBe(true);
    expect(await page.textContent('#status')).toContain('已报送审批');
    audits.push(await auditState(page, 'report-submitted'));
    await page.context().close();

    expect(pageErrors).toEqual([]);
    expect([...hosts].every((h) => h === '127.0.0.1')).toBe(true);
    const keys = (await listSite(stack.s3, stack.names.buckets.site, `${topology.web.prefix}console/`)).filter((k) => k.endsWith('.html'));
    const problems = await problemsOf(audits, await readSite(stack.s3, stack.names.buckets.site, keys));
    const report = Object.entries(problems)
      .filter(([, found]) => found.length > 0)
      .map(([check, found]) => `console annual report — ${check} (${found.length}):\n${found.slice(0, 20).join('\n')}`);
    expect(report.length, report.join('\n\n')).toBe(0);
  }, 300_000);
});

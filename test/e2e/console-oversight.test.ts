import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chinaDate, workingDaysBetween } from '#shared/calendar';
import { topology } from '#shared/topology';
import { DEFAULT_DRAFTER_UNIT, validForm } from '../support/forms.ts';
import { decideAll, submitDraft, textFile } from '../support/publish.ts';
import { sampleInterpretation } from '../support/rule-drafts.ts';
import { signedInConsole } from '../support/console.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { auditState, listSite, problemsOf, readSite, type StateAudit } from '../support/site-audit.ts';

/**
 * 监督考核 in the console (web/console/oversight.js), in Chromium against a local stack: after two
 * real publications (one on time with a text interpretation, one late), the information centre
 * picks the body and the year and reads the body's table and its drafting unit's — each share as
 * 分子/分母 and %, the 90 % target marked — and downloads the CSV (UTF-8 with its BOM). Every
 * state: valid HTML, no axe finding of any impact, usable at 375 px and 200 % text.
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package or set GONGKAI_CHROMIUM.`);

const BODY = 'county';
const YEAR = chinaDate(new Date()).slice(0, 4);
let stack: TestStack;
let browser: Browser;
const pageErrors: string[] = [];
const audits: StateAudit[] = [];

function workingDaysAgo(n: number): string {
  const today = chinaDate(new Date());
  let d = today;
  while (workingDaysBetween(d, today) < n) d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return d;
}

beforeAll(async () => {
  stack = await startTestStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const title = '关于做好冬季供暖保障工作的通知';
  const onTime = await submitDraft(
    stack.drafter,
    validForm({ title, documentNumber: undefined, documentDate: workingDaysAgo(5), isPolicy: true, interpretation: { mode: 'attached', format: '文字' } }),
    textFile(`${title}\n为做好有关工作，现将有关事项通知如下。\n一、各单位要高度重视，认真组织实施。\n`),
    textFile(sampleInterpretation(), 'interpretation.txt'),
  );
  const late = await submitDraft(
    stack.drafter,
    validForm({ title: '关于推进政务公开标准化工作的通知', documentNumber: undefined, documentDate: '2024-03-01' }),
    textFile('关于推进政务公开标准化工作的通知\n为做好有关工作，现将有关事项通知如下。\n'),
  );
  const views = await decideAll(
    stack,
    new Map([
      [onTime, 'approve'],
      [late, 'approve'],
    ] as const),
  );
  for (const v of views.values()) expect(v.status, JSON.stringify(v.findings)).toBe('PUBLISHED');
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

const hosts = new Set<string>();
const signedIn = async (token: string): Promise<Page> => (await signedInConsole(browser, stack.siteUrl, token, { pageErrors, hosts })).page;

const cells = (page: Page, table: string, name: string) =>
  page.locator(`#${table} tr[data-name="${name}"] td`).evaluateAll((tds) => tds.map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()));

describe('监督考核 in the console', () => {
  it('shows the body and each unit with every share as 分子/分母 and %, the target marked, and the CSV', async () => {
    const page = await signedIn('dev-infocenter');
    await page.getByRole('link', { name: /监督考核/ }).click();
    await page.locator('#oversight').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#nav-oversight', 'aria-current')).toBe('page');
    audits.push(await auditState(page, 'oversight-empty'));

    await page.selectOption('#ov-body-select', BODY);
    await page.fill('#ov-year', YEAR);
    await page.getByRole('button', { name: /查看/ }).click();
    await page.locator('#ov-body-table').waitFor();
    const body = await page.locator('#ov-body-table tbody tr').first().getAttribute('data-name');
    for (const [table, name] of [
      ['ov-body-table', body!],
      ['ov-units-table', DEFAULT_DRAFTER_UNIT],
    ] as const) {
      const c = await cells(page, table, name);
      expect(c[0]).toBe('1/2 50.0%'); // on time / countable
      expect(c[1]).toBe('1'); // late
      expect(c[3]).toBe('1/1 100.0%'); // policy documents with their interpretation
      expect(c[4]).toBe('0/1 0.0%（未达 90% 目标）'); // diversified, against the target
    }
    expect(await page.textContent('#ov-meta')).toContain('目标 90%');
    // The link is shown once the CSV is fetched (after the tables): wait for it as a user does.
    await page.locator('#ov-csv').waitFor({ state: 'visible' });
    const href = (await page.getAttribute('#ov-csv', 'href'))!;
    const bytes = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url)).arrayBuffer())], href);
    const csv = { download: await page.getAttribute('#ov-csv', 'download'), head: bytes.slice(0, 3), text: new TextDecoder().decode(new Uint8Array(bytes)) };
    expect(csv.download).toBe(`oversight-${BODY}-${YEAR}.csv`);
    expect(csv.head).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text).toContain('公开主体,范围,名称,年度');
    audits.push(await auditState(page, 'oversight-report'));
    await page.context().close();

    expect(pageErrors).toEqual([]);
    const keys = (await listSite(stack.s3, stack.names.buckets.site, `${topology.web.prefix}console/`)).filter((k) => k.endsWith('.html'));
    const problems = await problemsOf(audits, await readSite(stack.s3, stack.names.buckets.site, keys));
    const report = Object.entries(problems)
      .filter(([, found]) => found.length > 0)
      .map(([check, found]) => `console oversight — ${check} (${found.length}):\n${found.slice(0, 20).join('\n')}`);
    expect(report.length, report.join('\n\n')).toBe(0);
  }, 300_000);
});

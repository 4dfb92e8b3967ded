import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { annualReportPage, annualReportsColumn } from '#shared/render/annual-report';
import { sectionOf, TOP_SECTION } from '#shared/render/site';
import { axeAudit, describeAxe, describeHtmlErrors, describeOverflow, horizontalOverflow, overflows, validateHtml, type SiteFiles } from '../support/site-audit.ts';
import { reportFixture } from '../support/annual-report-fixture.ts';

/**
 * The published 年度报告 page and the 年度报告 column (issue 13), as publish-document and
 * render-site write them: valid HTML (vnu), no axe violation of any impact in Chromium, and
 * readable on a 375 px phone (the wide tables scroll inside their own region).
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
const ctx = { bodyName: '运城市盐湖区发展和改革局' };
const section = sectionOf({ id: 'fgw', name: ctx.bodyName, contact: { office: '盐湖区发展和改革局办公室', address: '运城市盐湖区人民路1号', phone: '0359-2000000' } });
const enc = (s: string) => new TextEncoder().encode(s);
const pages: SiteFiles = new Map([
  ['bodies/fgw/columns/report/2026.html', enc(annualReportPage(reportFixture(), ctx, section))],
  [
    'columns/report/2025.html',
    enc(annualReportPage(reportFixture({ year: '2025', status: 'PUBLISHED', publishedAt: '2026-01-20T02:00:00.000Z' }), { bodyName: TOP_SECTION.name })),
  ],
  [
    'bodies/fgw/columns/report/index.html',
    enc(
      annualReportsColumn(
        [
          { year: '2026', title: `${ctx.bodyName}2026年政府信息公开工作年度报告`, publishedAt: '2027-01-20T02:00:00Z', pdfBytes: 90_000 },
          { year: '2025', title: `${ctx.bodyName}2025年政府信息公开工作年度报告`, publishedAt: '2026-01-20T02:00:00Z' },
        ],
        section,
        { rows: [{ year: '2026', published: 3, filed: 1, reviewed: 0, converted: 0, withdrawn: 0 }], generatedAt: '2027-01-20T02:00:00Z' },
      ),
    ),
  ],
]);

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('the annual report page', () => {
  it('is valid HTML', async () => {
    const errors = await validateHtml(pages);
    expect(errors, describeHtmlErrors(errors)).toEqual([]);
  }, 120_000);

  it('is axe clean and readable on a phone', async () => {
    for (const [key, bytes] of pages) {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } });
      const page = await context.newPage();
      await page.setContent(new TextDecoder().decode(bytes), { waitUntil: 'load' });
      const violations = await axeAudit(page);
      expect(violations, `${key}\n${describeAxe(violations)}`).toEqual([]);
      const overflow = await horizontalOverflow(page);
      expect(overflows(overflow), describeOverflow([overflow])).toBe(false);
      await context.close();
    }
  }, 120_000);
});

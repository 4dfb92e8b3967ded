import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GongkaiClient } from '#client/gongkai';
import { runAs } from '#infra/local/grants';
import { reportsDue } from '#shared/annual-report-reminder';
import { siteConfig } from '#shared/site/config';
import { apiError } from '../support/api.ts';
import { decideAll, siteObjects, SETTLED } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 13 part 2: the annual report published like any document. The information centre enters
 * and submits the reports on 2024 and 2025; each becomes a 主动公开 draft of the body that the
 * rulebook checks and an approver approves; both then stand in the body's 年度报告 column (newest
 * first) with their pages and PDFs. A report with a secrecy mark in a text section is refused by
 * the rulebook (ATTR-5), one with a resident ID number at submission; the reminder lists the body
 * until its report is published.
 */
const BODY = siteConfig.bodyId;
let stack: TestStack;
let infocenter: GongkaiClient;

beforeAll(async () => {
  stack = await startTestStack();
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
});

async function enter(year: string, overview: string) {
  const blank = await infocenter.getAnnualReport(BODY, year);
  return infocenter.saveAnnualReport(BODY, year, {
    version: blank.version,
    cells: { '二.rules.issued': 0, '二.licensing.decisions': 37, '二.fees.amount': 0, '四.reconsideration.upheld': 2, '四.litigationDirect.corrected': 1 },
    sections: { overview, problems: `${year}年政策解读形式还不够丰富。\n下一步将增加图解解读。`, other: '本年度未收取信息处理费。' },
  });
}

async function settle(id: string) {
  for (let i = 0; i < 300; i++) {
    const d = await stack.approver.getDraft(id);
    if (SETTLED.includes(d.status)) return d;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`draft ${id} not settled`);
}

describe('annual report through approval', () => {
  it('is submitted, approved and listed with its PDF; an earlier year stays listed', async () => {
    const before = await runAs('watch-applications', () => reportsDue('2026-01-05'));
    expect(before?.missing.map((b) => b.id)).toContain(BODY);
    // The same through the API, on today (December 2026: the report on 2025 is overdue until published).
    const due = await infocenter.listReportsDue();
    expect(due).toMatchObject({ year: '2025', deadline: '2026-01-31', overdue: true });
    expect(due.missing.find((b) => b.id === BODY)?.status).toBe('NONE');
    expect((await apiError(stack.drafter.listReportsDue())).status).toBe(403);

    const drafts = new Map<string, string>();
    for (const year of ['2024', '2025']) {
      const saved = await enter(year, `${year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息。`);
      const sub = await infocenter.submitAnnualReport(BODY, year, saved.version);
      expect(sub.report.status).toBe('SUBMITTED');
      // Frozen: no entry is taken while it is in approval.
      expect((await apiError(infocenter.saveAnnualReport(BODY, year, { version: sub.report.version, sections: { other: '改动' } }))).status).toBe(409);
      drafts.set(year, sub.draftId);
    }
    const views = await decideAll(stack, new Map([...drafts.values()].map((id) => [id, 'approve' as const])));
    for (const id of drafts.values()) expect(views.get(id)?.status).toBe('PUBLISHED');
    const d = views.get(drafts.get('2025')!)!;
    expect(d.form).toMatchObject({ documentType: '报告', attribute: '主动公开' });
    expect(d.findings.filter((f) => f.severity === 'block')).toEqual([]);

    for (const year of ['2024', '2025']) expect((await infocenter.getAnnualReport(BODY, year)).status).toBe('PUBLISHED');
    const after = await runAs('watch-applications', () => reportsDue('2026-01-05'));
    expect(after?.missing.map((b) => b.id)).not.toContain(BODY);
    expect((await infocenter.listReportsDue()).missing.map((b) => b.id)).not.toContain(BODY);

    // The column lists both, newest first, each with its page and PDF.
    let site = await siteObjects(stack);
    for (let i = 0; i < 50 && !site.get('columns/report/index.html')?.text.includes('2024.html'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      site = await siteObjects(stack);
    }
    const column = site.get('columns/report/index.html')!.text;
    expect(column.indexOf('2025.html')).toBeGreaterThan(-1);
    expect(column.indexOf('2025.html')).toBeLessThan(column.indexOf('2024.html'));
    expect(column).toContain('href="2024.pdf"');
    const page = site.get('columns/report/2025.html')!;
    expect(page.contentType).toContain('text/html');
    expect(page.text).toContain('<caption>收到和处理政府信息公开申请情况</caption>');
    expect(page.text).toContain('<th scope="colgroup" id="t3-org" colspan="5">法人或其他组织</th>');
    expect(page.text).toContain('2025年，本机关认真贯彻落实');
    const pdf = site.get('columns/report/2025.pdf')!;
    expect(pdf.contentType).toBe('application/pdf');
    expect(new TextDecoder().decode(pdf.bytes.slice(0, 5))).toBe('%PDF-');
    expect(site.has('columns/report/2024.pdf')).toBe(true);

    // Withdrawing the 2024 report's document takes it out of the column at once: the page is the
    // withdrawal notice, the PDF is gone, and the report is back with the office as a DRAFT.
    await stack.approver.withdraw(drafts.get('2024')!, '年度报告数据有误，更正后重新发布。');
    // The site run has finished with it once the document reads WITHDRAWN (no object is deleted under the reads below).
    await expect.poll(async () => (await stack.approver.getDraft(drafts.get('2024')!)).status, { timeout: 30_000 }).toBe('WITHDRAWN');
    site = await siteObjects(stack);
    expect(site.has('columns/report/2024.pdf')).toBe(false);
    expect(site.get('columns/report/2024.html')!.text).not.toContain('2024年，本机关认真贯彻落实');
    expect(site.get('columns/report/index.html')!.text).not.toContain('2024.html');
    expect(site.get('columns/report/index.html')!.text).toContain('2025.html');
    expect((await infocenter.getAnnualReport(BODY, '2024')).status).toBe('DRAFT');
  }, 240_000);

  it('a secrecy mark in a text section is refused by the rulebook; an ID number at submission', async () => {
    const saved = await enter('2023', '秘密★1年\n2023年本机关政务公开工作情况如下。');
    const sub = await infocenter.submitAnnualReport(BODY, '2023', saved.version);
    const d = await settle(sub.draftId);
    expect(d.status).toBe('REJECTED');
    expect(d.findings.some((f) => f.ruleId === 'ATTR-5' && f.severity === 'block')).toBe(true);
    const site = await siteObjects(stack);
    expect(site.has('columns/report/2023.html')).toBe(false);
    // Back to the office as a DRAFT, to be corrected and submitted again.
    await expect.poll(async () => (await infocenter.getAnnualReport(BODY, '2023')).status, { timeout: 10_000 }).toBe('DRAFT');
    expect([...site.values()].some((o) => o.text.includes('2023年本机关政务公开工作情况'))).toBe(false);
    // Classified: the office's text is removed from the report as the draft's files were.
    const back = await infocenter.getAnnualReport(BODY, '2023');
    expect(JSON.stringify(back.sections)).not.toContain('2023年本机关政务公开工作情况');

    const withId = await enter('2022', '联系人身份证号110101199003071233，2022年工作情况。');
    const err = await apiError(infocenter.submitAnnualReport(BODY, '2022', withId.version));
    expect(err.status).toBe(400);
    expect((await infocenter.getAnnualReport(BODY, '2022')).status).toBe('DRAFT');
  }, 120_000);
});

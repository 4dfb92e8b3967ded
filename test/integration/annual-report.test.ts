import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GongkaiClient, type AnnualReportView } from '#client/gongkai';
import { resetClock, setClock } from '#shared/clock';
import { runAs } from '#infra/local/grants';
import { draftReport, loadReport, setReportStatus } from '#shared/annual-reports';
import { ConflictError } from '#shared/errors';
import { siteConfig } from '#shared/site/config';
import { apiError } from '../support/api.ts';
import { validForm } from '../support/forms.ts';
import { decideAll, submitDraft, textFile } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 13: the annual report (国办公开办函〔2021〕30号) of the top body on 2025, through the API
 * on the emulators. A year of events — applications of every applicant column received from
 * 2023 to 2026, every answer type and sub-type decided on days moved with the clock, withdrawals
 * by the office and by the applicant (one across midnight of 31 December in China), some carried
 * in from 2024 and out into 2026; normative documents issued, expired, repealed and amended —
 * and every computed cell of tables 二 and 三 checked against counts written out by hand below
 * (not computed by the code under test). Then the office's entries with who and when, a
 * computed cell refused, a stale version refused, and another body's staff kept out.
 */

const BODY = siteConfig.bodyId;
const YEAR = '2025';
let stack: TestStack;
let infocenter: GongkaiClient;
let publicClient: GongkaiClient;

beforeAll(async () => {
  stack = await startTestStack();
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  publicClient = new GongkaiClient(stack.apiUrl, 'no-token');
}, 120_000);
afterEach(() => resetClock());
afterAll(async () => {
  resetClock();
  await stack?.cleanup();
});

/** Moves the clock to `iso` (it runs on from there). */
function at(iso: string): void {
  const base = Date.parse(iso);
  const t0 = Date.now();
  setClock(() => new Date(base + (Date.now() - t0)));
}

// --- The applications ---------------------------------------------------------------------------

const COLUMNS = ['person', 'business', 'research', 'welfare', 'legal', 'other'] as const;
type Column = (typeof COLUMNS)[number];
const KIND: Record<Exclude<Column, 'person'>, string> = { business: '商业企业', research: '科研机构', welfare: '社会公益组织', legal: '法律服务机构', other: '其他' };

const withheld = (ground: string) => [{ what: '涉及的部分内容', ground, reason: '该部分属于条例规定不予公开的情形' }];
/** Every row of (一)–(六) but the withdrawal, with an answer that belongs in it. */
const ANSWERS: [row: string, answer: Record<string, unknown>][] = [
  ['disclosed', { type: '予以公开', given: '提供项目资金安排表' }],
  ['partial', { type: '部分公开', given: '提供名单，隐去个人信息', withheld: withheld('third-party') }],
  ...['secret', 'law-forbids', 'security', 'third-party', 'internal', 'process', 'enforcement', 'query'].map((g): [string, Record<string, unknown>] => [
    `withheld.${g}`,
    { type: '不予公开', withheld: [...withheld(g), ...withheld('secret')] },
  ]),
  ...['not-held', 'needs-making', 'unclear'].map((r): [string, Record<string, unknown>] => [
    `unavailable.${r}`,
    { type: '无法提供', reason: r, explanation: '经检索，情况说明如下' },
  ]),
  ...['petition', 'repeated', 'publication', 'excessive', 'confirm'].map((r): [string, Record<string, unknown>] => [
    `notProcessed.${r}`,
    { type: '不予处理', reason: r, explanation: '依照条例规定不予处理' },
  ]),
  ...['not-completed', 'fee-unpaid', 'other'].map((r): [string, Record<string, unknown>] => [
    `otherHandling.${r}`,
    { type: '其他处理', reason: r, explanation: '依照条例规定处理' },
  ]),
];

interface Case {
  readonly received: string;
  readonly column: Column;
  /** Decided (the approval) at this instant with this answer; or withdrawn at the instant (by the office, or by the applicant). */
  readonly decide?: { readonly at: string; readonly answer: Record<string, unknown> };
  readonly withdraw?: { readonly at: string; readonly by: 'office' | 'applicant' };
  /** The rows of table 三 of 2025 it counts in, written out by hand. */
  readonly rows: readonly string[];
}

const CASES: Case[] = [
  // Received in 2024 and before: answered in 2025 (carried in), in 2024 (not in 2025's table), or open all year.
  { received: '2024-11-04', column: 'person', decide: { at: '2025-01-06T02:00:00Z', answer: ANSWERS[0]![1] }, rows: ['carriedIn', 'disclosed', 'answered'] },
  { received: '2024-12-16', column: 'business', decide: { at: '2024-12-30T02:00:00Z', answer: ANSWERS[0]![1] }, rows: [] },
  { received: '2024-12-20', column: 'research', withdraw: { at: '2025-01-03T03:00:00Z', by: 'office' }, rows: ['carriedIn', 'otherHandling.other', 'answered'] },
  { received: '2024-12-27', column: 'welfare', decide: { at: '2026-01-08T02:00:00Z', answer: ANSWERS[1]![1] }, rows: ['carriedIn', 'carriedOut'] },
  { received: '2023-06-01', column: 'legal', rows: ['carriedIn', 'carriedOut'] },
  // Withdrawn on 31 December 2024 at 23:30 in China: answered in 2024.
  { received: '2024-12-30', column: 'other', withdraw: { at: '2024-12-31T15:30:00Z', by: 'office' }, rows: [] },
  // Received in 2025, each answer type and sub-type decided in 2025, the columns in turn.
  ...ANSWERS.map(([row, answer], i): Case => ({
    received: `2025-${String(1 + (i % 11)).padStart(2, '0')}-${String(10 + (i % 3)).padStart(2, '0')}`,
    column: COLUMNS[i % COLUMNS.length]!,
    decide: { at: `2025-${String(1 + (i % 11)).padStart(2, '0')}-2${i % 8}T03:00:00Z`, answer },
    rows: ['new', row, 'answered'],
  })),
  // Withdrawn by the applicant (tracking code): (六)3 其他.
  { received: '2025-06-02', column: 'business', withdraw: { at: '2025-06-10T02:00:00Z', by: 'applicant' }, rows: ['new', 'otherHandling.other', 'answered'] },
  // Across the year's end: decided on 31 December at 23:00 in China (in 2025); decided in January; withdrawn at 00:30 on 1 January in China; still open.
  { received: '2025-12-31', column: 'research', decide: { at: '2025-12-31T15:00:00Z', answer: ANSWERS[0]![1] }, rows: ['new', 'disclosed', 'answered'] },
  { received: '2025-12-29', column: 'legal', decide: { at: '2026-01-05T02:00:00Z', answer: ANSWERS[2]![1] }, rows: ['new', 'carriedOut'] },
  { received: '2025-12-30', column: 'welfare', withdraw: { at: '2025-12-31T16:30:00Z', by: 'office' }, rows: ['new', 'carriedOut'] },
  { received: '2025-11-03', column: 'other', rows: ['new', 'carriedOut'] },
  { received: '2025-11-04', column: 'person', rows: ['new', 'carriedOut'] },
  // Received in 2026: not in 2025's report.
  { received: '2026-01-05', column: 'person', decide: { at: '2026-01-20T02:00:00Z', answer: ANSWERS[0]![1] }, rows: [] },
];

const applicant = (column: Column, i: number) =>
  column === 'person'
    ? { type: '公民' as const, name: `申请人${i}`, idType: '居民身份证' as const, idNumber: '14080219850612421X', phone: '0359-2021234' }
    : {
        type: '法人或其他组织' as const,
        name: `申请单位${i}`,
        organisationKind: KIND[column] as never,
        representative: '张三',
        idType: '统一社会信用代码' as const,
        idNumber: '91140800MA0K000000',
        phone: '0359-2021234',
      };

async function run(c: Case, i: number): Promise<void> {
  at(`${c.received}T02:00:00Z`);
  const app = await infocenter.registerApplication({
    channel: '信函',
    receivedOn: c.received,
    application: {
      body: BODY,
      applicant: { ...applicant(c.column, i), address: '示例县人民路 2 号' },
      request: { description: `第${i}号申请：本区有关政府信息` },
      delivery: '邮寄',
      format: '纸质文本',
    },
  });
  if (c.decide) {
    const proposed = await infocenter.stepApplication(app.id, app.version, { step: 'propose', answer: c.decide.answer as never });
    at(c.decide.at);
    await stack.approver.stepApplication(app.id, proposed.version, { step: 'approve' });
  }
  if (c.withdraw) {
    at(c.withdraw.at);
    if (c.withdraw.by === 'office') await infocenter.stepApplication(app.id, app.version, { step: 'withdraw', reason: '申请人来电撤回申请' });
    else await publicClient.applicantStep(app.trackingCode, { step: 'withdraw', reason: '已通过其他途径获得' });
  }
}

/** Table 三 as written out by hand in CASES: every row × column, 总计 the sum of the columns. */
function expectedTable3(rows: readonly { key: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) for (const col of [...COLUMNS, 'total']) out[`三.${r.key}.${col}`] = 0;
  for (const c of CASES)
    for (const row of c.rows) {
      out[`三.${row}.${c.column}`]! += 1;
      out[`三.${row}.total`]! += 1;
    }
  return out;
}

// --- The normative documents ----------------------------------------------------------------------

let serial = 0;
async function submitNormative(title: string, documentDate: string, validity: { from: string; until: string } | undefined, documentType = '行政规范性文件'): Promise<string> {
  serial++;
  return submitDraft(
    stack.drafter,
    validForm({
      title,
      documentNumber: `示规〔${documentDate.slice(0, 4)}〕${serial}号`,
      documentType: documentType as never,
      documentDate,
      ...(validity ? { validity } : {}),
      interpretation: { mode: 'not-needed', reason: '办法条文简明，无需解读' },
    }),
    textFile(
      `${title}\n第一条 为规范有关工作，结合本区实际，制定本办法。\n第二条 本办法适用于本区行政区域内的有关工作。\n${validity ? `第三条 本办法自${validity.from}起施行，有效期至${validity.until}。\n` : ''}`,
    ),
  );
}

async function reportWhen(check: (r: AnnualReportView) => boolean, timeoutMs = 30_000): Promise<AnnualReportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await infocenter.getAnnualReport(BODY, YEAR);
    if (check(r) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 300));
  }
}
const values = (r: AnnualReportView, prefix: string) =>
  Object.fromEntries(
    Object.entries(r.cells)
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, c]) => [id, c.value]),
  );

describe('the annual report of 2025', () => {
  it('counts the normative documents issued, repealed and in force (table 二)', async () => {
    const ids = {
      issued: await submitNormative('示例县价格监测管理办法', '2025-03-10', { from: '2025-04-01', until: '2030-03-31' }),
      notYet: await submitNormative('示例县平价商店管理办法', '2025-12-20', { from: '2026-01-01', until: '2028-12-31' }),
      expired: await submitNormative('示例县农贸市场管理暂行办法', '2023-02-01', { from: '2023-02-01', until: '2025-06-30' }),
      repealed: await submitNormative('示例县价格调节基金管理办法', '2022-05-01', { from: '2022-05-01', until: '2027-04-30' }),
      carried: await submitNormative('示例县公共停车收费管理办法', '2024-01-15', { from: '2024-01-15', until: '2029-01-14' }),
      amended: await submitNormative('示例县价格监测工作规则', '2021-03-01', { from: '2021-03-01', until: '2026-02-28' }),
      notice: await submitNormative('示例县关于开展价格监测工作的通知', '2025-05-01', undefined, '通知'),
    };
    const views = await decideAll(stack, new Map(Object.values(ids).map((id) => [id, 'approve' as const])));
    for (const [k, id] of Object.entries(ids)) expect(views.get(id)!.status, `${k}: ${JSON.stringify(views.get(id)!.findings)}`).toBe('PUBLISHED');
    await stack.approver.changeValidity(ids.repealed, { action: 'repeal', date: '2025-09-01', reason: '上位政策调整，本办法不再适用' });
    await stack.approver.changeValidity(ids.amended, { action: 'amend', date: '2025-10-01', replacedBy: ids.issued });

    // Issued in 2025: the two dated 2025 (not the notice); repealed in 2025: one (an amendment or an expiry is not a 废止);
    // in force on 31 December 2025: the one issued and begun in 2025 and the one of 2024.
    const expected = { '二.normative.issued': 2, '二.normative.repealed': 1, '二.normative.inForce': 2 };
    const r = await reportWhen((x) => JSON.stringify(values(x, '二.normative.')) === JSON.stringify(expected));
    expect(values(r, '二.normative.')).toEqual(expected);
    for (const id of Object.keys(expected)) expect(r.cells[id]!.source).toBe('computed');
  }, 240_000);

  it('counts every cell of table 三 from the applications, one answer once, in the year decided (China days)', async () => {
    for (const [i, c] of CASES.entries()) await run(c, i);
    resetClock();
    const r = await infocenter.getAnnualReport(BODY, YEAR);
    expect(r).toMatchObject({ body: BODY, year: YEAR, status: 'DRAFT', version: 0, stored: false, deadline: '2026-01-31' });
    // The format's 25 rows, written out: 一, 二, 三 (一)(二), (三) 1–8, (四) 1–3, (五) 1–5, (六) 1–3, (七), 四.
    const rows = ['new', 'carriedIn', ...ANSWERS.map(([row]) => row), 'answered', 'carriedOut'].map((key) => ({ key }));
    expect(rows).toHaveLength(25);
    const expected = expectedTable3(rows);
    expect(values(r, '三.')).toEqual(expected);
    // The sums the format names, and the identity 一 + 二 = (七) + 四, in every column.
    for (const col of [...COLUMNS, 'total'])
      expect(expected[`三.new.${col}`]! + expected[`三.carriedIn.${col}`]!).toBe(expected[`三.answered.${col}`]! + expected[`三.carriedOut.${col}`]!);
    expect(expected['三.new.total']).toBe(ANSWERS.length + 6);
    expect(expected['三.carriedIn.total']).toBe(4);
    expect(expected['三.answered.total']).toBe(ANSWERS.length + 4);
    expect(expected['三.carriedOut.total']).toBe(6);
    expect(expected['三.otherHandling.other.total']).toBe(3);
    for (const c of Object.entries(r.cells).filter(([id]) => id.startsWith('三.'))) expect(c[1]).toMatchObject({ source: 'computed' });
    // The next year carries in what 2025 carried out (the one received in 2026 is new there).
    const next = await infocenter.getAnnualReport(BODY, '2026');
    expect(next.cells['三.carriedIn.total']!.value).toBe(6);
    expect(next.cells['三.new.total']!.value).toBe(1);
  }, 240_000);

  it('keeps what the office enters with who and when; refuses a computed cell and a stale version; keeps other bodies out', async () => {
    at('2026-01-10T02:00:00Z');
    const first = await infocenter.saveAnnualReport(BODY, YEAR, {
      version: 0,
      cells: { '二.licensing.decisions': 126, '二.fees.amount': 1.25, '四.reconsideration.upheld': 2, '四.reconsideration.corrected': 1, '四.litigationDirect.pending': 3 },
      sections: { overview: '2025年，本县认真贯彻落实《中华人民共和国政府信息公开条例》……', other: '本年度未收取信息处理费。' },
    });
    expect(first).toMatchObject({ version: 1, status: 'DRAFT', stored: true });
    const by = { sub: 'u-infocenter', name: '刘洋（信息中心）', role: 'infocenter' };
    expect(first.cells['二.licensing.decisions']).toEqual({ source: 'entered', value: 126, by, at: expect.stringMatching(/^2026-01-10T02:00/) });
    expect(first.cells['四.reconsideration.total']).toMatchObject({ source: 'computed', value: 3 });
    expect(first.cells['四.litigationDirect.total']).toMatchObject({ source: 'computed', value: 3 });
    expect(first.sections.overview).toMatchObject({ by, at: expect.stringMatching(/^2026-01-10T02:00/) });
    expect(first.missing).toContain('二.rules.issued');
    expect(first.missing).not.toContain('二.licensing.decisions');

    // A computed cell cannot be entered: 400, naming it, in Chinese and English; nothing is saved.
    const refused = await apiError(infocenter.saveAnnualReport(BODY, YEAR, { version: 1, cells: { '三.new.person': 99, '二.penalty.decisions': 4 } }));
    expect(refused.status).toBe(400);
    const issues = (refused.body as { error: { issues: { field: string; zh: string; en: string }[] } }).error.issues;
    expect(issues).toEqual([{ field: 'cells.三.new.person', zh: expect.stringMatching(/三\.new\.person.*不能填报/), en: expect.stringMatching(/computed.*cannot be entered/) }]);

    // A later entry at the version read; the cells entered before keep their who and when.
    at('2026-01-12T03:00:00Z');
    const second = await infocenter.saveAnnualReport(BODY, YEAR, { version: 1, cells: { '二.penalty.decisions': 4, '二.licensing.decisions': 126 } });
    expect(second.version).toBe(2);
    expect(second.cells['二.penalty.decisions']).toMatchObject({ at: expect.stringMatching(/^2026-01-12T03:00/) });
    expect(second.cells['二.licensing.decisions']).toMatchObject({ at: expect.stringMatching(/^2026-01-10T02:00/) });
    // The computed cells are still computed on read.
    expect(second.cells['三.new.total']).toMatchObject({ source: 'computed', value: ANSWERS.length + 6 });

    // Someone still at version 1 is refused: 409, bilingual.
    const stale = await apiError(infocenter.saveAnnualReport(BODY, YEAR, { version: 1, cells: { '二.coercion.decisions': 1 } }));
    expect(stale.status).toBe(409);
    expect((stale.body as { error: { zh: string; en: string } }).error).toMatchObject({
      zh: expect.stringMatching(/已被他人修改/),
      en: expect.stringMatching(/changed by someone else/),
    });
    const again = await apiError(infocenter.saveAnnualReport(BODY, YEAR, { version: 0, cells: { '二.coercion.decisions': 1 } }));
    expect(again.status).toBe(409);

    resetClock();
    const read = await stack.approver.getAnnualReport(BODY, YEAR);
    expect(read.version).toBe(2);
    expect(read.cells['二.coercion.decisions']).toBeUndefined();
    expect(values(read, '三.')).toEqual(values(second, '三.'));
    const list = await infocenter.listAnnualReports(BODY);
    expect(list.reports).toEqual([{ year: YEAR, status: 'DRAFT', version: 2, updatedAt: expect.any(String), deadline: '2026-01-31' }]);

    // Another body's staff: the report does not exist for them; an approver cannot enter.
    const other = new GongkaiClient(stack.apiUrl, 'dev-infocenter-beicheng');
    expect((await apiError(other.getAnnualReport(BODY, YEAR))).status).toBe(404);
    expect((await apiError(other.listAnnualReports(BODY))).status).toBe(404);
    expect((await apiError(stack.approver.saveAnnualReport(BODY, YEAR, { version: 2, cells: { '二.coercion.decisions': 1 } }))).status).toBe(403);
    expect((await apiError(infocenter.getAnnualReport(BODY, '2099'))).status).toBe(404);
  }, 120_000);

  it('freezes the computed cells at submission, takes no entries then, and computes again when returned to draft (the store, as save-annual-report)', async () => {
    const actor = { sub: 'u-approver-li', name: '李华（政务公开办）', role: 'approver' };
    const draft = await runAs('save-annual-report', () => draftReport(BODY, YEAR, new Date()));
    expect(draft).toMatchObject({ status: 'DRAFT', version: 2 });
    const submitted = await runAs('save-annual-report', () => setReportStatus(draft, 'SUBMITTED', actor, new Date()));
    expect(submitted).toMatchObject({ status: 'SUBMITTED', version: 3, submittedBy: actor });
    const frozen = submitted.cells['三.new.total']!.value;

    // One more application of 2025 registered late: the submitted report does not move.
    await run({ received: '2025-07-01', column: 'person', decide: { at: '2025-07-15T02:00:00Z', answer: ANSWERS[0]![1] }, rows: [] }, 99);
    resetClock();
    const read = await infocenter.getAnnualReport(BODY, YEAR);
    expect(read).toMatchObject({ status: 'SUBMITTED', version: 3 });
    expect(read.cells['三.new.total']).toEqual(submitted.cells['三.new.total']);
    expect(read.cells['二.licensing.decisions']).toMatchObject({ source: 'entered', value: 126 });
    const closed = await apiError(infocenter.saveAnnualReport(BODY, YEAR, { version: 3, cells: { '二.coercion.decisions': 1 } }));
    expect(closed.status).toBe(409);
    expect((closed.body as { error: { zh: string } }).error.zh).toMatch(/报送审批，不能再修改/);

    // Returned to draft: computed again (the late application counted); entries kept.
    const returned = await runAs('save-annual-report', () => setReportStatus(submitted, 'DRAFT', actor, new Date()));
    expect(returned.cells['三.new.total']!.value).toBe(frozen + 1);
    expect(returned.cells['三.disclosed.person']!.value).toBe(read.cells['三.disclosed.person']!.value + 1);
    expect(returned.cells['二.licensing.decisions']).toMatchObject({ source: 'entered', value: 126 });
    expect(returned.submittedBy).toBeUndefined();
    // Published only from SUBMITTED; never changed after.
    await expect(runAs('save-annual-report', () => setReportStatus(returned, 'PUBLISHED', actor, new Date()))).rejects.toBeInstanceOf(ConflictError);
    const again = await runAs('save-annual-report', () => setReportStatus(returned, 'SUBMITTED', actor, new Date()));
    const published = await runAs('save-annual-report', () => setReportStatus(again, 'PUBLISHED', actor, new Date()));
    expect(published).toMatchObject({ status: 'PUBLISHED', publishedAt: expect.any(String) });
    expect((await runAs('get-annual-report', () => loadReport(BODY, YEAR)))!.cells['三.new.total']!.value).toBe(frozen + 1);
    await expect(runAs('save-annual-report', () => setReportStatus(published, 'DRAFT', actor, new Date()))).rejects.toBeInstanceOf(ConflictError);
  }, 120_000);
});

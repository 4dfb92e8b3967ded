import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GongkaiClient } from '#client/gongkai';
import { deadlineAfter, workingDaysBetween } from '#shared/calendar';
import { resetClock, setClock } from '#shared/clock';
import { ANSWER_TYPES, NOT_PROCESSED_REASONS, OTHER_REASONS, UNAVAILABLE_REASONS, WITHHOLD_GROUNDS } from '#shared/domain/application';
import { SAMPLE_BODIES } from '#infra/local/sample-bodies';
import { topology } from '#shared/topology';
import { signedInConsole } from '../support/console.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { auditState, listSite, problemsOf, readSite, type StateAudit } from '../support/site-audit.ts';

/**
 * 依申请公开 in the console (web/console/applications.js), in Chromium against a local stack:
 * the information centre registers a letter, asks for 补正, records the completion, consults a
 * third party and records its opinion, proposes 部分公开 (the API's messages beside the fields;
 * a 409 when an approver extended the deadline meanwhile reloads and says so); the proposer,
 * signed in as an approver, is refused approving their own proposal; another approver approves;
 * the centre delivers and archives. The printable 补正告知书 and 答复书 open in a sandboxed
 * frame. Then the stack's clock moves to the end of 2026 and the lists show an overdue one,
 * one due within 5 working days and one whose deadline the holiday calendar cannot count, by
 * body. Every state: valid HTML, no axe finding of any impact, usable at 375 px and 200 % text.
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set GONGKAI_CHROMIUM to its path.`);
}

const BODY = 'county';
const ID_NUMBER = '11010119900307123X';
/** The information centre's head, who also holds an approver's account (the same person: the same sub). */
const PROPOSER_AS_APPROVER = { token: 'test-liu-as-approver', sub: 'u-infocenter', name: '刘洋（信息中心）', groups: ['approver' as const], bodies: [BODY, 'fgw'] };

let stack: TestStack;
let browser: Browser;
const hosts = new Set<string>();
const pageErrors: string[] = [];
const audits: StateAudit[] = [];
let mainId = '';

/** The stack's clock (the in-process handlers read it) at 09:00 China time of `day`, running on. */
function atDay(day: string): void {
  const base = Date.parse(`${day}T01:00:00Z`);
  const t0 = Date.now();
  setClock(() => new Date(base + (Date.now() - t0)));
}
const due = (from: string, days: number): string => {
  const d = deadlineAfter(from, days);
  if (d.kind !== 'due') throw new Error(`the calendar does not cover ${from} + ${days}`);
  return d.due;
};

beforeAll(async () => {
  atDay('2026-03-02');
  stack = await startTestStack({ extraUsers: [PROPOSER_AS_APPROVER] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
  resetClock();
});

const signedIn = (token: string, options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; csp: string[] }> =>
  signedInConsole(browser, stack.siteUrl, token, { pageErrors, hosts }, options);

/** Opens the step's form (a <details>) and answers its form. */
async function openStep(page: Page, step: string) {
  const details = page.locator(`#app-steps details[data-step="${step}"]`);
  await details.locator('summary').click();
  return details.locator('form');
}

const status = (page: Page) => page.locator('#app-status').getAttribute('data-status');
const history = async (page: Page) => page.locator('#app-history tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step')));

describe('依申请公开 in the console', () => {
  it('takes a letter from registration to archive, each step by the role it belongs to', async () => {
    const office = await signedIn('dev-infocenter');
    const page = office.page;
    await page.getByRole('link', { name: /依申请公开/ }).click();
    await page.locator('#applications').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#nav-applications', 'aria-current')).toBe('page');
    await page.locator('#apps-open .empty').waitFor();
    // The centre acts for several bodies: the filter is offered.
    expect(await page.isVisible('#apps-body')).toBe(true);
    audits.push(await auditState(page, 'apps-empty'));

    // Register a letter: a bad identity number is refused beside its field, in both languages.
    await page.getByRole('button', { name: /登记来信/ }).click();
    await page.locator('#app-register').waitFor({ state: 'visible' });
    expect(await page.evaluate('document.activeElement.id')).toBe('reg-h');
    expect(await page.inputValue('#r-receivedOn')).toBe('2026-03-02');
    await page.selectOption('#r-channel', '信函');
    await page.fill('#r-receivedOn', '2026-02-27');
    await page.selectOption('#r-body', BODY);
    await page.fill('#r-name', '张三');
    await page.fill('#r-idNumber', '12345');
    await page.fill('#r-phone', '0359-1234567');
    await page.fill('#r-address', '运城市盐湖区红旗街 1 号');
    await page.fill('#r-postcode', '044000');
    await page.fill('#r-description', '请公开本区 2025 年度城乡居民最低生活保障资金的发放情况');
    await page.selectOption('#r-delivery', '邮寄');
    await page.selectOption('#r-format', '纸质文本');
    await page.click('#reg-submit');
    await page.locator('#r-idNumber-error').waitFor();
    expect(await page.textContent('#r-idNumber-error')).toContain('居民身份证号码应为 18 位');
    expect(await page.textContent('#r-idNumber-error [lang="en"]')).toContain('18 characters');
    expect(await page.getAttribute('#r-idNumber', 'aria-invalid')).toBe('true');
    expect((await page.getAttribute('#r-idNumber', 'aria-describedby'))!.split(' ')).toEqual(expect.arrayContaining(['r-idNumber-help', 'r-idNumber-error']));
    expect(await page.evaluate('document.activeElement.id')).toBe('r-idNumber');
    audits.push(await auditState(page, 'register-errors'));

    await page.fill('#r-idNumber', ID_NUMBER);
    await page.click('#reg-submit');
    await page.locator('#application').waitFor({ state: 'visible' });
    const code = (await page.textContent('#app-code'))!;
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(await page.textContent('#app-notice')).toContain(`跟踪码 ${code}`);
    expect(await page.evaluate('document.activeElement.id')).toBe('app-notice');
    mainId = new URL(page.url()).hash.replace('#applications/', '');
    const registered = await new GongkaiClient(stack.apiUrl, 'dev-infocenter').getApplication(mainId);
    expect(registered).toMatchObject({ trackingCode: code, channel: '信函', receivedOn: '2026-02-27', status: 'RECEIVED' });
    // The identity number is masked on the screen; the clock runs from the day signed for.
    expect(await page.textContent('#app-applicant [data-field="idNumber"] td')).toBe('11**************3X');
    expect(await page.content()).not.toContain(ID_NUMBER);
    expect(await page.getAttribute('#app-due', 'data-due-on')).toBe(due('2026-02-27', 20));
    expect(await history(page)).toEqual(['register']);
    // The centre's steps only: no approval, no extension (the approvers').
    const offered = await page.locator('#app-steps details').evaluateAll((d) => d.map((x) => x.getAttribute('data-step')));
    expect(offered).toEqual(['request-completion', 'consult', 'propose', 'withdraw', 'transfer']);
    expect(await page.textContent('#app-steps-note')).toContain('待审批人办理：延长答复期限');
    // The lists of the answer form are the domain's.
    const propose = page.locator('#app-steps details[data-step="propose"]');
    expect(await propose.locator('input[name="answer-type"]').evaluateAll((r) => r.map((x) => (x as unknown as { value: string }).value))).toEqual([...ANSWER_TYPES]);
    expect(await propose.locator('select[name="ground"] option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value).filter(Boolean))).toEqual(
      Object.keys(WITHHOLD_GROUNDS),
    );
    for (const [i, reasons] of [
      [3, UNAVAILABLE_REASONS],
      [4, NOT_PROCESSED_REASONS],
      [5, OTHER_REASONS],
    ] as const)
      expect(await propose.locator(`#s-reason-${i} option`).evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value).filter(Boolean))).toEqual(
        Object.keys(reasons),
      );
    audits.push(await auditState(page, 'registered'));

    // 补正: two items, 10 working days; the clock stops.
    let form = await openStep(page, 'request-completion');
    await form.getByLabel('需补正的事项 1', { exact: true }).fill('请写明所需信息的乡镇范围');
    await form.getByRole('button', { name: '添加一项' }).click();
    expect(await page.evaluate('document.activeElement.getAttribute("name")')).toBe('items');
    await form.getByLabel('需补正的事项 2', { exact: true }).fill('请说明所需信息的时间段');
    await form.getByLabel('补正期限（工作日）', { exact: true }).fill('10');
    await form.getByRole('button', { name: /发出补正告知/ }).click();
    await page.locator('#app-status[data-status="AWAITING_COMPLETION"]').waitFor();
    expect(await page.textContent('#app-notice')).toContain('已办理：补正告知');
    expect(await page.getAttribute('#app-due', 'data-kind')).toBe('stopped');
    expect(await page.textContent('#app-clock [data-field="completion"] td')).toContain('请写明所需信息的乡镇范围；请说明所需信息的时间段');

    // The 补正告知书, printable, in a sandboxed frame that runs nothing.
    await page.getByRole('button', { name: /补正告知书/ }).click();
    await page.locator('#app-doc-view').waitFor({ state: 'visible' });
    expect(await page.textContent('#app-doc-title')).toBe('政府信息公开申请补正告知书');
    expect(await page.getAttribute('#app-doc-frame', 'sandbox')).toBe('allow-same-origin allow-modals');
    const notice = page.frameLocator('#app-doc-frame');
    expect(await notice.locator('body').textContent()).toContain('请说明所需信息的时间段');
    expect(await notice.locator('body').textContent()).not.toContain(ID_NUMBER);
    audits.push(await auditState(page, 'completion-notice'));

    // The letter with the completion is signed for on 5 March: the clock starts again from it.
    atDay('2026-03-06');
    form = await openStep(page, 'complete');
    await form.getByLabel('补正的内容', { exact: true }).fill('所需范围：北城街道；时间：2025 年 1 月至 12 月。');
    await form.getByLabel(/收到补正之日/).fill('2026-03-05');
    await form.getByRole('button', { name: /登记补正/ }).click();
    await page.locator('#app-status[data-status="RECEIVED"]').waitFor();
    expect(await page.getAttribute('#app-due', 'data-due-on')).toBe(due('2026-03-05', 20));
    expect(await page.isVisible('#app-doc-view')).toBe(false);

    // 征求意见: the clock pauses; the third party answers four days later.
    form = await openStep(page, 'consult');
    await form.getByLabel('第三方', { exact: true }).fill('运城市某某物业管理有限公司');
    await form.getByRole('button', { name: /发出征求意见/ }).click();
    await page.locator('#app-status[data-status="CONSULTING"]').waitFor();
    expect(await page.getAttribute('#app-due', 'data-kind')).toBe('paused');
    expect(await page.textContent('#app-consultation-table')).toContain('运城市某某物业管理有限公司');
    atDay('2026-03-10');
    form = await openStep(page, 'consultation-reply');
    await form.getByLabel('第三方意见', { exact: true }).selectOption('不同意公开');
    await form.getByRole('button', { name: /登记意见/ }).click();
    await page.locator('#app-status[data-status="RECEIVED"]').waitFor();
    const paused = workingDaysBetween('2026-03-06', '2026-03-10');
    expect(paused).toBeGreaterThan(0);
    expect(await page.getAttribute('#app-due', 'data-due-on')).toBe(due('2026-03-05', 20 + paused));
    audits.push(await auditState(page, 'consulted'));

    // 部分公开 with a withheld row missing its content and reason: the API's messages beside them.
    form = await openStep(page, 'propose');
    await form.getByLabel('部分公开', { exact: true }).check();
    await form.getByLabel('提供的信息', { exact: true }).fill('北城街道 2025 年城乡低保资金发放汇总表。');
    await form.getByLabel('情形及依据', { exact: true }).selectOption('third-party');
    await form.getByRole('button', { name: /提交办理意见/ }).click();
    const whatError = form.locator('[id^="s-w-what-"][id$="-error"]');
    await whatError.waitFor();
    expect(await whatError.textContent()).toContain('不予公开的内容为必填项');
    expect(await whatError.locator('[lang="en"]').textContent()).toContain('What is withheld is required');
    expect(await form.locator('[id^="s-w-reason-"][id$="-error"]').textContent()).toContain('理由为必填项');
    expect(await form.locator('.form-error').isVisible()).toBe(true);
    expect(await page.evaluate('document.activeElement.getAttribute("name")')).toBe('what');
    audits.push(await auditState(page, 'propose-errors'));

    // Meanwhile an approver extends the deadline: the proposal sent at the old version is a 409,
    // and the page reloads the application and says so.
    const before = await new GongkaiClient(stack.apiUrl, 'dev-approver-li').getApplication(mainId);
    await new GongkaiClient(stack.apiUrl, 'dev-approver-li').stepApplication(mainId, before.version, { step: 'extend', workingDays: 5, reason: '需协调第三方，延长 5 个工作日。' });
    await form.getByLabel('不予公开的内容', { exact: true }).fill('低保对象的身份证号码和家庭住址');
    await form.getByLabel('具体理由', { exact: true }).fill('涉及个人隐私，第三方不同意公开。');
    await form.getByRole('button', { name: /提交办理意见/ }).click();
    await page.locator('#app-notice.notice-conflict').waitFor();
    expect(await page.textContent('#app-notice')).toContain('该申请已被他人办理，已重新载入最新内容');
    expect(await page.evaluate('document.activeElement.id')).toBe('app-notice');
    expect(await page.textContent('#app-clock [data-field="extension"] td')).toContain('延长 5 个工作日');
    expect(await page.getAttribute('#app-due', 'data-due-on')).toBe(due('2026-03-05', 25 + paused));
    expect(await status(page)).toBe('RECEIVED');
    audits.push(await auditState(page, 'conflict'));

    form = await openStep(page, 'propose');
    await form.getByLabel('部分公开', { exact: true }).check();
    await form.getByLabel('提供的信息', { exact: true }).fill('北城街道 2025 年城乡低保资金发放汇总表。');
    await form.getByLabel('不予公开的内容', { exact: true }).fill('低保对象的身份证号码和家庭住址');
    await form.getByLabel('情形及依据', { exact: true }).selectOption('third-party');
    await form.getByLabel('具体理由', { exact: true }).fill('涉及个人隐私，第三方不同意公开。');
    // The passages to redact in a Gongkai document's copy: one per line, blank lines dropped.
    await form.getByLabel('遮盖的原文段落（可选）', { exact: true }).fill('低保对象名单及身份证号码\n\n  家庭住址一览表  ');
    await form.getByRole('button', { name: /提交办理意见/ }).click();
    await page.locator('#app-status[data-status="PROPOSED"]').waitFor();
    const proposed = await new GongkaiClient(stack.apiUrl, 'dev-approver-li').getApplication(mainId);
    expect(proposed.proposal?.answer).toMatchObject({ withheld: [{ passages: ['低保对象名单及身份证号码', '家庭住址一览表'] }] });
    expect(await page.textContent('#app-proposal-meta')).toContain('刘洋（信息中心）');
    expect(await page.textContent('#app-answer .withheld')).toContain('保护第三方合法权益');
    // The centre cannot approve: no form for it, and it is said who can.
    expect(await page.locator('#app-steps details[data-step="approve"]').count()).toBe(0);
    expect(await page.textContent('#app-steps-note')).toContain('待审批人办理');

    // The proposer, signed in as an approver, is refused approving their own proposal.
    const self = await signedIn(PROPOSER_AS_APPROVER.token);
    await self.page.goto(`${stack.siteUrl}/${topology.web.prefix}console/index.html#applications/${mainId}`);
    await self.page.locator('#app-status[data-status="PROPOSED"]').waitFor();
    expect(await self.page.textContent('#app-steps-note')).toContain('提出办理意见的人不能审批自己的办理意见');
    form = await openStep(self.page, 'approve');
    await form.getByRole('button', { name: /批准，作出答复决定/ }).click();
    const refusal = form.locator('.form-error');
    await refusal.waitFor({ state: 'visible' });
    expect(await refusal.textContent()).toContain('不能审批自己提出的办理意见');
    expect(await refusal.locator('[lang="en"]').textContent()).toContain('Nobody approves their own proposal');
    expect(await self.page.evaluate('document.activeElement.classList.contains("form-error")')).toBe(true);
    expect(await status(self.page)).toBe('PROPOSED');
    expect(await self.page.locator('#app-notice.notice-conflict').count()).toBe(0);
    audits.push(await auditState(self.page, 'own-proposal-refused'));
    await self.page.context().close();

    // Another approver approves.
    const chen = await signedIn('dev-approver-chen');
    await chen.page.goto(`${stack.siteUrl}/${topology.web.prefix}console/index.html#applications/${mainId}`);
    await chen.page.locator('#app-status[data-status="PROPOSED"]').waitFor();
    form = await openStep(chen.page, 'approve');
    await form.getByLabel(/审批意见/).fill('同意部分公开。');
    await form.getByRole('button', { name: /批准，作出答复决定/ }).click();
    await chen.page.locator('#app-status[data-status="DECIDED"]').waitFor();
    expect(await chen.page.textContent('#app-decision-meta')).toContain('陈静（分管领导）');
    // The answer, printable.
    await chen.page.getByRole('button', { name: /答复书/ }).click();
    await chen.page.locator('#app-doc-view[data-kind="answer"]').waitFor();
    const answer = chen.page.frameLocator('#app-doc-frame');
    expect(await answer.locator('h1').textContent()).toBeTruthy();
    expect(await answer.locator('body').textContent()).toContain('低保对象的身份证号码和家庭住址');
    expect(await chen.page.evaluate('document.activeElement.id')).toBe('app-doc-title');
    audits.push(await auditState(chen.page, 'answer-document'));
    await chen.page.context().close();

    // The centre delivers and archives.
    await page.getByRole('button', { name: '刷新', exact: true }).click();
    await page.locator('#app-status[data-status="DECIDED"]').waitFor();
    form = await openStep(page, 'deliver');
    expect(await form.getByLabel('送达方式', { exact: true }).inputValue()).toBe('邮寄');
    await form.getByLabel('送达说明（可选）', { exact: true }).fill('挂号信 XA123456789CN');
    await form.getByRole('button', { name: /登记送达/ }).click();
    await page.locator('#app-status[data-status="DELIVERED"]').waitFor();
    form = await openStep(page, 'archive');
    await form.getByRole('button', { name: /归档/ }).click();
    await page.locator('#app-status[data-status="ARCHIVED"]').waitFor();
    expect(await page.locator('#app-steps details').count()).toBe(0);
    expect(await page.getAttribute('#app-due', 'data-kind')).toBe('closed');
    expect(await history(page)).toEqual(['register', 'request-completion', 'complete', 'consult', 'consultation-reply', 'extend', 'propose', 'approve', 'deliver', 'archive']);
    const lines = await page.locator('#app-history tr').evaluateAll((rows) => rows.map((r) => r.children[2]!.textContent));
    expect(lines[5]).toBe('李华（政务公开办）（审批人）');
    expect(lines[7]).toBe('陈静（分管领导）（审批人）');
    expect(lines[9]).toBe('刘洋（信息中心）（信息中心）');
    const archived = await new GongkaiClient(stack.apiUrl, 'dev-infocenter').getApplication(mainId);
    expect(archived.status).toBe('ARCHIVED');
    expect(archived.decision).toMatchObject({ answer: { type: '部分公开' }, approvedBy: { sub: 'u-approver-chen' }, proposedBy: { sub: 'u-infocenter' } });
    expect(archived.delivery).toMatchObject({ method: '邮寄', note: '挂号信 XA123456789CN' });
    audits.push(await auditState(page, 'archived'));
    await page.context().close();
  }, 300_000);

  it('lists what is overdue, due within 5 working days and not yet computable, by body', async () => {
    expect(mainId).toBeTruthy();
    // The last days of the calendar's last year: deadlines run into one it does not cover.
    const today = '2026-12-28';
    atDay(today);
    await new GongkaiClient(stack.apiUrl, 'dev-admin').createBody(SAMPLE_BODIES.find((b) => b.id === 'fgw')!);
    const office = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
    const input = (body: string, name: string) => ({
      body,
      applicant: { type: '公民' as const, name, idType: '居民身份证' as const, idNumber: ID_NUMBER, phone: '0359-7654321' },
      request: { description: `请公开${name}所需的政府信息（列表测试）` },
      delivery: '当面领取' as const,
      format: '纸质文本' as const,
    });
    // Received on a day whose 20 working days end within the last days of the year.
    let soonFrom = '2026-12-01';
    while (due(soonFrom, 20) < today) soonFrom = new Date(Date.parse(soonFrom) + 86_400_000).toISOString().slice(0, 10);
    const overdue = await office.registerApplication({ channel: '当面', receivedOn: '2026-11-02', application: input(BODY, '李超期') });
    const soon = await office.registerApplication({ channel: '传真', receivedOn: soonFrom, application: input(BODY, '王将至') });
    const later = await office.registerApplication({ channel: '信函', receivedOn: today, application: input('fgw', '赵待定') });
    expect([overdue.urgency, soon.urgency, later.urgency]).toEqual(['overdue', 'due-soon', 'uncovered']);

    const { page, csp } = await signedIn('dev-approver-li', { bypassCSP: false });
    await page.getByRole('link', { name: /依申请公开/ }).click();
    const row = (group: string, id: string) => page.locator(`#${group} tr[data-id="${id}"]`);
    await row('apps-overdue', overdue.id).waitFor();
    expect(await row('apps-overdue', overdue.id).locator('td.urgency').textContent()).toContain('已超期');
    expect(await row('apps-due-soon', soon.id).locator('td.urgency').textContent()).toContain('即将到期');
    expect(await row('apps-uncovered', later.id).locator('td.urgency').textContent()).toContain('期限待定');
    expect(await row('apps-overdue', soon.id).count()).toBe(0);
    // Each row: the tracking code (read once per application), applicant, what, day, status, deadline.
    await expect.poll(() => row('apps-overdue', overdue.id).locator('a.code').textContent()).toBe(overdue.trackingCode);
    const cells = await row('apps-overdue', overdue.id).locator('td').allTextContents();
    expect(cells.slice(1, 5)).toEqual(['李超期', '请公开李超期所需的政府信息（列表测试）', '2026-11-02', '已登记，办理中']);
    expect(cells[5]).toContain(due('2026-11-02', 20));
    expect(cells[7]).toBe((await office.listBodies()).bodies.find((b) => b.id === BODY)!.name);
    await expect.poll(() => row('apps-uncovered', later.id).locator('td.due-cell').textContent()).toContain('2027');
    // The archived application is not open; it is listed with the closed ones.
    expect(await page.locator(`#apps-open tr[data-id="${mainId}"]`).count()).toBe(0);
    await page.getByLabel(/同时列出已送达/).check();
    await page.locator(`#apps-open tr[data-id="${mainId}"][data-status="ARCHIVED"]`).waitFor();
    expect(await page.textContent('#apps-counts')).toContain('已超期 1 件');

    // By body: the department's one only.
    await page.locator('#apps-body').selectOption('fgw');
    await page.locator('#apps-counts', { hasText: '运城市盐湖区发展和改革局' }).waitFor();
    expect(await page.locator('#apps-open tbody tr').evaluateAll((r) => r.map((x) => x.getAttribute('data-id')))).toEqual([later.id]);
    expect(await page.locator('#apps-overdue tr[data-id]').count()).toBe(0);

    // The approver's steps on the uncovered one: extension only; the answer document is not there yet.
    await page.locator(`#apps-open a[href="#applications/${later.id}"]`).click();
    await page.locator('#app-status[data-status="RECEIVED"]').waitFor();
    expect(await page.getAttribute('#app-due', 'data-kind')).toBe('uncovered');
    expect(await page.textContent('#app-due')).toContain('人工核定');
    expect(await page.locator('#app-steps details').evaluateAll((d) => d.map((x) => x.getAttribute('data-step')))).toEqual(['extend']);
    // More than 20 working days: the API's message beside the field.
    const form = await openStep(page, 'extend');
    await form.getByLabel(/延长的工作日数/).fill('25');
    await form.getByLabel(/延期理由/).fill('需要调取档案。');
    await form.getByRole('button', { name: /批准延期/ }).click();
    await page.locator('#s-extend-days-error').waitFor();
    expect(await page.textContent('#s-extend-days-error')).toContain('延长答复期限最长不得超过 20 个工作日');
    expect(await page.getAttribute('#s-extend-days', 'aria-invalid')).toBe('true');

    // The archived one's answer, in the page as served (its CSP on): the frame shows it, nothing is refused.
    await page.goto(`${stack.siteUrl}/${topology.web.prefix}console/index.html#applications/${mainId}`);
    await page.locator('#app-status[data-status="ARCHIVED"]').waitFor();
    await page.getByRole('button', { name: /答复书/ }).click();
    await page.locator('#app-doc-view').waitFor({ state: 'visible' });
    expect(await page.frameLocator('#app-doc-frame').locator('body').textContent()).toContain('部分公开');
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(csp).toEqual([]);
    await page.context().close();

    // The lists, audited.
    const audited = await signedIn('dev-infocenter');
    await audited.page.getByRole('link', { name: /依申请公开/ }).click();
    await audited.page.locator(`#apps-overdue tr[data-id="${overdue.id}"]`).waitFor();
    await expect.poll(() => audited.page.locator(`#apps-overdue a.code`).first().textContent()).toBe(overdue.trackingCode);
    audits.push(await auditState(audited.page, 'lists'));
    await audited.page.context().close();

    expect(pageErrors).toEqual([]);
    expect([...hosts].every((h) => h === '127.0.0.1')).toBe(true);
    const keys = (await listSite(stack.s3, stack.names.buckets.site, `${topology.web.prefix}console/`)).filter((k) => k.endsWith('.html'));
    const problems = await problemsOf(audits, await readSite(stack.s3, stack.names.buckets.site, keys));
    const report = Object.entries(problems)
      .filter(([, found]) => found.length > 0)
      .map(([check, found]) => `console applications — ${check} (${found.length}):\n${found.slice(0, 20).join('\n')}`);
    expect(report.length, report.join('\n\n')).toBe(0);
  }, 300_000);
});

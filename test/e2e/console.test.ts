import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fileSpec, GongkaiClient, uploadFile, type DraftView } from '#client/gongkai';
import { DEFAULT_DRAFTER_UNIT, validForm } from '../support/forms.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The approver console (web/console/) in a real Chromium, served by the local CDN from the
 * site bucket exactly as CloudFront serves it, talking to the local API: sign in with a
 * token, see the task list, claim, read the declaration, findings and extracted text,
 * decide; open a published document by its public address and withdraw it; the API (and
 * the public site) confirm what the console did. Every request the page makes stays on
 * 127.0.0.1, and text from the API is never run as HTML.
 */
const CHROMIUM = '/usr/bin/chromium';
const APPROVER_TOKEN = 'dev-approver-li';
const APPROVER_NAME = '李华（政务公开办）';

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let hosts: Set<string>;
let pageErrors: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the console tests need Debian's chromium (apt-get install chromium; .ci/run installs it)`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  stack = await startTestStack();
});
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

beforeEach(async () => {
  context = await browser.newContext({ locale: 'zh-CN' });
  page = await context.newPage();
  hosts = new Set();
  pageErrors = [];
  page.on('request', (req) => hosts.add(new URL(req.url()).hostname));
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
});
afterEach(async () => {
  // Nothing the page asked for left the machine.
  for (const host of hosts) expect(host).toBe('127.0.0.1');
  await context?.close();
});

const consoleUrl = () => `${stack.siteUrl}/app/console/index.html`;

async function signIn(): Promise<void> {
  await page.goto(consoleUrl());
  await page.getByLabel('身份令牌').fill(APPROVER_TOKEN);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('#tasks').waitFor({ state: 'visible' });
}

/** Submits a corpus PDF as the drafter and waits until it waits for approval. */
async function submitCorpus(form = validForm()): Promise<string> {
  const { spec, bytes } = await fileSpec(corpus('pdf/000_70017f665202e428.pdf'));
  const created = await stack.drafter.createDraft({ form, files: { document: spec } });
  await uploadFile(created.uploads[0]!, bytes, spec.fileName);
  await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
  return created.id;
}

async function submitText(title: string, body: string, over: Parameters<typeof validForm>[0] = {}): Promise<string> {
  const bytes = new TextEncoder().encode(body);
  const created = await stack.drafter.createDraft({
    form: validForm({ title, documentNumber: undefined, ...over }),
    files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: bytes.length } },
  });
  await uploadFile(created.uploads[0]!, bytes, 'notice.txt');
  await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
  return created.id;
}

/** Approves a draft waiting for approval through the API (as a second approver) and waits until it is published. */
async function publishThroughApi(id: string): Promise<DraftView> {
  for (let i = 0; i < 50; i++) {
    const claim = await stack.approver2.claim();
    if (claim.draft?.id === id) {
      await stack.approver2.decide(id, { claimToken: claim.claimToken!, version: claim.draft.version, outcome: 'approve', reason: '同意发布。' });
      return stack.drafter.waitForStatus(id, ['PUBLISHED']);
    }
    if (!claim.claimToken) await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`could not claim the task of ${id}`);
}

/** Clicks 领取下一个任务 and waits for the claimed task's view; answers its draft id. */
async function claimNext(): Promise<string> {
  await page.getByRole('button', { name: '领取下一个任务' }).click();
  await page.locator('#claim').waitFor({ state: 'visible' });
  return (await page.locator('#claim-draft-id').textContent())!;
}

describe('the approver console', () => {
  it('lists, claims, shows declaration, findings and text, extends the lease and approves: the draft is published', async () => {
    // Declared 意见 while the title says 通知: ATTR-6 warns, the approver must see it.
    const id = await submitCorpus(validForm({ documentType: '意见' }));
    const pending = await stack.approver.getDraft(id);
    expect(pending.findings.length).toBeGreaterThan(0);

    await signIn();
    expect([...hosts]).toEqual(['127.0.0.1']);
    // The task list shows the draft's row: title, unit, attribute, kind.
    const row = page.locator(`#task-rows tr[data-draft-id="${id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toContain('全面推进基层政务公开标准化规范化工作方案');
    expect(cells[1]).toBe(DEFAULT_DRAFTER_UNIT);
    expect(cells[2]).toBe('主动公开');
    expect(cells[3]).toBe('审批');

    expect(await claimNext()).toBe(id);
    // The declaration, as a table.
    await expect.poll(() => page.locator('#declaration-rows tr[data-field="documentNumber"] td').textContent()).toBe('运盐政办发〔2020〕60号');
    expect(await page.locator('#declaration-rows tr[data-field="attribute"] td').textContent()).toBe('主动公开');
    expect(await page.locator('#declaration-rows tr[data-field="interpretation"] td').textContent()).toContain('无需解读');
    // A finding: rule id, Chinese message and English gloss, source.
    const f = pending.findings[0]!;
    const item = page.locator(`#findings .sev-${f.severity} li[data-rule="${f.ruleId}"]`).first();
    expect(await item.locator('.zh').textContent()).toBe(f.zh);
    expect(await item.locator('p[lang="en"]').textContent()).toBe(f.en);
    expect(await item.locator('.source').textContent()).toContain(f.source);
    // The extracted text of the document.
    expect(await page.locator('#texts [data-part="document"] pre').textContent()).toContain('运城市盐湖区全面推进基层政务公开');
    // Only the approval task's outcomes are offered.
    expect(await page.locator('#decision-buttons button').allTextContents()).toEqual(['批准', '退回修改', '不予通过']);

    // Readable on a phone (and at 200 % zoom of a 720 px window): nothing is wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 720 });
    // Headings in order: one h1, no level skipped.
    const levels = await page.evaluate<number[]>("[...document.querySelectorAll('h1,h2,h3,h4')].filter((h) => h.offsetParent !== null).map((h) => Number(h.tagName[1]))");
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);

    // The lease counts down and can be extended.
    expect(await page.locator('#lease-left').textContent()).toMatch(/分 \d\d 秒/);
    await page.getByRole('button', { name: '延长租约' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('租约已延长');
    expect((await stack.approver.getDraft(id)).history.some((h) => h.event === 'LEASE_EXTENDED')).toBe(true);

    await page.locator('#decision-form').getByLabel(/理由/).fill('内容符合主动公开要求，同意发布。');
    await page.getByRole('button', { name: '批准' }).click();
    await page.locator('#result').waitFor({ state: 'visible' });
    expect(await page.locator('#result-text').textContent()).toContain('批准');

    const published = await stack.drafter.waitForStatus(id, ['PUBLISHED']);
    expect(published.decision).toMatchObject({ outcome: 'approve', reason: '内容符合主动公开要求，同意发布。', by: { name: APPROVER_NAME } });
    expect(published.history).toContainEqual(
      expect.objectContaining({ event: 'APPROVED', note: '内容符合主动公开要求，同意发布。', actor: expect.objectContaining({ name: APPROVER_NAME }) }),
    );

    // The decided document can be followed: its status, its public page, the withdrawal it now allows.
    await page.getByRole('button', { name: '查看文件状态' }).click();
    await page.locator('#document').waitFor({ state: 'visible' });
    expect(await page.locator('#doc-id').textContent()).toBe(id);
    await page.locator('#doc-status', { hasText: '已公开发布' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#doc-rows tr[data-field="url"] a').getAttribute('href')).toBe(published.publication!.url);
    await page.locator('#withdraw-form').waitFor({ state: 'visible' });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows the bilingual validation error of a reject without reason, and nothing is decided', async () => {
    const id = await submitText(
      '运城市盐湖区人民政府办公室关于开展春季植树活动的通知',
      '运城市盐湖区人民政府办公室关于开展春季植树活动的通知\n各乡镇人民政府：\n为改善生态环境，决定开展春季植树活动。\n',
    );
    await signIn();
    expect(await claimNext()).toBe(id);
    const before = await stack.approver.getDraft(id);

    await page.getByRole('button', { name: '不予通过' }).click();
    const error = page.getByRole('alert');
    await error.waitFor({ state: 'visible' });
    const text = (await error.textContent())!;
    expect(text).toContain('HTTP 400');
    expect(text).toContain('退回必须写明理由');
    expect(text).toContain('a rejection needs a reason');
    expect(await page.locator('#error [lang="en"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#claim').isVisible()).toBe(true);

    const after = await stack.approver.getDraft(id);
    expect(after.status).toBe('PENDING_APPROVAL');
    expect(after.decision).toBeUndefined();
    expect(after.version).toBe(before.version);
    expect(after.history.filter((h) => /REJECT|APPROV|RETURN/.test(h.event))).toEqual([]);

    // With a reason the same button decides; the error goes away.
    await page.locator('#decision-form').getByLabel(/理由/).fill('文件内容与申报不符。');
    await page.getByRole('button', { name: '不予通过' }).click();
    await page.locator('#result').waitFor({ state: 'visible' });
    expect(await page.locator('#error').isHidden()).toBe(true);
    const rejected = await stack.approver.getDraft(id);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.history).toContainEqual(expect.objectContaining({ event: 'REJECTED_BY_APPROVER', note: '文件内容与申报不符。' }));
    expect(pageErrors.filter((e) => !/400/.test(e))).toEqual([]);
  }, 120_000);

  it('shows markup in titles, fields and text as text, never runs it', async () => {
    const IMG = '<img src=x onerror=window.__xss=1>';
    const SCRIPT = '<script>window.__xss=2</script>';
    const title = `运城市盐湖区人民政府办公室关于${IMG}开展${SCRIPT}工作的通知`;
    const id = await submitText(title, `${title}\n各乡镇人民政府：\n${IMG}\n${SCRIPT}\n请认真贯彻执行。\n`, {
      interpretation: { mode: 'not-needed', reason: `印发通知，无需解读${SCRIPT}` },
      contact: { name: `赵敏${IMG}`, phone: '0359-2021234' },
    });

    await signIn();
    const row = page.locator(`#task-rows tr[data-draft-id="${id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td.title').textContent()).toContain(title);

    expect(await claimNext()).toBe(id);
    expect(await page.locator('#claim-title').textContent()).toBe(title);
    expect(await page.locator('#declaration-rows tr[data-field="title"] td').textContent()).toBe(title);
    expect(await page.locator('#declaration-rows tr[data-field="interpretation"] td').textContent()).toContain(SCRIPT);
    expect(await page.locator('#declaration-rows tr[data-field="contact"] td').textContent()).toContain(IMG);
    expect(await page.locator('#texts [data-part="document"] pre').textContent()).toContain(SCRIPT);

    // No element was made from the markup, and nothing ran.
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();

    // Leave the queue clean for whoever comes next.
    await page.locator('#decision-form').getByLabel(/理由/).fill('标题含有无关标记。');
    await page.getByRole('button', { name: '退回修改' }).click();
    await page.locator('#result').waitFor({ state: 'visible' });
    expect((await stack.approver.getDraft(id)).status).toBe('RETURNED');
    expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  }, 120_000);
  it('opens a published document by its public address and withdraws it: the reason is required, 正在撤回 → 已撤回, the public page becomes the notice', async () => {
    const title = '运城市盐湖区人民政府办公室关于开展汛前安全检查的通知';
    const id = await submitText(title, `${title}\n各乡镇人民政府：\n为确保安全度汛，决定开展汛前安全检查。\n`);
    const published = await publishThroughApi(id);
    const publicUrl = `${stack.siteUrl}/documents/${id}.html`;
    expect(published.publication?.url).toBe(publicUrl);
    // The page is live (and now in the CDN's cache, which the withdrawal must drop).
    const live = await fetch(publicUrl);
    expect(live.status).toBe(200);
    expect(await live.text()).not.toContain('本文件已撤回');

    await signIn();
    // Not an id nor a public address: said beside the field, nothing is asked of the API.
    const lookup = page.getByLabel('文件编号或公开网址');
    await lookup.fill('不是文件编号');
    await page.getByRole('button', { name: '查看文件' }).click();
    await expect.poll(() => page.locator('#lookup-error').textContent()).toContain('26 位文件编号');
    expect(await lookup.getAttribute('aria-invalid')).toBe('true');

    // By its public address: the document view with its status and public link.
    await lookup.fill(publicUrl);
    await page.getByRole('button', { name: '查看文件' }).click();
    await page.locator('#document').waitFor({ state: 'visible' });
    expect(await page.locator('#doc-title').textContent()).toBe(title);
    expect(await page.locator('#doc-id').textContent()).toBe(id);
    expect(await page.locator('#doc-status').textContent()).toBe('已公开发布');
    const link = page.locator('#doc-rows tr[data-field="url"] a');
    expect(await link.getAttribute('href')).toBe(publicUrl);
    expect(await link.textContent()).toBe(publicUrl);
    const levels = await page.evaluate<number[]>("[...document.querySelectorAll('h1,h2,h3,h4')].filter((h) => h.offsetParent !== null).map((h) => Number(h.tagName[1]))");
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);

    // Too short: the API's bilingual message beside the field, no confirmation, nothing withdrawn.
    const reasonBox = page.getByLabel(/撤回理由/);
    await reasonBox.fill('太短');
    await page.getByRole('button', { name: '撤回', exact: true }).click();
    const fieldError = page.locator('#withdraw-error');
    await fieldError.waitFor({ state: 'visible' });
    expect(await fieldError.textContent()).toContain('撤回理由至少 5 个字');
    expect(await fieldError.locator('[lang="en"]').textContent()).toContain('at least 5 characters');
    expect(await reasonBox.getAttribute('aria-invalid')).toBe('true');
    expect((await reasonBox.getAttribute('aria-describedby'))?.split(' ')).toContain('withdraw-error');
    expect(await page.locator('#withdraw-confirm').isHidden()).toBe(true);
    const still = await stack.approver.getDraft(id);
    expect(still.status).toBe('PUBLISHED');
    expect(still.withdrawal).toBeUndefined();

    // A proper reason: asked to confirm (cancel withdraws nothing), then withdrawn.
    const REASON = '该通知已被《关于做好汛期安全工作的通知》替代，原文件不再执行，依规撤回。';
    await reasonBox.fill(REASON);
    await page.getByRole('button', { name: '撤回', exact: true }).click();
    const confirm = page.locator('#withdraw-confirm');
    await confirm.waitFor({ state: 'visible' });
    expect(await page.locator('#withdraw-confirm-reason').textContent()).toBe(REASON);
    expect(await confirm.textContent()).toContain(title);
    // Readable on a phone: the long public address wraps.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('button', { name: '取消' }).click();
    expect(await confirm.isHidden()).toBe(true);
    expect((await stack.approver.getDraft(id)).status).toBe('PUBLISHED');

    await page.getByRole('button', { name: '撤回', exact: true }).click();
    await page.getByRole('button', { name: '确认撤回' }).click();
    await page.locator('#doc-status', { hasText: '正在撤回' }).waitFor();
    expect(await fieldError.isHidden()).toBe(true);
    // Followed by polling GET /drafts/{id} until the site consumer completes it.
    await page.locator('#doc-status', { hasText: '已撤回' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#doc-status').textContent()).toBe('已撤回');
    expect(await page.locator('#doc-rows tr[data-field="withdrawalReason"] td').textContent()).toBe(REASON);
    expect(await page.locator('#doc-rows tr[data-field="withdrawnBy"] td').textContent()).toBe(APPROVER_NAME);
    expect(await page.locator('#withdraw-form').isHidden()).toBe(true);

    const withdrawn = await stack.approver.getDraft(id);
    expect(withdrawn.status).toBe('WITHDRAWN');
    expect(withdrawn.withdrawal).toMatchObject({ reason: REASON, by: { name: APPROVER_NAME, role: 'approver' } });
    expect(withdrawn.history).toContainEqual(expect.objectContaining({ event: 'WITHDRAWAL_REQUESTED', from: 'PUBLISHED', to: 'WITHDRAWING', note: REASON }));

    // The public address now shows the notice with the reason (once the CDN has dropped its copy).
    await expect.poll(async () => (await fetch(publicUrl)).text(), { timeout: 30_000, interval: 500 }).toContain('本文件已撤回');
    const notice = await (await fetch(publicUrl)).text();
    expect(notice).toContain(REASON);
    expect(notice).toContain('撤回原因');
    expect(pageErrors.filter((e) => !/400/.test(e))).toEqual([]);
  }, 180_000);
  it('records the 修订 of a published normative document: field errors in both languages, then both public pages follow', async () => {
    const normative = (title: string, n: number, validity: { from: string; until: string }) =>
      submitText(title, `${title}\n第一条 为规范有关工作，制定本办法。\n第二条 本办法自${validity.from}起施行，有效期至${validity.until}。\n`, {
        documentType: '行政规范性文件',
        documentNumber: `运盐发改规〔2025〕${n}号`,
        documentDate: '2023-12-20',
        validity,
        interpretation: { mode: 'not-needed', reason: '办法条文简明，无需解读' },
      });
    const oldTitle = '运城市盐湖区政府定价成本监审办法';
    const newTitle = '运城市盐湖区政府定价成本监审办法（2026年修订）';
    const oldId = await normative(oldTitle, 1, { from: '2024-01-01', until: '2028-12-31' });
    await publishThroughApi(oldId);
    const newId = await normative(newTitle, 2, { from: '2026-12-01', until: '2031-11-30' });
    await publishThroughApi(newId);

    await signIn();
    await page.getByLabel('文件编号或公开网址').fill(oldId);
    await page.getByRole('button', { name: '查看文件' }).click();
    await page.locator('#document').waitFor({ state: 'visible' });
    const section = page.locator('#validity');
    await section.waitFor({ state: 'visible' });

    // 修订 without the replacing document: the API's field message beside that field.
    await page.getByLabel(/自何日起/).fill('2026-12-01');
    await page.getByRole('button', { name: '登记废止或修订' }).click();
    const replacedError = page.locator('#validity-replaced-by-error');
    await replacedError.waitFor({ state: 'visible' });
    expect(await replacedError.textContent()).toContain('修订须指明替代文件');
    expect(await replacedError.locator('[lang="en"]').textContent()).toContain('replacing document');
    const replacedBox = page.getByLabel(/替代文件的编号或公开网址/);
    expect(await replacedBox.getAttribute('aria-invalid')).toBe('true');
    expect((await stack.approver.getDraft(oldId)).validityChange).toBeUndefined();

    // The replacing document by its public address: recorded, the form closes.
    await replacedBox.fill(`${stack.siteUrl}/documents/${newId}.html`);
    await page.locator('#validity-reason').fill('根据上级新规定修订监审程序');
    await page.getByRole('button', { name: '登记废止或修订' }).click();
    await page.locator('#doc-rows tr[data-field="validityChange"]').waitFor();
    expect(await page.locator('#doc-rows tr[data-field="validityChange"] td').textContent()).toContain(newTitle);
    expect(await page.locator('#validity-form').isHidden()).toBe(true);
    expect(await page.locator('#validity-note').textContent()).toContain('自 2026-12-01 起修订');
    expect(await replacedError.isHidden()).toBe(true);
    expect((await stack.approver.getDraft(oldId)).validityChange).toMatchObject({ kind: 'amended', replacedBy: { id: newId } });

    // Both public pages follow.
    await expect.poll(async () => (await fetch(`${stack.siteUrl}/documents/${oldId}.html`)).text(), { timeout: 30_000, interval: 500 }).toContain('本文件已于 2026-12-01 修订');
    await expect.poll(async () => (await fetch(`${stack.siteUrl}/documents/${newId}.html`)).text(), { timeout: 30_000, interval: 500 }).toContain(oldTitle);
    expect(pageErrors.filter((e) => !/400/.test(e))).toEqual([]);
  }, 180_000);

  it('shows a conflict (409) beside the reason when the document was withdrawn meanwhile, and the other reason as text', async () => {
    const IMG = '<img src=x onerror=window.__xss=3>';
    const title = '运城市盐湖区人民政府办公室关于做好秋季森林防火工作的通知';
    const id = await submitText(title, `${title}\n各乡镇人民政府：\n秋季干燥，请切实做好森林防火工作。\n`);
    await publishThroughApi(id);

    await signIn();
    // By its id, typed in lower case.
    await page.getByLabel('文件编号或公开网址').fill(id.toLowerCase());
    await page.getByRole('button', { name: '查看文件' }).click();
    await page.locator('#doc-status', { hasText: '已公开发布' }).waitFor();

    // The information centre withdraws it first, through the API.
    const otherReason = `${IMG}已被新文件替代，信息中心撤回。`;
    await new GongkaiClient(stack.apiUrl, 'dev-infocenter').withdraw(id, otherReason);

    await page.getByLabel(/撤回理由/).fill('内容已过时，申请撤回该文件。');
    await page.getByRole('button', { name: '撤回', exact: true }).click();
    await page.getByRole('button', { name: '确认撤回' }).click();
    const fieldError = page.locator('#withdraw-error');
    await fieldError.waitFor({ state: 'visible' });
    expect(await fieldError.locator('.zh').textContent()).toContain('只有已公开发布的文件可以撤回');
    expect(await fieldError.locator('[lang="en"]').textContent()).toContain('Only a published document can be withdrawn');
    expect(await page.locator('#error').isHidden()).toBe(true);

    // 刷新状态 shows what happened, and follows it to the end.
    await page.getByRole('button', { name: '刷新状态' }).click();
    await page.locator('#doc-status', { hasText: '已撤回' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#withdraw-form').isHidden()).toBe(true);
    expect(await page.locator('#doc-rows tr[data-field="withdrawalReason"] td').textContent()).toBe(otherReason);
    expect(await page.locator('#doc-rows tr[data-field="withdrawnBy"] td').textContent()).toBe('刘洋（信息中心）');
    expect(await page.locator('main img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
    const after = await stack.approver.getDraft(id);
    expect(after.withdrawal?.reason).toBe(otherReason);
    expect(after.history.filter((h) => h.event === 'WITHDRAWAL_REQUESTED')).toHaveLength(1);
    expect(pageErrors.filter((e) => !/409/.test(e))).toEqual([]);
  }, 180_000);
});

import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fileSpec, uploadFile } from '#infra/client';
import { validForm } from '../support/forms.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The approver console (web/console/) in a real Chromium, served by the local CDN from the
 * site bucket exactly as CloudFront serves it, talking to the local API: sign in with a
 * token, see the task list, claim, read the declaration, findings and extracted text,
 * decide; the API confirms what the console did. Every request the page makes stays on
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
    expect(cells[1]).toBe('运城市盐湖区人民政府办公室');
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

    await page.getByLabel(/理由/).fill('内容符合主动公开要求，同意发布。');
    await page.getByRole('button', { name: '批准' }).click();
    await page.locator('#result').waitFor({ state: 'visible' });
    expect(await page.locator('#result-text').textContent()).toContain('批准');

    const published = await stack.drafter.waitForStatus(id, ['PUBLISHED']);
    expect(published.decision).toMatchObject({ outcome: 'approve', reason: '内容符合主动公开要求，同意发布。', by: { name: APPROVER_NAME } });
    expect(published.history).toContainEqual(expect.objectContaining({ event: 'APPROVED', note: '内容符合主动公开要求，同意发布。', actor: expect.objectContaining({ name: APPROVER_NAME }) }));
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows the bilingual validation error of a reject without reason, and nothing is decided', async () => {
    const id = await submitText('运城市盐湖区人民政府办公室关于开展春季植树活动的通知', '运城市盐湖区人民政府办公室关于开展春季植树活动的通知\n各乡镇人民政府：\n为改善生态环境，决定开展春季植树活动。\n');
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
    await page.getByLabel(/理由/).fill('文件内容与申报不符。');
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
    await page.getByLabel(/理由/).fill('标题含有无关标记。');
    await page.getByRole('button', { name: '退回修改' }).click();
    await page.locator('#result').waitFor({ state: 'visible' });
    expect((await stack.approver.getDraft(id)).status).toBe('RETURNED');
    expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

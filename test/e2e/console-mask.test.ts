import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { uploadFile } from '#client/gongkai';
import { validForm } from '../support/forms.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The console's publication preview (PUB-4, issue 15 item 3): the approver sees the text as
 * it will be published with each masked span marked, the original beside it, and confirms
 * or unmasks a span (the decision reaches the history); an ID number offers no unmask.
 */
const CHROMIUM = '/usr/bin/chromium';
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the console tests need Debian's chromium (apt-get install chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  stack = await startTestStack();
});
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

const ROSTER = '关于临时救助对象的公示\n\n1 王小明 140802198805120012 运城市盐湖区北城街道红旗村3组12号 0359-2456789\n\n监督电话：0359-2025678\n';

describe('the console preview', () => {
  it('marks each masked span, shows the original to the approver, and records confirm and unmask', async () => {
    const bytes = new TextEncoder().encode(ROSTER);
    const created = await stack.drafter.createDraft({
      form: validForm({ title: `救助公示 预览 ${Date.now()}`, documentNumber: undefined, documentType: '公告', domain: '社会救助' }),
      files: { document: { fileName: 'roster.txt', contentType: 'text/plain', size: bytes.length } },
    });
    await uploadFile(created.uploads[0]!, bytes, 'roster.txt');
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);

    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${stack.siteUrl}/app/console/index.html`);
    await page.getByLabel('身份令牌').fill('dev-approver-li');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('#tasks').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: '领取下一个任务' }).click();
    await page.locator('#claim').waitFor({ state: 'visible' });
    expect(await page.locator('#claim-draft-id').textContent()).toBe(created.id);

    const marks = page.locator('#preview [data-part="document"] pre mark.masked');
    await expect.poll(() => marks.count()).toBe(4);
    expect(await marks.allTextContents()).toEqual(['王某', '140802********0012', '运城市盐湖区北城街道***', '0359-****789']);
    const pre = (await page.locator('#preview [data-part="document"] pre').textContent())!;
    expect(pre).toContain('监督电话：0359-2025678');
    expect(pre).not.toContain('王小明');
    expect(await page.locator('#preview .mask-list li .original').allTextContents()).toEqual([
      ' 原文：王小明',
      ' 原文：140802198805120012',
      ' 原文：运城市盐湖区北城街道红旗村3组12号',
      ' 原文：0359-2456789',
    ]);
    // An ID number offers no unmask.
    const idItem = page.locator('#preview .mask-list li').nth(1);
    expect(await idItem.locator('.mask-unmask').count()).toBe(0);

    // Confirm the name; unmask the landline with a reason.
    await page.locator('#preview .mask-list li').nth(0).locator('.mask-confirm').click();
    await expect.poll(() => page.locator('#preview .mask-list li').nth(0).textContent()).toContain('已确认');
    const phone = page.locator('#preview .mask-list li').nth(3);
    await phone.locator('.mask-reason').fill('社区服务站公开电话');
    await phone.locator('.mask-unmask').click();
    await expect.poll(() => page.locator('#preview pre mark.unmasked').textContent()).toBe('0359-2456789');

    const history = (await stack.drafter.getDraft(created.id)).history.filter((h) => h.event === 'MASK_DECIDED');
    expect(history).toHaveLength(2);
    expect(history[1]!.note).toContain('社区服务站公开电话');
    expect(errors).toEqual([]);
    await context.close();
  });
});

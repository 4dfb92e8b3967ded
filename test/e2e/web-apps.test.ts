import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fileSpec, uploadFile } from '#client/gongkai';
import { topology } from '#shared/topology';
import { validForm } from '../support/forms.ts';
import { fillUploadForm } from '../support/upload-page.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';
import { auditState, listSite, problemsOf, readSite, type StateAudit } from '../support/site-audit.ts';

/**
 * Issue 11.7: the approver console and the upload page held to the public site's standard,
 * in every state a user brings them to — signed out, signed in, with a task claimed and its
 * findings and text shown, with a validation error beside a field, with a document opened
 * and its withdrawal asked to be confirmed; the upload form empty, with the API's field
 * errors, with a rejected draft's findings, following a draft to approval. In each state:
 * valid HTML (vnu on the served file and on the DOM of the state), axe in Chromium with no
 * finding of any impact, nothing wider than a 375 px screen with the text as set and twice
 * as large, and all text growing with the reader's font size.
 */
const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set GONGKAI_CHROMIUM to its path.`);
}
const PDF = corpus('pdf/000_70017f665202e428.pdf');

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
});

/** A page of a context that lets the audit add axe and a style (the apps forbid both by CSP). */
async function auditedPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  return { page, errors };
}

/** The app's files as the CDN serves them (the HTML vnu checks as written, beside its states). */
async function served(app: 'console' | 'upload' | 'bodies') {
  const keys = (await listSite(stack.s3, stack.names.buckets.site, `${topology.web.prefix}${app}/`)).filter((k) => k.endsWith('.html'));
  expect(keys.length).toBeGreaterThan(0);
  return readSite(stack.s3, stack.names.buckets.site, keys);
}

async function expectNoProblems(audits: readonly StateAudit[], app: 'console' | 'upload' | 'bodies'): Promise<void> {
  const problems = await problemsOf(audits, await served(app));
  const report = Object.entries(problems)
    .filter(([, found]) => found.length > 0)
    .map(([check, found]) => `${app} — ${check} (${found.length}):\n${found.slice(0, 20).join('\n')}`);
  expect(report.length, report.join('\n\n')).toBe(0);
}

/** Submits the corpus PDF declared 意见 (its title says 通知: ATTR-6 warns), and waits for approval. */
async function submitWithFindings(): Promise<string> {
  const { spec, bytes } = await fileSpec(PDF);
  const created = await stack.drafter.createDraft({ form: validForm({ documentType: '意见' }), files: { document: spec } });
  await uploadFile(created.uploads[0]!, bytes, spec.fileName);
  await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
  return created.id;
}

describe('the approver console meets the site’s standard', () => {
  it('in every state: valid HTML, no axe finding of any impact, usable at 375 px and with 200 % text', async () => {
    const id = await submitWithFindings();
    const { page, errors } = await auditedPage();
    const audits: StateAudit[] = [];
    try {
      await page.goto(`${stack.siteUrl}/${topology.web.prefix}console/index.html`);
      audits.push(await auditState(page, 'signed-out'));

      await page.getByLabel('身份令牌').fill('dev-approver-li');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.locator(`#task-rows tr[data-draft-id="${id}"]`).waitFor();
      audits.push(await auditState(page, 'task-list'));

      await page.getByLabel('文件编号或公开网址').fill('不是文件编号');
      await page.getByRole('button', { name: '查看文件' }).click();
      await page.locator('#lookup-error').waitFor({ state: 'visible' });
      audits.push(await auditState(page, 'lookup-error'));

      await page.getByRole('button', { name: '领取下一个任务' }).click();
      await page.locator('#claim').waitFor({ state: 'visible' });
      expect(await page.locator('#claim-draft-id').textContent()).toBe(id);
      await page.locator('#texts [data-part="document"] pre').waitFor();
      expect(await page.locator('#findings li[data-rule]').count()).toBeGreaterThan(0);
      audits.push(await auditState(page, 'claimed'));

      await page.getByRole('button', { name: '不予通过' }).click();
      await page.getByRole('alert').waitFor({ state: 'visible' });
      audits.push(await auditState(page, 'decision-error'));

      await page.locator('#decision-form').getByLabel(/理由/).fill('内容符合主动公开要求，同意发布。');
      await page.getByRole('button', { name: '批准' }).click();
      await page.locator('#result').waitFor({ state: 'visible' });
      audits.push(await auditState(page, 'decided'));

      await stack.drafter.waitForStatus(id, ['PUBLISHED']);
      await page.getByRole('button', { name: '查看文件状态' }).click();
      await page.locator('#doc-status', { hasText: '已公开发布' }).waitFor({ timeout: 30_000 });
      await page.locator('#withdraw-form').waitFor({ state: 'visible' });
      audits.push(await auditState(page, 'document'));

      await page.getByLabel(/撤回理由/).fill('太短');
      await page.getByRole('button', { name: '撤回', exact: true }).click();
      await page.locator('#withdraw-error').waitFor({ state: 'visible' });
      audits.push(await auditState(page, 'withdraw-error'));

      await page.getByLabel(/撤回理由/).fill('该通知已被新文件替代，原文件不再执行，依规撤回。');
      await page.getByRole('button', { name: '撤回', exact: true }).click();
      await page.locator('#withdraw-confirm').waitFor({ state: 'visible' });
      audits.push(await auditState(page, 'withdraw-confirm'));
      await page.getByRole('button', { name: '取消' }).click();
    } finally {
      await page.context().close();
    }
    expect(errors).toEqual([]);
    await expectNoProblems(audits, 'console');
  }, 180_000);
});

describe('the upload page meets the site’s standard', () => {
  it('in every state: valid HTML, no axe finding of any impact, usable at 375 px and with 200 % text', async () => {
    const { page, errors } = await auditedPage();
    const audits: StateAudit[] = [];
    const form = validForm();
    const fill = (over: { title?: string; documentDate?: string } = {}) => fillUploadForm(page, form, PDF, over);
    const status = (statuses: string[]) =>
      page.waitForFunction(
        (s) =>
          s.includes(
            (globalThis as unknown as { document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null } }).document.getElementById('draft-status')
              ?.dataset.status ?? '',
          ),
        statuses,
        {
          timeout: 60_000,
          polling: 200,
        },
      );
    try {
      await page.goto(`${stack.siteUrl}/${topology.web.prefix}upload/index.html`);
      audits.push(await auditState(page, 'signed-out'));

      await page.fill('#token', 'dev-drafter-fgw');
      await page.click('#signin-form button[type=submit]');
      await page.waitForSelector('#f-documentType option[value="通知"]', { state: 'attached' });
      audits.push(await auditState(page, 'empty-form'));

      await fill({ title: '', documentDate: '2020-13-45' });
      await page.click('#submit');
      await page.waitForSelector('#f-title-error');
      audits.push(await auditState(page, 'field-errors'));

      await fill({ title: '盐湖区工作方案（不予公开，无障碍检查）' });
      await page.selectOption('#f-attribute', '不予公开');
      await page.fill('#f-nonPublicReason', '内部文件，不宜公开');
      await page.click('#submit');
      await status(['REJECTED']);
      await page.locator('.severity-block .finding[data-rule="ATTR-2"]').first().waitFor();
      audits.push(await auditState(page, 'rejected-with-findings'));

      await page.fill('#f-nonPublicReason', '方案附件含各责任单位内部分工和联系人信息，属于内部事务信息');
      await page.fill('#f-legalBasis', '《中华人民共和国政府信息公开条例》第十六条第一款');
      await page.click('#resubmit');
      await status(['PENDING_APPROVAL']);
      audits.push(await auditState(page, 'pending-approval'));
    } finally {
      await page.context().close();
    }
    expect(errors).toEqual([]);
    await expectNoProblems(audits, 'upload');
  }, 180_000);
});

describe('the bodies page (平台管理员) meets the site’s standard, and keeps the platform’s bodies', () => {
  it('in every state: the list, a new body refused field by field and then saved, an edit with its audit trail', async () => {
    const { page, errors } = await auditedPage();
    const audits: StateAudit[] = [];
    try {
      await page.goto(`${stack.siteUrl}/${topology.web.prefix}bodies/index.html`);
      audits.push(await auditState(page, 'signed-out'));

      await page.fill('#token', 'dev-admin');
      await page.click('#signin-form button[type=submit]');
      await page.locator('#bodies tbody tr').first().waitFor();
      audits.push(await auditState(page, 'list'));

      await page.getByRole('button', { name: '新增公开主体' }).click();
      await page.fill('#b-id', 'Bad Id');
      await page.fill('#b-name', '示例县交通运输局');
      await page.fill('#b-code', 'abc');
      await page.click('#save');
      await page.locator('#b-id-error').waitFor();
      await page.locator('#b-code-error').waitFor();
      expect(await page.locator('#b-code').getAttribute('aria-invalid')).toBe('true');
      audits.push(await auditState(page, 'field-errors'));

      await page.fill('#b-id', 'jtj');
      await page.fill('#b-code', '11330100MB7777001T');
      await page.fill('#b-units', '示例县交通运输局\n示例县公路管理段');
      await page.fill('#b-office', '县交通运输局办公室');
      await page.fill('#b-address', '示例县交通路 8 号');
      await page.fill('#b-phone', '0571-22223333');
      await page.fill('#b-guide', '# 政府信息公开指南\n\n{{name}}的政府信息公开工作机构为{{office}}，电话 {{phone}}。');
      await page.fill('#b-system', '# 政府信息公开制度\n\n{{name}}按照条例建立公开审查制度。');
      await page.click('#save');
      await page.locator('#form-saved', { hasText: '已保存' }).waitFor();
      await page.locator('#bodies tbody tr', { hasText: '示例县交通运输局' }).waitFor();
      audits.push(await auditState(page, 'created'));

      await page.fill('#b-phone', '0571-22224444');
      await page.click('#save');
      await page.locator('#form-saved', { hasText: '第 2 版' }).waitFor();
      expect(await page.locator('#audit > li').count()).toBe(2);
      expect(await page.locator('#audit').textContent()).toContain('0571-22224444');
      audits.push(await auditState(page, 'edited-with-audit'));
    } finally {
      await page.context().close();
    }
    expect(errors).toEqual([]);
    // What the page saved is what the API holds.
    const saved = await stack.approver.getBody('jtj');
    expect(saved).toMatchObject({ name: '示例县交通运输局', units: ['示例县交通运输局', '示例县公路管理段'], version: 2, contact: { phone: '0571-22224444' } });
    await expectNoProblems(audits, 'bodies');
  }, 180_000);

  it('shows a role other than the administrator the API’s refusal, and saves nothing', async () => {
    const { page, errors } = await auditedPage();
    try {
      await page.goto(`${stack.siteUrl}/${topology.web.prefix}bodies/index.html`);
      await page.fill('#token', 'dev-approver-li');
      await page.click('#signin-form button[type=submit]');
      await page.locator('#bodies tbody tr').first().waitFor();
      await page.locator('#bodies tbody tr button').first().click();
      await page.locator('#body-form').waitFor({ state: 'visible' });
      await page.fill('#b-phone', '0571-99999999');
      await page.click('#save');
      await page.locator('#form-summary').waitFor({ state: 'visible' });
      expect(await page.locator('#form-summary').textContent()).toMatch(/您没有此操作的权限.*平台管理员（admin）/);
    } finally {
      await page.context().close();
    }
    expect(errors).toEqual([]);
    const { bodies } = await stack.approver.listBodies();
    expect(bodies.every((b) => b.version === 1 || b.id === 'jtj')).toBe(true);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GongkaiClient } from '#client/gongkai';
import { extractDocument } from '#shared/extract/index';
import { siteConfig } from '#shared/site/config';
import { apiError } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The answer documents as PDF through the local stack's route (GET
 * /applications/{id}/document?format=pdf): an application is driven to a 补正告知书 and then
 * to a decision as in applications.test.ts, and each PDF read back with the project's own
 * extraction says what the printable page says.
 */

const ID_NUMBER = '140802198506124213';
const NAME = '测试申请人李小红';

let stack: TestStack;
let publicClient: GongkaiClient;
let infocenter: GongkaiClient;
let approver: GongkaiClient;

beforeAll(async () => {
  stack = await startTestStack();
  publicClient = new GongkaiClient(stack.apiUrl, 'no-such-token');
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  approver = new GongkaiClient(stack.apiUrl, 'dev-approver-li');
}, 120_000);
afterAll(() => stack?.cleanup());

const textOf = async (bytes: Uint8Array) => (await extractDocument(bytes)).rawText.replace(/\s+/g, '').replace(/第\d+页\/共\d+页/g, '');
const pageText = (html: string) => html.replace(/<[^>]+>/g, '');

describe('the answer documents as PDF', () => {
  it('gives the completion notice and the answer as PDFs that say what their pages say', async () => {
    const receipt = await publicClient.submitApplication({
      body: siteConfig.bodyId,
      applicant: { type: '公民', name: NAME, idType: '居民身份证', idNumber: ID_NUMBER, phone: '0359-2021235', email: 'li@example.cn' },
      request: { description: '2025年本区道路维修工程的招标文件和中标结果', purpose: '了解道路维修情况' },
      delivery: '电子邮件',
      format: '电子文档',
    });
    const { applications } = await infocenter.listApplications(siteConfig.bodyId);
    const id = applications.find((a) => a.applicant === NAME)!.id;
    let app = await infocenter.getApplication(id);

    // Before any decision there is no answer, in either format.
    expect((await apiError(infocenter.applicationDocumentPdf(id))).status).toBe(409);

    await infocenter.stepApplication(id, app.version, { step: 'request-completion', items: ['所需信息对应的路段名称'] });
    const notice = await infocenter.applicationDocumentPdf(id, 'completion');
    expect(notice.title).toBe('政府信息公开申请补正告知书');
    expect(notice.fileName).toBe(`${receipt.trackingCode}-completion.pdf`);
    const noticeText = await textOf(notice.bytes);
    for (const s of ['政府信息公开申请补正告知书', NAME, '所需信息对应的路段名称', '第三十条', '视为放弃申请']) expect(noticeText).toContain(s);

    await publicClient.applicantStep(receipt.trackingCode, { step: 'complete', supplement: '路段为盐湖区解放路。' });
    app = await infocenter.getApplication(id);
    app = await infocenter.stepApplication(id, app.version, {
      step: 'propose',
      answer: { type: '不予公开', withheld: [{ what: '评标专家名单', ground: 'third-party', reason: '涉及评标专家个人信息' }] },
    });
    app = await approver.stepApplication(id, app.version, { step: 'approve' });
    expect(app.status).toBe('DECIDED');

    const [page, pdf] = [await infocenter.applicationDocument(id), await infocenter.applicationDocumentPdf(id)];
    expect(pdf.title).toBe(page.title);
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await textOf(pdf.bytes);
    const html = pageText(page.html).replace(/\s+/g, '');
    for (const s of [
      NAME,
      '2025年本区道路维修工程的招标文件和中标结果',
      '不予公开',
      '评标专家名单',
      '涉及评标专家个人信息',
      '第十五条',
      '60日内',
      '行政复议',
      '15日内',
      '行政诉讼',
    ]) {
      expect(html, s).toContain(s);
      expect(text, s).toContain(s);
    }
    expect(text).not.toContain(ID_NUMBER);
    expect(pdf.bytes.length).toBeLessThan(200_000);

    // An unknown format is refused in both languages.
    const bad = await apiError(infocenter.request('applicationDocument', { id, query: { format: 'docx' as never } }));
    expect(bad.status).toBe(400);
  });
});

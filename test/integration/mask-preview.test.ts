import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile } from '#client/gongkai';
import { validForm } from '../support/forms.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { apiError, claimFor } from '../support/api.ts';
import { infocenterOf } from '../support/publish.ts';

/**
 * PUB-4, issue 15 item 3: before approval the drafter and the approver see the text exactly
 * as it will be published, every masked span marked; they confirm or correct a span (in the
 * history), and the published page carries exactly the previewed text.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.cleanup();
});

const ROSTER = [
  '运城市盐湖区民政局',
  '关于2024年第一批临时救助对象的公示',
  '',
  '经本人申请、乡镇（街道）审核、区民政局审批，以下人员拟纳入临时救助对象，现予公示。',
  '',
  '序号 姓名 身份证号 住址 联系电话',
  '1 王小明 140802198805120012 运城市盐湖区北城街道红旗村3组12号 13935912345',
  '2 欧阳建国 11010519491231002X 盐湖区解州镇西关村5号 0359-2456789',
  '',
  '如有异议，请在公示期内向区民政局社会救助股反映。联系人：赵四，监督电话：0359-2025678',
  '',
  '运城市盐湖区民政局',
  '2024年3月1日',
].join('\n');

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('the mask preview (PUB-4)', () => {
  it('shows the published text with marked spans; confirm and correct are recorded and honoured; an ID is never unmasked', async () => {
    const bytes = new TextEncoder().encode(ROSTER);
    const created = await stack.drafter.createDraft({
      form: validForm({ title: `临时救助对象公示 预览 ${Date.now()}`, documentNumber: undefined, documentType: '公告', domain: '社会救助' }),
      files: { document: { fileName: 'roster.txt', contentType: 'text/plain', size: bytes.length } },
    });
    await uploadFile(created.uploads[0]!, bytes, 'roster.txt');
    expect((await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED'])).status).toBe('PENDING_APPROVAL');

    const preview = await stack.drafter.previewDraft(created.id);
    const doc = preview.parts.document!;
    const byOriginal = new Map(doc.spans.map((s) => [s.original!, s]));
    for (const o of ['王小明', '欧阳建国', '140802198805120012', '13935912345', '运城市盐湖区北城街道红旗村3组12号', '0359-2456789']) expect(byOriginal.has(o)).toBe(true);
    for (const s of doc.spans) expect(doc.text.slice(s.start, s.end)).toBe(s.masked);
    expect(doc.text).toContain('1王某140802********0012运城市盐湖区北城街道***');
    expect(doc.text).toContain('联系人：赵四，监督电话：0359-2025678');
    for (const o of ['王小明', '140802198805120012', '红旗村']) expect(doc.text).not.toContain(o);

    // The information centre sees the marks, not the originals.
    const seen = await infocenterOf(stack).previewDraft(created.id);
    expect(seen.parts.document!.text).toBe(doc.text);
    expect(seen.parts.document!.spans.every((s) => s.original === undefined)).toBe(true);

    // A resident ID is never unmasked; unmasking needs a reason.
    const id = byOriginal.get('140802198805120012')!;
    const refused = await apiError(stack.approver.decideMask(created.id, { spanId: id.id, action: 'unmask', reason: '公示需要完整号码' }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('不能取消遮盖');
    const landline = byOriginal.get('0359-2456789')!;
    expect((await apiError(stack.drafter.decideMask(created.id, { spanId: landline.id, action: 'unmask' }))).status).toBe(400);

    // Confirm one, unmask one (with a reason), mask more (the 联系人's name, with a reason).
    await stack.drafter.decideMask(created.id, { spanId: byOriginal.get('王小明')!.id, action: 'confirm' });
    await stack.approver.decideMask(created.id, { spanId: landline.id, action: 'unmask', reason: '该号码为社区服务站公开电话' });
    const zhao = (await stack.approver.previewDraft(created.id)).parts.document!.text.indexOf('赵四');
    await stack.approver.decideMask(created.id, { action: 'mask-more', start: zhao, end: zhao + 2, reason: '联系人本人要求不公开姓名' });

    const after = (await stack.drafter.previewDraft(created.id)).parts.document!;
    expect(after.text).toContain('0359-2456789');
    expect(after.text).toContain('联系人：**，');
    expect(after.spans.find((s) => s.original === '王小明')!.decision).toBe('confirm');
    const history = (await stack.drafter.getDraft(created.id)).history.filter((h) => h.event === 'MASK_DECIDED');
    expect(history.map((h) => h.note)).toEqual([
      expect.stringContaining('确认遮盖'),
      expect.stringContaining('该号码为社区服务站公开电话'),
      expect.stringContaining('联系人本人要求不公开姓名'),
    ]);

    // Published: the page carries exactly the previewed text.
    const claim = await claimFor(stack.approver, created.id);
    await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    const page = await (await fetch(published.publication!.url)).text();
    for (const line of after.text.split('\n').filter((l) => l.trim())) expect(page).toContain(escape(line.trim()));
    for (const s of after.spans) expect(page).toContain(escape(s.masked));
    for (const o of ['王小明', '欧阳建国', '140802198805120012', '13935912345', '红旗村', '赵四']) expect(page).not.toContain(o);

    // After approval the masks are settled.
    expect((await apiError(stack.drafter.decideMask(created.id, { spanId: id.id, action: 'confirm' }))).status).toBe(409);
  });
});

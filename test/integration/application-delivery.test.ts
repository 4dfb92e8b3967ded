import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GongkaiClient, uploadFile } from '#client/gongkai';
import { resetClock, setClock } from '#shared/clock';
import { DELIVERY_LINK_SECONDS } from '#shared/domain/application';
import { siteConfig } from '#shared/site/config';
import { apiError, fileOnRequest } from '../support/api.ts';
import { siteObjects } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 12.4: a filed 依申请公开 document given to an applicant (部分公开, 区分处理) — checked
 * when the answer is proposed, copied for the applicant at delivery with the withheld passage
 * redacted (its ground stated in its place) and others' personal data masked, offered on the
 * tracking page through links that expire, and never written where the public can read it.
 */

/** A third person's record in the document (a valid resident ID and a mobile): masked in the copy. */
const OTHERS_ID = '14272319760815003X';
const OTHERS_MOBILE = '13912345678';
/** The trade secret the answer withholds (Art. 15). */
const SECRET = '生产工艺参数为：反应温度185摄氏度，反应压力2.4兆帕，催化剂配比为三比七。';
const GIVEN = '园区污水处理站日处理能力为两万吨，排放口在线监测数据每日报送生态环境部门。';

let stack: TestStack;
let publicClient: GongkaiClient;
let infocenter: GongkaiClient;
let approver: GongkaiClient;
let docId: string;

beforeAll(async () => {
  stack = await startTestStack();
  publicClient = new GongkaiClient(stack.apiUrl, 'no-such-token');
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  approver = new GongkaiClient(stack.apiUrl, 'dev-approver-li');
  // A 依申请公开 report, filed.
  const text = [
    '关于某工业园区企业排污许可核查情况的报告',
    GIVEN,
    `经核查，甲企业${SECRET}`,
    `现场陪同人员：赵某某，身份证号码${OTHERS_ID}，联系电话${OTHERS_MOBILE}。`,
    '以上情况特此报告。',
  ].join('\n');
  docId = (await fileOnRequest(stack, '关于某工业园区企业排污许可核查情况的报告', text)).id;
}, 180_000);
afterEach(() => resetClock());
afterAll(() => stack?.cleanup());

const application = {
  body: siteConfig.bodyId,
  applicant: { type: '公民' as const, name: '测试申请人李四', idType: '居民身份证' as const, idNumber: '110101199001011237', phone: '0359-2021235', email: 'lisi@example.cn' },
  request: { description: '关于某工业园区企业排污许可核查情况的报告全文', documentId: '' },
  delivery: '电子邮件' as const,
  format: '电子文档' as const,
};

const partial = (passages: string[], documents = [docId]) => ({
  step: 'propose' as const,
  answer: {
    type: '部分公开' as const,
    given: '核查报告（商业秘密部分除外）',
    documents,
    withheld: [{ what: '甲企业的生产工艺参数', ground: 'third-party' as const, reason: '属于企业商业秘密，第三方不同意公开', passages }],
  },
});

describe('the documents one may apply for (GET /public/documents, no account)', () => {
  it('lists the body’s filed 依申请公开 documents by title and number only, found by title', async () => {
    const all = await publicClient.listRequestable(siteConfig.bodyId);
    expect(all.documents).toContainEqual({ id: docId, title: '关于某工业园区企业排污许可核查情况的报告' });
    // Title and number, nothing of the text, the reason or the file.
    for (const leak of [GIVEN, '商业秘密', 'report.txt', OTHERS_ID]) expect(JSON.stringify(all)).not.toContain(leak);
    expect((await publicClient.listRequestable(siteConfig.bodyId, '排污许可')).documents.map((d) => d.id)).toContain(docId);
    expect((await publicClient.listRequestable(siteConfig.bodyId, '没有这样的标题')).documents).toEqual([]);
    expect((await apiError(publicClient.listRequestable('no-such-body'))).status).toBe(400);
  });
});

describe('a filed document given to one applicant (部分公开)', () => {
  it('is checked when proposed, copied masked and redacted at delivery, downloadable by the applicant until it expires, never public', async () => {
    const receipt = await publicClient.submitApplication({ ...application, request: { ...application.request, documentId: docId } });
    const id = (await infocenter.listApplications(siteConfig.bodyId)).applications.find((a) => a.applicant === '测试申请人李四')!.id;
    let app = await infocenter.getApplication(id);
    expect(app.input.request.documentId).toBe(docId);

    // A passage that is not in the document, and a document this body does not have: refused, field by field.
    let err = await apiError(infocenter.stepApplication(id, app.version, partial(['这段话不在文件里面'])));
    expect(err.status).toBe(400);
    expect(err.body.error?.issues).toEqual([expect.objectContaining({ field: 'action.answer.withheld.0.passages', zh: expect.stringContaining('逐字复制') })]);
    err = await apiError(infocenter.stepApplication(id, app.version, partial([SECRET], [docId, 'NOSUCHDOC'])));
    expect(err.body.error?.issues).toEqual([expect.objectContaining({ field: 'action.answer.documents.1' })]);

    // Copied from the text with its white space changed: still found.
    app = await infocenter.stepApplication(id, app.version, partial([SECRET.replace('，', '， \n')]));
    app = await approver.stepApplication(id, app.version, { step: 'approve' });
    // Before delivery the applicant has nothing to download.
    expect((await publicClient.trackApplication(receipt.trackingCode)).documents).toBeUndefined();

    app = await infocenter.stepApplication(id, app.version, { step: 'deliver', method: '电子邮件' });
    expect(app.delivery?.documents).toEqual([expect.objectContaining({ id: docId, redacted: 1, masked: expect.any(Number) })]);
    expect(app.delivery!.documents![0]!.masked).toBeGreaterThanOrEqual(2);

    const tracked = await publicClient.trackApplication(receipt.trackingCode);
    expect(tracked.documents).toHaveLength(1);
    expect(tracked.documentsAvailableUntil).toBe(app.delivery!.availableUntil);
    const res = await fetch(tracked.documents![0]!.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
    const copy = await res.text();
    expect(copy).toContain(GIVEN);
    expect(copy).toContain('〔此处不予公开：保护第三方合法权益，依据《中华人民共和国政府信息公开条例》第十五条〕');
    for (const gone of ['185摄氏度', '催化剂配比', OTHERS_ID, OTHERS_MOBILE]) expect(copy).not.toContain(gone);
    expect(copy).toContain('仅供申请人测试申请人李四使用');
    // A SigV4 link to the private bucket's copy, for minutes (s3rver checks only the expiry of
    // a V4 signature — DESIGN.md — so what is signed is checked here, on the link itself).
    const link = new URL(tracked.documents![0]!.url);
    expect(decodeURIComponent(link.pathname)).toBe(`/${stack.names.buckets.drafts}/deliveries/${id}/${docId}.html`);
    expect(link.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(Number(link.searchParams.get('X-Amz-Expires'))).toBe(DELIVERY_LINK_SECONDS);
    expect(link.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(tracked.documents![0]!.expiresAt) - Date.now()).toBeLessThanOrEqual(DELIVERY_LINK_SECONDS * 1000);

    // Nothing of the document reaches the site bucket (decoded objects included).
    for (const [key, o] of await siteObjects(stack)) for (const secret of [GIVEN, '185摄氏度', OTHERS_ID]) expect(o.text, key).not.toContain(secret);

    // Archived, the copy stays available until its day; after it, no link is offered.
    app = await infocenter.stepApplication(id, app.version, { step: 'archive' });
    expect((await publicClient.trackApplication(receipt.trackingCode)).documents).toHaveLength(1);
    const after = Date.parse(`${app.delivery!.availableUntil}T16:00:00Z`) + 3600_000; // the next China day
    const t0 = Date.now();
    setClock(() => new Date(after + (Date.now() - t0)));
    const late = await publicClient.trackApplication(receipt.trackingCode);
    expect(late.status).toBe('ARCHIVED');
    expect(late.documents).toBeUndefined();
  });

  it('a 不予公开 answer gives no copy', async () => {
    await publicClient.submitApplication({
      ...application,
      applicant: { ...application.applicant, name: '测试申请人王五' },
      request: { ...application.request, documentId: docId },
    });
    const id = (await infocenter.listApplications(siteConfig.bodyId)).applications.find((a) => a.applicant === '测试申请人王五')!.id;
    let app = await infocenter.getApplication(id);
    app = await infocenter.stepApplication(id, app.version, {
      step: 'propose',
      answer: { type: '不予公开', withheld: [{ what: '核查报告', ground: 'third-party', reason: '属于企业商业秘密' }] },
    });
    app = await approver.stepApplication(id, app.version, { step: 'approve' });
    app = await infocenter.stepApplication(id, app.version, { step: 'deliver', method: '电子邮件' });
    expect(app.delivery?.documents).toBeUndefined();
    expect((await publicClient.trackApplication(app.trackingCode)).documents).toBeUndefined();
  });
});

describe('an application naming a historical document without an attribute (000 §二(三)1)', () => {
  it('opens its 公函 for the drafting unit, due by the application’s answer deadline', async () => {
    const unit = '运城市盐湖区发展和改革局'; // the unit of dev-drafter-fgw
    const imported = await infocenter.importHistorical({
      documents: [
        {
          title: '盐湖区发改局历史文件：2014年度园区项目核准情况',
          documentNumber: '运盐发改发〔2014〕8号',
          documentDate: '2014-06-01',
          draftingUnit: unit,
          file: { fileName: 'old.pdf', contentType: 'application/pdf', size: 1000 },
        },
      ],
    });
    const historical = imported.documents[0]!.id;
    const receipt = await publicClient.submitApplication({
      ...application,
      applicant: { ...application.applicant, name: '测试申请人赵六' },
      request: { description: '2014年度园区项目核准情况（历史文件）', documentId: historical },
    });
    const listed = (await stack.drafter.listHistorical()).documents.find((d) => d.id === historical)!;
    expect(listed.applications).toEqual([expect.objectContaining({ trackingCode: receipt.trackingCode, receivedOn: receipt.receivedOn })]);
    if (receipt.due.kind === 'due') expect(listed.determineBy).toBe(receipt.due.dueOn);
    // An id the catalogue does not list is refused, and says what to do.
    const err = await apiError(publicClient.submitApplication({ ...application, request: { ...application.request, documentId: 'H0000000000000000000000000' } }));
    expect(err.status).toBe(400);
    expect(err.body.error?.issues?.[0]).toMatchObject({ field: 'request.documentId', zh: expect.stringContaining('请从文件目录中选择') });
  });
});

describe('the identity document’s copy (Art. 29(一))', () => {
  it('is uploaded through a form scoped to one key of the private bucket and shown to the office only', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode('身份证复印件测试图像'), 0xff, 0xd9]);
    const receipt = await publicClient.submitApplication({
      ...application,
      applicant: { ...application.applicant, name: '测试申请人钱七' },
      request: { description: '申请公开本县2025年财政预算执行情况' },
      idCopy: { fileName: '身份证.jpg', contentType: 'image/jpeg', size: jpeg.length },
    });
    const form = receipt.idCopyUpload!;
    expect(form.fields.key).toMatch(/^applicant-uploads\/[^/]+\/id-copy$/);
    expect(form.contentType).toBe('image/jpeg');
    const id = (await infocenter.listApplications(siteConfig.bodyId)).applications.find((a) => a.applicant === '测试申请人钱七')!.id;
    expect((await infocenter.getApplication(id)).idCopy).toMatchObject({ fileName: '身份证.jpg', uploaded: false });

    await uploadFile(form, jpeg, '身份证.jpg');
    const seen = (await infocenter.getApplication(id)).idCopy!;
    expect(seen).toMatchObject({ uploaded: true, size: jpeg.length });
    const res = await fetch(seen.url!);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    // The tracking page says nothing of it; the site bucket holds nothing of it.
    expect(JSON.stringify(await publicClient.trackApplication(receipt.trackingCode))).not.toContain('id-copy');
    for (const [key] of await siteObjects(stack)) expect(key).not.toContain('id-copy');

    // Too large, or not an image or PDF: refused before any form is given, in both languages.
    const big = await apiError(
      publicClient.submitApplication({
        ...application,
        request: { description: '申请公开本县2025年财政预算执行情况' },
        idCopy: { fileName: 'a.jpg', contentType: 'image/jpeg', size: 6 * 1024 * 1024 },
      }),
    );
    expect(big.body.error?.issues?.[0]).toMatchObject({ field: 'idCopy.size', zh: expect.stringContaining('5 MB'), en: expect.stringContaining('5 MB') });
    const exe = await apiError(
      publicClient.submitApplication({
        ...application,
        request: { description: '申请公开本县2025年财政预算执行情况' },
        idCopy: { fileName: 'a.exe', contentType: 'application/x-msdownload' as 'image/jpeg', size: 100 },
      }),
    );
    expect(exe.body.error?.issues?.[0]?.field).toBe('idCopy.contentType');
  });
});

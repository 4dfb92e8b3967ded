import { addYears, chinaDay } from '#shared/clock';
import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type ApiError, fileSpec, GongkaiClient, uploadFile, type CreatedDraft } from '#client/gongkai';
import { validForm } from '../support/forms.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';
import { apiError, claimFor, dlqDepth, fileOnRequest, sitePage, tableClient } from '../support/api.ts';

/**
 * The pipeline end to end on the emulators: real SDK clients, real S3 events, real SQS
 * batches, the API over HTTP and the site through the local CDN.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ units: [PAYLOAD_UNIT] });
});
afterAll(async () => {
  await stack?.cleanup();
});

/** Markup in every free-text field of one draft, its drafting unit included (the page test). */
const PAYLOAD = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`;
const PAYLOAD_UNIT = `单位${PAYLOAD}`;

async function submit(client: GongkaiClient, file: string, form = validForm()): Promise<CreatedDraft & { bytes: Uint8Array }> {
  const { spec, bytes } = await fileSpec(corpus(file));
  const created = await client.createDraft({ form, files: { document: spec } });
  await uploadFile(created.uploads[0]!, bytes, spec.fileName);
  return { ...created, bytes };
}

async function claimAndDecide(approver: GongkaiClient, draftId: string, outcome: 'approve' | 'reject' = 'approve', reason?: string) {
  const claim = await claimFor(approver, draftId);
  return approver.decide(draftId, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome, ...(reason ? { reason } : {}) });
}

async function siteObjects(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.site, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: o.Key! }));
      out.set(o.Key!, await obj.Body!.transformToString());
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

describe('a corpus PDF from upload to public page', () => {
  it('is uploaded with plain fetch to the presigned URL, approved, and read from the local CDN', async () => {
    const created = await submit(stack.drafter, 'pdf/000_70017f665202e428.pdf');
    expect(created.status).toBe('AWAITING_UPLOAD');
    expect(created.uploads).toHaveLength(1);

    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending.status).toBe('PENDING_APPROVAL');
    expect(pending.files.document).toMatchObject({ kind: 'pdf', pages: expect.any(Number) });

    const decided = await claimAndDecide(stack.approver, created.id);
    expect(decided.status).toBe('PUBLISHING');
    const published = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    expect(published.publication!.url.startsWith(stack.siteUrl)).toBe(true);

    const page = await fetch(published.publication!.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const body = await page.text();
    expect(body).toContain('运城市盐湖区全面推进基层政务公开');
    expect(body).toContain('运盐政办发〔2020〕60号');
    // The whole text is there, not just the metadata: a sentence from the end of the notice.
    expect(body).toContain('试点领域');

    await stack.settle();
    const home = await (await fetch(`${stack.siteUrl}/`)).text();
    expect(home).toContain(`documents/${created.id}.html`);
    expect(published.files.document!.uploadedAt! <= published.history.find((h) => h.event === 'UPLOADED')!.at).toBe(true);

    // The history tells the whole story, once each.
    expect(published.history.map((h) => h.event)).toEqual(['SUBMITTED', 'UPLOADED', 'EXTRACTED', 'CHECKED', 'CLAIMED', 'APPROVED', 'PAGES_WRITTEN', 'PUBLISHED']);
    expect(published.history.find((h) => h.event === 'APPROVED')!.actor.name).toContain('李华');
  });

  it('publishes a policy document with its interpretation, each page linking to the other', async () => {
    const doc = await fileSpec(corpus('pdf/004_a31f9dc5403041b8.pdf'));
    const interp = await fileSpec(new URL('../../infra/local/samples/004-interpretation.txt', import.meta.url).pathname);
    const created = await stack.drafter.createDraft({
      form: validForm({
        title: '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见',
        documentType: '意见',
        isPolicy: true,
        interpretation: { mode: 'attached', format: '文字' },
      }),
      files: { document: doc.spec, interpretation: interp.spec },
    });
    expect(created.uploads.map((u) => u.part).sort()).toEqual(['document', 'interpretation']);
    // Only the document so far: the draft waits for the interpretation.
    await uploadFile(
      created.uploads.find((u) => u.part === 'document')!,
      doc.bytes,
      doc.spec.fileName,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect((await stack.drafter.getDraft(created.id)).status).toBe('AWAITING_UPLOAD');
    await uploadFile(
      created.uploads.find((u) => u.part === 'interpretation')!,
      interp.bytes,
      interp.spec.fileName,
    );
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    await claimAndDecide(stack.approver, created.id);
    const published = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);

    const docPage = await (await fetch(published.publication!.url)).text();
    expect(docPage).toContain(`href="../interpretations/${created.id}.html"`);
    const interpPage = await fetch(`${stack.siteUrl}/interpretations/${created.id}.html`);
    expect(interpPage.status).toBe(200);
    const interpBody = await interpPage.text();
    expect(interpBody).toContain(`href="../documents/${created.id}.html"`);
    expect(interpBody).toContain('出台背景和依据');
  });
});

describe('browser uploads', () => {
  it('are allowed by CORS on the drafts bucket and the API', async () => {
    const { spec } = await fileSpec(corpus('pdf/000_70017f665202e428.pdf'));
    const created = await stack.drafter.createDraft({ form: validForm(), files: { document: spec } });
    const preflight = await fetch(created.uploads[0]!.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(/\*|localhost:5173/);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const api = await fetch(`${stack.apiUrl}/drafts`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(api.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('renewed uploads', () => {
  it('hand out fresh presigned uploads for the files not yet received, to the own unit only', async () => {
    const doc = await fileSpec(corpus('pdf/004_a31f9dc5403041b8.pdf'));
    const interp = await fileSpec(new URL('../../infra/local/samples/004-interpretation.txt', import.meta.url).pathname);
    const created = await stack.drafter.createDraft({
      form: validForm({ title: `重新上传 ${Date.now()}`, isPolicy: true, documentType: '意见', interpretation: { mode: 'attached', format: '文字' } }),
      files: { document: doc.spec, interpretation: interp.spec },
    });
    await uploadFile(
      created.uploads.find((u) => u.part === 'document')!,
      doc.bytes,
      doc.spec.fileName,
    );
    const renewed = await stack.drafter.renewUploads(created.id);
    expect(renewed.uploads.map((u) => u.part)).toEqual(['interpretation']);
    const stranger = await apiError(new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb').renewUploads(created.id));
    expect(stranger.status).toBe(403);
    await uploadFile(renewed.uploads[0]!, interp.bytes, interp.spec.fileName);
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    const late = await apiError(stack.drafter.renewUploads(created.id));
    expect(late.status).toBe(409);
    expect(late.body.error!.zh).toContain('无需重新上传');
  });
});

describe('bad files', () => {
  // scanned_002.pdf is read by OCR, not refused (issue 14): test/integration/ocr-pipeline.test.ts.
  const bad = readdirSync(corpus('bad')).filter((f) => !f.startsWith('fake_docx_renamed') && !f.startsWith('fake_pdf_renamed') && !f.startsWith('scanned'));

  it.each(bad)('%s is rejected with a clear reason and the original upload kept', async (file) => {
    const created = await submit(stack.drafter, `bad/${file}`, validForm({ title: `问题文件 ${file}` }));
    const d = await stack.drafter.waitForStatus(created.id, ['REJECTED', 'PENDING_APPROVAL']);
    expect(d.status).toBe('REJECTED');
    const blocking = d.findings.filter((f) => f.severity === 'block');
    expect(blocking).toHaveLength(1);
    expect(blocking[0]!.ruleId).toBe('FILE-1');
    expect(blocking[0]!.zh).toMatch(/^文件正文：.+请/);
    expect(blocking[0]!.en.length).toBeGreaterThan(20);
    const expected = file.startsWith('encrypted') ? /密码|加密/ : file.startsWith('truncated') ? /损坏|不完整/ : /PDF|Word/;
    expect(blocking[0]!.zh).toMatch(expected);

    const kept = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.drafts, Key: `uploads/${created.id}/r1/document` }));
    expect(Buffer.from(await kept.Body!.transformToByteArray()).equals(Buffer.from(created.bytes))).toBe(true);
  });

  it.each(['fake_docx_renamed.pdf', 'fake_pdf_renamed.docx'])('%s is read by its content, with a warning about the name', async (file) => {
    const created = await submit(stack.drafter, `bad/${file}`, validForm({ title: `扩展名不符 ${file}` }));
    const d = await stack.drafter.waitForStatus(created.id, ['REJECTED', 'PENDING_APPROVAL']);
    expect(d.status).toBe('PENDING_APPROVAL');
    expect(d.files.document!.kind).toBe(file.endsWith('.pdf') ? 'docx' : 'pdf');
    expect(d.findings.some((f) => f.ruleId === 'FILE-1' && f.severity === 'warn' && /扩展名/.test(f.zh))).toBe(true);
  });
});

describe('the rulebook', () => {
  it('is listed by GET /rules and on a public page, each rule with its source', async () => {
    const { rules } = await stack.drafter.listRules();
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(['ATTR-1', 'ATTR-2', 'INT-1', 'FILE-1']));
    await stack.invoke('reconcile', {}); // asks for a site render, as the schedule does
    await stack.settle();
    const page = await fetch(`${stack.siteUrl}/rules.html`);
    expect(page.status).toBe(200);
    const body = await page.text();
    for (const r of rules) {
      expect(body).toContain(`<td>${r.id}</td>`);
      expect(body).toContain(r.source.replaceAll('&', '&amp;').replaceAll('<', '&lt;'));
    }
    expect(await (await fetch(`${stack.siteUrl}/`)).text()).toContain('href="./rules.html"');
  });
});

describe('the home page', () => {
  it('lists every document of a batch published at once (index rendering is serialized)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await submit(stack.drafter, i % 2 ? 'docx/001_635c498a68e213e6.docx' : 'pdf/002_6bc38a5105b87f60.pdf', validForm({ title: `同批发布 ${i} ${Date.now()}` }));
      ids.push(c.id);
    }
    const claims = [];
    for (const id of ids) {
      await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL']);
      claims.push(await claimFor(stack.approver, id));
    }
    // Decide all at once, so the publish stage gets them in one batch.
    await Promise.all(claims.map((c) => stack.approver.decide(c.draft!.id, { claimToken: c.claimToken!, version: c.draft!.version, outcome: 'approve' })));
    for (const id of ids) await stack.drafter.waitForStatus(id, ['PUBLISHED']);
    await stack.settle();
    const home = await sitePage(stack, 'index.html');
    for (const id of ids) expect(home).toContain(`documents/${id}.html`);
  });

  it('counts each publication in the annual report as it lands (no refresh needed)', async () => {
    const year = String(new Date().getUTCFullYear());
    const published = async () => {
      const page = await sitePage(stack, 'columns/report/index.html').catch(() => '');
      const row = new RegExp(`<th scope="row">${year}年</th><td>(\\d+)</td>`).exec(page);
      return row ? Number(row[1]) : 0;
    };
    await stack.settle();
    const before = await published();
    const c = await submit(stack.drafter, 'pdf/002_6bc38a5105b87f60.pdf', validForm({ title: `年度报告计数 ${Date.now()}` }));
    await stack.drafter.waitForStatus(c.id, ['PENDING_APPROVAL']);
    await claimAndDecide(stack.approver, c.id);
    await stack.drafter.waitForStatus(c.id, ['PUBLISHED']);
    expect(await published()).toBe(before + 1);
  });
});

describe('non-public documents', () => {
  it('are filed with a review date and never written to the site bucket', async () => {
    const marker = `依申请公开测试文件${Date.now()}`;
    // A document of its own, so that no published page can share its words.
    const decided = await fileOnRequest(
      stack,
      marker,
      `${marker}\n关于某工业园区企业排污许可核查情况的报告\n经核查，园区内三家企业的生产工艺参数和原料配方属于商业秘密，公开会损害其合法权益。`,
    );
    // A year from the day of filing, the day counted in China time.
    expect(decided.filing!.reviewDue).toBe(addYears(chinaDay(new Date(decided.filing!.filedAt)), 1));

    await stack.settle();
    const site = await siteObjects();
    expect(site.size).toBeGreaterThan(0); // earlier tests published pages: the check is not vacuous
    for (const [key, page] of site) {
      expect(key).not.toContain(decided.id);
      expect(page).not.toContain(decided.id);
      expect(page).not.toContain(marker);
      expect(page).not.toContain('原料配方');
    }
  });

  it('with a vague reason and no legal basis are rejected by ATTR-2 before any approver sees them', async () => {
    const created = await submit(stack.drafter, 'pdf/000_70017f665202e428.pdf', validForm({ attribute: '不予公开', nonPublicReason: '内部文件，不宜公开' }));
    expect(created.preflight.map((f) => f.ruleId)).toEqual(['ATTR-2', 'ATTR-2']);
    const d = await stack.drafter.waitForStatus(created.id);
    expect(d.status).toBe('REJECTED');
    expect(d.findings.map((f) => f.ruleId)).toEqual(['ATTR-2', 'ATTR-2']);
    expect(d.findings[0]!.zh).toContain('过于笼统');
    expect(d.findings[1]!.zh).toContain('第十六条');
  });
});

describe('the API', () => {
  it('answers a bad declaration with 400 and a bilingual message per field', async () => {
    const { spec } = await fileSpec(corpus('pdf/000_70017f665202e428.pdf'));
    const apiErr = await apiError(
      stack.drafter.createDraft({ form: { ...validForm(), title: '', documentDate: '2020-13-45', documentType: '便条' as never }, files: { document: spec } }),
    );
    expect(apiErr.status).toBe(400);
    const fields = apiErr.body.error!.issues!.map((i) => i.field).sort();
    expect(fields).toEqual(['form.documentDate', 'form.documentType', 'form.title']);
    for (const issue of apiErr.body.error!.issues!) {
      expect(issue.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(issue.en).toMatch(/[a-z]/);
    }
  });

  it('rejects a declared size over the limit and an unsupported type before handing out an upload', async () => {
    const err = await apiError(
      stack.drafter.createDraft({ form: validForm(), files: { document: { fileName: 'a.exe', contentType: 'application/x-msdownload' as never, size: 10 } } }),
    );
    expect(err.status).toBe(400);
    expect(err.body.error!.issues![0]!.field).toBe('files.document.contentType');
  });

  it('needs a token, and the right role', async () => {
    const anonymous = await fetch(`${stack.apiUrl}/tasks`);
    expect(anonymous.status).toBe(401);
    const asDrafter = await apiError(stack.drafter.claim());
    expect(asDrafter.status).toBe(403);
    expect(asDrafter.body.error!.zh).toContain('角色');
  });

  it('never lets an approver decide their own submission', async () => {
    const both = new GongkaiClient(stack.apiUrl, 'dev-drafter-approver');
    const created = await submit(both, 'docx/000_70017f665202e428.docx', validForm({ title: `本人提交 ${Date.now()}`, draftingUnit: '运城市盐湖区人民政府办公室' })); // the unit of dev-drafter-approver
    await both.waitForStatus(created.id, ['PENDING_APPROVAL']);
    // Claiming skips the own submission…
    for (let i = 0; i < 5; i++) {
      const claim = await both.claim();
      expect(claim.draft?.id).not.toBe(created.id);
      if (claim.draft) await both.decide(claim.draft.id, { claimToken: claim.claimToken!, version: claim.draft.version, outcome: 'reject', reason: '测试中清理 / cleanup' });
      else break;
    }
    // …and someone else can take it.
    const decided = await claimAndDecide(stack.approver2, created.id);
    expect(decided.status).toBe('PUBLISHING');
  });

  it('lets exactly one of two approvers decide a task; the other gets 409', async () => {
    const created = await submit(stack.drafter, 'docx/001_635c498a68e213e6.docx', validForm({ title: `竞争审批 ${Date.now()}` }));
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    const claim = await claimFor(stack.approver, created.id);
    // While the first approver holds the lease, the task is not handed to the second.
    const other = await stack.approver2.claim();
    expect(other.draft?.id).not.toBe(created.id);
    const decision = { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' as const };
    const results = await Promise.allSettled([stack.approver.decide(created.id, decision), stack.approver2.decide(created.id, decision)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((loser.reason as ApiError).status).toBe(409);
    // The same approver deciding twice: the second is a conflict too, not a second decision.
    const again = await apiError(stack.approver.decide(created.id, decision));
    expect(again.status).toBe(409);
    const d = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    expect(d.history.filter((h) => h.event === 'APPROVED')).toHaveLength(1);
  });
});

describe('at-least-once delivery', () => {
  it('ignores repeated S3 events and stage messages for a finished draft', async () => {
    const created = await submit(stack.drafter, 'pdf/002_6bc38a5105b87f60.pdf', validForm({ title: `重复消息 ${Date.now()}` }));
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    await claimAndDecide(stack.approver, created.id);
    const before = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);

    const s3Event = { Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: stack.names.buckets.drafts }, object: { key: `uploads/${created.id}/r1/document` } } }] };
    for (const [queue, body] of [
      ['extract', s3Event],
      ['extract', { draftId: created.id }],
      ['check', { draftId: created.id }],
      ['publish', { draftId: created.id }],
    ] as const) {
      await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.queues[queue].url, MessageBody: JSON.stringify(body) }));
    }
    await stack.settle();
    const after = await stack.drafter.getDraft(created.id);
    expect(after.version).toBe(before.version);
    expect(after.history).toEqual(before.history);
  });

  it('restores a waiting task whose inbox entry is missing (the reconciler)', async () => {
    const created = await submit(stack.drafter, 'docx/002_6bc38a5105b87f60.docx', validForm({ title: `丢失任务 ${Date.now()}` }));
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    // The item as an older version (or a hand edit) left it: the draft waits, but no inbox entry.
    await tableClient(stack).send(
      new UpdateItemCommand({
        TableName: stack.names.table,
        Key: { pk: { S: `DRAFT#${created.id}` }, sk: { S: 'DRAFT' } },
        UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
      }),
    );
    await expect(claimFor(stack.approver2, created.id)).rejects.toThrow(/could not claim/);

    const report = await stack.invoke<{ requeued: { id: string }[] }>('reconcile', { stageSeconds: 0 });
    expect(report.requeued.map((r) => r.id)).toContain(created.id);
    const decided = await claimAndDecide(stack.approver, created.id);
    expect(decided.status).toBe('PUBLISHING');
    expect(decided.history.some((h) => h.event === 'TASK_INBOX_RESTORED')).toBe(true);
  });

  it('a publication whose site message was lost waits in LISTING, pages written, and the reconciler completes it', async () => {
    const created = await submit(stack.drafter, 'docx/002_6bc38a5105b87f60.docx', validForm({ title: `丢失上线消息 ${Date.now()}` }));
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    const send = SQSClient.prototype.send;
    let dropped = 0;
    vi.spyOn(SQSClient.prototype, 'send').mockImplementation(function (this: SQSClient, command: unknown, ...rest: unknown[]) {
      const body = command instanceof SendMessageCommand ? JSON.parse(command.input.MessageBody ?? 'null') : undefined;
      if (body?.op === 'publish' && body.draftId === created.id && dropped === 0) {
        // Lost on the way: the sender saw success, nothing arrives.
        dropped++;
        return Promise.resolve({ MessageId: 'lost', $metadata: {} });
      }
      return (send as (...x: unknown[]) => unknown).call(this, command, ...rest);
    } as typeof send);
    let listing: Awaited<ReturnType<GongkaiClient['getDraft']>>;
    try {
      await claimAndDecide(stack.approver, created.id);
      listing = await stack.drafter.waitForStatus(created.id, ['LISTING']);
      expect(dropped).toBe(1);
      expect(listing.publication?.url).toBeTruthy();
      expect(listing.history.at(-1)).toMatchObject({ event: 'PAGES_WRITTEN', from: 'PUBLISHING', to: 'LISTING' });
    } finally {
      vi.restoreAllMocks();
    }
    await stack.settle();
    expect((await stack.drafter.getDraft(created.id)).status).toBe('LISTING');
    const report = await stack.invoke<{ requeued: { id: string; status: string }[] }>('reconcile', { stageSeconds: 0 });
    expect(report.requeued).toContainEqual({ id: created.id, status: 'LISTING' });
    const published = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    // The pages written before are the pages published: the same 索引号, written once more with the stored publication.
    expect(published.publication).toEqual(listing.publication);
    expect(published.history.filter((h) => h.event === 'PAGES_WRITTEN')).toHaveLength(1);
  });

  it('moves a poison message to the dead-letter queue after maxReceiveCount deliveries', async () => {
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.check.url, MessageBody: '{"not":"a draft message"}' }));
    expect(await dlqDepth(stack, 'check')).toBe(1);
  });
});

describe('pages', () => {
  it('escape every piece of user text', async () => {
    const payload = PAYLOAD;
    // Submitted by a drafter of the payload unit (a drafter submits in their own unit's name only).
    const drafter = stack.drafterFor(PAYLOAD_UNIT);
    const created = await submit(
      drafter,
      'pdf/001_635c498a68e213e6.pdf',
      validForm({ title: `标题${payload}`, documentNumber: `号${payload}`.slice(0, 60), draftingUnit: PAYLOAD_UNIT }),
    );
    await drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    await claimAndDecide(stack.approver, created.id);
    const d = await drafter.waitForStatus(created.id, ['PUBLISHED']);
    await stack.settle();
    for (const body of [await (await fetch(d.publication!.url)).text(), await sitePage(stack, 'index.html')]) {
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});

describe('personal data', () => {
  it('is masked on the public page and never written unmasked to the site bucket', async () => {
    const path = new URL('../../infra/local/samples/personal-data-notice.txt', import.meta.url).pathname;
    const { spec, bytes } = await fileSpec(path);
    const created = await stack.drafter.createDraft({
      form: validForm({ title: `临时救助对象公示 ${Date.now()}`, documentNumber: undefined, documentType: '公告', domain: '社会救助' }),
      files: { document: spec },
    });
    await uploadFile(created.uploads[0]!, bytes, spec.fileName);
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending.status).toBe('PENDING_APPROVAL');
    const pub4 = pending.findings.filter((f) => f.ruleId === 'PUB-4');
    expect(pub4.map((f) => f.evidence?.length)).not.toHaveLength(0);
    await claimAndDecide(stack.approver, created.id);
    const d = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    const page = await (await fetch(d.publication!.url)).text();
    expect(page).toContain('140802********0026');
    expect(page).toContain('监督电话：0359-2025678');
    await stack.settle();
    for (const [, content] of await siteObjects()) {
      for (const raw of ['140802196503120026', '140802197809210045', '13935912345', '13803591234']) expect(content).not.toContain(raw);
    }
  });
});

describe('the original upload', () => {
  it('is stored byte for byte under its own key', async () => {
    const bytes = new Uint8Array(await readFile(corpus('docx/004_a31f9dc5403041b8.docx')));
    const created = await submit(stack.drafter, 'docx/004_a31f9dc5403041b8.docx', validForm({ title: `原件保存 ${Date.now()}` }));
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    const kept = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.drafts, Key: `uploads/${created.id}/r1/document` }));
    expect(Buffer.from(await kept.Body!.transformToByteArray()).equals(Buffer.from(bytes))).toBe(true);
  });
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { type ApiError, GongkaiClient, uploadFile } from '#client/gongkai';
import { chinaDate, deadlineAfter } from '#shared/calendar';
import { addYears, chinaDay, now, resetClock, setClock } from '#shared/clock';
import { siteConfig } from '#shared/site/config';
import type { Draft } from '#shared/domain/draft';
import { validForm } from '../support/forms.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { apiError, claimFor, dlqDepth } from '../support/api.ts';

/**
 * The approval and re-review workflow on the emulators, with the clock moved by setClock:
 * a filed document comes back a year later, exactly once; it is kept or converted and
 * published; applications bring it back early; leases expire and extend; overdue tasks
 * are listed; duplicated messages change nothing; the due query reads only what is due.
 */
let stack: TestStack;
let infocenter: GongkaiClient;

beforeAll(async () => {
  stack = await startTestStack();
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
});
afterAll(async () => {
  resetClock();
  await stack?.cleanup();
});
afterEach(() => resetClock());

const DAY = 24 * 3600 * 1000;
/** Moves "now" to `base` + `ms` (only the application's clock: SQS and S3 keep real time). */
function moveClock(base: Date, ms: number): void {
  const t0 = Date.now();
  setClock(() => new Date(base.getTime() + ms + (Date.now() - t0)));
}
/** `d` plus whole years (same day of the year), plus an hour. */
const yearsAfter = (d: Date, years: number) => {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out.getTime() - d.getTime() + 3600_000;
};

type ScheduleReport = { scanned: number; due: number; queued: number };
const scheduleReviews = () => stack.invoke<ScheduleReport>('schedule-reviews', { source: 'aws.events' });

/** Submits a small text document; non-public ones carry a concrete reason and legal basis. */
async function submitText(title: string, attribute: '主动公开' | '依申请公开' = '依申请公开') {
  const body = `${title}\n关于某工业园区企业排污许可核查情况的报告\n经核查，园区内三家企业的生产工艺参数和原料配方属于商业秘密。\n`;
  const bytes = new TextEncoder().encode(body);
  const created = await stack.drafter.createDraft({
    form: validForm({
      title,
      documentNumber: undefined,
      attribute,
      ...(attribute === '依申请公开'
        ? { nonPublicReason: '报告附有企业生产工艺参数和原料配方，属于商业秘密，公开会损害第三方合法权益', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' }
        : {}),
    }),
    files: { document: { fileName: 'report.txt', contentType: 'text/plain', size: bytes.length } },
  });
  await uploadFile(created.uploads[0]!, bytes, 'report.txt');
  await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
  return created.id;
}

async function fileDocument(title: string) {
  const id = await submitText(title);
  const claim = await claimFor(stack.approver, id);
  const filed = await stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
  expect(filed.status).toBe('FILED');
  return filed;
}

const count = (d: { history: { event: string }[] }, event: string) => d.history.filter((h) => h.event === event).length;

describe('the yearly re-review (REV-1)', () => {
  it('brings a filed document back a year later exactly once, keeps it for another year, then converts and publishes it', async () => {
    // Filed in the last minutes of a China day (UTC+8), so that a year and an hour later is the next China day:
    // the review dates must follow the day of each decision, not the UTC day or the first filing.
    const nextDay = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
    moveClock(new Date(`${nextDay}T15:58:00.000Z`), 0);
    const filed = await fileDocument(`年度复核 ${Date.now()}`);
    expect(filed.filing!.filedAt < `${nextDay}T16:00:00.000Z`).toBe(true);
    const id = filed.id;
    const filedAt = new Date(filed.filing!.filedAt);
    // A year from the day of filing, the day counted in China time (shared/clock.ts).
    expect(filed.filing!.reviewDue).toBe(addYears(chinaDay(filedAt), 1));

    // Not due yet: the schedule finds nothing.
    expect(await scheduleReviews()).toMatchObject({ due: 0, queued: 0 });

    // A year later: the schedule runs twice (and twice at once), one task is queued.
    moveClock(filedAt, yearsAfter(filedAt, 1));
    const runs = [await scheduleReviews(), ...(await Promise.all([scheduleReviews(), scheduleReviews()]))];
    expect(runs.reduce((n, r) => n + r.queued, 0)).toBe(1);
    const reviewing = await stack.drafter.getDraft(id);
    expect(reviewing.status).toBe('REVIEWING');
    expect(reviewing.task).toMatchObject({ id: `${id}:review:${filed.filing!.reviewDue}`, kind: 'review' });
    expect(count(reviewing, 'REVIEW_QUEUED')).toBe(1);

    const claim = await claimFor(stack.approver2, id);
    expect(claim.draft!.task).toMatchObject({ kind: 'review' });
    // While approver2 holds it, it is not handed to anyone else (its inbox entry waits for the lease's end).
    expect((await stack.approver.claim()).claimToken).toBeNull();

    // A review task takes keep or convert, each with a reason.
    const wrong = await apiError(stack.approver2.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' }));
    expect(wrong.status).toBe(400);
    const noReason = await apiError(stack.approver2.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'keep' }));
    expect(noReason.status).toBe(400);
    expect(noReason.body.error?.issues?.[0]?.field).toBe('reason');

    const kept = await stack.approver2.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'keep', reason: '商业秘密情形仍然存在' });
    expect(kept.status).toBe('FILED');
    // The next review is a year from the day of this decision (China time), which is the day after the
    // first anniversary when the filing was made within the last hour of a China day.
    const keptAt = new Date(kept.history.at(-1)!.at);
    expect(kept.filing!.reviewDue).toBe(addYears(chinaDay(keptAt), 1));
    expect(kept.filing!.reviewDue >= addYears(chinaDay(filedAt), 2)).toBe(true);
    expect(kept.history.at(-1)).toMatchObject({ event: 'REVIEW_KEPT', from: 'REVIEWING', to: 'FILED', actor: { name: '陈静（分管领导）', role: 'approver' } });
    expect(kept.history.at(-1)!.note).toContain('商业秘密情形仍然存在');

    // Decided: the task left the inbox with the decision, so nothing is handed out.
    expect((await stack.approver.claim()).claimToken).toBeNull();
    expect(await scheduleReviews()).toMatchObject({ queued: 0 }); // the next review is a year on
    const after = await stack.drafter.getDraft(id);
    expect(count(after, 'REVIEW_QUEUED')).toBe(1);
    expect(count(after, 'REVIEW_KEPT')).toBe(1);

    // Two years on: due again; two approvers race on the conversion, exactly one wins.
    moveClock(keptAt, yearsAfter(keptAt, 1));
    expect(await scheduleReviews()).toMatchObject({ due: 1, queued: 1 });
    const claim2 = await claimFor(stack.approver, id);
    const decision = { claimToken: claim2.claimToken!, version: claim2.draft!.version, outcome: 'convert' as const, reason: '涉及的商业秘密已公开，转为主动公开' };
    const results = await Promise.allSettled([stack.approver.decide(id, decision), stack.approver2.decide(id, decision)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as ApiError).status).toBe(409);

    const published = await stack.drafter.waitForStatus(id, ['PUBLISHED']);
    expect(published.form.attribute).toBe('主动公开');
    expect(published.decision).toMatchObject({ outcome: 'convert' });
    // Formed years before (the form's 成文日期): past the Art. 26 limit, and it says so (even when
    // this test's clock, a year on, is past the holiday calendar and the days cannot be counted).
    expect(published.art26).toMatchObject({ formedOn: published.form.documentDate, publishedOn: chinaDate(published.publication!.publishedAt), withinLimit: false });
    const converted = published.history.find((h) => h.event === 'REVIEW_CONVERTED')!;
    expect(converted).toMatchObject({ from: 'REVIEWING', to: 'PUBLISHING' });
    expect(converted.note).toContain('依申请公开');
    expect(converted.note).toContain('涉及的商业秘密已公开');
    const page = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: published.publication!.path }));
    expect(await page.Body!.transformToString()).toContain(published.form.title);
    await stack.settle();
  });
});

describe('the Art. 26 publication clock (PUB-5)', () => {
  it('counts 20 working days from the 成文日期 of a 主动公开 document, and the days it took once published', async () => {
    const formedOn = chinaDate(new Date());
    const title = `第二十六条时限 ${Date.now()}`;
    const bytes = new TextEncoder().encode(`${title}\n关于做好本县春季农业生产工作的通知\n各乡镇人民政府：请认真做好春耕备耕工作。\n`);
    const created = await stack.drafter.createDraft({
      form: validForm({ title, documentNumber: undefined, attribute: '主动公开', documentDate: formedOn }),
      files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: bytes.length } },
    });
    await uploadFile(created.uploads[0]!, bytes, 'notice.txt');
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    const due = deadlineAfter(formedOn, 20);
    expect(pending.art26).toEqual(due.kind === 'due' ? { formedOn, due: due.due } : { formedOn, due: null, uncoveredYear: due.year });
    // The approver's task list shows the day it must be published by.
    const task = (await infocenter.listTasks()).tasks.find((t) => t.draftId === created.id);
    expect(task?.publishBy).toBe(due.kind === 'due' ? due.due : undefined);
    const claim = await claimFor(stack.approver, created.id);
    await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    expect(published.art26).toMatchObject({ formedOn, publishedOn: chinaDate(published.publication!.publishedAt), workingDaysTaken: 0, withinLimit: true });
    await stack.settle();
  });
});

describe('the information centre filing (ATTR-3)', () => {
  it('comes before approval for a non-public policy document, and only the information centre takes it', async () => {
    const title = `关于园区企业环境信用评价办法的通知（备案测试 ${Date.now()}）`;
    const docText = `${title}\n第一条 为规范园区企业环境信用评价工作，制定本办法。\n第二条 评价结果涉及企业生产工艺参数，属于商业秘密。\n`;
    const interpText =
      '关于《园区企业环境信用评价办法》的解读\n一、出台背景和依据：落实生态环境信用管理要求。\n二、主要内容：明确评价指标、程序和结果运用。\n三、适用对象：园区内排污单位。\n解读机关：区生态环境局。\n';
    const enc = (t: string) => new TextEncoder().encode(t);
    const created = await stack.drafter.createDraft({
      form: validForm({
        title,
        documentNumber: undefined,
        isPolicy: true,
        attribute: '依申请公开',
        nonPublicReason: '评价结果附有企业生产工艺参数，属于商业秘密，公开会损害第三方合法权益',
        legalBasis: '《中华人民共和国政府信息公开条例》第十五条',
        interpretation: { mode: 'attached', format: '文字' },
      }),
      files: {
        document: { fileName: 'banfa.txt', contentType: 'text/plain', size: enc(docText).length },
        interpretation: { fileName: 'jiedu.txt', contentType: 'text/plain', size: enc(interpText).length },
      },
    });
    for (const u of created.uploads) await uploadFile(u, enc(u.part === 'document' ? docText : interpText), `${u.part}.txt`);
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending.status, JSON.stringify(pending.findings.filter((f) => f.severity === 'block'))).toBe('PENDING_APPROVAL');
    expect(pending.findings.map((f) => f.ruleId)).toContain('ATTR-3');
    expect(pending.task).toMatchObject({ kind: 'file' });

    // Approvers are not handed the filing; the information centre is, and only to acknowledge it.
    expect((await stack.approver.claim()).claimToken).toBeNull();
    const filing = await claimFor(infocenter, created.id);
    expect(filing.draft!.task).toMatchObject({ kind: 'file' });
    expect((await apiError(infocenter.decide(created.id, { claimToken: filing.claimToken!, version: filing.draft!.version, outcome: 'approve' }))).status).toBe(400);
    const filed = await infocenter.decide(created.id, { claimToken: filing.claimToken!, version: filing.draft!.version, outcome: 'acknowledge', reason: '已备案' });
    expect(filed.status).toBe('PENDING_APPROVAL');
    expect(filed.infocenterFiling).toMatchObject({ by: { name: '刘洋（信息中心）', role: 'infocenter' }, note: '已备案' });
    expect(filed.task).toMatchObject({ kind: 'approve' });

    // Then the approval, which the information centre does not take.
    expect((await infocenter.claim()).claimToken).toBeNull();
    const claim = await claimFor(stack.approver, created.id);
    const approved = await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    expect(approved.status).toBe('FILED');
    expect(approved.history.map((h) => h.event)).toEqual(['SUBMITTED', 'UPLOADED', 'EXTRACTED', 'CHECKED', 'CLAIMED', 'INFOCENTER_FILED', 'CLAIMED', 'APPROVED_FILED']);
  });
});

describe('return for revision', () => {
  it('sends the draft back with the reason; the new revision goes through the pipeline again and every version is kept', async () => {
    const title = `退回修改 ${Date.now()}`;
    const id = await submitText(title, '主动公开');
    const claim = await claimFor(stack.approver, id);
    const noReason = await apiError(stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'return' }));
    expect(noReason.status).toBe(400);
    const returned = await stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'return', reason: '请补充发文依据' });
    expect(returned.status).toBe('RETURNED');
    const seen = await stack.drafter.getDraft(id);
    expect(seen.decision).toMatchObject({ outcome: 'return', reason: '请补充发文依据' });

    // Another unit cannot revise it; a draft that was not returned takes no revision.
    const otherUnit = new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb');
    const body2 = `${title}（第二版）\n根据《中华人民共和国政府信息公开条例》，现将有关事项通知如下。\n`;
    const bytes2 = new TextEncoder().encode(body2);
    const req = {
      form: validForm({ title: `${title}（第二版）`, documentNumber: undefined }),
      files: { document: { fileName: 'report-v2.txt', contentType: 'text/plain' as const, size: bytes2.length } },
    };
    expect((await apiError(otherUnit.reviseDraft(id, req))).status).toBe(403);

    const revised = await stack.drafter.reviseDraft(id, req);
    expect(revised).toMatchObject({ status: 'AWAITING_UPLOAD', revision: 2 });
    expect(revised.uploads[0]!.fields.key ?? revised.uploads[0]!.fields.Key).toBe(`uploads/${id}/r2/document`);
    expect((await apiError(stack.drafter.reviseDraft(id, req))).status).toBe(409);
    await uploadFile(revised.uploads[0]!, bytes2, 'report-v2.txt');
    const pending = await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending).toMatchObject({ status: 'PENDING_APPROVAL', revision: 2 });
    expect(pending.task).toMatchObject({ id: `${id}:approve:r2`, kind: 'approve' });

    // A late S3 event for revision 1 changes nothing.
    const oldEvent = { Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: stack.names.buckets.drafts }, object: { key: `uploads/${id}/r1/document` } } }] };
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.extract.url, MessageBody: JSON.stringify(oldEvent) }));
    await stack.settle();
    expect((await stack.drafter.getDraft(id)).version).toBe(pending.version);

    const claim2 = await claimFor(stack.approver2, id);
    expect(claim2.texts?.document).toContain('第二版');
    await stack.approver2.decide(id, { claimToken: claim2.claimToken!, version: claim2.draft!.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(id, ['PUBLISHED']);
    expect(published.history.map((h) => h.event)).toEqual([
      'SUBMITTED',
      'UPLOADED',
      'EXTRACTED',
      'CHECKED',
      'CLAIMED',
      'RETURNED_FOR_REVISION',
      'REVISION_SUBMITTED',
      'UPLOADED',
      'EXTRACTED',
      'CHECKED',
      'CLAIMED',
      'APPROVED',
      'PAGES_WRITTEN',
      'PUBLISHED',
    ]);

    // Both versions are kept in the drafts bucket, uploads and extracted text.
    const keys = (await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: `uploads/${id}/` }))).Contents!.map((o) => o.Key);
    expect(keys.sort()).toEqual([`uploads/${id}/r1/document`, `uploads/${id}/r2/document`]);
    const r1 = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.drafts, Key: `uploads/${id}/r1/document` }));
    expect(await r1.Body!.transformToString()).toContain('关于某工业园区企业排污许可核查情况的报告');
    const extracted = (await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: `extracted/${id}/` }))).Contents!.map((o) => o.Key!);
    expect(extracted.some((k) => k.includes('/r1/'))).toBe(true);
    expect(extracted.some((k) => k.includes('/r2/'))).toBe(true);
  });
});

describe('early re-review on applications (REV-2)', () => {
  /** An application naming the document, registered by the information centre (a letter received today). */
  const applyFor = (documentId: string, name: string) =>
    infocenter.registerApplication({
      channel: '信函',
      receivedOn: chinaDate(now()),
      application: {
        body: siteConfig.bodyId,
        applicant: { type: '公民', name, idType: '居民身份证', idNumber: '110101199001011237', phone: '0359-2021234' },
        request: { description: '申请公开工业园区企业排污许可核查情况的报告', documentId },
        delivery: '当面领取',
        format: '纸质文本',
      },
    });
  const recorded = async (id: string) => count(await stack.drafter.getDraft(id), 'APPLICATION_RECORDED');

  it('counts the applications naming a filed document and queues its review once those of 12 months reach the threshold, and only once', async () => {
    // A deployment setting: every function gets it, as a new deployment would give it.
    stack.configure({ REVIEW_APPLICATION_THRESHOLD: '3' });
    try {
      const filed = await fileDocument(`申请复核 ${Date.now()}`);
      const id = filed.id;

      // An application 13 months old does not count.
      const start = new Date(filed.filing!.filedAt);
      moveClock(start, -400 * DAY);
      await applyFor(id, '旧申请人');
      resetClock();
      await applyFor(id, '申请人甲');
      await applyFor(id, '申请人乙');
      expect((await stack.drafter.getDraft(id)).status).toBe('FILED');
      const third = await applyFor(id, '申请人丙');
      expect(third.input.request.documentId).toBe(id);
      let draft = await stack.drafter.getDraft(id);
      expect(draft.status).toBe('REVIEWING');
      expect(draft.history.find((h) => h.event === 'REVIEW_QUEUED')?.note).toContain('申请公开达到 3 件');
      await applyFor(id, '申请人丁');
      draft = await stack.drafter.getDraft(id);
      expect(count(draft, 'REVIEW_QUEUED')).toBe(1);
      expect(count(draft, 'APPLICATION_RECORDED')).toBe(5);
      expect(draft.applications).toBe(5);
      expect(await scheduleReviews()).toMatchObject({ queued: 0 });

      const claim = await claimFor(stack.approver, id);
      const kept = await stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'keep', reason: '申请人均已依申请获得' });
      expect(kept.status).toBe('FILED');

      // A document still in approval, or one that does not exist, cannot be applied for by id (listed documents only).
      const open = await submitText(`主动公开不登记 ${Date.now()}`, '主动公开');
      for (const documentId of [open, 'NOSUCHDOCUMENT']) {
        const err = await apiError(applyFor(documentId, '申请人戊'));
        expect(err.status).toBe(400);
        expect(err.body.error?.issues?.[0]?.field).toBe('application.request.documentId');
      }
      expect(await recorded(open)).toBe(0);
      const c = await claimFor(stack.approver, open);
      await stack.approver.decide(open, { claimToken: c.claimToken!, version: c.draft!.version, outcome: 'reject', reason: '测试清理' });
    } finally {
      stack.configure({ REVIEW_APPLICATION_THRESHOLD: undefined });
    }
  });
});

describe('leases', () => {
  it('an expired lease cannot decide (409) and the task goes to another approver', async () => {
    const id = await submitText(`租约过期 ${Date.now()}`, '主动公开');
    const claim = await claimFor(stack.approver, id, { leaseSeconds: 60 });
    // 61 seconds pass on the application's clock: the lease has ended, the task is claimable again.
    moveClock(new Date(), 61_000);
    const late = await apiError(stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' }));
    expect(late.status).toBe(409);
    expect((await apiError(stack.approver.extendLease(id, { claimToken: claim.claimToken! }))).status).toBe(409);

    const claim2 = await claimFor(stack.approver2, id);
    const decided = await stack.approver2.decide(id, { claimToken: claim2.claimToken!, version: claim2.draft!.version, outcome: 'approve' });
    expect(decided.status).toBe('PUBLISHING');
    expect(decided.decision!.by.name).toBe('陈静（分管领导）');
    await stack.drafter.waitForStatus(id, ['PUBLISHED']);
  });

  it('a live lease is extended while the approver works', async () => {
    const id = await submitText(`延长租约 ${Date.now()}`, '主动公开');
    const claim = await claimFor(stack.approver, id, { leaseSeconds: 60 });
    expect((await apiError(stack.approver2.extendLease(id, { claimToken: claim.claimToken! }))).status).toBe(409);
    const extended = await stack.approver.extendLease(id, { claimToken: claim.claimToken!, leaseSeconds: 1800 });
    expect(Date.parse(extended.leaseUntil) - Date.parse(claim.leaseUntil!)).toBeGreaterThan(1700_000);
    // Past the first lease, within the extended one: the claim still holds, nobody else gets it.
    moveClock(new Date(), 120_000);
    expect((await stack.approver2.claim()).claimToken).toBeNull();
    const d = await stack.approver.getDraft(id);
    expect(d.history.at(-1)).toMatchObject({ event: 'LEASE_EXTENDED' });
    const decided = await stack.approver.decide(id, { claimToken: claim.claimToken!, version: d.version, outcome: 'approve' });
    expect(decided.status).toBe('PUBLISHING');
    await stack.drafter.waitForStatus(id, ['PUBLISHED']);
  });
});

describe('scheduled approval', () => {
  it('approves now and publishes when the time comes (the reconciler releases it)', async () => {
    const id = await submitText(`定时发布 ${Date.now()}`, '主动公开');
    const claim = await claimFor(stack.approver, id);
    const publishAt = new Date(Date.now() + 3600_000).toISOString();
    const badTime = await apiError(stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve', publishAt: '明天上午' }));
    expect(badTime.status).toBe(400);
    const scheduled = await stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve', publishAt, reason: '同意，按时发布' });
    expect(scheduled.status).toBe('SCHEDULED');

    await stack.invoke('reconcile', {});
    await stack.settle();
    expect((await stack.drafter.getDraft(id)).status).toBe('SCHEDULED');

    moveClock(new Date(), 2 * 3600_000);
    const report = await stack.invoke<{ requeued: { id: string }[] }>('reconcile', {});
    expect(report.requeued.map((r) => r.id)).toContain(id);
    const published = await stack.drafter.waitForStatus(id, ['PUBLISHED']);
    expect(published.history.map((h) => h.event).slice(-4)).toEqual(['APPROVED_SCHEDULED', 'SCHEDULED_RELEASE', 'PAGES_WRITTEN', 'PUBLISHED']);
    expect(Date.parse(published.publication!.publishedAt)).toBeGreaterThanOrEqual(Date.parse(publishAt));
    // A second run releases nothing twice.
    expect((await stack.invoke<{ requeued: { id: string }[] }>('reconcile', {})).requeued.map((r) => r.id)).not.toContain(id);
  });
});

describe('overdue tasks', () => {
  it('are flagged after TASK_OVERDUE_DAYS working days and listed for the information centre', async () => {
    const id = await submitText(`逾期任务 ${Date.now()}`, '主动公开');
    expect((await infocenter.listTasks({ overdue: true })).tasks.map((t) => t.draftId)).not.toContain(id);
    const all = await infocenter.listTasks();
    expect(all.tasks.find((t) => t.draftId === id)).toMatchObject({ kind: 'approve', overdue: false, waitingWorkingDays: 0 });

    // Five and six working days on by China's calendar (weekends, holidays and 调休 as they fall).
    const queuedOn = chinaDate(new Date());
    const on = (n: number) => deadlineAfter(queuedOn, n);
    const [five, six] = [on(5), on(6)];
    if (five.kind === 'due') {
      moveClock(new Date(`${five.due}T09:00:00Z`), 0);
      expect((await infocenter.listTasks()).tasks.find((t) => t.draftId === id)).toMatchObject({ overdue: false, waitingWorkingDays: 5 });
    }
    moveClock(new Date(`${six.kind === 'due' ? six.due : `${six.year}-01-20`}T01:00:00Z`), 0);
    const overdue = await infocenter.listTasks({ overdue: true });
    expect(overdue.overdueDays).toBe(5);
    // Past the holiday calendar's last year the wait cannot be counted: flagged, never guessed.
    expect(overdue.tasks.find((t) => t.draftId === id)).toMatchObject(
      six.kind === 'due' ? { kind: 'approve', overdue: true, waitingWorkingDays: 6 } : { kind: 'approve', overdue: false, overdueUnknown: true },
    );
    resetClock();

    const claim = await claimFor(stack.approver, id);
    await stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'reject', reason: '测试清理' });
    expect((await infocenter.listTasks({ overdue: true })).tasks.map((t) => t.draftId)).not.toContain(id);
  });
});

describe('poison messages', () => {
  it('a malformed publish message reaches the publish DLQ', async () => {
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.publish.url, MessageBody: '{"draftId":42}' }));
    expect(await dlqDepth(stack, 'publish')).toBe(1);
  });
});

describe('the approver CLI', () => {
  it('claims, extends, returns for revision and lists overdue tasks', async () => {
    process.env.GONGKAI_CLAIMS_FILE = join(await mkdtemp(join(tmpdir(), 'gongkai-wf-cli-')), 'claims.json');
    const { run } = await import('#cli/approver');
    const cli = async (...args: string[]) => {
      const lines: string[] = [];
      const code = await run([...args, '--api', stack.apiUrl], (s) => lines.push(s));
      return { code, out: lines.join('\n') };
    };
    const id = await submitText(`命令行退回 ${Date.now()}`, '主动公开');
    expect((await cli('list')).out).toContain('审批');
    const claimed = await cli('claim', '--lease', '60');
    expect(claimed.out).toContain(id);
    expect(claimed.out).toContain('退回修改');
    const extended = await cli('extend', id, '--lease', '600');
    expect(extended.out).toContain('租约已延长');
    expect((await cli('return', id)).code).toBe(2);
    const returned = await cli('return', id, '--reason', '请补充依据');
    expect(returned.code).toBe(0);
    expect(returned.out).toContain('RETURNED');
    const overdue = await run(['overdue', '--api', stack.apiUrl, '--token', 'dev-infocenter'], () => undefined);
    expect(overdue).toBe(0);
  });
});

describe('the due query', () => {
  it('reads only the documents due, not the table: 10,000 filed documents, 5 due', async () => {
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const today = new Date().toISOString().slice(0, 10);
    const TOTAL = 10_000;
    const DUE = 5;
    const item = (i: number) => {
      const id = `PERF${String(i).padStart(22, '0')}`;
      const due = i < DUE;
      const reviewDue = due ? `${Number(today.slice(0, 4)) - 1}${today.slice(4)}` : `${Number(today.slice(0, 4)) + 1 + (i % 3)}-0${1 + (i % 9)}-15`;
      const filedAt = `${Number(reviewDue.slice(0, 4)) - 1}${reviewDue.slice(4)}T08:00:00.000Z`;
      const draft: Draft = {
        id,
        version: 1,
        revision: 1,
        status: 'FILED',
        form: validForm({
          title: `存量不公开文件 ${i}`,
          documentNumber: undefined,
          attribute: '依申请公开',
          nonPublicReason: '涉及第三方商业秘密',
          legalBasis: '《中华人民共和国政府信息公开条例》第十五条',
        }) as Draft['form'],
        submitter: { sub: 'u-drafter-fgw', name: '王明（区发展和改革局）', role: 'drafter' },
        files: { document: { key: `uploads/${id}/r1/document`, fileName: 'old.txt', contentType: 'text/plain', maxBytes: 1000 } },
        findings: [],
        filing: { filedAt, reviewDue },
        history: [],
        createdAt: filedAt,
        updatedAt: filedAt,
        stageEnteredAt: filedAt,
      };
      return { ...draft, pk: `DRAFT#${id}`, sk: 'DRAFT', gsi1pk: 'STATUS#FILED', gsi1sk: `${filedAt}#${id}`, gsi2pk: 'REVIEW', gsi2sk: `${reviewDue}#${id}` };
    };
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < TOTAL; i += 25) batches.push(Array.from({ length: Math.min(25, TOTAL - i) }, (_, k) => item(i + k)));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          let requests: unknown[] = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
          while (requests.length) {
            const res = await doc.send(new BatchWriteCommand({ RequestItems: { [stack.names.table]: requests as never } }));
            requests = res.UnprocessedItems?.[stack.names.table] ?? [];
          }
        }
      }),
    );

    // The index really holds them all (the check is not vacuous).
    let indexed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: stack.names.table,
          IndexName: 'byReviewDue',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': 'REVIEW' },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      indexed += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(indexed).toBeGreaterThanOrEqual(TOTAL);

    const report = await scheduleReviews();
    expect(report).toEqual({ scanned: DUE, due: DUE, queued: DUE });
    // Run again: the documents under review have left the index; nothing is read or queued.
    expect(await scheduleReviews()).toEqual({ scanned: 0, due: 0, queued: 0 });
    doc.destroy();
  }, 120_000);
});

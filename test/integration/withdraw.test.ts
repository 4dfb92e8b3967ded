import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { fileSpec, GongkaiClient, uploadFile } from '#client/gongkai';
import type { InvalidationRecord } from '#shared/site/invalidate';
import { KEYS } from '#shared/topology';
import { validForm } from '../support/forms.ts';
import { apiError, claimFor } from '../support/api.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';

/**
 * POST /documents/{id}/withdrawal on the emulators: who may withdraw what, the WITHDRAWING
 * status with the withdrawal recorded, and the request to the site consumer; then (once
 * render-site completes withdrawals) WITHDRAWN, the page replaced at its address and the
 * CDN invalidated through the recorded invalidation.
 */
let stack: TestStack;
let infocenter: GongkaiClient;
const REASON = '该通知已被新文件替代，原文件不再执行，依规撤回';

/** Every SendMessage of the in-process handlers (the API runs in this process, as do the consumers). */
const sent: { queueUrl: string; body: unknown }[] = [];

beforeAll(async () => {
  stack = await startTestStack({ cdnPollMs: 200 });
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  const send = SQSClient.prototype.send;
  vi.spyOn(SQSClient.prototype, 'send').mockImplementation(function (this: SQSClient, command: unknown, ...rest: unknown[]) {
    if (command instanceof SendMessageCommand) sent.push({ queueUrl: command.input.QueueUrl!, body: JSON.parse(command.input.MessageBody ?? 'null') });
    return (send as (...a: unknown[]) => unknown).call(this, command, ...rest);
  } as typeof send);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.cleanup();
});

async function submitNotice(title: string): Promise<string> {
  const { spec, bytes } = await fileSpec(corpus('txt/000_70017f665202e428.txt'));
  const created = await stack.drafter.createDraft({ form: validForm({ title }), files: { document: spec } });
  await uploadFile(created.uploads[0]!, bytes, spec.fileName);
  const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
  expect(pending.status, JSON.stringify(pending.findings)).toBe('PENDING_APPROVAL');
  return created.id;
}

const siteGet = async (path: string) => {
  const res = await fetch(`${stack.siteUrl}/${path}`);
  return { status: res.status, body: await res.text() };
};

describe('withdrawing a document', () => {
  let pendingId: string;
  let publishedId: string;

  it('refuses unknown documents (404), drafters (403), a bad reason (400) and anything not published (409)', async () => {
    pendingId = await submitNotice(`撤回测试（待审批）${Date.now()}`);

    const unknown = await apiError(stack.approver.withdraw('01ARZ3NDEKTSV4RRFFQ69G5FAV', REASON));
    expect(unknown.status).toBe(404);

    const drafter = await apiError(stack.drafter.withdraw(pendingId, REASON));
    expect(drafter.status).toBe(403);
    expect(drafter.body.error).toMatchObject({ code: 'ForbiddenError', zh: expect.stringContaining('approver'), en: expect.stringContaining('approver') });

    for (const reason of ['', '   ', '太短']) {
      const bad = await apiError(stack.approver.withdraw(pendingId, reason));
      expect(bad.status, JSON.stringify(reason)).toBe(400);
      expect(bad.body.error?.issues?.[0]).toMatchObject({ field: 'reason', zh: expect.stringContaining('撤回理由'), en: expect.stringContaining('reason') });
    }
    const tooLong = await apiError(stack.approver.withdraw(pendingId, '理'.repeat(501)));
    expect(tooLong.status).toBe(400);

    const notPublished = await apiError(infocenter.withdraw(pendingId, REASON));
    expect(notPublished.status).toBe(409);
    expect(notPublished.body.error).toMatchObject({ code: 'ConflictError', zh: expect.stringContaining('待审批'), en: expect.stringContaining('PENDING_APPROVAL') });
    expect((await stack.drafter.getDraft(pendingId)).status).toBe('PENDING_APPROVAL');
    expect(sent.filter((m) => (m.body as { op?: string }).op === 'withdraw')).toEqual([]);
  });

  it('moves a published document to WITHDRAWING with the reason, who and when, and asks the site consumer', async () => {
    publishedId = await submitNotice(`撤回测试（已发布）${Date.now()}`);
    const claim = await claimFor(stack.approver, publishedId);
    await stack.approver.decide(publishedId, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(publishedId, ['PUBLISHED']);
    // The page is read through the CDN, so the CDN holds a copy that the withdrawal must drop.
    const before = await siteGet(published.publication!.path);
    expect(before.status).toBe(200);

    const started = Date.now();
    const withdrawn = await infocenter.withdraw(publishedId, `  ${REASON}  `);
    expect(withdrawn.status).toBe('WITHDRAWING');
    expect(withdrawn.withdrawal).toMatchObject({ reason: REASON, by: { name: '刘洋（信息中心）', role: 'infocenter' } });
    expect(Date.parse(withdrawn.withdrawal!.at)).toBeGreaterThanOrEqual(started - 1000);
    expect(withdrawn.history.at(-1)).toMatchObject({ event: 'WITHDRAWAL_REQUESTED', from: 'PUBLISHED', to: 'WITHDRAWING', actor: { name: '刘洋（信息中心）' }, note: REASON });

    const asked = sent.filter((m) => m.queueUrl === stack.queues.site.url && (m.body as { op?: string }).op === 'withdraw');
    expect(asked.map((m) => m.body)).toEqual([{ op: 'withdraw', draftId: publishedId }]);

    // Withdrawn once: a second request is a conflict that names the status.
    const again = await apiError(stack.approver.withdraw(publishedId, REASON));
    expect(again.status).toBe(409);
    expect(again.body.error?.en).toMatch(/WITHDRAW(ING|N)/);
  });

  // Completed by render-site (the lead's part): WITHDRAWING → WITHDRAWN, the page replaced by
  // a notice, the CDN invalidated through the recorded invalidation.
  it('render-site completes it: WITHDRAWN, the notice at the same address, the CDN invalidated', async () => {
    const done = await stack.drafter.waitForStatus(publishedId, ['WITHDRAWN'], 60_000);
    expect(done.history.map((h) => h.event)).toContain('WITHDRAWAL_REQUESTED');
    const page = `documents/${publishedId}.html`;

    // The record in the drafts bucket (what the local CDN honours) lists the document's page.
    const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: KEYS.cdnInvalidations }));
    const records = await Promise.all(
      (listed.Contents ?? []).map(
        async (o) =>
          JSON.parse(await (await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.drafts, Key: o.Key! }))).Body!.transformToString()) as InvalidationRecord,
      ),
    );
    const covers = (r: InvalidationRecord) => r.paths.some((p) => p === `/${page}` || (p.endsWith('*') && `/${page}`.startsWith(p.slice(0, -1))));
    expect(records.some(covers), JSON.stringify(records)).toBe(true);

    // The CDN dropped its copy: the same address now answers the withdrawal notice, with the reason.
    await stack.cdn.waitForInvalidation(covers, 10_000);
    const after = await siteGet(page);
    expect(after.body).toContain(REASON);
    expect(after.body).toContain('撤回');
  });
});

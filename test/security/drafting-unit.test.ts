import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GongkaiClient, uploadFile } from '#client/gongkai';
import { DEFAULT_DRAFTER_UNIT, validForm } from '../support/forms.ts';
import { apiError, claimFor, tableClient } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 10, item 5: a drafter could publish under any unit's name — POST /drafts took whatever
 * draftingUnit the form named. A drafter now acts for the unit of their `custom:unit` claim only
 * (`shared/unit.ts`, used by POST /drafts, revisions and the historical import).
 */
const OTHER_UNIT = '运城市盐湖区人民政府办公室'; // the unit of dev-drafter-zfb
const NO_UNIT_TOKEN = 'test-drafter-without-unit';

let stack: TestStack;
let zfb: GongkaiClient;
beforeAll(async () => {
  stack = await startTestStack({ extraUsers: [{ token: NO_UNIT_TOKEN, sub: 'u-no-unit', name: '无单位起草人', groups: ['drafter'] }] });
  zfb = new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb');
});
afterAll(async () => stack?.cleanup());

const TEXT = new TextEncoder().encode(`${validForm().title}\n各乡镇人民政府：\n现将有关事项通知如下。\n`);
const files = { document: { fileName: 'notice.txt', contentType: 'text/plain' as const, size: TEXT.length } };

async function draftItems(): Promise<number> {
  const db = DynamoDBDocumentClient.from(tableClient(stack));
  const res = await db.send(new ScanCommand({ TableName: stack.names.table, FilterExpression: 'sk = :d', ExpressionAttributeValues: { ':d': 'DRAFT' } }));
  return res.Items?.length ?? 0;
}
const uploadKeys = async () => (await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: 'uploads/' }))).KeyCount ?? 0;

describe("POST /drafts in another unit's name", () => {
  for (const idempotencyKey of [undefined, 'other-unit-0001']) {
    it(`is refused with 403 naming both units, nothing stored, no upload form${idempotencyKey ? ' (with an idempotency key)' : ''}`, async () => {
      const before = await draftItems();
      const uploadsBefore = await uploadKeys();
      const err = await apiError(stack.drafter.createDraft({ form: validForm({ draftingUnit: OTHER_UNIT }), files }, idempotencyKey ? { idempotencyKey } : {}));
      expect(err.status).toBe(403);
      expect(err.body.error?.zh).toContain(`起草单位“${OTHER_UNIT}”不是您所属的单位“${DEFAULT_DRAFTER_UNIT}”`);
      expect(err.body.error?.zh).toContain(`请将起草单位改为“${DEFAULT_DRAFTER_UNIT}”`);
      expect(err.body.error?.en).toContain(`"${OTHER_UNIT}" is not your unit "${DEFAULT_DRAFTER_UNIT}"`);
      expect((err.body as { uploads?: unknown }).uploads).toBeUndefined();
      expect(await draftItems()).toBe(before);
      expect(await uploadKeys()).toBe(uploadsBefore);
    });
  }

  it('is refused for a drafter account without a unit', async () => {
    const before = await draftItems();
    const err = await apiError(new GongkaiClient(stack.apiUrl, NO_UNIT_TOKEN).createDraft({ form: validForm(), files }));
    expect(err.status).toBe(403);
    expect(err.body.error?.zh).toMatch(/账号未设置所属单位.*联系管理员/);
    expect(err.body.error?.en).toMatch(/no unit/);
    expect(await draftItems()).toBe(before);
  });

  it("in one's own unit's name is taken, by each unit's drafter", async () => {
    expect((await stack.drafter.createDraft({ form: validForm(), files })).uploads).toHaveLength(1);
    expect((await zfb.createDraft({ form: validForm({ draftingUnit: OTHER_UNIT }), files })).uploads).toHaveLength(1);
  });
});

describe('a revision', () => {
  it('cannot move a returned draft to another unit, nor be submitted by a drafter of another unit', async () => {
    const created = await stack.drafter.createDraft({ form: validForm({ title: '退回后改换起草单位的测试通知' }), files });
    await uploadFile(created.uploads[0]!, TEXT, 'notice.txt');
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    const claim = await claimFor(stack.approver, created.id);
    await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'return', reason: '请补充发文依据' });
    const returned = await stack.drafter.waitForStatus(created.id, ['RETURNED']);

    const moved = await apiError(stack.drafter.reviseDraft(created.id, { form: validForm({ title: '退回后改换起草单位的测试通知', draftingUnit: OTHER_UNIT }), files }));
    expect(moved.status).toBe(403);
    expect(moved.body.error?.zh).toContain(`起草单位“${OTHER_UNIT}”不是您所属的单位`);
    const stranger = await apiError(zfb.reviseDraft(created.id, { form: validForm({ title: '退回后改换起草单位的测试通知', draftingUnit: OTHER_UNIT }), files }));
    expect(stranger.status).toBe(403);

    const after = await stack.drafter.getDraft(created.id);
    expect(after.status).toBe('RETURNED');
    expect(after.revision).toBe(returned.revision);
    expect(after.form.draftingUnit).toBe(DEFAULT_DRAFTER_UNIT);

    // In its own unit's name the revision is taken.
    const revised = await stack.drafter.reviseDraft(created.id, { form: validForm({ title: '退回后改换起草单位的测试通知' }), files });
    expect(revised.revision).toBe(returned.revision + 1);
  });
});

describe('the historical import', () => {
  it("still refuses a drafter importing another unit's documents", async () => {
    const documents = [{ title: '他单位历史文件：工作方案', documentDate: '2015-04-01', draftingUnit: OTHER_UNIT, file: files.document }];
    const err = await apiError(stack.drafter.importHistorical({ documents }));
    expect(err.status).toBe(400);
    expect(err.body.error?.issues?.map((i) => i.field)).toEqual(['documents.0.draftingUnit']);
    const none = await apiError(new GongkaiClient(stack.apiUrl, NO_UNIT_TOKEN).importHistorical({ documents }));
    expect(none.body.error?.issues?.map((i) => i.field)).toEqual(['documents.0.draftingUnit']);
    expect((await zfb.importHistorical({ documents })).documents).toHaveLength(1);
  });
});

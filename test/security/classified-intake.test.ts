import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SECRECY_LEVELS } from '#shared/domain/form';
import { validForm } from '../support/forms.ts';
import { apiError, tableClient } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 15, item 4 (part): a draft whose form declares a 密级 is refused at POST /drafts,
 * before anything is stored or any upload form is handed out — a classified document must
 * not reach an internet-facing system at all (000 §二(三)1). The unit is told why and what to do.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.cleanup());

const files = { document: { fileName: 'notice.txt', contentType: 'text/plain' as const, size: 100 } };

async function draftItems(): Promise<number> {
  const db = DynamoDBDocumentClient.from(tableClient(stack));
  const res = await db.send(new ScanCommand({ TableName: stack.names.table, FilterExpression: 'sk = :d', ExpressionAttributeValues: { ':d': 'DRAFT' } }));
  return res.Items?.length ?? 0;
}

describe('a declared 密级', () => {
  for (const level of SECRECY_LEVELS.filter((l) => l !== 'none')) {
    it(`${level}: refused at POST /drafts with the reason, no draft stored, no upload form issued`, async () => {
      const before = await draftItems();
      const uploadsBefore = (await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: 'uploads/' }))).KeyCount ?? 0;
      const err = await apiError(
        stack.drafter.createDraft({ form: validForm({ secrecyLevel: level } as never), files }, { idempotencyKey: `classified-${SECRECY_LEVELS.indexOf(level)}-0001` }),
      );
      expect(err.status).toBe(400);
      const issue = err.body.error?.issues?.find((i) => i.field === 'form.secrecyLevel');
      expect(issue?.zh).toMatch(/涉密文件不得在本系统.*不得上传.*涉密渠道/);
      expect(issue?.en).toMatch(/must not be handled on, or uploaded to, this internet-facing system/);
      expect((err.body as { uploads?: unknown }).uploads).toBeUndefined();
      expect(await draftItems()).toBe(before);
      expect((await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: 'uploads/' }))).KeyCount ?? 0).toBe(uploadsBefore);
    });
  }

  it('none (非涉密) is taken as before', async () => {
    const created = await stack.drafter.createDraft({ form: validForm({ secrecyLevel: 'none' } as never), files });
    expect(created.uploads).toHaveLength(1);
  });
});

describe('a secrecy mark found in the text after upload', () => {
  it('rejects the draft and removes every byte of it from the drafts bucket, keeping the hash, the finding and the audit line', async () => {
    const ID_NUMBER = '142701198807150036';
    const body = `秘密★1年\n${validForm().title}\n各乡镇人民政府：\n联系人身份证号：${ID_NUMBER}\n现将有关事项通知如下。\n`;
    const bytes = new TextEncoder().encode(body);
    const created = await stack.drafter.createDraft({
      form: validForm({ secrecyLevel: 'none' } as never),
      files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: bytes.length } },
    });
    const { uploadFile } = await import('#client/gongkai');
    await uploadFile(created.uploads[0]!, bytes, 'notice.txt');
    await stack.drafter.waitForStatus(created.id, ['REJECTED']);
    await stack.settle();
    const d = await stack.drafter.getDraft(created.id);

    // Every object of the draft is gone (uploads, the pinned copy, the extracted texts).
    for (const prefix of [`uploads/${created.id}/`, `extracted/${created.id}/`]) {
      const list = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: prefix }));
      expect(list.KeyCount ?? 0, prefix).toBe(0);
    }
    // What stays: the finding quoting the mark, the hash, the audit line; no body text.
    const attr5 = d.findings.find((f) => f.ruleId === 'ATTR-5' && f.severity === 'block');
    expect(attr5?.evidence?.some((e) => e.text?.includes('秘密'))).toBe(true);
    const purged = d.history.find((h) => h.event === 'CLASSIFIED_PURGED');
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    expect(purged?.note).toContain(sha);
    expect(purged?.note).toMatch(/已从系统中删除.*共 [1-9]\d* 个对象/);
    expect(JSON.stringify(d)).not.toContain(ID_NUMBER);
    // The unit is told why.
    expect(d.history.find((h) => h.event === 'RULES_BLOCKED')?.note).toMatch(/涉密文件不得在本系统办理.*涉密渠道/);
  });
});

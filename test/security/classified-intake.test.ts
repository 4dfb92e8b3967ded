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
      const err = await apiError(stack.drafter.createDraft({ form: validForm({ secrecyLevel: level } as never), files }, { idempotencyKey: `classified-${SECRECY_LEVELS.indexOf(level)}-0001` }));
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

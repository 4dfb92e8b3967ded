import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, s3 } from '#shared/aws/clients';
import { checkCall, runAs } from '#infra/local/grants';
import { env as config } from '#shared/env';
import { envName, functionEnvironment, topology, type FunctionName, type FunctionSpec } from '#shared/topology';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 11, item 1: each function runs locally with only what topology.ts grants it, as IAM
 * holds it in AWS. A call beyond the grant fails locally with the SDK's AccessDenied shape
 * (the suite runs under this guard: every handler the local runner loads is wrapped).
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.cleanup());

const env = (name: string) => process.env[name]!;

describe('the local grant guard', () => {
  it('a handler writing to the public site bucket without a grant is refused, with AccessDenied (403)', async () => {
    // get-draft may read the table and drafts; it may never write where the public reads.
    const err = await runAs('get-draft', () => s3().send(new PutObjectCommand({ Bucket: env(envName.bucket('site')), Key: 'documents/x.html', Body: 'x' }))).catch(
      (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number }; message: string },
    );
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((err as { message: string }).message).toMatch(/无权.*may not call PutObjectCommand on bucket site/s);
  });

  it('a read-only function writing the table is refused (AccessDeniedException), the same call as a writer passes', async () => {
    const item = { pk: 'GUARD#test', sk: 'GUARD#test' };
    const err = await runAs('get-draft', () => dynamo().send(new PutCommand({ TableName: env(envName.table), Item: item }))).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    await expect(runAs('create-draft', () => dynamo().send(new PutCommand({ TableName: env(envName.table), Item: item })))).resolves.toBeDefined();
  });

  it('bucket grants hold by key prefix and by verb', () => {
    const drafts = env(envName.bucket('drafts'));
    const site = env(envName.bucket('site'));
    // render-site may read and write the search prefix of the drafts bucket, nothing else there.
    expect(() => checkCall('render-site', 's3', 'GetObjectCommand', { Bucket: drafts, Key: 'uploads/x/r1/document' })).toThrow(/may not call GetObjectCommand/);
    expect(() => checkCall('render-site', 's3', 'DeleteObjectCommand', { Bucket: site, Key: 'documents/x.html' })).not.toThrow();
    // publish-document writes the site but may not delete there.
    expect(() => checkCall('publish-document', 's3', 'PutObjectCommand', { Bucket: site, Key: 'documents/x.html' })).not.toThrow();
    expect(() => checkCall('publish-document', 's3', 'DeleteObjectCommand', { Bucket: site, Key: 'documents/x.html' })).toThrow(/may not call DeleteObjectCommand/);
    // A copy reads its source: a function without read on it is refused.
    expect(() => checkCall('render-site', 's3', 'CopyObjectCommand', { Bucket: site, Key: 'documents/y.html', CopySource: `${drafts}/uploads/x/r1/document` })).toThrow(
      /CopyObjectCommand \(source\)/,
    );
    // Deleting a version for good is the purge grant's alone (check-draft, under the draft prefixes).
    expect(() => checkCall('render-site', 's3', 'DeleteObjectsCommand', { Bucket: site, Delete: { Objects: [{ Key: 'documents/x.html', VersionId: 'v1' }] } })).toThrow(
      /may not call/,
    );
    expect(() =>
      checkCall('check-draft', 's3', 'DeleteObjectsCommand', { Bucket: drafts, Delete: { Objects: [{ Key: 'uploads/x/r1/document', VersionId: 'v1' }] } }),
    ).not.toThrow();
    expect(() => checkCall('check-draft', 's3', 'ListObjectVersionsCommand', { Bucket: drafts, Prefix: 'search/' })).toThrow(/may not call/);
    expect(() => checkCall('check-draft', 's3', 'PutObjectCommand', { Bucket: drafts, Key: 'uploads/x/r1/document' })).toThrow(/may not call/);
    // A bucket the topology does not know is refused to everyone.
    expect(() => checkCall('publish-document', 's3', 'GetObjectCommand', { Bucket: 'elsewhere', Key: 'k' })).toThrow(/may not call/);
  });

  it('the CDN is invalidated only by a function granted `cdn`', () => {
    const granted = (Object.entries(topology.functions) as [string, FunctionSpec][]).filter(([, s]) => s.cdn === 'invalidate').map(([n]) => n);
    expect(granted).toEqual(['render-site']);
    const local = env(envName.localInvalidations);
    expect(() => checkCall('publish-document', 's3', 'PutObjectCommand', { Bucket: local, Key: 'cdn/invalidations/x.json' })).toThrow(/the CDN/);
    expect(() => checkCall('render-site', 's3', 'PutObjectCommand', { Bucket: local, Key: 'cdn/invalidations/x.json' })).not.toThrow();
    expect(() => checkCall('publish-document', 'cloudfront', 'CreateInvalidationCommand', { DistributionId: 'E123' })).toThrow(/may not call CreateInvalidationCommand/);
  });

  it('code outside any function (the tests, the runner) is not checked', async () => {
    const Bucket = env(envName.bucket('site'));
    await s3().send(new PutObjectCommand({ Bucket, Key: 'guard-test.txt', Body: 'x' }));
    await expect(s3().send(new GetObjectCommand({ Bucket, Key: 'guard-test.txt' }))).resolves.toBeDefined();
  });
});

describe("each function's own environment", () => {
  it("a function sees only the variables of what it is granted: reading another resource's name fails as at a cold start in AWS", async () => {
    // get-draft is granted the table only: the site bucket's name is not in its environment.
    await expect(runAs('get-draft', async () => config.bucket('site'))).rejects.toThrow(/SITE_BUCKET is not set/);
    await expect(runAs('get-draft', async () => config.tableName())).resolves.toBe(stack.names.table);
    // decide-task sends to the publish queue and may not learn the site queue's URL.
    await expect(runAs('decide-task', async () => config.queueUrl('publish'))).resolves.toBe(stack.queues.publish.url);
    await expect(runAs('decide-task', async () => config.queueUrl('site'))).rejects.toThrow(/SITE_QUEUE_URL is not set/);
    // Outside any function (the tests, the runner) the process's environment is read.
    expect(config.bucket('site')).toBe(stack.names.buckets.site);
  });

  it("the environment is exactly the one the CDK app gives (functionEnvironment) plus the platform's; nothing of another function leaks in", () => {
    const platform = [
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'S3_ENDPOINT',
      'DYNAMODB_ENDPOINT',
      'SQS_ENDPOINT',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
    ];
    for (const fn of Object.keys(topology.functions) as FunctionName[]) {
      const own = stack.environmentOf(fn);
      const deployed = functionEnvironment(fn, {
        table: 't',
        buckets: { drafts: 'd', site: 's' },
        queueUrls: { extract: 'e', ocr: 'o', check: 'c', publish: 'p', site: 's' },
        cdn: { localRecords: 'r' },
        siteUrl: 'u',
        uploads: { maxBytes: 1, expirySeconds: 1 },
      });
      expect(
        Object.keys(own)
          .filter((k) => !platform.includes(k))
          .sort(),
        fn,
      ).toEqual(Object.keys(deployed).sort());
    }
    // Spot checks of what the grants imply.
    expect(Object.keys(stack.environmentOf('list-rules')).filter((k) => !platform.includes(k))).toEqual([]);
    expect(stack.environmentOf('render-site')).toMatchObject({ [envName.localInvalidations]: stack.names.buckets.drafts, SITE_URL: stack.siteUrl });
    expect(stack.environmentOf('publish-document')[envName.localInvalidations]).toBeUndefined();
  });

  it('a deployment setting reaches every function, and only after it is deployed', async () => {
    const before = await runAs('list-tasks', async () => config.taskOverdueDays());
    expect(before).toBe(5);
    process.env.TASK_OVERDUE_DAYS = '9'; // the runner's own environment is not the function's
    try {
      await expect(runAs('list-tasks', async () => config.taskOverdueDays())).resolves.toBe(5);
      stack.configure({ TASK_OVERDUE_DAYS: '9' });
      await expect(runAs('list-tasks', async () => config.taskOverdueDays())).resolves.toBe(9);
    } finally {
      delete process.env.TASK_OVERDUE_DAYS;
      stack.configure({ TASK_OVERDUE_DAYS: undefined });
    }
    await expect(runAs('list-tasks', async () => config.taskOverdueDays())).resolves.toBe(5);
  });
});

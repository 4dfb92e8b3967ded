import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#infra/local/stack';
import { GongkaiClient } from '#infra/client';

export { corpus } from './corpus.ts';

export interface TestStack extends LocalStack {
  readonly drafter: GongkaiClient;
  readonly approver: GongkaiClient;
  readonly approver2: GongkaiClient;
  readonly s3: S3Client;
  cleanup(): Promise<void>;
}

/** A fresh local stack in a temp folder, on free ports, with clients for each role. */
export async function startTestStack(options: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gongkai-test-'));
  const stack = await startLocalStack({ dataDir, schedules: false, retryDelaySeconds: 1, ...options });
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: stack.endpoints.s3,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    ...stack,
    drafter: new GongkaiClient(stack.apiUrl, 'dev-drafter-fgw'),
    approver: new GongkaiClient(stack.apiUrl, 'dev-approver-li'),
    approver2: new GongkaiClient(stack.apiUrl, 'dev-approver-chen'),
    s3,
    async cleanup() {
      await stack.stop();
      s3.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#infra/local/stack';
import { GongkaiClient } from '#client/gongkai';
import { loadUsers, type LocalUser } from '#infra/local/users';

export { corpus } from './corpus.ts';

export interface TestStack extends LocalStack {
  readonly drafter: GongkaiClient;
  readonly approver: GongkaiClient;
  readonly approver2: GongkaiClient;
  readonly s3: S3Client;
  /**
   * A drafter of this unit: a user of config/local-users.json, or one of the test's own units
   * (`units` option). A drafter submits only in their own unit's name (POST /drafts checks it).
   */
  drafterFor(unit: string): GongkaiClient;
  cleanup(): Promise<void>;
}

/**
 * Batches each standard queue's poller runs at once in the tests' stacks. The helpers that take
 * tasks tolerate drafts leaving a stage out of order (test/support/api.ts claimFor), and runs at 2
 * (as `npm start` on a 2-core machine) passed; the suite stays at 1 until a full CI run at 2 has
 * passed (one pipeline test hit its timeout at 2 on a heavily loaded machine). A test may still
 * pass `pollerConcurrency`.
 */
export const TEST_POLLER_CONCURRENCY = 1;

/** A fresh local stack in a temp folder, on free ports, with clients for each role. */
export async function startTestStack(options: Partial<LocalStackOptions> & { readonly units?: readonly string[] } = {}): Promise<TestStack> {
  const { units = [], ...rest } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'gongkai-test-'));
  const configured = await loadUsers();
  const extraUsers: LocalUser[] = [
    ...(rest.extraUsers ?? []),
    ...units
      .filter((unit) => !configured.some((u) => u.unit === unit && u.groups.includes('drafter')))
      .map((unit, i) => ({ token: `test-drafter-unit-${i}`, sub: `u-test-drafter-${i}`, name: `测试起草人 ${i}`, groups: ['drafter' as const], unit })),
  ];
  const stack = await startLocalStack({ dataDir, schedules: false, retryDelaySeconds: 1, pollerConcurrency: TEST_POLLER_CONCURRENCY, ...rest, extraUsers });
  const users = [...configured, ...extraUsers];
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
    drafterFor(unit: string) {
      // The plain drafter of that unit first (not the drafter-approver).
      const user = users.find((u) => u.unit === unit && u.groups.length === 1 && u.groups[0] === 'drafter') ?? users.find((u) => u.unit === unit && u.groups.includes('drafter'));
      if (!user) throw new Error(`no local drafter of unit ${unit}: add it to config/local-users.json or pass it in startTestStack({ units })`);
      return new GongkaiClient(stack.apiUrl, user.token);
    },
    async cleanup() {
      await stack.stop();
      s3.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

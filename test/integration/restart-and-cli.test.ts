import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSpec, GongkaiClient, uploadFile } from '#client/gongkai';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { validForm } from '../support/forms.ts';
import { corpus } from '../support/stack.ts';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('a second start of the local stack', () => {
  it('finds the data of the first, and puts in-flight work back on the (in-memory) queues', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gongkai-restart-'));
    dirs.push(dataDir);
    const ports = { api: await freePort(), site: await freePort(), s3: await freePort(), dynamodb: await freePort(), sqs: await freePort() };
    let stack: LocalStack = await startLocalStack({ dataDir, ports, schedules: false });
    const drafter = new GongkaiClient(stack.apiUrl, 'dev-drafter-fgw');
    const approver = new GongkaiClient(stack.apiUrl, 'dev-approver-li');

    const submit = async (title: string) => {
      const { spec, bytes } = await fileSpec(corpus('docx/000_70017f665202e428.docx'));
      const c = await drafter.createDraft({ form: validForm({ title }), files: { document: spec } });
      await uploadFile(c.uploads[0]!, bytes, spec.fileName);
      return c.id;
    };
    const published = await submit('重启前已发布');
    await drafter.waitForStatus(published, ['PENDING_APPROVAL']);
    const claim = await approver.claim();
    await approver.decide(published, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    const pageUrl = (await drafter.waitForStatus(published, ['PUBLISHED'])).publication!.url;
    const waiting = await submit('重启时待审批');
    await drafter.waitForStatus(waiting, ['PENDING_APPROVAL']);
    await stack.stop();

    stack = await startLocalStack({ dataDir, ports, schedules: false });
    try {
      expect((await drafter.getDraft(published)).status).toBe('PUBLISHED');
      const page = await fetch(pageUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('重启前已发布');
      // SQS lost its messages with the restart; the task was never one: it is in the table's inbox.
      const again = await approver.claim();
      expect(again.draft?.id).toBe(waiting);
      expect(again.draft!.history.some((h) => h.event === 'TASK_INBOX_RESTORED')).toBe(false);
    } finally {
      await stack.stop();
    }
  });
});

describe('the approver CLI', () => {
  it('lists, claims, shows and decides through the API', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gongkai-cli-'));
    dirs.push(dataDir);
    process.env.GONGKAI_CLAIMS_FILE = join(dataDir, 'claims.json');
    const { run } = await import('#cli/approver');
    const stack = await startLocalStack({ dataDir, schedules: false });
    try {
      const drafter = new GongkaiClient(stack.apiUrl, 'dev-drafter-fgw');
      const { spec, bytes } = await fileSpec(corpus('pdf/002_6bc38a5105b87f60.pdf'));
      const c = await drafter.createDraft({ form: validForm({ title: '命令行审批测试' }), files: { document: spec } });
      await uploadFile(c.uploads[0]!, bytes, spec.fileName);
      await drafter.waitForStatus(c.id, ['PENDING_APPROVAL']);

      const cli = async (...args: string[]) => {
        const lines: string[] = [];
        const code = await run([...args, '--api', stack.apiUrl], (s) => lines.push(s));
        return { code, out: lines.join('\n') };
      };
      const list = await cli('list');
      expect(list.code).toBe(0);
      expect(list.out).toContain('命令行审批测试');

      const early = await cli('approve', c.id);
      expect(early.code).toBe(2);
      expect(early.out).toContain('claim');

      const claimed = await cli('claim');
      expect(claimed.out).toContain('已领取');
      expect(claimed.out).toContain(c.id);
      expect(claimed.out).toContain('古县');

      const noReason = await cli('reject', c.id);
      expect(noReason.code).toBe(2);

      const shown = await cli('show', c.id);
      expect(shown.out).toContain('CLAIMED');

      const decided = await cli('approve', c.id, '--reason', '同意发布');
      expect(decided.code).toBe(0);
      expect(decided.out).toContain('已批准');
      expect((await drafter.waitForStatus(c.id, ['PUBLISHED'])).decision?.reason).toBe('同意发布');

      const asDrafter = await run(['list', '--api', stack.apiUrl, '--token', 'dev-drafter-fgw'], () => undefined);
      expect(asDrafter).toBe(1);
    } finally {
      await stack.stop();
    }
  });
});

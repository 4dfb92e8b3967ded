import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GongkaiClient } from '#client/gongkai';
import { resetClock, setClock } from '#shared/clock';
import type { Draft, TaskKind } from '#shared/domain/draft';
import { inboxPage } from '#shared/inbox';
import { createDraft } from '#shared/store';
import { TASKS, topology, type FunctionSpec, type QueueName } from '#shared/topology';
import { checkSqsCall } from '#infra/local/grants';
import { validForm } from '../support/forms.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 10, item 4: the task inbox. Looking at tasks must never consume them: a claim that
 * passes over tasks of another role, or one's own submissions, leaves them as they were
 * (nothing reaches a dead-letter queue unless its own processing failed); any number of
 * tasks of other roles ahead never hides a role's task; a claim reads a page of its own
 * role's inbox, however long the others are; of concurrent claims on one task one wins.
 * The tasks are real draft items written by the store (so their inbox entries are the
 * store's own); claims go through the API of the local stack.
 */
let stack: TestStack;
let infocenter: GongkaiClient;
let both: GongkaiClient;

const DRAFTER = { sub: 'u-drafter-fgw', name: '王明（区发展和改革局）', role: 'drafter' } as const;
const BOTH = { sub: 'u-both', name: '孙强（起草兼审批）', role: 'drafter' } as const;
const MINUTE = 60_000;

let serial = 0;
/** A draft waiting for a decision, written through the store, queued `ageMs` ago. */
async function seedTask(kind: TaskKind, ageMs: number, submitter: Draft['submitter'] = DRAFTER): Promise<string> {
  const id = `INBX${String(++serial).padStart(6, '0')}${String(Date.now()).padStart(16, '0')}`;
  const at = new Date(Date.now() - ageMs).toISOString();
  const nonPublic = kind === 'file';
  await createDraft({
    id,
    version: 1,
    revision: 1,
    status: 'PENDING_APPROVAL',
    form: validForm({
      title: `收件箱 ${kind} ${serial}`,
      documentNumber: undefined,
      ...(nonPublic
        ? { attribute: '依申请公开', isPolicy: true, nonPublicReason: '涉及第三方商业秘密，公开会损害第三方合法权益', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' }
        : { attribute: '主动公开' }),
    }) as Draft['form'],
    submitter,
    files: { document: { key: `uploads/${id}/r1/document`, fileName: 'a.txt', contentType: 'text/plain', maxBytes: 1000 } },
    findings: [],
    task: { id: `${id}:${kind}:r1`, kind, seq: 1, enqueuedAt: at },
    history: [],
    createdAt: at,
    updatedAt: at,
    stageEnteredAt: at,
  });
  return id;
}

/** Moves the application's clock `ms` ahead of real time (leases are judged by it). */
let offset = 0;
function advance(ms: number): void {
  offset += ms;
  const o = offset;
  setClock(() => new Date(Date.now() + o));
}

/** Every message in every dead-letter queue (visible or in flight). */
async function deadLetters(): Promise<number> {
  let total = 0;
  for (const q of Object.keys(stack.queues) as QueueName[]) {
    const res = await stack.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: stack.queues[q].dlqUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    total += Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }
  return total;
}

let filingId: string;
const approveIds: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  both = new GongkaiClient(stack.apiUrl, 'dev-drafter-approver');
  // 30 approval tasks queued before the one filing task (the case of the issue: 12 were enough).
  for (let i = 0; i < 30; i++) approveIds.push(await seedTask('approve', 60 * MINUTE - i * 1000));
  filingId = await seedTask('file', 10 * MINUTE);
});
afterAll(async () => {
  resetClock();
  await stack?.cleanup();
});
afterEach(() => {
  // Leases taken in one case end before the next (the clock only moves forward).
  advance(2 * MINUTE);
});

describe('the task inbox', () => {
  it('approvers looking 50 times consume nothing: no dead letters, the filing task still listed and claimable', async () => {
    for (let i = 0; i < 50; i++) {
      const claim = await (i % 2 ? stack.approver2 : stack.approver).claim(60);
      expect(claim.claimToken, `claim ${i}`).toBeTruthy();
      expect(claim.draft!.task!.kind, `claim ${i}`).toBe('approve');
      // The approver walks away; the lease runs out and the task is claimable again.
      advance(61_000);
    }
    expect(await deadLetters()).toBe(0);
    const listed = await infocenter.listTasks();
    expect(listed.tasks.find((t) => t.draftId === filingId)).toMatchObject({ kind: 'file' });
  });

  it("tasks of another role ahead never hide the information centre's filing task", async () => {
    const claim = await infocenter.claim();
    expect(claim.draft?.id).toBe(filingId);
    expect(claim.draft!.task!.kind).toBe('file');
    // Acknowledged, it becomes an approval task in the approvers' inbox.
    const filed = await infocenter.decide(filingId, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'acknowledge' });
    expect(filed.task).toMatchObject({ kind: 'approve' });
    expect((await infocenter.claim()).claimToken).toBeNull();
  });

  it('a claim reads one page of its own inbox, however many tasks of another role wait (1,000 filing tasks)', async () => {
    const FILINGS = 1000;
    let made = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (made < FILINGS) {
          made++;
          await seedTask('file', 24 * 60 * MINUTE); // all older than every approval task
        }
      }),
    );
    const page = await inboxPage({ role: 'approver' }, new Date(Date.now() + offset).toISOString(), 'u-approver-li');
    expect(page.entries.length).toBeGreaterThan(0);
    expect(page.scanned).toBeLessThanOrEqual(TASKS.claimPageSize);
    const claim = await stack.approver.claim(60);
    expect(claim.draft!.task!.kind).toBe('approve');
    const forInfocenter = await inboxPage({ role: 'infocenter' }, new Date(Date.now() + offset).toISOString(), 'u-infocenter');
    expect(forInfocenter.scanned).toBeLessThanOrEqual(TASKS.claimPageSize);
    expect(forInfocenter.next).toBeDefined(); // the information centre's inbox is long, and read a page at a time
    expect(await deadLetters()).toBe(0);
  });

  it('a drafter-approver is never handed their own submission, however many of them wait ahead', async () => {
    const own: string[] = [];
    // More own submissions than a page, all older than everything else.
    for (let i = 0; i < TASKS.claimPageSize + 5; i++) own.push(await seedTask('approve', 48 * 60 * MINUTE + i * 1000, BOTH));
    for (let i = 0; i < 5; i++) {
      const claim = await both.claim(60);
      expect(claim.claimToken).toBeTruthy();
      expect(own).not.toContain(claim.draft!.id);
      expect(claim.draft!.submitter.sub).not.toBe('u-both');
      advance(61_000);
    }
    // The others can take them.
    const other = await stack.approver.claim(60);
    expect(own).toContain(other.draft!.id);
  });

  it('two concurrent claims on one task: one winner', async () => {
    const id = await seedTask('file', 100 * 24 * 60 * MINUTE); // the oldest filing task of all
    const claims = await Promise.all([infocenter.claim(60), infocenter.claim(60)]);
    const got = claims.filter((c) => c.draft?.id === id);
    expect(got).toHaveLength(1);
    // The loser took the next task, not the same one.
    const tokens = claims.map((c) => c.claimToken).filter(Boolean);
    expect(new Set(claims.map((c) => c.draft?.id)).size).toBe(claims.length);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('concurrent approvers never share a task', async () => {
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? stack.approver2 : stack.approver).claim(60)));
    const ids = claims.map((c) => c.draft?.id).filter(Boolean);
    expect(ids.length).toBe(12);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await deadLetters()).toBe(0);
  });
});

describe('queue grants (the local runner holds each function to them, as IAM does)', () => {
  it('a function calling a queue beyond its grant is refused, naming the grant to declare', () => {
    const url = (q: QueueName) => stack.queues[q].url;
    expect(() => checkSqsCall('decide-task', 'SendMessageCommand', { QueueUrl: url('publish') })).not.toThrow();
    // decide-task once sent to the approval queue while granted only `consume` there.
    expect(() => checkSqsCall('decide-task', 'SendMessageCommand', { QueueUrl: url('site') })).toThrow(/无权.*may not call SendMessageCommand on queue site/s);
    expect(() => checkSqsCall('claim-task', 'ReceiveMessageCommand', { QueueUrl: url('publish') })).toThrow(/AccessDenied|may not call/);
    expect(() => checkSqsCall('publish-document', 'DeleteMessageCommand', { QueueUrl: url('site') })).toThrow(/may not call/);
  });

  it('no API function consumes a queue: tasks live in the inbox, and consumers are triggered by their queue', () => {
    for (const [fn, spec] of Object.entries(topology.functions) as [string, FunctionSpec][]) {
      for (const [q, access] of Object.entries(spec.queues ?? {})) expect(access, `${fn} on ${q}`).toBe('send');
    }
    expect(Object.keys(topology.queues)).not.toContain('approval');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { fileSpec, uploadFile, type DraftView } from '#client/gongkai';
import { toSqsEvent } from '#infra/local/poller';
import { validForm } from '../support/forms.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Two files of one draft (a policy document and its interpretation) each bring an S3 upload
 * event to the extract queue, and two deliveries may run at once. The extract and check queues
 * have no poller here: the test receives their messages and delivers them itself, the second
 * while the first is at work, as two concurrent invocations would. Every delivery must succeed
 * the first time (no ConflictError, no redelivery) and the draft be extracted, and checked, once.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ unpolledQueues: ['extract', 'check'] });
});
afterAll(async () => {
  await stack?.cleanup();
});

/** The policy document's own title (the rulebook compares the declared title with the document's), tagged per test. */
const TITLE = '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见';
const INTERPRETATION = new URL('../../infra/local/samples/004-interpretation.txt', import.meta.url).pathname;

/** A policy draft with its interpretation, both uploaded; returns its id and the two upload events from the extract queue. */
async function uploadedPolicy(title: string): Promise<{ id: string; events: Message[] }> {
  const doc = await fileSpec(corpus('pdf/004_a31f9dc5403041b8.pdf'));
  const interp = await fileSpec(INTERPRETATION);
  const created = await stack.drafter.createDraft({
    form: validForm({ title, documentType: '意见', isPolicy: true, interpretation: { mode: 'attached', format: '文字' } }),
    files: { document: doc.spec, interpretation: interp.spec },
  });
  await Promise.all(created.uploads.map((u) => (u.part === 'document' ? uploadFile(u, doc.bytes, doc.spec.fileName) : uploadFile(u, interp.bytes, interp.spec.fileName))));
  const events = await receive('extract', 2);
  expect(events.map((m) => JSON.parse(m.Body!).Records[0].s3.object.key as string).every((k) => k.includes(created.id))).toBe(true);
  return { id: created.id, events };
}

/** `n` messages of a queue, received as its poller would (leased for 2 minutes). */
async function receive(queue: 'extract' | 'check', n: number): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + 15_000;
  while (messages.length < n && Date.now() < deadline) {
    const res = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues[queue].url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 120, MessageSystemAttributeNames: ['All'] }),
    );
    messages.push(...(res.Messages ?? []));
  }
  expect(messages).toHaveLength(n);
  return messages;
}

/** Delivers one message as the queue's event source mapping would (a batch of one) and deletes it when it succeeded, as the mapping does. */
async function deliver(message: Message, fn: 'extract-document' | 'check-draft' = 'extract-document'): Promise<SQSBatchResponse> {
  const queue = fn === 'extract-document' ? 'extract' : 'check';
  const res = await stack.invoke<SQSBatchResponse>(fn, toSqsEvent([message], `arn:aws:sqs:us-east-1:000000000000:${queue}`, 'us-east-1'));
  if (res.batchItemFailures.length === 0) {
    await stack.sqs
      .send(new DeleteMessageBatchCommand({ QueueUrl: stack.queues[queue].url, Entries: [{ Id: '0', ReceiptHandle: message.ReceiptHandle! }] }))
      .catch(() => undefined); // deleted already by the other delivery of the same message
  }
  return res;
}

/** Resolves once the draft is in `status` (looked at every 10 ms). */
async function reaches(id: string, status: DraftView['status']): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await stack.drafter.getDraft(id)).status !== status) {
    if (Date.now() > deadline) throw new Error(`draft ${id} did not reach ${status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const count = (d: DraftView, event: string) => d.history.filter((h) => h.event === event).length;

describe('two files of one draft delivered at once', () => {
  it('the second upload event, arriving while the first delivery extracts, succeeds and extracts nothing twice', async () => {
    const { id, events } = await uploadedPolicy(`${TITLE}（并发提取）`);
    const first = deliver(events[0]!);
    await reaches(id, 'EXTRACTING');
    const second = deliver(events[1]!);
    expect((await Promise.all([first, second])).map((r) => r.batchItemFailures)).toEqual([[], []]);

    const done = await stack.drafter.getDraft(id);
    expect(done.status).toBe('CHECKING');
    expect([count(done, 'UPLOADED'), count(done, 'EXTRACTED')]).toEqual([1, 1]);
    expect(done.files.document?.chars).toBeGreaterThan(100);
    expect(done.files.interpretation?.chars).toBeGreaterThan(100);
  });

  it('a redelivered event that extracts beside a running delivery: both succeed, the draft is extracted once', async () => {
    const { id, events } = await uploadedPolicy(`${TITLE}（并发重投）`);
    const first = deliver(events[0]!);
    await reaches(id, 'EXTRACTING');
    // A redelivery (as after a delivery that failed or timed out) extracts, whoever else may be at it.
    const again = { ...events[1]!, Attributes: { ...events[1]!.Attributes, ApproximateReceiveCount: '2' } };
    const second = deliver(again);
    expect((await Promise.all([first, second])).map((r) => r.batchItemFailures)).toEqual([[], []]);

    const done = await stack.drafter.getDraft(id);
    expect(done.status).toBe('CHECKING');
    expect([count(done, 'UPLOADED'), count(done, 'EXTRACTED')]).toEqual([1, 1]);
    expect(done.files.interpretation?.chars).toBeGreaterThan(100);
  });

  it('both events delivered at the same moment: both succeed, one takes the draft', async () => {
    const { id, events } = await uploadedPolicy(`${TITLE}（同时投递）`);
    const results = await Promise.all(events.map((m) => deliver(m)));
    expect(results.map((r) => r.batchItemFailures)).toEqual([[], []]);
    const done = await stack.drafter.getDraft(id);
    expect(done.status).toBe('CHECKING');
    expect([count(done, 'UPLOADED'), count(done, 'EXTRACTED')]).toEqual([1, 1]);
  });
});

describe('one check message delivered twice at once', () => {
  it('both deliveries succeed and each draft is checked once', async () => {
    // The three drafts above, each extracted once: one check message each.
    const messages = await receive('check', 3);
    const results = await Promise.all(messages.flatMap((m) => [deliver(m, 'check-draft'), deliver(m, 'check-draft')]));
    expect(results.map((r) => r.batchItemFailures)).toEqual(messages.flatMap(() => [[], []]));
    for (const m of messages) {
      const d = await stack.drafter.getDraft(JSON.parse(m.Body!).draftId as string);
      expect(d.status).toBe('PENDING_APPROVAL');
      expect(count(d, 'CHECKED')).toBe(1);
    }
  });
});

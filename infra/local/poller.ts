import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { log } from '#shared/log';
import type { FunctionName } from '#shared/topology';
import { lambdaContext, type AnyHandler } from '#infra/local/handlers';

/** Builds the SQS event Lambda's event source mapping would deliver. */
export function toSqsEvent(messages: Message[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map((m): SQSRecord => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: m.Attributes?.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly fn: FunctionName;
  readonly handler: AnyHandler;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  /** The function's timeout as its context reports it (default: the topology's). */
  readonly timeoutSeconds?: number;
  /**
   * Local only: make failed messages visible again after this many seconds instead of
   * the full visibility timeout (AWS waits the whole timeout). Undefined = as AWS.
   */
  readonly retryDelaySeconds?: number;
  readonly onBatch?: (info: { fn: FunctionName; records: number; failed: number; ms: number }) => void;
  /**
   * Batches handled at once (default 1), as Lambda's event source mapping runs concurrent
   * invocations on a standard queue. A FIFO queue should keep 1: one batch at a time keeps
   * each message group in order.
   */
  readonly concurrency?: number;
}

/**
 * Stands in for Lambda's SQS event source mapping: long-polls the queue, invokes the
 * handler with a real batch, deletes what succeeded and leaves what failed (reported as
 * batch item failures, or all of them when the handler throws) to be retried and, after
 * maxReceiveCount deliveries, moved to the dead-letter queue by the queue's redrive policy.
 */
export class QueuePoller {
  private stopped = false;
  private running: Promise<unknown> | undefined;
  private busy = 0;

  constructor(private readonly o: PollerOptions) {}

  start(): void {
    this.running ??= Promise.all(Array.from({ length: Math.max(1, this.o.concurrency ?? 1) }, () => this.loop()));
  }

  /** False while a batch is being processed. */
  get idle(): boolean {
    return this.busy === 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    const { sqs, queueUrl } = this.o;
    while (!this.stopped) {
      let messages: Message[];
      try {
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: this.o.batchSize,
            WaitTimeSeconds: 1,
            VisibilityTimeout: this.o.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        messages = res.Messages ?? [];
      } catch (err) {
        if (this.stopped) break;
        log.warn('poll failed', { fn: this.o.fn, error: String(err) });
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      this.busy++;
      try {
        await this.deliver(messages);
      } finally {
        this.busy--;
      }
    }
  }

  private async deliver(messages: Message[]): Promise<void> {
    const { sqs, queueUrl } = this.o;
    const started = Date.now();
    let failedIds: Set<string>;
    try {
      const res = (await this.o.handler(toSqsEvent(messages, this.o.queueArn, this.o.region), lambdaContext(this.o.fn, this.o.timeoutSeconds))) as SQSBatchResponse | undefined;
      failedIds = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      log.error('handler threw; the whole batch will be retried', { fn: this.o.fn, error: String(err) });
      failedIds = new Set(messages.map((m) => m.MessageId!));
    }
    const done = messages.filter((m) => !failedIds.has(m.MessageId!));
    const failed = messages.filter((m) => failedIds.has(m.MessageId!));
    if (done.length) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    if (failed.length && this.o.retryDelaySeconds !== undefined) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: failed.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: this.o.retryDelaySeconds! })),
        }),
      );
    }
    this.o.onBatch?.({ fn: this.o.fn, records: messages.length, failed: failed.length, ms: Date.now() - started });
  }
}

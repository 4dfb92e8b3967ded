import * as z from 'zod';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from '#shared/aws/clients';
import { env } from '#shared/env';
import { randomUUID } from 'node:crypto';
import { topology, type QueueName, type QueueSpec } from '#shared/topology';

/** The body of each queue's messages, owned here and parsed by the consumer. */
export const DraftMessage = z.object({ draftId: z.string(), revision: z.number().int().optional() });
export type DraftMessage = z.infer<typeof DraftMessage>;

/**
 * Work for the site consumer (render-site), which runs one batch at a time:
 * - publish: a document's own pages are written (status LISTING); enter it in the
 *   catalogue and the columns it belongs to, render those index pages, mark it PUBLISHED;
 * - withdraw: a document is WITHDRAWING; turn its pages into a notice, drop it from every
 *   index, invalidate the CDN paths, mark it WITHDRAWN;
 * - refresh: render the pages that depend on time or on other events (home, annual report,
 *   normative documents in force) again.
 */
export const SiteMessage = z.discriminatedUnion('op', [
  z.object({ op: z.literal('publish'), draftId: z.string() }),
  z.object({ op: z.literal('withdraw'), draftId: z.string() }),
  /** A 废止 / 修订 recorded on a published document: its page, the replacing one's and its lists follow. */
  z.object({ op: z.literal('validity'), draftId: z.string() }),
  z.object({ op: z.literal('refresh'), cause: z.string() }),
  /** A 公开主体 was created or edited: its section is built (again), and the platform's home lists it. */
  z.object({ op: z.literal('body'), bodyId: z.string() }),
]);
export type SiteMessage = z.infer<typeof SiteMessage>;

type Messages = {
  extract: DraftMessage;
  ocr: DraftMessage;
  check: DraftMessage;
  publish: DraftMessage;
  site: SiteMessage;
};

/**
 * Sends a message. FIFO queues get one message group (their consumer runs one batch at a
 * time) and a deduplication id, so a retried send within five minutes lands once.
 */
export async function sendMessage<Q extends QueueName>(queue: Q, body: Messages[Q], dedupId?: string): Promise<void> {
  const fifo = (topology.queues[queue] as QueueSpec).fifo === true;
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: env.queueUrl(queue),
      MessageBody: JSON.stringify(body),
      ...(fifo ? { MessageGroupId: queue, MessageDeduplicationId: dedupId ?? randomUUID() } : {}),
    }),
  );
}

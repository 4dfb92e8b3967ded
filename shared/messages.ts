import { z } from 'zod';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from '#shared/aws/clients';
import { env } from '#shared/env';
import type { QueueName } from '#shared/topology';

/** The body of each queue's messages, owned here and parsed by the consumer. */
export const DraftMessage = z.object({ draftId: z.string(), revision: z.number().int().optional() });
export type DraftMessage = z.infer<typeof DraftMessage>;

export const ApprovalTaskMessage = z.object({
  taskId: z.string(),
  draftId: z.string(),
  kind: z.literal('approve'),
  seq: z.number().int(),
});
export type ApprovalTaskMessage = z.infer<typeof ApprovalTaskMessage>;

type Messages = {
  extract: DraftMessage;
  check: DraftMessage;
  publish: DraftMessage;
  approval: ApprovalTaskMessage;
};

export async function sendMessage<Q extends QueueName>(queue: Q, body: Messages[Q]): Promise<void> {
  await sqs().send(new SendMessageCommand({ QueueUrl: env.queueUrl(queue), MessageBody: JSON.stringify(body) }));
}

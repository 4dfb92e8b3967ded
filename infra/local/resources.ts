import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { envName, topology, type BucketName, type QueueName, type QueueSpec } from '#shared/topology';

/**
 * Creates the table and queues of the topology on the emulators (buckets are created by
 * s3rver at start), the same shapes the CDK app declares, and returns the environment a
 * handler needs to find them — the same variables the CDK app sets.
 */
const fifo = (q: QueueName) => (topology.queues[q] as QueueSpec).fifo === true;

export const localNames = (prefix = 'gongkai') => ({
  table: `${prefix}-documents`,
  buckets: { drafts: `${prefix}-drafts`, site: `${prefix}-site` } satisfies Record<BucketName, string>,
  queue: (q: QueueName) => `${prefix}-${q}${fifo(q) ? '.fifo' : ''}`,
  dlq: (q: QueueName) => `${prefix}-${q}-dlq${fifo(q) ? '.fifo' : ''}`,
});
export type LocalNames = ReturnType<typeof localNames>;

export async function ensureTable(dynamo: DynamoDBClient, name: string): Promise<void> {
  try {
    const existing = await dynamo.send(new DescribeTableCommand({ TableName: name }));
    // dynalite cannot add an index to a table; a table from an older version must be recreated.
    const have = new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const missing = Object.keys(topology.table.indexes).filter((i) => !have.has(i));
    if (missing.length) {
      throw new Error(
        `本地数据目录中的表 ${name} 缺少索引 ${missing.join('、')}（由旧版本创建）：请删除本地数据目录（GONGKAI_DATA_DIR，默认 .local）后重新启动。 / ` +
          `The local table ${name} lacks the index(es) ${missing.join(', ')} (it was created by an older version): delete the local data directory (GONGKAI_DATA_DIR, default .local) and start again.`,
      );
    }
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const { partitionKey, sortKey, indexes } = topology.table;
  const gsis = Object.entries(indexes).map(([IndexName, k]) => ({
    IndexName,
    KeySchema: [
      { AttributeName: k.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: k.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  }));
  const attrs = [partitionKey, sortKey, ...Object.values(indexes).flatMap((k) => [k.partitionKey, k.sortKey])];
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attrs.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: gsis,
    }),
  );
}

export interface QueueInfo {
  readonly url: string;
  readonly dlqUrl: string;
}

export async function ensureQueues(sqs: SQSClient, names: LocalNames): Promise<Record<QueueName, QueueInfo>> {
  const out = {} as Record<QueueName, QueueInfo>;
  for (const [q, spec] of Object.entries(topology.queues) as [QueueName, (typeof topology.queues)[QueueName]][]) {
    const retention = String(spec.retentionDays * 24 * 3600);
    const fifoAttrs: Record<string, string> = fifo(q) ? { FifoQueue: 'true' } : {};
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: names.dlq(q), Attributes: { ...fifoAttrs, MessageRetentionPeriod: String(14 * 24 * 3600) } }));
    const dlqAttrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }));
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: names.queue(q),
        Attributes: {
          ...fifoAttrs,
          VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
          MessageRetentionPeriod: retention,
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqAttrs.Attributes!.QueueArn, maxReceiveCount: spec.maxReceiveCount }),
        },
      }),
    );
    out[q] = { url: main.QueueUrl!, dlqUrl: dlq.QueueUrl! };
  }
  return out;
}

/** The environment variables the CDK app would set, for the local resources. */
export function localEnvironment(names: LocalNames, queues: Record<QueueName, QueueInfo>): Record<string, string> {
  return {
    [envName.table]: names.table,
    ...Object.fromEntries((Object.keys(names.buckets) as BucketName[]).map((b) => [envName.bucket(b), names.buckets[b]])),
    ...Object.fromEntries((Object.keys(queues) as QueueName[]).map((q) => [envName.queue(q), queues[q].url])),
  };
}

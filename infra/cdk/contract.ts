import { CfnOutput, Fn, type Stack } from 'aws-cdk-lib';
import { Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE, topology, type BucketName, type QueueName } from '#shared/topology';

/**
 * What the service stack (functions, API) uses from the stateful stack (table, buckets,
 * queues, users, CDN). The stateful stack exports each value under a stable name
 * `<stack>:<key>`; the service stack imports it by that name. Explicit names instead of
 * CDK's automatic cross-stack references keep the exports fixed (removing a consumer never
 * strands an export) and make IAM findings readable: cdk-nag names a grant on the drafts
 * bucket `Gongkai-Stateful:drafts-bucket-arn/*`, not a hashed output name.
 */
export interface StatefulResources {
  readonly table: ITable;
  readonly buckets: Readonly<Record<BucketName, IBucket>>;
  readonly queues: Readonly<Record<QueueName, IQueue>>;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** https://<distribution domain>, without a trailing slash. */
  readonly siteUrl: string;
  /** The site's CloudFront distribution, for invalidations. */
  readonly siteDistributionId: string;
}

const bucketNames = Object.keys(topology.buckets) as BucketName[];
const queueNames = Object.keys(topology.queues) as QueueName[];

/** Export keys; the only place both sides (and the tests) take them from. */
export const EXPORT_KEYS = {
  tableArn: 'table-arn',
  bucketArn: (b: BucketName) => `${b}-bucket-arn`,
  bucketName: (b: BucketName) => `${b}-bucket-name`,
  queueArn: (q: QueueName) => `${q}-queue-arn`,
  queueUrl: (q: QueueName) => `${q}-queue-url`,
  userPoolId: 'user-pool-id',
  userPoolClientId: 'user-pool-client-id',
  siteUrl: 'site-url',
  siteDistributionId: 'site-distribution-id',
} as const;

export const exportName = (stackName: string, key: string): string => `${stackName}:${key}`;

const outputId = (key: string) => key.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** Publishes the stateful resources as stack outputs with export names. */
export function exportStateful(stack: Stack, r: StatefulResources): void {
  const out = (key: string, value: string, description: string) => new CfnOutput(stack, outputId(key), { value, description, exportName: exportName(stack.stackName, key) });
  out(EXPORT_KEYS.tableArn, r.table.tableArn, 'Documents table ARN');
  for (const b of bucketNames) {
    out(EXPORT_KEYS.bucketArn(b), r.buckets[b].bucketArn, `${b} bucket ARN`);
    out(EXPORT_KEYS.bucketName(b), r.buckets[b].bucketName, `${b} bucket name`);
  }
  for (const q of queueNames) {
    out(EXPORT_KEYS.queueArn(q), r.queues[q].queueArn, `${q} queue ARN`);
    out(EXPORT_KEYS.queueUrl(q), r.queues[q].queueUrl, `${q} queue URL`);
  }
  out(EXPORT_KEYS.userPoolId, r.userPoolId, 'Cognito user pool id');
  out(EXPORT_KEYS.userPoolClientId, r.userPoolClientId, 'Cognito app client id (web and CLI; no secret)');
  out(EXPORT_KEYS.siteUrl, r.siteUrl, 'Public site URL (CloudFront)');
  out(EXPORT_KEYS.siteDistributionId, r.siteDistributionId, 'CloudFront distribution of the site (for invalidations)');
}

/** The same resources seen from another stack, through the exports above. */
export function importStateful(scope: Construct, statefulStackName: string): StatefulResources {
  const imp = (key: string) => Fn.importValue(exportName(statefulStackName, key));
  return {
    table: Table.fromTableAttributes(scope, 'Table', {
      tableArn: imp(EXPORT_KEYS.tableArn),
      globalIndexes: Object.keys(TABLE.indexes),
    }),
    buckets: Object.fromEntries(
      bucketNames.map((b) => [b, Bucket.fromBucketAttributes(scope, `${b}-bucket`, { bucketArn: imp(EXPORT_KEYS.bucketArn(b)), bucketName: imp(EXPORT_KEYS.bucketName(b)) })]),
    ) as Record<BucketName, IBucket>,
    queues: Object.fromEntries(
      queueNames.map((q) => [q, Queue.fromQueueAttributes(scope, `${q}-queue`, { queueArn: imp(EXPORT_KEYS.queueArn(q)), queueUrl: imp(EXPORT_KEYS.queueUrl(q)) })]),
    ) as Record<QueueName, IQueue>,
    userPoolId: imp(EXPORT_KEYS.userPoolId),
    userPoolClientId: imp(EXPORT_KEYS.userPoolClientId),
    siteUrl: imp(EXPORT_KEYS.siteUrl),
    siteDistributionId: imp(EXPORT_KEYS.siteDistributionId),
  };
}

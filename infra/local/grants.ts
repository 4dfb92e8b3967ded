import { AsyncLocalStorage } from 'node:async_hooks';
import { setCallGuard, type GuardedService } from '#shared/aws/guard';
import {
  bucketGrants,
  deletesInBucket,
  envName,
  KEYS,
  purgesVersions,
  readsBucket,
  topology,
  writesBucket,
  type BucketAccess,
  type BucketName,
  type FunctionName,
  type FunctionSpec,
  type QueueAccess,
  type QueueName,
} from '#shared/topology';

/**
 * The local runner holds every function to the grants topology.ts declares, as IAM does in
 * AWS: a call to the table, a bucket (by key prefix, read / write / delete), a queue (send /
 * consume) or the CDN that the function's entry does not grant fails here as it would there,
 * with the shape of the SDK's AccessDenied error. The function running is tracked per
 * invocation (AsyncLocalStorage); code outside any function (tests, the runner's own pollers,
 * the local CDN) is not checked.
 */
const running = new AsyncLocalStorage<FunctionName>();

/** The error the AWS SDK raises when IAM refuses a call: a client fault with HTTP 403. */
export class AccessDeniedError extends Error {
  readonly $fault = 'client' as const;
  readonly $metadata = { httpStatusCode: 403 };
  constructor(
    message: string,
    override readonly name: string = 'AccessDenied',
  ) {
    super(message);
  }
}

const ERROR_NAME: Record<GuardedService, string> = { s3: 'AccessDenied', sqs: 'AccessDenied', dynamodb: 'AccessDeniedException', cloudfront: 'AccessDenied' };

function deny(service: GuardedService, fn: FunctionName, command: string, resource: string, granted: string): never {
  throw new AccessDeniedError(
    `函数 ${fn} 无权对 ${resource} 执行 ${command}（topology.ts 授权：${granted || '无'}）：请在 shared/topology.ts 中声明所需权限，或不再调用。 / ` +
      `Function ${fn} may not call ${command} on ${resource} (granted in topology.ts: ${granted || 'nothing'}): declare the grant in shared/topology.ts, or stop making the call.`,
    ERROR_NAME[service],
  );
}

const spec = (fn: FunctionName) => topology.functions[fn] as FunctionSpec;

// --- SQS -------------------------------------------------------------------------------

const SENDS = new Set(['SendMessageCommand', 'SendMessageBatchCommand']);
const CONSUMES = new Set(['ReceiveMessageCommand', 'DeleteMessageCommand', 'DeleteMessageBatchCommand', 'ChangeMessageVisibilityCommand', 'ChangeMessageVisibilityBatchCommand']);

function queueOf(url: unknown): QueueName | undefined {
  return (Object.keys(topology.queues) as QueueName[]).find((q) => process.env[envName.queue(q)] === url);
}

/** Throws unless `fn` may make this SQS call. */
export function checkSqsCall(fn: FunctionName, command: string, input: Readonly<Record<string, unknown>>): void {
  const queue = queueOf(input.QueueUrl);
  const access: QueueAccess | undefined = queue ? spec(fn).queues?.[queue] : undefined;
  const need = SENDS.has(command) ? 'send' : CONSUMES.has(command) ? 'consume' : 'any';
  const ok = access !== undefined && (need === 'any' || access === need || access === 'send+consume');
  if (!ok) deny('sqs', fn, command, `queue ${queue ?? String(input.QueueUrl)}`, access ?? '');
}

// --- S3 --------------------------------------------------------------------------------

/** 'versions': list or delete object versions (s3:ListBucketVersions, s3:DeleteObjectVersion): only 'read+purge' grants it. */
type S3Need = 'read' | 'write' | 'delete' | 'versions';
const S3_NEED: Record<string, S3Need> = {
  GetObjectCommand: 'read',
  HeadObjectCommand: 'read',
  ListObjectsV2Command: 'read',
  ListObjectsCommand: 'read',
  ListObjectVersionsCommand: 'versions',
  GetObjectTaggingCommand: 'read',
  PutObjectCommand: 'write',
  CopyObjectCommand: 'write',
  CreateMultipartUploadCommand: 'write',
  UploadPartCommand: 'write',
  CompleteMultipartUploadCommand: 'write',
  AbortMultipartUploadCommand: 'write',
  PutObjectTaggingCommand: 'write',
  DeleteObjectCommand: 'delete',
  DeleteObjectsCommand: 'delete',
};

/** Locally the CDN's invalidation API is a set of records under this prefix of a bucket (shared/site/invalidate.ts). */
const LOCAL_CDN_PREFIX = KEYS.localCdn;

function bucketOf(name: unknown, key = ''): BucketName | 'local-invalidations' | undefined {
  if (name !== undefined && name === process.env[envName.localInvalidations] && key.startsWith(LOCAL_CDN_PREFIX)) return 'local-invalidations';
  return (Object.keys(topology.buckets) as BucketName[]).find((b) => process.env[envName.bucket(b)] === name);
}

const ALLOWS: Record<S3Need, (a: BucketAccess) => boolean> = { read: readsBucket, write: writesBucket, delete: deletesInBucket, versions: purgesVersions };
const allows = (need: S3Need, access: BucketAccess) => ALLOWS[need](access);

/** True when `fn`'s grants on `bucket` allow `need` on `key` (a key, or a list prefix). */
function s3Allows(fn: FunctionName, bucket: BucketName, need: S3Need, key: string): boolean {
  return bucketGrants(spec(fn).buckets?.[bucket]).some((g) => allows(need, g.access) && key.startsWith(g.prefix));
}

/** Throws unless `fn` may make this S3 call. */
export function checkS3Call(fn: FunctionName, command: string, input: Readonly<Record<string, unknown>>): void {
  const need = S3_NEED[command];
  const bucket = bucketOf(input.Bucket, String(input.Key ?? input.Prefix ?? ''));
  const resource = (key: string) => `bucket ${bucket ?? String(input.Bucket)}, key ${key || '(all)'}`;
  // Worked out only for a refusal's message.
  const granted = () =>
    bucket && bucket !== 'local-invalidations'
      ? bucketGrants(spec(fn).buckets?.[bucket])
          .map((g) => `${g.access}${g.prefix ? ` ${g.prefix}*` : ''}`)
          .join(', ')
      : '';
  if (!need || !bucket) deny('s3', fn, command, resource(String(input.Key ?? input.Prefix ?? '')), granted());
  // The local stand-in for CloudFront's invalidation API: what `cdn: 'invalidate'` grants.
  if (bucket === 'local-invalidations') {
    if (spec(fn).cdn !== 'invalidate' || need === 'delete') deny('s3', fn, command, 'the CDN (local invalidation records)', spec(fn).cdn ?? '');
    return;
  }
  // A delete naming a VersionId removes that version for good: s3:DeleteObjectVersion, not s3:DeleteObject.
  const targets: { key: string; need: S3Need }[] =
    command === 'DeleteObjectsCommand'
      ? ((input.Delete as { Objects?: { Key?: string; VersionId?: string }[] } | undefined)?.Objects ?? []).map((o) => ({
          key: o.Key ?? '',
          need: o.VersionId ? 'versions' : need,
        }))
      : [{ key: String(input.Key ?? input.Prefix ?? ''), need: need === 'delete' && input.VersionId ? 'versions' : need }];
  for (const t of targets) if (!s3Allows(fn, bucket, t.need, t.key)) deny('s3', fn, command, resource(t.key), granted());
  // A copy reads its source: `bucket/key`, URL-encoded.
  if (command === 'CopyObjectCommand' && typeof input.CopySource === 'string') {
    const src = decodeURIComponent(input.CopySource.replace(/^\//, ''));
    const slash = src.indexOf('/');
    const srcKey = src.slice(slash + 1).split('?')[0]!;
    const srcBucket = bucketOf(src.slice(0, slash), srcKey);
    if (!srcBucket || srcBucket === 'local-invalidations' || !s3Allows(fn, srcBucket, 'read', srcKey))
      deny('s3', fn, 'CopyObjectCommand (source)', `bucket ${src.slice(0, slash)}, key ${srcKey}`, '');
  }
}

// --- DynamoDB ----------------------------------------------------------------------------

const DYNAMO_READS = new Set([
  'GetItemCommand',
  'GetCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchGetCommand',
  'TransactGetItemsCommand',
  'TransactGetCommand',
  'DescribeTableCommand',
]);
const DYNAMO_WRITES = new Set([
  'PutItemCommand',
  'PutCommand',
  'UpdateItemCommand',
  'UpdateCommand',
  'DeleteItemCommand',
  'DeleteCommand',
  'BatchWriteItemCommand',
  'BatchWriteCommand',
  'TransactWriteItemsCommand',
  'TransactWriteCommand',
]);

const tablesOf = (input: Readonly<Record<string, unknown>>): unknown[] => {
  if (input.TableName !== undefined) return [input.TableName];
  if (input.RequestItems && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems);
  if (Array.isArray(input.TransactItems)) return input.TransactItems.flatMap((t) => Object.values(t as object).map((op) => (op as { TableName?: string }).TableName));
  return [undefined];
};

/** Throws unless `fn` may make this DynamoDB call. */
export function checkDynamoCall(fn: FunctionName, command: string, input: Readonly<Record<string, unknown>>): void {
  const access = spec(fn).table;
  const need = DYNAMO_READS.has(command) ? 'read' : DYNAMO_WRITES.has(command) ? 'readwrite' : undefined;
  for (const table of tablesOf(input)) {
    const ok = table === process.env[envName.table] && need !== undefined && access !== undefined && (need === 'read' || access === 'readwrite');
    if (!ok) deny('dynamodb', fn, command, `table ${String(table)}`, access ?? '');
  }
}

// --- CloudFront ----------------------------------------------------------------------------

/** Throws unless `fn` may make this CloudFront call. */
export function checkCloudFrontCall(fn: FunctionName, command: string, input: Readonly<Record<string, unknown>>): void {
  const ok = command === 'CreateInvalidationCommand' && spec(fn).cdn === 'invalidate' && input.DistributionId === process.env[envName.distribution];
  if (!ok) deny('cloudfront', fn, command, `distribution ${String(input.DistributionId)}`, spec(fn).cdn ?? '');
}

const CHECKS: Record<GuardedService, (fn: FunctionName, command: string, input: Readonly<Record<string, unknown>>) => void> = {
  sqs: checkSqsCall,
  s3: checkS3Call,
  dynamodb: checkDynamoCall,
  cloudfront: checkCloudFrontCall,
};

/** Checks one call as function `fn` would make it (exported for tests). */
export const checkCall = (fn: FunctionName, service: GuardedService, command: string, input: Readonly<Record<string, unknown>>): void => CHECKS[service](fn, command, input);

/** The function whose code is running now, if any. */
export const runningFunction = (): FunctionName | undefined => running.getStore();

/** Runs `f` as function `fn`: its calls to AWS are checked against fn's grants. */
export function runAs<T>(fn: FunctionName, f: () => T): T {
  setCallGuard((service, command, input) => {
    const current = running.getStore();
    if (current) CHECKS[service](current, command, input);
  });
  return running.run(fn, f);
}

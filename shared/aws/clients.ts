import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { env, resetConfiguration } from '#shared/env';
import { guardClient } from '#shared/aws/guard';

/**
 * The AWS SDK clients, each created once per process (per Lambda cold start) on first
 * use and configured here. Locally an endpoint override points them at the emulators.
 * Created on first use rather than at import so that the local runner and the tests can
 * set the environment before anything reads it.
 */
const resets: (() => void)[] = [];
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  resets.push(() => (value = undefined));
  return () => (value ??= make());
}

/** Forgets the clients so the next use reads the environment again (a local stack restarted on other ports). */
export function resetClients(): void {
  resets.forEach((reset) => reset());
  resetConfiguration();
}

// Locally, every call of every client is checked against the calling function's grants
// (shared/aws/guard.ts, infra/local/grants.ts), as IAM checks it in AWS.
// `@__PURE__`: a function's bundle that never uses a client leaves that client's SDK out
// (esbuild drops the unused declaration; issue 17.5, cold start).
export const s3 = /* @__PURE__ */ once(() => {
  const endpoint = env.endpoint('s3');
  const client = new S3Client({
    region: env.region(),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // s3rver stores aws-chunked bodies verbatim; checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  guardClient('s3', client);
  return client;
});

export const dynamo = /* @__PURE__ */ once(() => {
  const endpoint = env.endpoint('dynamodb');
  const client = new DynamoDBClient({ region: env.region(), ...(endpoint ? { endpoint } : {}) });
  guardClient('dynamodb', client);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});

export const sqs = /* @__PURE__ */ once(() => {
  const endpoint = env.endpoint('sqs');
  const client = new SQSClient({ region: env.region(), ...(endpoint ? { endpoint } : {}) });
  guardClient('sqs', client);
  return client;
});

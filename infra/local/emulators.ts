import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { type BucketName } from '#shared/topology';

/**
 * The local stand-ins for AWS, all on 127.0.0.1 and started by the project itself:
 * dynalite (DynamoDB, kept on disk), s3rver (S3, kept on disk), fauxqs (SQS, in memory).
 */
export interface EmulatorPorts {
  readonly dynamodb: number;
  readonly s3: number;
  readonly sqs: number;
}

export interface Emulators {
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly sqs: string };
  /** Raw S3 events as s3rver emits them (see bridge.ts for the AWS shape). */
  readonly s3Events: S3rver;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** CORS rules for the drafts bucket, so a browser can POST straight to the presigned upload. */
const CORS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export async function startEmulators(options: { dataDir: string; ports?: Partial<EmulatorPorts>; bucketNames: Record<BucketName, string> }): Promise<Emulators> {
  const { dataDir, ports = {}, bucketNames } = options;
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  await mkdir(join(dataDir, 's3'), { recursive: true });

  const dynamo: Server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(ports.dynamodb ?? 0, HOST, () => resolve());
  });

  const s3 = new S3rver({
    address: HOST,
    port: ports.s3 ?? 0,
    silent: true,
    directory: join(dataDir, 's3'),
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: [
      { name: bucketNames.drafts, configs: [CORS_XML] },
      { name: bucketNames.site, configs: [] },
    ],
  });
  let s3Address: AddressInfo;
  let sqs: FauxqsServer;
  try {
    s3Address = await s3.run();
    sqs = await startFauxqs({ port: ports.sqs ?? 0, logger: false, host: HOST });
  } catch (err) {
    await new Promise((r) => dynamo.close(r));
    throw err;
  }

  return {
    endpoints: {
      dynamodb: `http://${HOST}:${(dynamo.address() as AddressInfo).port}`,
      s3: `http://${HOST}:${s3Address.port}`,
      sqs: sqs.address,
    },
    s3Events: s3,
    async stop() {
      await Promise.allSettled([sqs.stop(), s3.close(), new Promise((r) => dynamo.close(r))]);
    },
  };
}

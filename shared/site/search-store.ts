import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3 } from '#shared/aws/clients';
import { env } from '#shared/env';
import type { BucketName } from '#shared/topology';

/**
 * The two S3 operations the search index needs beyond shared/blobs.ts: listing a prefix
 * (a superseded bundle folder) and deleting its keys. Used only by shared/site/search.ts.
 */

/** Every key under `prefix` (paged; a bundle folder holds one file per index chunk and fragment group). */
export async function listKeys(bucket: BucketName, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3().send(
      new ListObjectsV2Command({ Bucket: env.bucket(bucket), Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Deletes `keys` (S3 DeleteObjects, 1,000 a request); fails if S3 reports any key it could not delete. */
export async function deleteKeys(bucket: BucketName, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    const res = await s3().send(
      new DeleteObjectsCommand({ Bucket: env.bucket(bucket), Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }),
    );
    if (res.Errors?.length) {
      const e = res.Errors[0]!;
      throw new Error(`Could not delete ${res.Errors.length} search object(s) from ${bucket}, e.g. ${e.Key}: ${e.Code} ${e.Message}`);
    }
  }
}

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '#shared/aws/clients';
import { env } from '#shared/env';
import type { BucketName } from '#shared/topology';

/** Small helpers over S3 objects; the only place that knows how bodies are read. */

export async function readBytes(bucket: BucketName, key: string): Promise<Uint8Array> {
  const res = await s3().send(new GetObjectCommand({ Bucket: env.bucket(bucket), Key: key }));
  if (!res.Body) throw new Error(`Empty body for ${bucket}/${key}`);
  return res.Body.transformToByteArray();
}

/** An object's bytes with the identity S3 gives them (ETag, VersionId in a versioned bucket, time stored). */
export async function readObject(bucket: BucketName, key: string): Promise<{ bytes: Uint8Array; etag?: string; versionId?: string; lastModified: string }> {
  const res = await s3().send(new GetObjectCommand({ Bucket: env.bucket(bucket), Key: key }));
  if (!res.Body) throw new Error(`Empty body for ${bucket}/${key}`);
  return {
    bytes: await res.Body.transformToByteArray(),
    ...(res.ETag ? { etag: res.ETag } : {}),
    ...(res.VersionId && res.VersionId !== 'null' ? { versionId: res.VersionId } : {}),
    lastModified: (res.LastModified ?? new Date()).toISOString(),
  };
}

export async function readText(bucket: BucketName, key: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(bucket, key));
}

export async function writeObject(
  bucket: BucketName,
  key: string,
  body: string | Uint8Array,
  contentType: string,
  extra: { cacheControl?: string } = {},
): Promise<{ versionId?: string }> {
  const res = await s3().send(
    new PutObjectCommand({
      Bucket: env.bucket(bucket),
      Key: key,
      Body: body,
      ContentType: contentType,
      ...(extra.cacheControl ? { CacheControl: extra.cacheControl } : {}),
    }),
  );
  return res.VersionId && res.VersionId !== 'null' ? { versionId: res.VersionId } : {};
}

/** True for S3's "no such object" however it is reported (GET: NoSuchKey, HEAD: NotFound, or a bare 404). */
export const isNotFound = (err: unknown): boolean =>
  err instanceof NotFound || err instanceof NoSuchKey || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** A JSON object, or undefined when it does not exist. */
export async function readJson<T>(bucket: BucketName, key: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readText(bucket, key)) as T;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Size, time and identity (ETag, VersionId where versioned) of an object, or undefined when it does not exist (yet). */
export async function statObject(bucket: BucketName, key: string): Promise<{ size: number; lastModified: string; etag?: string; versionId?: string } | undefined> {
  try {
    const res = await s3().send(new HeadObjectCommand({ Bucket: env.bucket(bucket), Key: key }));
    return {
      size: res.ContentLength ?? 0,
      lastModified: (res.LastModified ?? new Date()).toISOString(),
      ...(res.ETag ? { etag: res.ETag } : {}),
      ...(res.VersionId && res.VersionId !== 'null' ? { versionId: res.VersionId } : {}),
    };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Copies an object inside a bucket (S3 CopyObject: read on the source, write on the target). */
export async function copyObject(bucket: BucketName, fromKey: string, toKey: string, contentType: string): Promise<void> {
  const name = env.bucket(bucket);
  await s3().send(
    new CopyObjectCommand({
      Bucket: name,
      Key: toKey,
      CopySource: `${name}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
      ContentType: contentType,
      MetadataDirective: 'REPLACE',
    }),
  );
}

/** Deletes an object; deleting one that does not exist is not an error (S3 semantics). */
export async function deleteObject(bucket: BucketName, key: string): Promise<void> {
  await s3().send(new DeleteObjectCommand({ Bucket: env.bucket(bucket), Key: key }));
}

/** Every key under `prefix` (paged; a bundle folder holds one file per index chunk and fragment group). */
export async function listKeys(bucket: BucketName, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3().send(new ListObjectsV2Command({ Bucket: env.bucket(bucket), Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Deletes `keys` (S3 DeleteObjects, 1,000 a request); fails if S3 reports any key it could not delete. */
export async function deleteKeys(bucket: BucketName, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    const res = await s3().send(new DeleteObjectsCommand({ Bucket: env.bucket(bucket), Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }));
    if (res.Errors?.length) {
      const e = res.Errors[0]!;
      throw new Error(`Could not delete ${res.Errors.length} object(s) from ${bucket}, e.g. ${e.Key}: ${e.Code} ${e.Message}`);
    }
  }
}

/**
 * Deletes every object under `prefix` and, in a versioned bucket (the drafts bucket in AWS),
 * every version and delete marker of it, so no earlier bytes remain. An S3 without versioning
 * (the local emulator answers MethodNotAllowed to the versions listing) holds only the current objects: those are deleted.
 * Returns the keys that held data.
 */
export async function deleteAllVersions(bucket: BucketName, prefix: string): Promise<string[]> {
  const Bucket = env.bucket(bucket);
  const versions: { Key: string; VersionId?: string }[] = [];
  let versioned = true;
  try {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const res = await s3().send(
        new ListObjectVersionsCommand({ Bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(versionMarker ? { VersionIdMarker: versionMarker } : {}) }),
      );
      // Every version and delete marker, the current ones included ('null' is the version of an object stored before versioning).
      for (const v of [...(res.Versions ?? []), ...(res.DeleteMarkers ?? [])]) if (v.Key && v.VersionId) versions.push({ Key: v.Key, VersionId: v.VersionId });
      keyMarker = res.IsTruncated ? res.NextKeyMarker : undefined;
      versionMarker = res.IsTruncated ? res.NextVersionIdMarker : undefined;
    } while (keyMarker);
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    const unversioned = ['NotImplemented', 'MethodNotAllowed'].includes(e.name ?? '') || [405, 501].includes(e.$metadata?.httpStatusCode ?? 0);
    if (!unversioned) throw err;
    versioned = false;
  }
  // Without versions, the current objects are all there is. (With them, deleting a current
  // object without its VersionId would only add a delete marker.)
  if (!versioned) for (const Key of await listKeys(bucket, prefix)) versions.push({ Key });
  for (let i = 0; i < versions.length; i += 1000) {
    const chunk = versions.slice(i, i + 1000);
    const res = await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: chunk, Quiet: true } }));
    if (res.Errors?.length) {
      const e = res.Errors[0]!;
      throw new Error(`Could not delete ${res.Errors.length} object version(s) from ${bucket}, e.g. ${e.Key}: ${e.Code} ${e.Message}`);
    }
  }
  const left = await listKeys(bucket, prefix);
  if (left.length) throw new Error(`${left.length} object(s) still under ${bucket}/${prefix} after deletion, e.g. ${left[0]}`);
  return [...new Set(versions.map((v) => v.Key))];
}

/**
 * A link that downloads one object for `expiresIn` seconds (SigV4 query signing, with the
 * caller's grants: reading the object is checked as a GetObject), as an attachment named
 * `fileName` and served with `contentType`.
 */
export async function presignDownload(bucket: BucketName, key: string, o: { fileName: string; contentType: string; expiresIn: number }): Promise<string> {
  return getSignedUrl(
    s3(),
    new GetObjectCommand({
      Bucket: env.bucket(bucket),
      Key: key,
      ResponseContentType: o.contentType,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(o.fileName)}`,
    }),
    { expiresIn: o.expiresIn },
  );
}

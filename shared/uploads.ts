import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { s3 } from '#shared/aws/clients';
import { env } from '#shared/env';
import type { PresignedUpload } from '#shared/api';
import type { Draft, Part, StoredFile } from '#shared/domain/draft';

/** The form's shape is part of the API's contract (shared/api.ts). */
export type { PresignedUpload };

/** When a form issued at `issuedAt` expires (ISO); recorded on the draft so the pipeline can refuse late uploads. */
export const uploadExpiry = (issuedAt: Date): string => new Date(issuedAt.getTime() + env.uploadExpirySeconds() * 1000).toISOString();

/**
 * A browser-usable upload limited to one key, one content type, a size range and a short
 * expiry (the POST policy). S3 enforces the policy; the local emulator does not, so the
 * extract stage checks size and type again.
 */
export async function presignUpload(part: Part, file: StoredFile, issuedAt: Date): Promise<PresignedUpload> {
  const expires = env.uploadExpirySeconds();
  const { url, fields } = await createPresignedPost(s3(), {
    Bucket: env.bucket('drafts'),
    Key: file.key,
    Conditions: [
      ['content-length-range', 1, file.maxBytes],
      ['eq', '$Content-Type', file.contentType],
    ],
    Fields: { 'Content-Type': file.contentType },
    Expires: expires,
  });
  return {
    part,
    url,
    fields,
    maxBytes: file.maxBytes,
    contentType: file.contentType,
    expiresAt: uploadExpiry(issuedAt),
  };
}

/** One presigned upload for each file of a draft's revision. */
export function presignAll(files: Draft['files'], issuedAt: Date): Promise<PresignedUpload[]> {
  return Promise.all(
    (Object.entries(files) as [Part, StoredFile | undefined][]).filter((e): e is [Part, StoredFile] => e[1] !== undefined).map(([part, f]) => presignUpload(part, f, issuedAt)),
  );
}

/**
 * A presigned form for an applicant's upload (依申请公开: the identity document's copy): one key
 * under KEYS.applicantUploads, one content type, at most `maxBytes`, the usual short expiry.
 */
export async function presignApplicantUpload(key: string, contentType: string, maxBytes: number, issuedAt: Date) {
  const { url, fields } = await createPresignedPost(s3(), {
    Bucket: env.bucket('drafts'),
    Key: key,
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: env.uploadExpirySeconds(),
  });
  return { url, fields, maxBytes, contentType, expiresAt: uploadExpiry(issuedAt) };
}

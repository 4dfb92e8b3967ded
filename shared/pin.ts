import { createHash } from 'node:crypto';
import { readObject, statObject, writeObject } from '#shared/blobs';
import { PART_LABELS, pinnedKey, type Draft, type Part, type StoredFile } from '#shared/domain/draft';
import { DomainError } from '#shared/errors';

/**
 * Pinning: the bytes approved are the bytes published. A presigned form can be used again
 * until it expires, so the object under an upload key can change after it was read. The
 * extract stage reads each upload once, copies those bytes to an immutable key that no form
 * is ever issued for (content-addressed, so two deliveries never overwrite each other) and
 * records sha256, ETag and VersionId on the draft. Every later stage reads the copy and checks
 * its sha256: the upload key is never read again.
 */

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

type Stat = NonNullable<Awaited<ReturnType<typeof statObject>>>;

/** True when S3 stored the object after the last form for it expired (S3 enforces the form; the local emulator does not). */
export const isLate = (file: StoredFile, stat: { lastModified: string }): boolean => file.uploadExpiresAt !== undefined && stat.lastModified > file.uploadExpiresAt;

/** True when `stat` is the object an earlier delivery refused as late: it counts as not received. */
export const isRefused = (file: StoredFile, stat: Stat): boolean =>
  file.refusedUpload !== undefined && file.refusedUpload.lastModified === stat.lastModified && file.refusedUpload.etag === stat.etag;

/** An upload is received when it exists and is not one refused earlier. */
export async function receivedUpload(file: StoredFile): Promise<Stat | undefined> {
  const stat = await statObject('drafts', file.key);
  return stat && !isRefused(file, stat) ? stat : undefined;
}

export type PinOutcome = { kind: 'pinned'; file: StoredFile; uploadedAt: string } | { kind: 'late'; file: StoredFile; uploadedAt: string };

/**
 * Reads the upload of `file` once and pins it. An upload over the size limit is not read
 * (the extract stage rejects it on its size). One S3 stored after its form expired is refused.
 */
export async function pinUpload(draft: Draft, part: Part, file: StoredFile, stat: Stat): Promise<PinOutcome> {
  if (isLate(file, stat))
    return { kind: 'late', file: { ...file, refusedUpload: { ...(stat.etag ? { etag: stat.etag } : {}), lastModified: stat.lastModified } }, uploadedAt: stat.lastModified };
  if (stat.size > file.maxBytes) {
    return {
      kind: 'pinned',
      file: { ...file, pinned: { sha256: '', size: stat.size, ...(stat.etag ? { etag: stat.etag } : {}), ...(stat.versionId ? { versionId: stat.versionId } : {}) } },
      uploadedAt: stat.lastModified,
    };
  }
  // What is pinned is what this GET returned, with the ETag, VersionId and time S3 gave it.
  // (No read by VersionId: that needs s3:GetObjectVersion, which no function is granted;
  // the sha256 of the bytes read is the identity every later stage checks.)
  const obj = await readObject('drafts', file.key);
  if (isLate(file, obj))
    return { kind: 'late', file: { ...file, refusedUpload: { ...(obj.etag ? { etag: obj.etag } : {}), lastModified: obj.lastModified } }, uploadedAt: obj.lastModified };
  const sha256 = sha256Hex(obj.bytes);
  const key = pinnedKey(draft.id, draft.revision, part, sha256);
  const written = await writeObject('drafts', key, obj.bytes, 'application/octet-stream');
  return {
    kind: 'pinned',
    file: {
      ...file,
      pinned: {
        key,
        sha256,
        size: obj.bytes.byteLength,
        ...(obj.etag ? { etag: obj.etag } : {}),
        ...(obj.versionId ? { versionId: obj.versionId } : {}),
        ...(written.versionId ? { copyVersionId: written.versionId } : {}),
      },
    },
    uploadedAt: obj.lastModified,
  };
}

/** Raised when a pinned copy is missing or no longer holds the pinned bytes: nothing is checked or published from it. */
export class PinMismatchError extends DomainError {
  constructor(file: StoredFile, what: string) {
    super({
      zh: `文件“${file.fileName}”的已收存副本与提取时记录的不一致（${what}），已停止处理；请联系系统管理员核查。`,
      en: `The stored copy of "${file.fileName}" is not the one recorded at extraction (${what}); processing stopped — ask the system administrator to investigate.`,
    });
    this.name = 'PinMismatchError';
  }
}

/** The pinned bytes of a file, verified against the recorded sha256 (whoever wrote to the key since, it is noticed). */
export async function readPinned(file: StoredFile): Promise<Uint8Array> {
  const pin = file.pinned;
  if (!pin?.key) throw new PinMismatchError(file, 'no pinned copy');
  const obj = await readObject('drafts', pin.key);
  const sha = sha256Hex(obj.bytes);
  if (sha !== pin.sha256) throw new PinMismatchError(file, `sha256 ${sha.slice(0, 12)}… ≠ ${pin.sha256.slice(0, 12)}…`);
  return obj.bytes;
}

/**
 * An upload to a key already received (a form used again): it never changes what is checked
 * or published. Returns the history note for it, or undefined when the object under the key
 * is still the pinned one (a repeated event) or the same upload was noted already.
 */
export async function uploadAfterReceipt(draft: Draft, part: Part, file: StoredFile): Promise<string | undefined> {
  const pin = file.pinned;
  if (!pin) return undefined;
  const stat = await statObject('drafts', file.key);
  if (!stat) return undefined;
  const same = stat.versionId && pin.versionId ? stat.versionId === pin.versionId : stat.etag === pin.etag && stat.size === pin.size;
  if (same) return undefined;
  const tag = `${stat.etag ?? ''}@${stat.lastModified}`;
  if (draft.history.some((h) => h.event === 'UPLOAD_IGNORED' && h.note?.includes(tag))) return undefined;
  const label = PART_LABELS[part];
  return (
    `${label}在收到后又被上传一次（${tag}），此次上传不予受理：审查、审批和发布的仍是第 ${draft.revision} 版收到的文件（sha256 ${pin.sha256.slice(0, 16)}…）。如需更换文件，请审批人退回修改后提交新版本。` +
    ` / The ${part} was uploaded again after it was received (${tag}); that upload was ignored: what is checked, approved and published is still the file received for revision ${draft.revision} (sha256 ${pin.sha256.slice(0, 16)}…). To change the file, ask the approver to return the draft and submit a new revision.`
  );
}

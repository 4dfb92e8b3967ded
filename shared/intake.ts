import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import * as z from 'zod';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { ITEM, putNew } from '#shared/aws/table';
import type { CreateDraftRequest } from '#shared/api';
import { now } from '#shared/clock';
import { PART_LABELS, type Draft, type Part, type StoredFile, uploadKey } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';
import { listBodies } from '#shared/bodies';
import { bodyOfUnit } from '#shared/domain/body';
import { env } from '#shared/env';
import { ConflictError, ValidationError, bi } from '#shared/errors';
import { actorOf, type Identity } from '#shared/http';
import { evaluate } from '#shared/rules/index';
import { receivedUpload } from '#shared/pin';
import { amend, createDraft } from '#shared/store';
import { presignAll, presignUpload, uploadExpiry, type PresignedUpload } from '#shared/uploads';

/**
 * Intake of a draft: the one code path by which a declaration becomes a draft record with
 * presigned uploads, whether a drafting unit submits it (POST /drafts) or determines the
 * attribute of a historical document (POST /historical/{id}/determination).
 */
export interface Intake {
  readonly draft: Draft;
  readonly uploads: PresignedUpload[];
  /** Rules that need only the form, run now so the drafter hears of them before uploading. */
  readonly preflight: Finding[];
}

/**
 * The file records of a revision, from the specs the client declared: each under its own
 * upload key, with the size limit. A declared size over the limit is a 400 before any
 * upload is handed out.
 */
export function plannedFiles(id: string, revision: number, specs: CreateDraftRequest['files'], issuedAt: Date = now()): Draft['files'] {
  const maxBytes = env.maxUploadBytes();
  const uploadExpiresAt = uploadExpiry(issuedAt);
  const tooLarge = (Object.entries(specs) as [Part, CreateDraftRequest['files'][Part]][])
    .filter(([, f]) => f && f.size > maxBytes)
    .map(([part]) => ({
      field: `files.${part}.size`,
      zh: `${PART_LABELS[part]}超过大小上限 ${Math.round(maxBytes / 1024 / 1024)} MB，请压缩或拆分后上传。`,
      en: `The ${part} exceeds the ${Math.round(maxBytes / 1024 / 1024)} MB limit; compress or split it.`,
    }));
  if (tooLarge.length) throw new ValidationError(tooLarge);
  const file = (part: Part, spec: NonNullable<CreateDraftRequest['files'][Part]>): StoredFile => ({
    key: uploadKey(id, revision, part),
    fileName: spec.fileName,
    contentType: spec.contentType,
    maxBytes,
    uploadExpiresAt,
  });
  return {
    document: file('document', specs.document),
    ...(specs.interpretation ? { interpretation: file('interpretation', specs.interpretation) } : {}),
  };
}

/** The id a new draft gets; exported so a caller can record it before the draft exists. */
export const newDraftId = (at: Date = now()): string => ulid(at.getTime());

/**
 * A draft whose form declares a 密级 is refused before anything is stored or any upload form
 * is issued (issue 15.4; 000 §二(三)1): a classified document must never be handled on this
 * internet-facing system, so not one of its bytes may reach it.
 */
export function refuseClassified(form: { secrecyLevel?: string | undefined }): void {
  if (form.secrecyLevel === undefined || form.secrecyLevel === 'none') return;
  throw new ValidationError([
    {
      field: 'form.secrecyLevel',
      zh: `申报的密级为“${form.secrecyLevel}”：涉密文件不得在本系统（连接互联网）中办理，也不得上传。请按保密规定通过涉密渠道处理；如文件并不涉密，请将密级填为“非涉密”（none）后重新提交。`,
      en: `The form declares the secrecy level ${form.secrecyLevel}: a classified document must not be handled on, or uploaded to, this internet-facing system. Handle it through the classified channel your secrecy rules prescribe; if the document is not classified, declare secrecy level none and submit again.`,
    },
  ]);
}

export async function intakeDraft(submitter: Identity, req: CreateDraftRequest, options: { id?: string; at?: Date; note?: string } = {}): Promise<Intake> {
  const at = options.at ?? now();
  const id = options.id ?? newDraftId(at);
  const files = plannedFiles(id, 1, req.files, at);
  const iso = at.toISOString();
  const actor = actorOf(submitter);
  // The 公开主体 of the drafting unit (issue 16.2): its approvers decide it, its site publishes it.
  const body = bodyOfUnit(await listBodies(), req.form.draftingUnit)?.id;
  const draft: Draft = {
    id,
    version: 1,
    revision: 1,
    status: 'AWAITING_UPLOAD',
    form: req.form,
    submitter: actor,
    ...(body ? { body } : {}),
    files,
    findings: [],
    history: [{ at: iso, actor, event: 'SUBMITTED', to: 'AWAITING_UPLOAD', note: options.note ?? req.form.title }],
    createdAt: iso,
    updatedAt: iso,
    stageEnteredAt: iso,
  };
  await createDraft(draft);

  const uploads = await presignAll(files, at);
  return { draft, uploads, preflight: evaluate({ form: req.form }, 'form') };
}

/**
 * Fresh presigned uploads for the files of a draft that S3 has not received yet (or whose
 * upload was refused as late). Their new expiry is recorded on the draft: the extract stage
 * refuses an upload S3 stored after it, even where the store does not enforce the form.
 */
export async function pendingUploads(draft: Draft, at: Date = now()): Promise<PresignedUpload[]> {
  const parts = (Object.entries(draft.files) as [Part, StoredFile | undefined][]).filter((e): e is [Part, StoredFile] => e[1] !== undefined);
  const missing: [Part, StoredFile][] = [];
  for (const [part, file] of parts) if (!(await receivedUpload(file))) missing.push([part, file]);
  if (!missing.length) return [];
  const uploadExpiresAt = uploadExpiry(at);
  await amend(draft, { files: { ...draft.files, ...Object.fromEntries(missing.map(([part, file]) => [part, { ...file, uploadExpiresAt }])) } });
  return Promise.all(missing.map(([part, file]) => presignUpload(part, file, at)));
}

/**
 * Idempotency-Key (header of POST /drafts): a client that retries a submission — a batch
 * re-run that lost its local ledger, a timeout with no answer — sends the same key and gets
 * the draft of the first request back instead of a second draft. Keys are per submitter.
 */
export const IdempotencyKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, bi('幂等键应为 8–128 个字母、数字或 _.:-', 'the Idempotency-Key must be 8 to 128 letters, digits or _.:-'));

/** JSON with sorted keys, so the same request written in another order hashes the same. */
export const canonicalJson = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonicalJson).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

export const requestHash = (req: unknown): string => createHash('sha256').update(canonicalJson(req)).digest('hex');

const idempotencyItemKey = ITEM.idempotency;

/**
 * Binds a key to a draft id, once (conditional write). Returns the draft id the key is bound
 * to: `draftId` when this call bound it, the earlier one otherwise. A key reused for a
 * different request is a conflict.
 */
export async function bindIdempotencyKey(sub: string, key: string, draftId: string, hash: string): Promise<{ draftId: string; fresh: boolean }> {
  if (await putNew({ ...idempotencyItemKey(sub, key), draftId, requestHash: hash, createdAt: new Date().toISOString() })) return { draftId, fresh: true };
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: idempotencyItemKey(sub, key), ConsistentRead: true }));
  const item = res.Item as { draftId: string; requestHash: string } | undefined;
  if (!item) throw new ConflictError({ zh: '幂等键状态异常，请重试。', en: 'The idempotency key is in an inconsistent state; retry.' });
  if (item.requestHash !== hash) {
    throw new ConflictError({ zh: '该幂等键已用于另一份不同的提交。', en: 'This Idempotency-Key was already used for a different request.' });
  }
  return { draftId: item.draftId, fresh: false };
}

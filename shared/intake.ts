import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { z } from 'zod';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { statObject } from '#shared/blobs';
import { TABLE } from '#shared/topology';
import type { CreateDraftRequest } from '#shared/api';
import { now } from '#shared/clock';
import { PART_LABELS, type Draft, type Part, type StoredFile, uploadKey } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';
import { env } from '#shared/env';
import { ConflictError, ValidationError } from '#shared/errors';
import type { Identity } from '#shared/http';
import { evaluate } from '#shared/rules/index';
import { createDraft } from '#shared/store';
import { presignUpload, type PresignedUpload } from '#shared/uploads';

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

/** The id a new draft gets; exported so a caller can record it before the draft exists. */
export const newDraftId = (at: Date = now()): string => ulid(at.getTime());

export async function intakeDraft(
  submitter: Identity,
  req: CreateDraftRequest,
  options: { id?: string; at?: Date; note?: string } = {},
): Promise<Intake> {
  const maxBytes = env.maxUploadBytes();
  const tooLarge = Object.entries(req.files)
    .filter(([, f]) => f && f.size > maxBytes)
    .map(([part]) => ({
      field: `files.${part}.size`,
      zh: `${PART_LABELS[part as Part]}超过大小上限 ${Math.round(maxBytes / 1024 / 1024)} MB，请压缩或拆分后上传。`,
      en: `The ${part} exceeds the ${Math.round(maxBytes / 1024 / 1024)} MB limit; compress or split it.`,
    }));
  if (tooLarge.length) throw new ValidationError(tooLarge);

  const at = options.at ?? now();
  const id = options.id ?? newDraftId(at);
  const file = (part: Part, spec: NonNullable<CreateDraftRequest['files'][Part]>): StoredFile => ({
    key: uploadKey(id, 1, part),
    fileName: spec.fileName,
    contentType: spec.contentType,
    maxBytes,
  });
  const files: Draft['files'] = {
    document: file('document', req.files.document),
    ...(req.files.interpretation ? { interpretation: file('interpretation', req.files.interpretation) } : {}),
  };
  const iso = at.toISOString();
  const { role, sub, name, unit } = submitter;
  const actor = { sub, name, role, ...(unit ? { unit } : {}) };
  const draft: Draft = {
    id,
    version: 1,
    revision: 1,
    status: 'AWAITING_UPLOAD',
    form: req.form,
    submitter: actor,
    files,
    findings: [],
    history: [{ at: iso, actor, event: 'SUBMITTED', to: 'AWAITING_UPLOAD', note: options.note ?? req.form.title }],
    createdAt: iso,
    updatedAt: iso,
    stageEnteredAt: iso,
  };
  await createDraft(draft);

  const uploads = await Promise.all(
    (Object.entries(files) as [Part, StoredFile | undefined][])
      .filter((e): e is [Part, StoredFile] => e[1] !== undefined)
      .map(([part, f]) => presignUpload(part, f, at)),
  );
  return { draft, uploads, preflight: evaluate({ form: req.form }, 'form') };
}

/** Fresh presigned uploads for the files of a draft that S3 has not received yet. */
export async function pendingUploads(draft: Draft, at: Date = now()): Promise<PresignedUpload[]> {
  const parts = (Object.entries(draft.files) as [Part, StoredFile | undefined][]).filter((e): e is [Part, StoredFile] => e[1] !== undefined);
  const missing: [Part, StoredFile][] = [];
  for (const [part, file] of parts) if (!(await statObject('drafts', file.key))) missing.push([part, file]);
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
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, '幂等键应为 8–128 个字母、数字或 _.:- / the Idempotency-Key must be 8 to 128 letters, digits or _.:-');

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

const idempotencyItemKey = (sub: string, key: string) => ({ [TABLE.partitionKey]: `IDEMP#${sub}#${key}`, [TABLE.sortKey]: 'IDEMP' });

/**
 * Binds a key to a draft id, once (conditional write). Returns the draft id the key is bound
 * to: `draftId` when this call bound it, the earlier one otherwise. A key reused for a
 * different request is a conflict.
 */
export async function bindIdempotencyKey(sub: string, key: string, draftId: string, hash: string): Promise<{ draftId: string; fresh: boolean }> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: env.tableName(),
        Item: { ...idempotencyItemKey(sub, key), draftId, requestHash: hash, createdAt: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { draftId, fresh: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: idempotencyItemKey(sub, key), ConsistentRead: true }));
  const item = res.Item as { draftId: string; requestHash: string } | undefined;
  if (!item) throw new ConflictError({ zh: '幂等键状态异常，请重试。', en: 'The idempotency key is in an inconsistent state; retry.' });
  if (item.requestHash !== hash) {
    throw new ConflictError({ zh: '该幂等键已用于另一份不同的提交。', en: 'This Idempotency-Key was already used for a different request.' });
  }
  return { draftId: item.draftId, fresh: false };
}

import middy from '@middy/core';
import { ulid } from 'ulid';
import { CreateDraftRequest } from '#shared/api';
import { now } from '#shared/clock';
import { PART_LABELS, type Draft, type Part, type StoredFile, uploadKey } from '#shared/domain/draft';
import { env } from '#shared/env';
import { ValidationError } from '#shared/errors';
import { bodyOf, httpErrors, json, parseWith, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { evaluate } from '#shared/rules/index';
import { createDraft } from '#shared/store';
import { presignUpload } from '#shared/uploads';

/** POST /drafts: a drafting unit submits its 申报表 and gets presigned uploads back. */
export const createDraftHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const submitter = requireRole(event, ['drafter']);
  const req = parseWith(CreateDraftRequest, bodyOf(event));

  const maxBytes = env.maxUploadBytes();
  const tooLarge = Object.entries(req.files)
    .filter(([, f]) => f && f.size > maxBytes)
    .map(([part]) => ({
      field: `files.${part}.size`,
      zh: `${PART_LABELS[part as Part]}超过大小上限 ${Math.round(maxBytes / 1024 / 1024)} MB，请压缩或拆分后上传。`,
      en: `The ${part} exceeds the ${Math.round(maxBytes / 1024 / 1024)} MB limit; compress or split it.`,
    }));
  if (tooLarge.length) throw new ValidationError(tooLarge);

  const at = now();
  const id = ulid(at.getTime());
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
    history: [{ at: iso, actor, event: 'SUBMITTED', to: 'AWAITING_UPLOAD', note: req.form.title }],
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
  return json(201, {
    id,
    status: draft.status,
    uploads,
    // Rules that need only the form, run now so the drafter hears of them before uploading.
    preflight: evaluate({ form: req.form }, 'form'),
  });
};

export const handler = middy(createDraftHandler).use(httpErrors());

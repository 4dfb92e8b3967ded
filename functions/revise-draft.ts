import middy from '@middy/core';
import { visibleDraft } from '#shared/access';
import { CreateDraftRequest } from '#shared/api';
import { now } from '#shared/clock';
import { PART_LABELS, uploadKey, type Draft, type Part, type StoredFile } from '#shared/domain/draft';
import { env } from '#shared/env';
import { ConflictError, ValidationError } from '#shared/errors';
import { bodyOf, httpErrors, json, parseWith, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { evaluate } from '#shared/rules/index';
import { transition } from '#shared/store';
import { presignUpload } from '#shared/uploads';

/**
 * POST /drafts/{id}/revisions: a drafting unit answers "return for revision" with a new
 * revision — the declaration and file specs as for POST /drafts. The files go under
 * uploads/{id}/r{n}/…; earlier revisions stay where they are; the pipeline runs again.
 */
export const reviseDraftHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['drafter']);
  const req = parseWith(CreateDraftRequest, bodyOf(event));
  const draft = await visibleDraft(event.pathParameters?.id, who);
  if (draft.status !== 'RETURNED') {
    throw new ConflictError({
      zh: `只有退回修改的文件可以提交新版本（当前状态 ${draft.status}）。`,
      en: `Only a draft returned for revision takes a new revision (status ${draft.status}).`,
    });
  }
  const maxBytes = env.maxUploadBytes();
  const tooLarge = (Object.entries(req.files) as [Part, CreateDraftRequest['files'][Part]][])
    .filter(([, f]) => f && f.size > maxBytes)
    .map(([part]) => ({
      field: `files.${part}.size`,
      zh: `${PART_LABELS[part]}超过大小上限 ${Math.round(maxBytes / 1024 / 1024)} MB，请压缩或拆分后上传。`,
      en: `The ${part} exceeds the ${Math.round(maxBytes / 1024 / 1024)} MB limit; compress or split it.`,
    }));
  if (tooLarge.length) throw new ValidationError(tooLarge);

  const revision = draft.revision + 1;
  const file = (part: Part, spec: NonNullable<CreateDraftRequest['files'][Part]>): StoredFile => ({
    key: uploadKey(draft.id, revision, part),
    fileName: spec.fileName,
    contentType: spec.contentType,
    maxBytes,
  });
  const files: Draft['files'] = {
    document: file('document', req.files.document),
    ...(req.files.interpretation ? { interpretation: file('interpretation', req.files.interpretation) } : {}),
  };
  const { sub, name, role, unit } = who;
  const actor = { sub, name, role, ...(unit ? { unit } : {}) };
  // The new revision starts afresh: no findings, task, decision or filing of the last one
  // (they stay in the history).
  const next = await transition(
    draft,
    'AWAITING_UPLOAD',
    { revision, files, form: req.form, findings: [], task: undefined, decision: undefined, infocenterFiling: undefined },
    { actor, event: 'REVISION_SUBMITTED', note: `第 ${revision} 版 / revision ${revision}` },
  );
  const at = now();
  const uploads = await Promise.all(
    (Object.entries(files) as [Part, StoredFile | undefined][]).filter((e): e is [Part, StoredFile] => e[1] !== undefined).map(([part, f]) => presignUpload(part, f, at)),
  );
  return json(201, { id: next.id, status: next.status, revision, uploads, preflight: evaluate({ form: req.form }, 'form') });
};

export const handler = middy(reviseDraftHandler).use(httpErrors());

import middy from '@middy/core';
import { visibleDraft } from '#shared/access';
import { statObject } from '#shared/blobs';
import { now } from '#shared/clock';
import type { Part, StoredFile } from '#shared/domain/draft';
import { ConflictError } from '#shared/errors';
import { httpErrors, json, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { presignUpload } from '#shared/uploads';

/**
 * POST /drafts/{id}/uploads: presigned uploads expire after minutes; a drafting unit whose
 * upload failed or came too late asks for fresh ones, for the files not received yet.
 */
export const renewUploadsHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['drafter']);
  const draft = await visibleDraft(event.pathParameters?.id, who);
  if (draft.status !== 'AWAITING_UPLOAD') {
    throw new ConflictError({
      zh: `文件已全部收到（当前状态 ${draft.status}），无需重新上传。`,
      en: `All files were received (status ${draft.status}); nothing to upload again.`,
    });
  }
  const parts = (Object.entries(draft.files) as [Part, StoredFile | undefined][]).filter((e): e is [Part, StoredFile] => e[1] !== undefined);
  const missing = [];
  for (const [part, file] of parts) if (!(await statObject('drafts', file.key))) missing.push([part, file] as const);
  const at = now();
  const uploads = await Promise.all(missing.map(([part, file]) => presignUpload(part, file, at)));
  return json(200, { id: draft.id, status: draft.status, uploads });
};

export const handler = middy(renewUploadsHandler).use(httpErrors());

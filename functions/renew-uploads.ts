import { visibleDraft } from '#shared/access';
import { ConflictError } from '#shared/errors';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/drafts';
import { pendingUploads } from '#shared/intake';

/**
 * POST /drafts/{id}/uploads: presigned uploads expire after minutes; a drafting unit whose
 * upload failed or came too late asks for fresh ones, for the files not received yet.
 */
export const handler = apiHandler(ROUTES.renewUploads, async ({ id, who }) => {
  const draft = await visibleDraft(id, who);
  if (draft.status !== 'AWAITING_UPLOAD') {
    throw new ConflictError({
      zh: `文件已全部收到（当前状态 ${draft.status}），无需重新上传。`,
      en: `All files were received (status ${draft.status}); nothing to upload again.`,
    });
  }
  const uploads = await pendingUploads(draft);
  return { id: draft.id, status: draft.status, uploads };
});

import middy from '@middy/core';
import { draftView } from '#shared/domain/draft';
import { ForbiddenError, NotFoundError } from '#shared/errors';
import { httpErrors, json, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { getDraft } from '#shared/store';

/** GET /drafts/{id}: status, findings and history. Drafters see only their own unit's drafts. */
export const getDraftHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['drafter', 'approver', 'infocenter']);
  const id = event.pathParameters?.id ?? '';
  if (!/^[0-9A-Z]{26}$/.test(id)) throw new NotFoundError({ zh: `找不到文件草稿 ${id}。`, en: `No draft with id ${id}.` });
  const draft = await getDraft(id);
  const own = draft.submitter.sub === who.sub || (who.unit !== undefined && draft.submitter.unit === who.unit);
  if (who.role === 'drafter' && !own) {
    throw new ForbiddenError({ zh: '只能查看本单位提交的文件。', en: "Drafting units can only see their own unit's drafts." });
  }
  return json(200, draftView(draft));
};

export const handler = middy(getDraftHandler).use(httpErrors());

import middy from '@middy/core';
import { visibleDraft } from '#shared/access';
import { draftView } from '#shared/domain/draft';
import { httpErrors, json, requireRole, type ApiEvent, type ApiResult } from '#shared/http';

/** GET /drafts/{id}: status, findings and history. Drafters see only their own unit's drafts. */
export const getDraftHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['drafter', 'approver', 'infocenter']);
  return json(200, draftView(await visibleDraft(event.pathParameters?.id, who)));
};

export const handler = middy(getDraftHandler).use(httpErrors());

import middy from '@middy/core';
import { visibleDraft } from '#shared/access';
import { draftView } from '#shared/domain/draft';
import { ValidationError } from '#shared/errors';
import { httpErrors, json, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { readHistory } from '#shared/store';

/** History lines returned at most per request; older ones page with ?historyBefore=<historyFirst>. */
export const HISTORY_PAGE = 200;

function position(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) {
    throw new ValidationError([{ field: 'historyBefore', zh: 'historyBefore 应为非负整数（记录的序号）。', en: 'historyBefore must be a non-negative integer (a position in the history).' }]);
  }
  return Number(value);
}

/**
 * GET /drafts/{id}: status, findings and history (the most recent HISTORY_PAGE lines, oldest
 * first; `historyFirst` is the position of the first, `historyTotal` the count of all, and
 * ?historyBefore=<position> reads the page before). Drafters see only their own unit's drafts.
 */
export const getDraftHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['drafter', 'approver', 'infocenter']);
  const before = position(event.queryStringParameters?.historyBefore);
  const draft = await visibleDraft(event.pathParameters?.id, who);
  const { history, first } = await readHistory(draft, { limit: HISTORY_PAGE, ...(before !== undefined ? { before } : {}) });
  return json(200, { ...draftView(draft, history), historyFirst: first });
};

export const handler = middy(getDraftHandler).use(httpErrors());

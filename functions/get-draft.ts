import { visibleDraft } from '#shared/access';
import { draftView } from '#shared/domain/draft';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/drafts';
import { readHistory } from '#shared/store';

/** History lines returned at most per request; older ones page with ?historyBefore=<historyFirst>. */
export const HISTORY_PAGE = 200;

/**
 * GET /drafts/{id}: status, findings and history (the most recent HISTORY_PAGE lines, oldest
 * first; `historyFirst` is the position of the first, `historyTotal` the count of all, and
 * ?historyBefore=<position> reads the page before). Drafters see only their own unit's drafts.
 */
export const handler = apiHandler(ROUTES.getDraft, async ({ id, who, query }) => {
  const before = query.historyBefore;
  const draft = await visibleDraft(id, who);
  const { history, first } = await readHistory(draft, { limit: HISTORY_PAGE, ...(before !== undefined ? { before } : {}) });
  return { ...draftView(draft, history), historyFirst: first };
});

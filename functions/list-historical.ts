import { historicalView, listHistorical } from '#shared/historical';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes';
import { findDraft } from '#shared/store';
import { STATUS_LABELS } from '#shared/domain/draft';

/**
 * GET /historical?status=UNDETERMINED|DETERMINED: historical documents by status. The
 * information centre sees all; a drafting unit its own. Determined ones link their draft.
 */
export const handler = apiHandler(ROUTES.listHistorical, async ({ who, query }) => {
  const { status } = query;
  const records = (await listHistorical(status)).filter((r) => who.role !== 'drafter' || r.draftingUnit === who.unit);
  const documents = await Promise.all(
    records.map(async (r) => {
      const draft = r.determination ? await findDraft(r.determination.draftId) : undefined;
      return { ...historicalView(r), ...(draft ? { draft: { id: draft.id, status: draft.status, statusLabel: STATUS_LABELS[draft.status] } } : {}) };
    }),
  );
  return { status, documents };
});

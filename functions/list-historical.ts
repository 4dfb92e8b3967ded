import { listBodies } from '#shared/bodies';
import { actsForUnit } from '#shared/scope';
import { historicalView, listHistorical } from '#shared/historical';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/historical';
import { findDraft } from '#shared/store';
import { STATUS_LABELS } from '#shared/domain/draft';

/**
 * GET /historical?status=UNDETERMINED|DETERMINED: historical documents by status. The
 * information centre sees those of the bodies it acts for (shared/scope.ts); a drafting unit
 * its own. Determined ones link their draft; undetermined ones an application names (issue
 * 12.5) come first, with the day their 公函 is needed by.
 */
export const handler = apiHandler(ROUTES.listHistorical, async ({ who, query }) => {
  const { status } = query;
  const [all, bodies] = await Promise.all([listHistorical(status), listBodies()]);
  const records = all.filter((r) => (who.role === 'drafter' ? r.draftingUnit === who.unit : actsForUnit(who, bodies, r.draftingUnit)));
  const documents = await Promise.all(
    records.map(async (r) => {
      const draft = r.determination ? await findDraft(r.determination.draftId) : undefined;
      return { ...historicalView(r), ...(draft ? { draft: { id: draft.id, status: draft.status, statusLabel: STATUS_LABELS[draft.status] } } : {}) };
    }),
  );
  // Those an application waits on first, the earliest answer deadline first (the 公函 is due before it).
  documents.sort((a, b) => (a.determineBy ?? '9999').localeCompare(b.determineBy ?? '9999'));
  return { status, documents };
});

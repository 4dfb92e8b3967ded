import middy from '@middy/core';
import { HistoricalStatus, historicalView, listHistorical } from '#shared/historical';
import { httpErrors, json, parseWith, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { findDraft } from '#shared/store';
import { STATUS_LABELS } from '#shared/domain/draft';

/**
 * GET /historical?status=UNDETERMINED|DETERMINED: historical documents by status. The
 * information centre sees all; a drafting unit its own. Determined ones link their draft.
 */
export const listHistoricalHandler = async (event: ApiEvent): Promise<ApiResult> => {
  const who = requireRole(event, ['infocenter', 'drafter']);
  const status = parseWith(HistoricalStatus, event.queryStringParameters?.status ?? 'UNDETERMINED', 'status');
  const records = (await listHistorical(status)).filter((r) => who.role !== 'drafter' || r.draftingUnit === who.unit);
  const documents = await Promise.all(
    records.map(async (r) => {
      const draft = r.determination ? await findDraft(r.determination.draftId) : undefined;
      return { ...historicalView(r), ...(draft ? { draft: { id: draft.id, status: draft.status, statusLabel: STATUS_LABELS[draft.status] } } : {}) };
    }),
  );
  return json(200, { status, documents });
};

export const handler = middy(listHistoricalHandler).use(httpErrors());

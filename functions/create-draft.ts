import { now } from '#shared/clock';
import { apiHandler, parseWith, Reply } from '#shared/http';
import { ROUTES } from '#shared/routes/drafts';
import { bindIdempotencyKey, IdempotencyKey, intakeDraft, newDraftId, pendingUploads, refuseClassified, requestHash } from '#shared/intake';
import { evaluate } from '#shared/rules/index';
import { findDraft } from '#shared/store';
import { requireOwnUnit } from '#shared/unit';

/**
 * POST /drafts: a drafting unit submits its 申报表 and gets presigned uploads back. With an
 * Idempotency-Key header a repeated request answers with the draft of the first one (200,
 * `replayed: true`, fresh uploads for whatever has not arrived) instead of a second draft.
 * The form's draftingUnit must be the caller's unit (403 otherwise, nothing stored).
 */
export const handler = apiHandler(ROUTES.createDraft, async ({ event, who: submitter, body: req }) => {
  refuseClassified(req.form);
  // A drafter submits in their own unit's name only: refused before anything is stored.
  requireOwnUnit(submitter, req.form.draftingUnit);
  const rawKey = event.headers?.['idempotency-key'];
  if (rawKey === undefined) {
    const { draft, uploads, preflight } = await intakeDraft(submitter, req);
    return { id: draft.id, status: draft.status, uploads, preflight };
  }
  const key = parseWith(IdempotencyKey, rawKey, 'headers.idempotency-key');
  const at = now();
  const bound = await bindIdempotencyKey(submitter.sub, key, newDraftId(at), requestHash(req));
  const earlier = bound.fresh ? undefined : await findDraft(bound.draftId);
  if (earlier) {
    const uploads = earlier.status === 'AWAITING_UPLOAD' ? await pendingUploads(earlier, at) : [];
    return new Reply(200, { id: earlier.id, status: earlier.status, uploads, preflight: evaluate({ form: earlier.form }, 'form'), replayed: true });
  }
  // Bound now, or bound by a request that failed before its draft was stored: create it.
  const { draft, uploads, preflight } = await intakeDraft(submitter, req, { id: bound.draftId, at });
  return { id: draft.id, status: draft.status, uploads, preflight };
});

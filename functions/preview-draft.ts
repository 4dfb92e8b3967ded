import { visibleDraft } from '#shared/access';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes';
import { previewOf } from '#shared/published-text';

/** Roles that see the originals behind the marked spans (they can already read the draft's text). */
const SEE_ORIGINALS = ['drafter', 'approver'] as const;

/**
 * GET /drafts/{id}/preview: each part's text exactly as it will be published (the publishing
 * stage calls the same `publishedText`), with every masked span marked: offsets in that text,
 * kind, what is published, the reviewers' decision. The original of a span is returned only
 * to the drafter (own unit, as for GET /drafts/{id}) and the approver; the information centre
 * sees the published text and the marks.
 */
export const handler = apiHandler(ROUTES.previewDraft, async ({ id, who }) => {
  const draft = await visibleDraft(id, who);
  const parts = await previewOf(draft);
  const seeOriginals = (SEE_ORIGINALS as readonly string[]).includes(who.role);
  const view = Object.fromEntries(
    Object.entries(parts).map(([part, p]) => [
      part,
      { text: p.text, spans: p.spans.map(({ original, sourceStart, sourceEnd, ...s }) => (seeOriginals ? { ...s, original, sourceStart, sourceEnd } : s)) },
    ]),
  );
  return { id: draft.id, status: draft.status, revision: draft.revision, parts: view };
});

import { visibleDraft } from '#shared/access';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/drafts';
import { previewOf } from '#shared/published-text';
import { presignDownload, readJson } from '#shared/blobs';
import { ocrPagesKey, pageImageKey, pageToCheck, type Draft, type Part } from '#shared/domain/draft';

/** How long a page image's link stays valid (seconds): the console fetches it at once. */
const PAGE_IMAGE_LINK_SECONDS = 300;

/**
 * The pages of a part read by OCR (issue 14): each page's recognised text as the engine gave
 * it, the confidence, and a short-lived link to the page's image — the originals, so only for
 * those who see the originals behind the marked spans.
 */
async function ocrView(draft: Draft, part: Part) {
  const ocr = draft.files[part]?.ocr;
  if (!ocr?.pages?.length) return undefined;
  const texts = new Map(((await readJson<{ page: number; text: string }[]>('drafts', ocrPagesKey(draft.id, draft.revision, part))) ?? []).map((p) => [p.page, p.text]));
  const pages = await Promise.all(
    ocr.pages.map(async (p) => ({
      ...p,
      check: pageToCheck(p, ocr.threshold),
      text: texts.get(p.page) ?? '',
      image: await presignDownload('drafts', pageImageKey(draft.id, draft.revision, part, p.page), {
        fileName: `${draft.id}-${part}-${p.page}.png`,
        contentType: 'image/png',
        expiresIn: PAGE_IMAGE_LINK_SECONDS,
      }),
    })),
  );
  return { ...(ocr.engine ? { engine: ocr.engine } : {}), ...(ocr.threshold !== undefined ? { threshold: ocr.threshold } : {}), pages };
}

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
    await Promise.all(
      Object.entries(parts).map(async ([part, p]) => {
        const ocr = seeOriginals ? await ocrView(draft, part as Part) : undefined;
        return [
          part,
          {
            text: p.text,
            spans: p.spans.map(({ original, sourceStart, sourceEnd, ...s }) => (seeOriginals ? { ...s, original, sourceStart, sourceEnd } : s)),
            ...(ocr ? { ocr } : {}),
          },
        ] as const;
      }),
    ),
  );
  return { id: draft.id, status: draft.status, revision: draft.revision, parts: view };
});

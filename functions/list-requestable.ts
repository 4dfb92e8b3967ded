import { limitRate, PUBLIC_LIMITS } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { ValidationError } from '#shared/errors';
import { apiHandler, clientOf } from '#shared/http';
import { ROUTES } from '#shared/routes/public';
import { bodyOfDraft } from '#shared/scope';
import { listByStatus } from '#shared/store';

/** At most this many documents in one answer (the applicant narrows with `q`). */
const MAX_LISTED = 50;
/** Filed documents read per status, at most, for one answer. */
const READ_LIMIT = 2000;

/**
 * GET /public/documents?body=&q=: the filed 依申请公开 documents of a body that can be applied
 * for (issue 12.2), by title and number only — never their text, reason or anything else, and
 * never a 不予公开 one. Read from the byStatus index (FILED and REVIEWING), filtered by body
 * and by `q` in the title or number; rate-limited per address like the other public routes.
 * It is served by the API, not written to the site bucket: nothing of a document that is not
 * published lands where the public site is.
 */
export const handler = apiHandler(ROUTES.listRequestable, async ({ event, query }) => {
  await limitRate('catalogue', clientOf(event), PUBLIC_LIMITS.track, PUBLIC_LIMITS.windowSeconds, now());
  const body = await findBody(query.body);
  if (!body) throw new ValidationError([{ field: 'body', zh: `没有标识为 ${query.body} 的公开主体。`, en: `No body ${query.body}.` }]);
  const q = query.q?.trim().toLowerCase();
  const drafts = (await Promise.all((['FILED', 'REVIEWING'] as const).map((s) => listByStatus(s, { limit: READ_LIMIT, newestFirst: true })))).flat();
  const matching = drafts
    .filter((d) => d.form.attribute === '依申请公开' && bodyOfDraft(d) === body.id)
    .filter((d) => !q || d.form.title.toLowerCase().includes(q) || (d.form.documentNumber ?? '').toLowerCase().includes(q))
    .sort((a, b) => (b.form.documentDate ?? '').localeCompare(a.form.documentDate ?? '') || a.form.title.localeCompare(b.form.title));
  return {
    body: { id: body.id, name: body.name },
    documents: matching.slice(0, MAX_LISTED).map((d) => ({ id: d.id, title: d.form.title, ...(d.form.documentNumber ? { number: d.form.documentNumber } : {}) })),
    total: matching.length,
  };
});

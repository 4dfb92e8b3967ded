import { visibleDraft } from '#shared/access';
import { now } from '#shared/clock';
import { ConflictError, ForbiddenError } from '#shared/errors';
import { apiHandler, actorOf } from '#shared/http';
import { ROUTES } from '#shared/routes/drafts';
import { plannedFiles, refuseClassified } from '#shared/intake';
import { evaluate } from '#shared/rules/index';
import { transition } from '#shared/store';
import { requireOwnUnit } from '#shared/unit';
import { presignAll } from '#shared/uploads';

/**
 * POST /drafts/{id}/revisions: a drafting unit answers "return for revision" with a new
 * revision — the declaration and file specs as for POST /drafts. The files go under
 * uploads/{id}/r{n}/…; earlier revisions stay where they are; the pipeline runs again.
 */
export const handler = apiHandler(ROUTES.reviseDraft, async ({ id, who, body: req }) => {
  refuseClassified(req.form);
  const draft = await visibleDraft(id, who);
  // The reviser acts for their own unit, and a revision keeps the draft's unit.
  requireOwnUnit(who, req.form.draftingUnit);
  if (req.form.draftingUnit !== draft.form.draftingUnit) {
    throw new ForbiddenError({
      zh: `新版本不能更改起草单位（原为“${draft.form.draftingUnit}”，新版本填写“${req.form.draftingUnit}”）。如确需由其他单位发布，请由该单位重新提交。`,
      en: `A revision cannot change the drafting unit (was "${draft.form.draftingUnit}", the revision names "${req.form.draftingUnit}"). If another unit is to publish it, that unit submits it anew.`,
    });
  }
  if (draft.status !== 'RETURNED') {
    throw new ConflictError({
      zh: `只有退回修改的文件可以提交新版本（当前状态 ${draft.status}）。`,
      en: `Only a draft returned for revision takes a new revision (status ${draft.status}).`,
    });
  }
  const revision = draft.revision + 1;
  const issuedAt = now();
  const files = plannedFiles(draft.id, revision, req.files, issuedAt);
  const actor = actorOf(who);
  // The new revision starts afresh: no findings, task, decision or filing of the last one
  // (they stay in the history).
  const next = await transition(
    draft,
    'AWAITING_UPLOAD',
    { revision, files, form: req.form, findings: [], task: undefined, decision: undefined, infocenterFiling: undefined },
    { actor, event: 'REVISION_SUBMITTED', note: `第 ${revision} 版 / revision ${revision}` },
  );
  const uploads = await presignAll(files, issuedAt);
  return { id: next.id, status: next.status, revision, uploads, preflight: evaluate({ form: req.form }, 'form') };
});

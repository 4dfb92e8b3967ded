import type { Draft } from '#shared/domain/draft';
import { ForbiddenError, NotFoundError } from '#shared/errors';
import type { Identity } from '#shared/http';
import { actsForDraft } from '#shared/scope';
import { getDraft } from '#shared/store';

const DRAFT_ID = /^[0-9A-Z]{26}$/;

const notFound = (id: string | undefined) => new NotFoundError({ zh: `找不到文件草稿 ${id ?? ''}。`, en: `No draft with id ${id ?? ''}.` });

/**
 * A draft the caller may see: drafters only their own unit's; approvers and the information
 * centre those of the bodies they act for (another body's drafts do not exist for them: 404).
 */
export async function visibleDraft(id: string | undefined, who: Identity): Promise<Draft> {
  if (!id || !DRAFT_ID.test(id)) throw notFound(id);
  const draft = await getDraft(id);
  const own = draft.submitter.sub === who.sub || (who.unit !== undefined && draft.submitter.unit === who.unit);
  if (who.role === 'drafter' && !own) {
    throw new ForbiddenError({ zh: '只能查看和操作本单位提交的文件。', en: "Drafting units can only see and act on their own unit's drafts." });
  }
  if (who.role !== 'drafter' && !own && !actsForDraft(who, draft)) throw notFound(id);
  return draft;
}

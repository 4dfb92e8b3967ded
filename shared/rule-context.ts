import { readText } from '#shared/blobs';
import type { Draft } from '#shared/domain/draft';
import type { RuleContext } from '#shared/rules/types';

/** What the rulebook reads of a stored draft: its form and the extracted texts of its files. */
export async function ruleContextOf(draft: Draft): Promise<RuleContext> {
  const textOf = async (key: string | undefined) => (key ? { text: await readText('drafts', key) } : undefined);
  const [document, interpretation] = await Promise.all([textOf(draft.files.document.textKey), textOf(draft.files.interpretation?.textKey)]);
  return { form: draft.form, ...(document ? { document } : {}), ...(interpretation ? { interpretation } : {}) };
}

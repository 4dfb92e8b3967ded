import { readText } from '#shared/blobs';
import type { Draft, Part, StoredFile } from '#shared/domain/draft';
import { decisionsOf, pageText, publishedText, type PreviewSpan } from '#shared/render/preview';

/**
 * The published text read from the drafts bucket: the pure rules of what is published are
 * shared/render/preview.ts; this reads the extracted text they apply to.
 */

/** The extracted text of a part as the page shows it (PDF lines rejoined into paragraphs). */
export async function plainTextOf(file: StoredFile): Promise<string> {
  return pageText(file, await readText('drafts', file.textKey!));
}

/** Each part's published text and spans, for the draft's current revision. */
export async function previewOf(draft: Draft): Promise<Partial<Record<Part, { text: string; spans: PreviewSpan[] }>>> {
  const decisions = decisionsOf(draft);
  const out: Partial<Record<Part, { text: string; spans: PreviewSpan[] }>> = {};
  for (const part of ['document', 'interpretation'] as const) {
    const file = draft.files[part];
    if (file?.textKey) out[part] = publishedText(await plainTextOf(file), part, decisions);
  }
  return out;
}

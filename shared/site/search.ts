/**
 * Static full-text search of the public site (pagefind, Chinese segmentation).
 * OWNED BY: search helper. Contract used by render-site / publish-document:
 */

/** One searchable page of a published document (its text is already masked, PUB-4). */
export interface SearchEntry {
  /** Site-relative URL of the page, e.g. `documents/<id>.html`. */
  readonly url: string;
  readonly title: string;
  /** Masked plain text of the page. */
  readonly content: string;
  readonly meta: Readonly<Record<string, string>>;
}

/** Stores the search entries of one draft (its document page and interpretation page) privately, for index builds. */
export async function saveSearchEntries(_draftId: string, _entries: readonly SearchEntry[]): Promise<void> {
  throw new Error('not implemented');
}

/**
 * Brings the public search bundle (site bucket, under `search/`) up to date after drafts were
 * added to or removed from the site. Returns the site keys written and deleted (for CDN invalidation).
 */
export async function updateSearchIndex(_change: { readonly added: readonly string[]; readonly removed: readonly string[] }): Promise<{ written: string[]; deleted: string[] }> {
  throw new Error('not implemented');
}

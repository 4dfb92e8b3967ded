import type { ListEntry } from '#shared/domain/lists';
import { html } from '#shared/render/html';
import { sitePaths } from '#shared/render/site';

/**
 * An Atom feed (RFC 4287) of a column of one body, so that people can follow what it publishes
 * (001: 精准推送). Written next to the column's index page whenever that page is, from the same
 * newest entries: a feed costs one more object per list rewritten, nothing else. The escaping of
 * the html template is valid XML (numeric references; control characters are dropped).
 */

export interface FeedInfo {
  /** The site's public address, without a trailing slash (feeds need absolute links). */
  readonly siteUrl: string;
  /** Site key of the feed itself and of the page it follows. */
  readonly key: string;
  readonly pageKey: string;
  readonly title: string;
  /** The body it is the feed of (the author of its entries). */
  readonly bodyName: string;
  /** When the feed was written: its `updated` when it has no entries yet. */
  readonly generatedAt: string;
}

const FEED_ENTRIES = 20;

export function atomFeed(entries: readonly ListEntry[], info: FeedInfo): string {
  const shown = [...entries].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)).slice(0, FEED_ENTRIES);
  const url = (key: string) => `${info.siteUrl}/${key}`;
  const updated = shown[0]?.publishedAt ?? info.generatedAt;
  return html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
<id>${url(info.key)}</id>
<title>${info.title}</title>
<updated>${updated}</updated>
<author><name>${info.bodyName}</name></author>
<link rel="self" type="application/atom+xml" href="${url(info.key)}"/>
<link rel="alternate" type="text/html" href="${url(info.pageKey)}"/>
<generator>Gongkai</generator>
${shown.map(
  (e) => html`<entry>
<id>${url(sitePaths.document(e.id))}</id>
<title>${e.title}</title>
<updated>${e.publishedAt}</updated>
<published>${e.publishedAt}</published>
<author><name>${e.unit}</name></author>
<link rel="alternate" type="text/html" href="${url(sitePaths.document(e.id))}"/>
<summary>${[e.indexNumber ? `索引号 ${e.indexNumber}` : '', e.documentNumber ?? '', `成文日期 ${e.documentDate}`, e.summary].filter(Boolean).join(' · ')}</summary>
</entry>
`,
)}</feed>
`.value;
}

import { html, type SafeHtml } from '#shared/render/html';
import { COLUMNS, TOP_SECTION, layout, rootOf, sectionDepth, sitePaths, type ColumnKey, type ListId, type Section } from '#shared/render/site';
import { BODY_KIND_LABELS, BODY_KINDS, type BodyKind } from '#shared/domain/body';
import { validityLabel } from '#shared/domain/validity';
import {
  PAGE_SIZE,
  categoryList,
  categoryOfList,
  domainList,
  domainOfList,
  pageOf,
  validityStatus,
  validityText,
  yearList,
  type ListCounter,
  type ListEntry,
} from '#shared/domain/lists';
import { METRICS, type Metric, type YearCounts } from '#shared/domain/report';
import { DISCLOSURE_CATEGORIES, PILOT_DOMAINS } from '#shared/domain/form';

/**
 * The index pages of the public site: home, the statutory columns, the paginated lists.
 * Pure functions of what they are given (entries, counters, today's date); the site
 * consumer decides which to render.
 */

/** What a list is called and which navigation column it belongs to. */
export function describeList(list: ListId): { title: string; column: ColumnKey; intro?: string } {
  if (list === 'catalogue') {
    return { title: '主动公开基本目录', column: 'catalogue', intro: '依据《中华人民共和国政府信息公开条例》第十二条编制，包括政府信息的索引、名称、内容概述、生成日期等内容。' };
  }
  if (list === 'interpretations') return { title: '政策解读', column: 'interpretations', intro: '政策文件与其解读材料同步发布，点击标题阅读解读，解读页可返回原文件。' };
  if (list === 'normative') return { title: '行政规范性文件', column: 'normative', intro: '行政规范性文件标注有效期，分为现行有效、已失效和已废止（已修订）三类。' };
  const category = categoryOfList(list);
  if (category) return { title: `法定主动公开内容 · ${category}`, column: 'statutory' };
  const domain = domainOfList(list);
  if (domain) return { title: `法定主动公开内容 · ${domain}`, column: 'statutory' };
  return { title: `法定主动公开内容 · ${list.slice('year-'.length)}年`, column: 'statutory' };
}

/** A list page sits two folders below its section's root (columns/<list>/…). */
const LIST_DEPTH = 2;
const listDepth = (s: Section) => LIST_DEPTH + sectionDepth(s);

function entryLinks(e: ListEntry, root: string): SafeHtml {
  return html`<a href="${root}${sitePaths.document(e.id)}">${e.title}</a>${
    e.hasInterpretation ? html` <a href="${root}${sitePaths.interpretation(e.id)}" class="interp" aria-label="${`解读：${e.title}`}">【解读】</a>` : ''
  }`;
}

function entryList(entries: readonly ListEntry[], root: string): SafeHtml {
  if (!entries.length) return html`<p class="muted">暂无信息。</p>`;
  return html`<ul class="list">
${entries.map((e) => html`<li>${entryLinks(e, root)}<br><span class="muted">${e.documentNumber ? html`${e.documentNumber} · ` : ''}${e.unit} · ${e.documentDate}</span></li>\n`)}</ul>`;
}

/** 主动公开基本目录 as 条例 Art. 12 asks: 索引号, 名称, 内容概述, 生成日期. */
function catalogueTable(entries: readonly ListEntry[], root: string, today: string): SafeHtml {
  if (!entries.length) return html`<p class="muted">暂无信息。</p>`;
  return html`<div class="scroll"><table>
<caption class="muted">主动公开基本目录</caption>
<thead><tr><th scope="col">索引号</th><th scope="col">名称</th><th scope="col">内容概述</th><th scope="col">生成日期</th></tr></thead>
<tbody>
${entries.map((e) => html`<tr><td class="code">${e.indexNumber}</td><td>${entryLinks(e, root)}${e.validity ? html`<br><small class="muted">${validityLabel(e.validity, e.validityChange, today)}</small>` : ''}</td><td>${e.summary}</td><td class="date">${e.documentDate}</td></tr>\n`)}</tbody>
</table></div>`;
}

/** The document replacing a repealed or amended one, linked from its row. */
const replacedByLink = (e: ListEntry, root: string): SafeHtml =>
  e.validityChange?.replacedBy
    ? html`<br><small>见 <a href="${root}${sitePaths.document(e.validityChange.replacedBy.id)}">${e.validityChange.replacedBy.title}</a></small>`
    : html``;

function normativeTable(entries: readonly ListEntry[], root: string, today: string): SafeHtml {
  if (!entries.length) return html`<p class="muted">暂无信息。</p>`;
  return html`<div class="scroll"><table>
<thead><tr><th scope="col">名称</th><th scope="col">发文字号</th><th scope="col">有效期</th><th scope="col">状态</th></tr></thead>
<tbody>
${entries.map(
  (e) =>
    html`<tr><td>${entryLinks(e, root)}</td><td>${e.documentNumber ?? '—'}</td><td>${validityText(e.validity)}</td><td>${e.validity ? validityLabel(e.validity, e.validityChange, today) : '—'}${replacedByLink(e, root)}</td></tr>\n`,
)}</tbody>
</table></div>`;
}

function entriesBlock(list: ListId, entries: readonly ListEntry[], root: string, today: string): SafeHtml {
  if (list === 'catalogue') return catalogueTable(entries, root, today);
  if (list === 'normative') return normativeTable(entries, root, today);
  return entryList(entries, root);
}

/** Archive pages a list's front page links by number: the newest ones (the rest through each page's own links). */
export const ARCHIVE_LINKS = 10;

/**
 * The archive as a list's front page links it (issue 17.2: bounded, whatever the list's length):
 * its newest ARCHIVE_LINKS pages and the first (the oldest); every page links its neighbours, ten
 * pages on and back, and the first, so each is a few steps away. The catalogue also links its
 * years (each its own list: the bounded index by year).
 */
function archiveLinks(pages: number, years: readonly string[], root: string): SafeHtml {
  const byYear = years.length
    ? html`<h2>按成文年份查看</h2>
<nav class="pager" aria-label="按年份">${years.map((y) => html`<a href="${root}${sitePaths.listIndex(yearList(y))}">${y}年</a>`)}</nav>
`
    : html``;
  if (pages <= 1) return byYear;
  const shown = Array.from({ length: Math.min(pages, ARCHIVE_LINKS) }, (_, i) => pages - i);
  const older = pages - ARCHIVE_LINKS;
  return html`${byYear}<h2>按发布先后查看全部</h2>
<nav class="pager" aria-label="分页">${shown.map((k) => html`<a href="page-${k}.html">第 ${k} 页</a>`)}${
    older > 1 ? html`<a href="page-${older}.html">更早（第 ${older} 页）</a>` : ''
  }${older >= 1 ? html`<a href="page-1.html">最早一页（第 1 页）</a>` : ''}</nav>
<p class="muted">共 ${pages} 页，第 1 页为最早发布的信息，每页 ${PAGE_SIZE} 条；每页均链接前后各页。</p>`;
}

/**
 * A list's front page: its newest entries and its archive (bounded: archiveLinks). The
 * normative column's shows its newest documents by state (in force, expired, repealed or
 * amended), its archive pages the same for theirs; `years`: the catalogue's year lists.
 */
export function listIndexPage(
  list: ListId,
  newest: readonly ListEntry[],
  counter: ListCounter,
  today: string,
  section: Section = TOP_SECTION,
  years: readonly string[] = [],
): string {
  const d = describeList(list);
  const root = rootOf(listDepth(section));
  const pages = pageOf(counter.next);
  return layout(
    d.title,
    html`<h1>${d.title}</h1>
${d.intro ? html`<p>${d.intro}</p>` : ''}
<p class="muted">共 ${counter.live} 条${pages > 1 ? html`，本页列出最新发布的 ${newest.length} 条` : ''}。<a href="feed.xml" type="application/atom+xml">订阅本栏目（Atom）</a></p>
${list === 'normative' ? normativeSections(newest, root, today) : entriesBlock(list, newest, root, today)}
${archiveLinks(pages, years, `${root}${section.root}`)}`,
    { depth: listDepth(section), current: d.column, section, feed: { href: 'feed.xml', title: `${section.name} · ${d.title}` } },
  ).value;
}

/** The normative column's pages: in force, expired, and repealed or amended, each with validity dates (PUB-3). */
function normativeSections(entries: readonly ListEntry[], root: string, today: string): SafeHtml {
  const state = (e: ListEntry) => (e.validity ? validityStatus(e.validity, today, e.validityChange) : undefined);
  const inForce = entries.filter((e) => state(e) === '现行有效' || state(e) === '尚未生效');
  const expired = entries.filter((e) => state(e) === '已失效');
  const replaced = entries.filter((e) => state(e) === '已废止' || state(e) === '已修订');
  return html`<h2>现行有效</h2>
${normativeTable(inForce, root, today)}
<h2>已失效</h2>
${normativeTable(expired, root, today)}
<h2>已废止、已修订</h2>
${normativeTable(replaced, root, today)}`;
}

/**
 * One archive page of a list (k = 1 is the oldest), with links to its neighbours, ten pages on
 * and back, and the first. Pages only link pages that exist when they are written (a page is
 * written again when the page after it starts).
 */
export function listPage(list: ListId, page: number, entries: readonly ListEntry[], counter: ListCounter, today: string, section: Section = TOP_SECTION): string {
  const d = describeList(list);
  const root = rootOf(listDepth(section));
  const pages = pageOf(counter.next);
  const jump = 10;
  return layout(
    `${d.title}（第 ${page} 页）`,
    html`<h1>${d.title}（第 ${page} 页）</h1>
<p class="muted">第 ${page} 页，共 ${pages} 页。</p>
${list === 'normative' ? normativeSections(entries, root, today) : entriesBlock(list, entries, root, today)}
<nav class="pager" aria-label="分页">
${page + jump <= pages ? html`<a href="page-${page + jump}.html">较新 ${jump} 页（第 ${page + jump} 页）</a>` : ''}
${page < pages ? html`<a href="page-${page + 1}.html">较新一页</a>` : ''}
${page > 1 ? html`<a href="page-${page - 1}.html">较早一页</a>` : ''}
${page - jump >= 1 ? html`<a href="page-${page - jump}.html">较早 ${jump} 页（第 ${page - jump} 页）</a>` : ''}
${page > 2 ? html`<a href="page-1.html">最早一页</a>` : ''}
<a href="index.html">返回栏目首页</a>
</nav>`,
    { depth: listDepth(section), current: d.column, section },
  ).value;
}

/**
 * Groups with something published, each linking to its list, and the ones with nothing yet
 * said once, in one line (not "暂无" beside each of 26 names).
 */
function groupLinks(groups: readonly { label: string; list: ListId }[], counts: ReadonlyMap<string, ListCounter>, root: string): SafeHtml {
  const filled = groups.filter((g) => (counts.get(g.list)?.live ?? 0) > 0);
  const empty = groups.filter((g) => (counts.get(g.list)?.live ?? 0) === 0);
  return html`${
    filled.length
      ? html`<ul class="list">
${filled.map((g) => html`<li><a href="${root}${sitePaths.listIndex(g.list)}">${g.label}</a> <span class="muted">（${counts.get(g.list)!.live} 条）</span></li>\n`)}</ul>`
      : ''
  }${empty.length ? html`<p class="muted">${filled.length ? '以下类别' : '各类别'}暂无公开信息：${empty.map((g) => g.label).join('；')}。</p>` : ''}`;
}

/**
 * 法定主动公开内容 as the law organises it: the categories of 条例 Art. 20 (and the local items of
 * Art. 21), the 26 pilot domains beside them, and the years; each group links to its list.
 * `counts` by list id (of this body).
 */
export function statutoryPage(counts: ReadonlyMap<string, ListCounter>, years: readonly { year: string; counter: ListCounter }[], section: Section = TOP_SECTION): string {
  const root = `${rootOf(listDepth(section))}${section.root}`;
  return layout(
    '法定主动公开内容',
    html`<h1>法定主动公开内容</h1>
<p>按《中华人民共和国政府信息公开条例》第二十条、第二十一条规定的类别公开，并按基层政务公开标准化规范化试点的 26 个领域和成文年份分类。</p>
<h2>按法定类别（《条例》第二十条、第二十一条）</h2>
${groupLinks(
  DISCLOSURE_CATEGORIES.map((c) => ({ label: c, list: categoryList(c)! })),
  counts,
  root,
)}
<h2>按试点领域</h2>
${groupLinks(
  PILOT_DOMAINS.map((d) => ({ label: d, list: domainList(d)! })),
  counts,
  root,
)}
<h2>按年份</h2>
${
  years.length
    ? html`<ul class="list">${years.map((y) => html`<li><a href="${root}${sitePaths.listIndex(yearList(y.year))}">${y.year}年</a> <span class="muted">（${y.counter.live} 条）</span></li>\n`)}</ul>`
    : html`<p class="muted">暂无信息。</p>`
}`,
    { depth: listDepth(section), current: 'statutory', section },
  ).value;
}

/** 政府信息公开工作年度报告: the counts the pipeline knows, per year. */
export function reportPage(rows: readonly YearCounts[], generatedAt: string, section: Section = TOP_SECTION): string {
  const metrics = Object.keys(METRICS) as Metric[];
  return layout(
    '政府信息公开工作年度报告',
    html`<h1>${section.name}政府信息公开工作年度报告</h1>
<p>以下数据由公开发布系统按自然年自动统计（统计口径：事项发生的年份），供编制年度报告使用。</p>
${
  rows.length
    ? html`<div class="scroll"><table>
<thead><tr><th scope="col">年度</th>${metrics.map((m) => html`<th scope="col">${METRICS[m]}</th>`)}</tr></thead>
<tbody>
${rows.map((r) => html`<tr><th scope="row">${r.year}年</th>${metrics.map((m) => html`<td>${r[m]}</td>`)}</tr>\n`)}</tbody>
</table></div>`
    : html`<p class="muted">暂无统计数据。</p>`
}
<p class="muted">统计时间：${generatedAt.slice(0, 16).replace('T', ' ')}（UTC）</p>`,
    { depth: listDepth(section), current: 'report', section },
  ).value;
}

/** A body on the platform's home page: its name and where its section is. */
export interface DirectoryEntry {
  readonly name: string;
  readonly kind: BodyKind;
  readonly root: string;
}

/** 公开主体: the platform's bodies below the top one, by kind, each linking to its section. */
function directory(bodies: readonly DirectoryEntry[], root: string): SafeHtml {
  if (!bodies.length) return html``;
  const kinds = BODY_KINDS.filter((k) => bodies.some((b) => b.kind === k));
  return html`<h2>公开主体</h2>
<p class="muted">本平台集中发布以下单位的政府信息，各单位的指南、制度、目录和年度报告见其栏目。</p>
${kinds.map(
  (k) => html`<h3>${BODY_KIND_LABELS[k]}</h3>
<ul class="list">${bodies.filter((b) => b.kind === k).map((b) => html`<li><a href="${root}${b.root}index.html">${b.name}</a></li>`)}</ul>
`,
)}`;
}

/**
 * A body's home page: the statutory columns, a search box and the newest documents. The top
 * body's is the platform's home (the site root) and lists the other bodies (`bodies`).
 */
export function homePage(newest: readonly ListEntry[], interpretations: readonly ListEntry[], section: Section = TOP_SECTION, bodies: readonly DirectoryEntry[] = []): string {
  const depth = sectionDepth(section);
  const root = rootOf(depth);
  const own = `${root}${section.root}`;
  return layout(
    '首页',
    html`<h1>${section.root ? html`${section.name} · ` : ''}政府信息公开</h1>
<form class="search" role="search" action="${root}${sitePaths.search}" method="get">
${section.root ? html`<input type="hidden" name="body" value="${section.id}">\n` : ''}
<label for="q" class="vh">站内搜索关键词</label>
<input type="search" id="q" name="q" placeholder="输入关键词搜索公开文件">
<button type="submit">搜索</button>
</form>
<h2>法定公开栏目</h2>
<ul class="list">
${COLUMNS.map((c) => html`<li><a href="${own}${c.path}">${c.label}</a></li>\n`)}</ul>
<h2>最新公开</h2>
${entryList(newest, root)}
<p><a href="${own}${sitePaths.listIndex('catalogue')}">查看主动公开基本目录</a></p>
<h2>政策解读</h2>
${entryList(interpretations, root)}
${section.root ? html`<p><a href="${root}index.html">返回${TOP_SECTION.name}政府信息公开平台</a></p>` : directory(bodies, root)}`,
    { depth, section, feed: { href: `${own}${sitePaths.listFeed('catalogue')}`, title: `${section.name} · 主动公开基本目录` } },
  ).value;
}

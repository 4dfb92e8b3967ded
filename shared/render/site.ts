import type { Draft } from '#shared/domain/draft';
import { html, trusted, type SafeHtml } from '#shared/render/html';
import { pageRanges } from '#shared/page-ranges';
import { siteConfig } from '#shared/site/config';
import { VALIDITY_KIND_LABELS, validityLabel, validityState } from '#shared/domain/validity';
import { validityOf, validityText, type ListId } from '#shared/domain/lists';
import { bodySitePath, type BodyContact } from '#shared/domain/body';

/**
 * The public pages of published documents. Paths are relative so the site works under
 * any host (CloudFront or the local CDN). Only 主动公开 drafts ever reach these functions.
 */

/** The lists (columns) the site keeps, each paginated under its own folder. */
export type { ListId };

/**
 * The site section of a 公开主体 (issue 16.3): its pages (home, 指南, 制度, the statutory
 * columns, its lists) under `root` — `bodies/<id>/`, the top body at the site root, where its
 * pages were before bodies. Document pages are the platform's (`documents/<id>.html`) and name
 * their body. The paths of `sitePaths` and `COLUMNS` are relative to a section's root.
 */
export interface Section {
  readonly id: string;
  readonly name: string;
  readonly root: string;
  /** Its 信息公开工作机构, shown in the footer (absent: the page shows the body's name only). */
  readonly contact?: Pick<BodyContact, 'office' | 'address' | 'phone'>;
}

/** The top body's section as the deployment's settings give it (config/site.json). */
export const TOP_SECTION: Section = {
  id: siteConfig.bodyId,
  name: siteConfig.siteName,
  root: '',
  contact: { office: siteConfig.office, address: siteConfig.address, phone: siteConfig.phone },
};

export const sectionOf = (b: { readonly id: string; readonly name: string; readonly contact?: Pick<BodyContact, 'office' | 'address' | 'phone'> }): Section => ({
  id: b.id,
  name: b.name,
  root: bodySitePath(b.id, siteConfig.bodyId),
  ...(b.contact ? { contact: { office: b.contact.office, address: b.contact.address, phone: b.contact.phone } } : {}),
});

/** Folder depth of a section's root below the site root (0 for the top body). */
export const sectionDepth = (s: Section): number => s.root.split('/').filter(Boolean).length;

export const sitePaths = {
  home: 'index.html',
  rules: 'rules.html',
  search: 'search.html',
  /** 政府信息公开指南 and 政府信息公开制度: rendered from config/site/*.md at deployment. */
  guide: 'about/guide.html',
  system: 'about/system.html',
  /** 法定主动公开内容: the hub listing the 26 domains and the years. */
  statutory: 'columns/statutory/index.html',
  /** 政府信息公开工作年度报告 */
  report: 'columns/report/index.html',
  /** A list's folder; its newest entries are `index.html`, the archive `page-<k>.html` (k = 1 is the oldest). */
  listDir: (list: ListId) => `columns/${list}/`,
  listIndex: (list: ListId) => `columns/${list}/index.html`,
  listPage: (list: ListId, page: number) => `columns/${list}/page-${page}.html`,
  /** The Atom feed of a list's newest entries (shared/render/feed.ts). */
  listFeed: (list: ListId) => `columns/${list}/feed.xml`,
  document: (id: string) => `documents/${id}.html`,
  interpretation: (id: string) => `interpretations/${id}.html`,
  /** The original file as uploaded (only offered when it holds no personal data; see publish-document). */
  file: (id: string, ext: string) => `files/${id}.${ext}`,
};

const STYLE = `
:root{--ink:#1a1a1a;--muted:#555;--accent:#a4161a;--link:#0b4fb3;--line:#ccc;--bg:#f6f6f6}
html{font-size:112.5%}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;color:var(--ink);line-height:1.8;background:var(--bg);overflow-wrap:anywhere}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f9a825;outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:var(--ink);padding:.3rem .6rem;z-index:9}
header.site{background:var(--accent);color:#fff;padding:.6rem 1rem}
header.site .name{color:#fff;text-decoration:none;font-weight:bold;font-size:1.25rem}
header.site .platform{margin:0;font-size:.85rem}header.site .platform a{color:#fff}
nav.columns ul{list-style:none;margin:.4rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
nav.columns a{color:#fff;font-size:.95rem}
nav.columns a[aria-current]{font-weight:bold;text-decoration-thickness:2px}
main{max-width:56rem;margin:0 auto;padding:1rem;background:#fff;min-height:60vh}
h1{font-size:1.5rem;line-height:1.4;text-align:center}
h2{font-size:1.2rem;border-left:4px solid var(--accent);padding-left:.5rem}
table{width:100%;border-collapse:collapse;margin:1rem 0;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0;font-weight:normal}
table.meta th{width:8em}
td.date{white-space:nowrap}
p.interp-link{text-align:center;margin-top:-.6rem}
td.code{font-size:.85rem;overflow-wrap:anywhere;min-width:7em}
.scroll{overflow-x:auto}
.body p{text-indent:2em;margin:.4em 0}
ul.list{padding-left:1.2em}
ul.list li{margin:.5em 0}
.muted{color:var(--muted)}
.notice{border:2px solid var(--accent);padding:.6rem 1rem;background:#fff5f5}
form.search{display:flex;gap:.5rem;margin:1rem 0}
form.search input{flex:1;font-size:1rem;padding:.4rem;border:1px solid #767676;min-width:0}
form.search button{font-size:1rem;padding:.4rem 1rem;background:var(--accent);color:#fff;border:0}
.pager{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:1rem 0}
footer{max-width:56rem;margin:0 auto;padding:1rem;color:var(--muted);font-size:.85rem}
@media (max-width:40rem){main{padding:.6rem}h1{font-size:1.3rem}}
`;

/** The statutory columns (PUB-2), plus the interpretation and normative-document columns (PUB-1, PUB-3). */
export const COLUMNS = [
  { key: 'guide', label: '政府信息公开指南', path: sitePaths.guide },
  { key: 'system', label: '政府信息公开制度', path: sitePaths.system },
  { key: 'statutory', label: '法定主动公开内容', path: sitePaths.statutory },
  { key: 'catalogue', label: '主动公开基本目录', path: sitePaths.listIndex('catalogue') },
  { key: 'report', label: '政府信息公开工作年度报告', path: sitePaths.report },
  { key: 'interpretations', label: '政策解读', path: sitePaths.listIndex('interpretations') },
  { key: 'normative', label: '行政规范性文件', path: sitePaths.listIndex('normative') },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]['key'];

export interface LayoutOptions {
  /** Folder depth of the page below the site root (`documents/x.html` is 1). */
  readonly depth: number;
  /** The body whose section the page belongs to (its name, columns and contact); the top body when absent. */
  readonly section?: Section;
  /** The column the page belongs to, marked in the navigation. */
  readonly current?: ColumnKey;
  /** The Atom feed the page offers (relative to the page). */
  readonly feed?: { readonly href: string; readonly title: string };
  /** Site-relative scripts (only the search page has any). */
  readonly scripts?: readonly string[];
  readonly styles?: readonly string[];
}

/** Relative prefix from a page at `depth` back to the site root. */
export const rootOf = (depth: number): string => (depth === 0 ? './' : '../'.repeat(depth));

export function layout(title: string, body: SafeHtml, options: LayoutOptions | number): SafeHtml {
  const opts: LayoutOptions = typeof options === 'number' ? { depth: options } : options;
  const root = rootOf(opts.depth);
  const section = opts.section ?? TOP_SECTION;
  const home = `${root}${section.root}`;
  const contact = section.contact;
  const scripts = opts.scripts ?? [];
  // No page loads anything from another host; only the search page runs scripts (its own,
  // and pagefind's WebAssembly).
  const csp = scripts.length
    ? "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
    : "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'";
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${trusted(csp)}">
<title>${title} - ${section.name}政府信息公开</title>
<style>${trusted(STYLE)}</style>
${opts.feed ? html`<link rel="alternate" type="application/atom+xml" title="${opts.feed.title}" href="${opts.feed.href}">\n` : ''}${(opts.styles ?? []).map(
    (s) => html`<link rel="stylesheet" href="${root}${s}">
`,
  )}${scripts.map(
    (s) => html`<script src="${root}${s}" defer></script>
`,
  )}</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site">
${section.root ? html`<p class="platform"><a href="${root}index.html">${TOP_SECTION.name} · 政府信息公开平台</a></p>\n` : ''}<a class="name" href="${home}index.html">${section.name} · 政府信息公开</a>
<nav class="columns" aria-label="${section.name}政府信息公开栏目"><ul>
${COLUMNS.map(
  (c) => html`<li><a href="${home}${c.path}"${opts.current === c.key ? html` aria-current="page"` : ''}>${c.label}</a></li>
`,
)}<li><a href="${root}${sitePaths.search}">站内搜索</a></li>
</ul></nav>
</header>
<main id="main">
${body}
</main>
<footer><p>${section.name}${contact ? html` · ${contact.office} · 地址：${contact.address} · 电话：${contact.phone}` : ''}</p><p><a href="${root}${sitePaths.rules}">发文公开属性审查规则</a> · 本站由 Gongkai 公开发布系统生成。</p></footer>
</body>
</html>
`;
}

/** Paragraphs of extracted text: blank lines (or single line breaks) separate them. */
export function paragraphs(text: string): SafeHtml {
  const parts = text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  return html`${parts.map((p) => html`<p>${p}</p>\n`)}`;
}

export interface DocumentPageInfo {
  /** 索引号, when the document has entered the catalogue. */
  readonly indexNumber?: string;
  /** The 公开主体 it is published for. */
  readonly body?: { readonly id: string; readonly name: string };
  /** Site key of the original file offered for download, if any. */
  readonly file?: { readonly key: string; readonly label: string; readonly size?: number };
  readonly publishedAt?: string;
  /** Today (YYYY-MM-DD), for the validity status of normative documents. */
  readonly today: string;
}

const sizeText = (n: number | undefined) => (n === undefined ? '' : n >= 1024 * 1024 ? `，${(n / 1024 / 1024).toFixed(1)} MB` : `，${Math.max(1, Math.round(n / 1024))} KB`);

function metaTable(d: Draft, info: DocumentPageInfo): SafeHtml {
  const f = d.form;
  const v = validityOf(f);
  return html`<div class="scroll"><table class="meta">
<caption class="muted">文件信息</caption>
<tr><th scope="row">索引号</th><td>${info.indexNumber ?? '—'}</td></tr>
${info.body ? html`<tr><th scope="row">公开主体</th><td>${info.body.name}</td></tr>\n` : ''}<tr><th scope="row">发文机关</th><td>${f.draftingUnit}</td></tr>
<tr><th scope="row">成文日期</th><td>${f.documentDate}</td></tr>
<tr><th scope="row">发文字号</th><td>${f.documentNumber ?? '—'}</td></tr>
<tr><th scope="row">领域</th><td>${f.domain ?? '—'}</td></tr>
<tr><th scope="row">文种</th><td>${f.documentType}</td></tr>
${
  v
    ? html`<tr><th scope="row">有效期</th><td>${validityText(v)}（${validityState(v, d.validityChange, info.today) === '已失效' ? '已失效' : validityLabel(v, d.validityChange, info.today)}）</td></tr>
`
    : ''
}${
    info.publishedAt
      ? html`<tr><th scope="row">发布日期</th><td>${info.publishedAt.slice(0, 10)}</td></tr>
`
      : ''
  }</table></div>`;
}

const docLink = (r: { id: string; title: string; documentNumber?: string }) =>
  html`<a href="../${sitePaths.document(r.id)}" rel="related">${r.title}</a>${r.documentNumber ? html`（${r.documentNumber}）` : ''}`;

/** 废止 / 修订 of this document (in effect, or announced for a later day), and what it replaces. */
function validityNotices(d: Draft, today: string): SafeHtml {
  const c = d.validityChange;
  const label = c ? VALIDITY_KIND_LABELS[c.kind] : '';
  const change = c
    ? html`<div class="notice validity" role="note">
<p><strong>${today >= c.date ? html`本文件已于 ${c.date} ${label}。` : html`本文件将于 ${c.date} 起${label}。`}</strong></p>
${
  c.replacedBy
    ? html`<p>${c.kind === 'amended' ? '修订后的文件' : '替代文件'}：${docLink(c.replacedBy)}</p>
`
    : ''
}${
        c.reason
          ? html`<p>${label}说明：${c.reason}</p>
`
          : ''
      }</div>
`
    : '';
  const replaces = d.replaces?.length
    ? html`<p class="links replaces">本文件${d.replaces.every((r) => r.kind === 'amended') ? '修订' : '替代'}：${d.replaces.map(
        (r, i) => html`${i ? '；' : ''}${docLink(r)}（${VALIDITY_KIND_LABELS[r.kind]}，${r.date} 起）`,
      )}</p>
`
    : '';
  return html`${change}${replaces}`;
}

/** Pages of the document whose text was recognised from a scan (OCR), said where the text is shown: the original prevails. */
function ocrNotice(d: Draft): SafeHtml | string {
  const pages = (d.files.document.ocr?.pages ?? []).map((p) => p.page);
  if (!pages.length) return '';
  const which = d.files.document.pages && pages.length >= d.files.document.pages ? '正文' : `正文第 ${pageRanges(pages)} 页`;
  return html`<p class="muted ocr-note">${which}由扫描件经文字识别（OCR）得出，如与原件不一致，以原件为准。<span lang="en">Text recognised by OCR from a scan; the original prevails.</span></p>
`;
}

export function documentPage(d: Draft, text: string, info: DocumentPageInfo): string {
  const hasInterp = !!d.files.interpretation?.textKey;
  return layout(
    d.form.title,
    html`<article>
<h1>${d.form.title}</h1>
${hasInterp ? html`<p class="interp-link"><a class="interp" href="../${sitePaths.interpretation(d.id)}" rel="related" aria-label="${`解读：${d.form.title}`}">【解读】</a></p>` : ''}
${validityNotices(d, info.today)}${metaTable(d, info)}
${ocrNotice(d)}<div class="body">
${paragraphs(text)}
</div>
${
  info.file
    ? html`<p class="links">附件：<a href="../${info.file.key}" download>下载原文件（${info.file.label}${sizeText(info.file.size)}）</a></p>`
    : html`<p class="muted">原文件含依法隐去的个人信息，不提供下载；以上正文为公开文本。</p>`
}
${hasInterp ? html`<p class="links">相关解读：<a href="../${sitePaths.interpretation(d.id)}" rel="related">【解读】${d.form.title}</a></p>` : ''}
</article>`,
    { depth: 1, section: sectionOfDocument(info.body) },
  ).value;
}

/** A document's pages sit in the section of its body (pages from before bodies: the top body's). */
const sectionOfDocument = (body: { readonly id: string; readonly name: string } | undefined): Section => (body && body.id !== TOP_SECTION.id ? sectionOf(body) : TOP_SECTION);

export function interpretationPage(d: Draft, text: string, body: { readonly id: string; readonly name: string } | undefined = d.publication?.body): string {
  return layout(
    `【解读】${d.form.title}`,
    html`<article>
<h1>【解读】${d.form.title}</h1>
<p class="links">原文件：<a href="../${sitePaths.document(d.id)}" rel="related">${d.form.title}</a></p>
<div class="scroll"><table class="meta"><tr><th scope="row">解读机关</th><td>${d.form.draftingUnit}</td></tr></table></div>
<div class="body">
${paragraphs(text)}
</div>
</article>`,
    { depth: 1, current: 'interpretations', section: sectionOfDocument(body) },
  ).value;
}

/** What a withdrawn document's (or its interpretation's) address shows from then on. */
export function withdrawnPage(d: Draft, info: { readonly indexNumber?: string; readonly interpretation?: boolean }): string {
  const w = d.withdrawal;
  const title = info.interpretation ? `【解读】${d.form.title}` : d.form.title;
  return layout(
    `已撤回：${title}`,
    html`<article>
<h1>${title}</h1>
<div class="notice" role="note">
<p><strong>本${info.interpretation ? '解读' : '文件'}已撤回。</strong>${w ? html`撤回日期：${w.at.slice(0, 10)}。` : ''}</p>
${w ? html`<p>撤回原因：${w.reason}</p>` : ''}
</div>
<div class="scroll"><table class="meta">
<tr><th scope="row">索引号</th><td>${info.indexNumber ?? '—'}</td></tr>
${d.publication?.body ? html`<tr><th scope="row">公开主体</th><td>${d.publication.body.name}</td></tr>\n` : ''}<tr><th scope="row">发文机关</th><td>${d.form.draftingUnit}</td></tr>
<tr><th scope="row">发文字号</th><td>${d.form.documentNumber ?? '—'}</td></tr>
</table></div>
<p><a href="../${sectionOfDocument(d.publication?.body).root}index.html">返回首页</a></p>
</article>`,
    { depth: 1, section: sectionOfDocument(d.publication?.body) },
  ).value;
}

export interface RuleRow {
  readonly id: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly source: string;
  readonly severity: string;
}

const SEVERITY_LABELS: Record<string, string> = { block: '不予通过', warn: '提示', info: '记录' };

/** The rulebook as the public reads it: every rule a draft is checked against, with its source. */
export function rulesPage(rules: readonly RuleRow[]): string {
  return layout(
    '发文审查规则',
    html`<h1>发文审查规则</h1>
<p>每份拟发文件在签发前按以下规则审查。规则来源于《中华人民共和国政府信息公开条例》和有关政务公开工作文件。</p>
<table class="meta">
<thead><tr><th scope="col">编号</th><th scope="col">规则</th><th scope="col">依据</th><th scope="col">处理</th></tr></thead>
<tbody>
${rules.map(
  (r) => html`<tr><td>${r.id}</td><td>${r.title.zh}<br><small lang="en">${r.title.en}</small></td><td>${r.source}</td><td>${SEVERITY_LABELS[r.severity] ?? r.severity}</td></tr>
`,
)}
</tbody>
</table>`,
    0,
  ).value;
}

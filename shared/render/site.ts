import type { Draft } from '#shared/domain/draft';
import { html, type SafeHtml } from '#shared/render/html';

/**
 * The public pages of published documents. Paths are relative so the site works under
 * any host (CloudFront or the local CDN). Only 主动公开 drafts ever reach these functions.
 */

export const sitePaths = {
  home: 'index.html',
  rules: 'rules.html',
  document: (id: string) => `documents/${id}.html`,
  interpretation: (id: string) => `interpretations/${id}.html`,
};

const STYLE = `
:root{--ink:#1a1a1a;--muted:#555;--accent:#b3261e;--line:#ddd;font-size:18px}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;color:var(--ink);line-height:1.8;background:#fafafa}
header{background:var(--accent);color:#fff;padding:.8rem 1rem}
header a{color:#fff;text-decoration:none;font-weight:bold}
header a.nav{font-weight:normal;margin-left:1em;font-size:.9rem}
main{max-width:52rem;margin:0 auto;padding:1rem;background:#fff}
h1{font-size:1.5rem;line-height:1.4;text-align:center}
table.meta{width:100%;border-collapse:collapse;margin:1rem 0;font-size:.9rem}
table.meta th,table.meta td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left}
table.meta th{background:#f3f3f3;width:8em;font-weight:normal}
.body p{text-indent:2em;margin:.4em 0}
.links a,.list a{color:#0b57d0}
ul.list{padding-left:1.2em}
ul.list li{margin:.4em 0}
footer{max-width:52rem;margin:0 auto;padding:1rem;color:var(--muted);font-size:.8rem}
`;

export function layout(title: string, body: SafeHtml, depth: number): SafeHtml {
  const root = depth === 0 ? './' : '../'.repeat(depth);
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'unsafe-inline'; script-src 'none'; object-src 'none'">
<title>${title} - 政府信息公开</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="${root}index.html">政府信息公开</a> <a href="${root}rules.html" class="nav">发文审查规则</a></header>
<main>
${body}
</main>
<footer>本页面由 Gongkai 公开发布系统生成。</footer>
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

function metaTable(d: Draft): SafeHtml {
  const f = d.form;
  return html`<table class="meta">
<tr><th scope="row">发文机关</th><td>${f.draftingUnit}</td></tr>
<tr><th scope="row">发文字号</th><td>${f.documentNumber ?? '—'}</td></tr>
<tr><th scope="row">成文日期</th><td>${f.documentDate}</td></tr>
<tr><th scope="row">文种</th><td>${f.documentType}</td></tr>
<tr><th scope="row">领域</th><td>${f.domain ?? '—'}</td></tr>
<tr><th scope="row">公开方式</th><td>${f.attribute}</td></tr>
</table>`;
}

export function documentPage(d: Draft, text: string): string {
  const interp = d.files.interpretation?.textKey
    ? html`<p class="links">相关解读：<a href="../${sitePaths.interpretation(d.id)}" rel="related">【解读】${d.form.title}</a></p>`
    : undefined;
  return layout(
    d.form.title,
    html`<article>
<h1>${d.form.title}</h1>
${interp}
${metaTable(d)}
<div class="body">
${paragraphs(text)}
</div>
</article>`,
    1,
  ).value;
}

export function interpretationPage(d: Draft, text: string): string {
  return layout(
    `【解读】${d.form.title}`,
    html`<article>
<h1>【解读】${d.form.title}</h1>
<p class="links">原文件：<a href="../${sitePaths.document(d.id)}" rel="related">${d.form.title}</a></p>
<table class="meta"><tr><th scope="row">解读机关</th><td>${d.form.draftingUnit}</td></tr></table>
<div class="body">
${paragraphs(text)}
</div>
</article>`,
    1,
  ).value;
}

export function homePage(published: readonly Draft[]): string {
  return layout(
    '主动公开文件',
    html`<h1>主动公开文件</h1>
<ul class="list">
${published.map(
  (d) => html`<li><a href="${sitePaths.document(d.id)}">${d.form.title}</a> <small>${d.form.documentNumber ?? ''} ${d.form.documentDate}</small>${
    d.files.interpretation?.textKey ? html` <a href="${sitePaths.interpretation(d.id)}">【解读】</a>` : ''
  }</li>\n`,
)}
</ul>
${published.length === 0 ? html`<p>暂无公开文件。</p>` : ''}`,
    0,
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

import { chinaDay } from '#shared/clock';
import {
  APPLICANT_COLUMNS,
  REVIEW_GROUPS,
  REVIEW_RESULTS,
  TABLE2,
  TABLE3_ROWS,
  TEXT_SECTIONS,
  cellId,
  cellSpec,
  type AnnualReport,
  type TextSection,
} from '#shared/domain/annual-report';
import { METRICS, type Metric, type YearCounts } from '#shared/domain/report';
import { html, type SafeHtml } from '#shared/render/html';
import { blockHtml, plainText, text, type Block, type GridCell, type GridGroup, type PrintDocument } from '#shared/render/pdf-model';
import { layout, sectionDepth, sitePaths, TOP_SECTION, type Section } from '#shared/render/site';

/**
 * 政府信息公开工作年度报告 as a printable document (shared/render/pdf-model.ts): the six sections
 * of 国办公开办函〔2021〕30号 in order — the text sections 一、五、六 as paragraphs, tables 二、三、四
 * as the format lays them out (table 三 with its three header rows 申请人情况 / 自然人 · 法人或其他组织
 * · 总计 / the five kinds of organisation, and its rows in groups under 三、本年度办理结果; table 四
 * with 行政复议 and 行政诉讼 {未经复议直接起诉, 复议后起诉}, each with its five results). One model
 * renders to the site's report page (`annualReportPage`) and to the PDF (renderPdf), and its plain
 * text (`annualReportText`) is what the rulebook reads when the report goes through approval:
 * what is checked is what is published.
 */

export interface ReportContext {
  /** The 公开主体's name, e.g. 运城市盐湖区人民政府. */
  readonly bodyName: string;
}

export const reportTitle = (report: Pick<AnnualReport, 'year'>, bodyName: string): string => `${bodyName}${report.year}年政府信息公开工作年度报告`;

/** A cell's value as printed: whole numbers as they are, fees with their decimals; a cell not entered is 0. */
export function cellText(report: Pick<AnnualReport, 'cells'>, id: string): string {
  const cell = report.cells[id];
  if (!cell) return '0';
  const decimals = cellSpec(id)?.decimals ?? 0;
  return decimals ? String(Number(cell.value.toFixed(decimals))) : String(Math.round(cell.value));
}

const ref = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');

const th = (t: string, scope: GridCell['header'], extra: Partial<GridCell> = {}): GridCell => ({ text: [text(t)], header: scope, ...extra });
const td = (t: string, headers: readonly string[]): GridCell => ({ text: [text(t)], headers });

/** A text section's paragraphs: each non-empty line of what the office wrote. */
function sectionParagraphs(report: AnnualReport, key: TextSection): Block[] {
  const lines = (report.sections[key]?.text ?? '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.length ? lines : ['无。']).map((l): Block => ({ kind: 'paragraph', text: [text(l)] }));
}

function table2(report: AnnualReport): Block[] {
  return TABLE2.map((g): Block => ({
    kind: 'table',
    className: 'report report-2',
    caption: g.item,
    columns: [{ header: '信息内容', weight: 2 }, ...g.columns.map((c) => ({ header: c.label, weight: 1 }))],
    header: true,
    rowHeader: true,
    rows: g.rows.map((r) => [[text(r.label)], ...g.columns.map((c) => [text(cellText(report, cellId.table2(r.key, c.key)))])]),
  }));
}

/** Table 三: a corner cell, then 申请人情况 over 自然人 · 法人或其他组织 {five kinds} · 总计; rows grouped. */
function table3(report: AnnualReport): Block {
  const p = 't3';
  const orgs = APPLICANT_COLUMNS.filter((c) => 'kind' in c);
  const head: GridCell[][] = [
    [
      th('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 'col', { rowSpan: 3, id: `${p}-corner` }),
      th('申请人情况', 'colgroup', { colSpan: 7, id: `${p}-applicant` }),
    ],
    [
      th('自然人', 'col', { rowSpan: 2, id: `${p}-c-person` }),
      th('法人或其他组织', 'colgroup', { colSpan: orgs.length, id: `${p}-org` }),
      th('总计', 'col', { rowSpan: 2, id: `${p}-c-total` }),
    ],
    orgs.map((c) => th(c.label, 'col', { id: `${p}-c-${c.key}` })),
  ];
  const columnHeaders = (key: string) => [`${p}-applicant`, ...(orgs.some((c) => c.key === key) ? [`${p}-org`] : []), `${p}-c-${key}`];
  const groups: { heading?: GridCell; rows: GridCell[][]; key: string }[] = [];
  const groupIds = new Map<string, string>();
  for (const r of TABLE3_ROWS) {
    const key = r.subgroup ?? (r.group && r.key !== 'answered' ? r.group : `plain:${r.key === 'answered' ? 'answered' : r.group ? 'g' : 'top'}`);
    let g = groups[groups.length - 1];
    if (!g || g.key !== key) {
      let heading: GridCell | undefined;
      if (r.subgroup || (r.group && r.key !== 'answered')) {
        const label = r.subgroup ?? r.group!;
        const id = `${p}-g-${groupIds.size + 1}`;
        groupIds.set(label, id);
        heading = th(label, 'rowgroup', { id, ...(r.subgroup && r.group && groupIds.has(r.group) ? { headers: [groupIds.get(r.group)!] } : {}) });
      }
      g = { ...(heading ? { heading } : {}), rows: [], key };
      groups.push(g);
    }
    const rowId = `${p}-r-${ref(r.key)}`;
    const within = [...(r.group && groupIds.has(r.group) ? [groupIds.get(r.group)!] : []), ...(r.subgroup && groupIds.has(r.subgroup) ? [groupIds.get(r.subgroup)!] : [])];
    g.rows.push([
      th(r.label, 'row', { id: rowId, ...(within.length ? { headers: within } : {}) }),
      ...APPLICANT_COLUMNS.map((c) => td(cellText(report, cellId.table3(r.key, c.key)), [...columnHeaders(c.key), ...within, rowId])),
    ]);
  }
  return {
    kind: 'grid',
    className: 'report report-3',
    caption: '收到和处理政府信息公开申请情况',
    columns: [{ weight: 4 }, ...APPLICANT_COLUMNS.map(() => ({ weight: 1 }))],
    head,
    groups: groups.map(({ heading, rows }): GridGroup => ({ ...(heading ? { heading } : {}), rows })),
  };
}

/** Table 四: 行政复议 and 行政诉讼 {未经复议直接起诉, 复议后起诉}, each with its five results, in one row. */
function table4(report: AnnualReport): Block {
  const p = 't4';
  const [recon, ...litigation] = REVIEW_GROUPS;
  const sub = (label: string) => label.split(' · ').pop()!;
  const groupHeaders = (key: string) => (key === recon.key ? [`${p}-${key}`] : [`${p}-litigation`, `${p}-${key}`]);
  return {
    kind: 'grid',
    className: 'report report-4',
    caption: '政府信息公开行政复议、行政诉讼情况',
    columns: REVIEW_GROUPS.flatMap(() => REVIEW_RESULTS.map(() => ({ weight: 1 }))),
    head: [
      [
        th(recon.label, 'colgroup', { colSpan: REVIEW_RESULTS.length, rowSpan: 2, id: `${p}-${recon.key}` }),
        th('行政诉讼', 'colgroup', { colSpan: REVIEW_RESULTS.length * litigation.length, id: `${p}-litigation` }),
      ],
      litigation.map((g) => th(sub(g.label), 'colgroup', { colSpan: REVIEW_RESULTS.length, id: `${p}-${g.key}`, headers: [`${p}-litigation`] })),
      REVIEW_GROUPS.flatMap((g) => REVIEW_RESULTS.map((r) => th(r.label, 'col', { id: `${p}-${g.key}-${r.key}`, headers: groupHeaders(g.key) }))),
    ],
    groups: [
      { rows: [REVIEW_GROUPS.flatMap((g) => REVIEW_RESULTS.map((r) => td(cellText(report, cellId.table4(g.key, r.key)), [...groupHeaders(g.key), `${p}-${g.key}-${r.key}`])))] },
    ],
  };
}

const SECTION_LABEL = Object.fromEntries(TEXT_SECTIONS.map((s) => [s.key, s.label])) as Record<TextSection, string>;

/** The report as a printable document (title, the six sections in the format's order). */
export function annualReportModel(report: AnnualReport, ctx: ReportContext): PrintDocument {
  const y = report.year;
  return {
    title: reportTitle(report, ctx.bodyName),
    reference: `（${y}年度）`,
    author: ctx.bodyName,
    date: chinaDay(new Date(report.publishedAt ?? report.submittedAt ?? report.updatedAt)),
    blocks: [
      {
        kind: 'paragraph',
        text: [
          text(
            `本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第四十九条、第五十条和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制。本报告所列数据的统计期限自${y}年1月1日起至${y}年12月31日止。`,
          ),
        ],
      },
      { kind: 'heading', text: SECTION_LABEL.overview },
      ...sectionParagraphs(report, 'overview'),
      { kind: 'heading', text: '二、主动公开政府信息情况' },
      ...table2(report),
      { kind: 'heading', text: '三、收到和处理政府信息公开申请情况' },
      table3(report),
      { kind: 'heading', text: '四、政府信息公开行政复议、行政诉讼情况' },
      table4(report),
      { kind: 'heading', text: SECTION_LABEL.problems },
      ...sectionParagraphs(report, 'problems'),
      { kind: 'heading', text: SECTION_LABEL.other },
      ...sectionParagraphs(report, 'other'),
      { kind: 'signature', lines: [ctx.bodyName] },
    ],
  };
}

/** Everything a reader sees in the report, one string a line: the text the rulebook checks (and the search indexes). */
export const annualReportText = (report: AnnualReport, ctx: ReportContext): string => `${plainText(annualReportModel(report, ctx)).join('\n')}\n`;

// --- The site -----------------------------------------------------------------------------------

/** Where a body's published reports are, relative to its section's root (beside the column's index). */
export const reportPaths = {
  page: (year: string) => `columns/report/${year}.html`,
  pdf: (year: string) => `columns/report/${year}.pdf`,
} as const;

/** A report page's folder depth below the site root. */
const reportDepth = (section: Section) => 2 + sectionDepth(section);

/** A table block of the report as site HTML: wide tables scroll inside their own focusable region on a phone. */
function siteBlock(b: Block): SafeHtml {
  if (b.kind === 'table' || b.kind === 'grid')
    return html`<div class="scroll" role="region" tabindex="0" aria-label="${b.caption}">
${blockHtml(b)}</div>
`;
  return blockHtml(b);
}

/** The published report's page in its body's 年度报告 column, linking its PDF. */
export function annualReportPage(report: AnnualReport, ctx: ReportContext, section: Section = TOP_SECTION): string {
  const model = annualReportModel(report, ctx);
  return layout(
    model.title,
    html`<article class="annual-report">
<h1>${model.title}</h1>
<p class="muted">${model.reference} · 发布日期：${model.date} · <a href="${`${report.year}.pdf`}" type="application/pdf">下载 PDF 版本</a></p>
${model.blocks.map(siteBlock)}</article>
<p><a href="index.html">返回政府信息公开工作年度报告</a></p>`,
    { depth: reportDepth(section), current: 'report', section },
  ).value;
}

/** A published report as the column lists it. */
export interface PublishedReport {
  readonly year: string;
  readonly title: string;
  readonly publishedAt: string;
  /** The PDF's size in bytes, shown beside its link. */
  readonly pdfBytes?: number;
}

/**
 * 政府信息公开工作年度报告 (PUB-2): each published year, newest first, with its page and PDF;
 * earlier years stay listed. Before a first report is published, a line says so.
 */
export function annualReportsColumn(
  reports: readonly PublishedReport[],
  section: Section = TOP_SECTION,
  counts?: { readonly rows: readonly YearCounts[]; readonly generatedAt: string },
): string {
  const metrics = Object.keys(METRICS) as Metric[];
  const sorted = [...reports].sort((a, b) => b.year.localeCompare(a.year));
  return layout(
    '政府信息公开工作年度报告',
    html`<h1>${section.name}政府信息公开工作年度报告</h1>
<p>依据《中华人民共和国政府信息公开条例》第四十九条、第五十条，本机关于每年1月31日前公布上一年度政府信息公开工作年度报告。</p>
${
  sorted.length
    ? html`<ul class="list">
${sorted.map(
  (r) =>
    html`<li><a href="${`${r.year}.html`}">${r.title}</a><br><span class="muted">发布日期：${chinaDay(new Date(r.publishedAt))} · <a href="${`${r.year}.pdf`}" type="application/pdf">${r.year}年度报告 PDF 版本${r.pdfBytes ? `（${Math.max(1, Math.round(r.pdfBytes / 1024))} KB）` : ''}</a></span></li>\n`,
)}</ul>`
    : html`<p class="muted">暂无已发布的年度报告。</p>`
}${
      counts?.rows.length
        ? html`
<h2>系统统计</h2>
<p>以下数据由公开发布系统按自然年自动统计（统计口径：事项发生的年份），供编制年度报告参考，不代替正式发布的年度报告。</p>
<div class="scroll" role="region" tabindex="0" aria-label="系统统计"><table>
<caption class="muted">公开发布系统按年度统计</caption>
<thead><tr><th scope="col">年度</th>${metrics.map((m) => html`<th scope="col">${METRICS[m]}</th>`)}</tr></thead>
<tbody>
${counts.rows.map((r) => html`<tr><th scope="row">${r.year}年</th>${metrics.map((m) => html`<td>${r[m]}</td>`)}</tr>\n`)}</tbody>
</table></div>
<p class="muted">统计时间：${counts.generatedAt.slice(0, 16).replace('T', ' ')}（UTC）</p>`
        : ''
    }`,
    { depth: reportDepth(section), current: 'report', section },
  ).value;
}

/** The column's index and each report's page and PDF, by site key (the section's root prefixed). */
export const reportKeys = (section: Section, year?: string) => ({
  index: `${section.root}${sitePaths.report}`,
  ...(year ? { page: `${section.root}${reportPaths.page(year)}`, pdf: `${section.root}${reportPaths.pdf(year)}` } : {}),
});

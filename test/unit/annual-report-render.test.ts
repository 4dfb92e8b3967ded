import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS, REVIEW_GROUPS, REVIEW_RESULTS, TABLE2, TABLE3_ROWS, cellId } from '#shared/domain/annual-report';
import { extractDocument } from '#shared/extract/index';
import { annualReportModel, annualReportPage, annualReportsColumn, annualReportText, cellText } from '#shared/render/annual-report';
import { renderPdf } from '#shared/render/pdf';
import { blockHtml, type Block, type GridCell, type RichText } from '#shared/render/pdf-model';
import { sectionOf } from '#shared/render/site';
import { cellValue, reportFixture } from '../support/annual-report-fixture.ts';

/** The annual report's printable model (国办公开办函〔2021〕30号): every cell in its row and column, the heads as the format lays them out, one model to HTML and PDF. */
const ctx = { bodyName: '运城市盐湖区人民政府' };
const report = reportFixture();
const model = annualReportModel(report, ctx);
const rich = (r: RichText) => r.map((i) => ('br' in i ? '\n' : i.text)).join('');
const grids = model.blocks.filter((b): b is Extract<Block, { kind: 'grid' }> => b.kind === 'grid');
const tables = model.blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
const [t3, t4] = grids as [Extract<Block, { kind: 'grid' }>, Extract<Block, { kind: 'grid' }>];
const ref = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');

describe('annual report model', () => {
  it('holds the six sections in the format’s order', () => {
    const headings = model.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);
    expect(headings).toEqual([
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]);
    expect(model.title).toBe('运城市盐湖区人民政府2026年政府信息公开工作年度报告');
    // Each line the office wrote is a paragraph of its own.
    const paragraphs = model.blocks.filter((b) => b.kind === 'paragraph').map((b) => rich((b as { text: RichText }).text));
    for (const line of ['全年主动公开政府信息1200余条。', '下一步将增加图解、视频等解读形式。', '本年度未收取信息处理费。']) expect(paragraphs).toContain(line);
  });

  it('table 二: each item’s rows with their columns, every value in its row and column', () => {
    expect(tables.map((t) => t.caption)).toEqual(TABLE2.map((g) => g.item));
    TABLE2.forEach((g, gi) => {
      const t = tables[gi]!;
      expect(t.columns.map((c) => c.header)).toEqual(['信息内容', ...g.columns.map((c) => c.label)]);
      expect(t.rowHeader).toBe(true);
      g.rows.forEach((r, ri) => {
        expect(rich(t.rows[ri]![0]!)).toBe(r.label);
        g.columns.forEach((c, ci) => expect(rich(t.rows[ri]![ci + 1]!)).toBe(String(cellValue(cellId.table2(r.key, c.key)))));
      });
    });
    expect(cellText(report, cellId.table2('fees', 'amount'))).toBe('12.3456');
  });

  it('table 三: three header rows (申请人情况 / 自然人 · 法人或其他组织 · 总计 / five kinds)', () => {
    const head = t3.head.map((r) => r.map((c) => [rich(c.text), c.header, c.colSpan ?? 1, c.rowSpan ?? 1]));
    expect(head[0]![1]).toEqual(['申请人情况', 'colgroup', 7, 1]);
    expect(head[1]).toEqual([
      ['自然人', 'col', 1, 2],
      ['法人或其他组织', 'colgroup', 5, 1],
      ['总计', 'col', 1, 2],
    ]);
    expect(head[2]!.map((c) => c[0])).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
    expect(t3.columns).toHaveLength(1 + APPLICANT_COLUMNS.length);
  });

  it('table 三: every row in its group, every value under its applicant column and its row', () => {
    const rows = t3.groups.flatMap((g) => g.rows.map((r) => ({ heading: g.heading && rich(g.heading.text), cells: r })));
    expect(rows).toHaveLength(TABLE3_ROWS.length);
    TABLE3_ROWS.forEach((r, i) => {
      const row = rows[i]!;
      const rowId = `t3-r-${ref(r.key)}`;
      expect(row.cells[0]).toMatchObject({ header: 'row', id: rowId });
      expect(rich(row.cells[0]!.text)).toBe(r.label);
      if (r.subgroup) expect(row.heading).toBe(r.subgroup);
      else if (r.group && r.key !== 'answered') expect(row.heading).toBe(r.group);
      APPLICANT_COLUMNS.forEach((c, ci) => {
        const cell = row.cells[ci + 1]!;
        expect(rich(cell.text)).toBe(String(cellValue(cellId.table3(r.key, c.key))));
        expect(cell.headers).toContain(`t3-c-${c.key}`);
        expect(cell.headers).toContain(rowId);
        expect(cell.headers).toContain('t3-applicant');
        if ('kind' in c) expect(cell.headers).toContain('t3-org');
        if (r.group) expect(cell.headers).toContain('t3-g-1');
      });
    });
    expect(t3.groups.map((g) => g.heading && rich(g.heading.text)).filter(Boolean)).toEqual([
      '三、本年度办理结果',
      '（三）不予公开',
      '（四）无法提供',
      '（五）不予处理',
      '（六）其他处理',
    ]);
  });

  it('table 四: 行政复议 and 行政诉讼 {未经复议直接起诉, 复议后起诉}, each with its five results', () => {
    expect(t4.head.map((r) => r.map((c) => rich(c.text)))).toEqual([
      ['行政复议', '行政诉讼'],
      ['未经复议直接起诉', '复议后起诉'],
      REVIEW_GROUPS.flatMap(() => ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']),
    ]);
    expect(t4.head[0]!.map((c) => c.colSpan)).toEqual([5, 10]);
    const [row] = t4.groups[0]!.rows;
    REVIEW_GROUPS.forEach((g, gi) =>
      REVIEW_RESULTS.forEach((r, ri) => {
        const cell = row![gi * REVIEW_RESULTS.length + ri]!;
        expect(rich(cell.text)).toBe(String(cellValue(cellId.table4(g.key, r.key))));
        expect(cell.headers).toContain(`t4-${g.key}-${r.key}`);
        expect(cell.headers).toContain(`t4-${g.key}`);
        if (gi > 0) expect(cell.headers).toContain('t4-litigation');
      }),
    );
  });

  it('a cell never entered prints 0', () => {
    const blank = annualReportModel(reportFixture({ cells: {} }), ctx);
    expect(annualReportText(reportFixture({ cells: {} }), ctx)).not.toMatch(/undefined|NaN/);
    expect(blank.blocks.length).toBe(model.blocks.length);
  });
});

describe('annual report HTML', () => {
  const gridHtml = (b: Block) => blockHtml(b).value;

  it('grids have a caption, th with scope, spans, and headers naming header cells of the same table', () => {
    for (const g of grids) {
      const h = gridHtml(g);
      expect(h).toContain(`<caption>${g.caption}</caption>`);
      expect(h).toMatch(/<thead>[\s\S]*<\/thead>/);
      const ids = new Set([...h.matchAll(/<th [^>]*id="([^"]+)"/g)].map((m) => m[1]));
      const refs = [...h.matchAll(/headers="([^"]+)"/g)].flatMap((m) => m[1]!.split(' '));
      expect(refs.length).toBeGreaterThan(10);
      for (const r of refs) expect(ids.has(r), r).toBe(true);
      expect(h).not.toMatch(/<th(?:>| (?![^>]*scope=))/);
    }
    const h3 = gridHtml(t3);
    expect(h3).toContain('<th scope="colgroup" id="t3-org" colspan="5">法人或其他组织</th>');
    expect(h3).toContain('<th scope="col" id="t3-c-person" rowspan="2">自然人</th>');
    expect(h3).toContain('<tr><th scope="rowgroup" id="t3-g-1" colspan="8">三、本年度办理结果</th></tr>');
    expect((h3.match(/<tbody>/g) ?? []).length).toBe(t3.groups.length);
  });

  it('escapes what the office wrote', () => {
    const evil = reportFixture({ sections: { overview: { text: '<script>alert(1)</script>', by: report.submittedBy!, at: report.updatedAt } } });
    const page = annualReportPage(evil, ctx, sectionOf({ id: 'fgw', name: '发展和改革局' }));
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;');
  });

  it('the page links its PDF and every value is on it', () => {
    const page = annualReportPage(report, ctx);
    expect(page).toContain('href="2026.pdf"');
    for (const b of [...tables, ...grids]) expect(page).toContain(`<caption>${b.caption}</caption>`);
    for (const t of [t3, t4]) for (const g of t.groups) for (const r of g.rows) for (const c of r) if (!c.header) expect(page).toContain(`>${rich(c.text)}</td>`);
  });

  it('the column lists each year newest first, with page and PDF, earlier years kept', () => {
    const col = annualReportsColumn([
      { year: '2025', title: '运城市盐湖区人民政府2025年政府信息公开工作年度报告', publishedAt: '2026-01-20T02:00:00Z' },
      { year: '2026', title: '运城市盐湖区人民政府2026年政府信息公开工作年度报告', publishedAt: '2027-01-20T02:00:00Z', pdfBytes: 80_000 },
    ]);
    expect(col.indexOf('2026.html')).toBeLessThan(col.indexOf('2025.html'));
    expect(col).toContain('href="2025.pdf"');
    expect(col).toContain('（78 KB）');
    expect(annualReportsColumn([])).toContain('暂无已发布的年度报告');
  });
});

describe('annual report PDF', () => {
  it('renders every heading, label and value as text', async () => {
    const pdf = await renderPdf(model);
    expect(pdf.missing).toEqual([]);
    const x = await extractDocument(pdf.bytes);
    const got = x.text.replace(/\s+/g, '');
    for (const s of [
      '一、总体情况',
      '申请人情况',
      '法人或其他组织',
      '社会公益组织',
      '三、本年度办理结果',
      '（三）不予公开',
      '行政复议',
      '未经复议直接起诉',
      '复议后起诉',
      '本年度未收取信息处理费。',
      '12.3456',
    ])
      expect(got).toContain(s);
    const cells = [
      ...tables.flatMap((t) => t.rows.flatMap((r) => r.slice(1).map(rich))),
      ...grids.flatMap((g) => g.groups.flatMap((gr) => gr.rows.flatMap((r) => r.filter((c: GridCell) => !c.header).map((c) => rich(c.text))))),
    ];
    for (const v of cells) expect(got).toContain(v);
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

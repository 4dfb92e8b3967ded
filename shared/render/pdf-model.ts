import { html, type SafeHtml } from '#shared/render/html';

/**
 * The printable document model: one structured description of a letter or report — title,
 * reference number, paragraphs, lists, tables with header rows, signature block, date —
 * that both renderers read, the HTML page (`modelHtml` here, wrapped by the page of its
 * document) and the PDF (`renderPdf`, shared/render/pdf.ts), so the two can never say
 * different things. Everything in it is plain text: the renderers escape (HTML) or place
 * (PDF) it, and neither ever interprets it as markup.
 */

/** A piece of running text: plain, emphasised (<strong>, bold in the PDF) or a forced line break. */
export type Inline = { readonly text: string; readonly strong?: boolean } | { readonly br: true };
/** Running text: a sequence of inlines. White space runs read as one space, as in HTML. */
export type RichText = readonly Inline[];

export const text = (s: string): Inline => ({ text: s });
export const strong = (s: string): Inline => ({ text: s, strong: true });
export const br: Inline = { br: true };

/** Text that may run over lines: each line break of the source is a forced break. */
export function multiline(s: string): Inline[] {
  return s.split(/\r\n|\r|\n/).flatMap((line, i): Inline[] => (i === 0 ? [text(line)] : [br, text(line)]));
}

/** A column of a table. */
export interface Column {
  /** The column's heading (the table's header row); omitted in a table without one. */
  readonly header?: string;
  /** A sequence number column: narrow and centred (HTML class "n"). */
  readonly numeric?: boolean;
  /** Relative share of the width left once fixed columns are placed (default 1). */
  readonly weight?: number;
  /** A fixed width in ems of the table's font size (PDF). */
  readonly em?: number;
}

/**
 * A cell of a grid (a table with header rows that span, and row groups): `header` makes it a
 * <th> with that scope; `id` names a header cell, `headers` lists the ids of the header cells
 * a data cell sits under (HTML `headers`, for readers of multi-level heads).
 */
export interface GridCell {
  readonly text: RichText;
  readonly header?: 'col' | 'colgroup' | 'row' | 'rowgroup';
  readonly colSpan?: number;
  readonly rowSpan?: number;
  readonly id?: string;
  readonly headers?: readonly string[];
}

/** A group of body rows (<tbody>), under an optional heading row that spans the whole table. */
export interface GridGroup {
  readonly heading?: GridCell;
  readonly rows: readonly (readonly GridCell[])[];
}

export type Block =
  /** A body paragraph: first line indented 2 em; `to` is the salutation line (no indent, space above). */
  | { readonly kind: 'paragraph'; readonly text: RichText; readonly variant?: 'to' }
  /** An ordered list. */
  | { readonly kind: 'list'; readonly className: string; readonly items: readonly RichText[] }
  /**
   * A table with a caption. With `header`, the columns' headings form the header row (repeated
   * on each PDF page the table runs over); with `rowHeader`, each row's first cell heads it.
   */
  | {
      readonly kind: 'table';
      readonly className: string;
      readonly caption: string;
      readonly columns: readonly Column[];
      readonly header: boolean;
      readonly rowHeader?: boolean;
      readonly rows: readonly (readonly RichText[])[];
    }
  /**
   * A table with header rows whose cells span columns and rows (a two- or three-level head,
   * repeated on each PDF page), and body rows in groups each under an optional heading row.
   */
  | {
      readonly kind: 'grid';
      readonly className: string;
      readonly caption: string;
      readonly columns: readonly Column[];
      readonly head: readonly (readonly GridCell[])[];
      readonly groups: readonly GridGroup[];
    }
  /** A heading inside the document (h2), e.g. a report's section title. */
  | { readonly kind: 'heading'; readonly text: string }
  /** The signature block, right-aligned: who signs, then the date. */
  | { readonly kind: 'signature'; readonly lines: readonly string[] }
  /** The contact footer under a rule. */
  | { readonly kind: 'contact'; readonly lines: readonly string[] };

export interface PrintDocument {
  readonly title: string;
  /** The reference number (文号), printed under the title. */
  readonly reference: string;
  /** Who issues it (the PDF's author). */
  readonly author: string;
  /** Its date, YYYY-MM-DD (the PDF's creation date). */
  readonly date: string;
  readonly blocks: readonly Block[];
}

/** Every string a reader sees in the document, in order (title, reference, then the blocks): what a test compares the PDF's text with. */
export function plainText(doc: PrintDocument): string[] {
  const rich = (r: RichText) => r.map((i) => ('br' in i ? '\n' : i.text)).join('');
  const out: string[] = [doc.title, doc.reference];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'paragraph':
        out.push(rich(b.text));
        break;
      case 'list':
        out.push(...b.items.map(rich));
        break;
      case 'table':
        out.push(b.caption, ...(b.header ? b.columns.map((c) => c.header ?? '') : []), ...b.rows.flatMap((r) => r.map(rich)));
        break;
      case 'grid':
        out.push(
          b.caption,
          ...b.head.flatMap((r) => r.map((c) => rich(c.text))),
          ...b.groups.flatMap((g) => [...(g.heading ? [rich(g.heading.text)] : []), ...g.rows.flatMap((r) => r.map((c) => rich(c.text)))]),
        );
        break;
      case 'heading':
        out.push(b.text);
        break;
      case 'signature':
      case 'contact':
        out.push(...b.lines);
        break;
    }
  }
  return out;
}

// --- HTML -------------------------------------------------------------------------------

const inlineHtml = (r: RichText): SafeHtml => html`${r.map((i) => ('br' in i ? html`<br>` : i.strong ? html`<strong>${i.text}</strong>` : html`${i.text}`))}`;

function tableHtml(b: Extract<Block, { kind: 'table' }>): SafeHtml {
  const head = b.header ? html`<thead><tr>${b.columns.map((c) => html`<th scope="col">${c.header ?? ''}</th>`)}</tr></thead>\n` : '';
  const cell = (c: RichText, i: number) =>
    b.rowHeader && i === 0 ? html`<th scope="row">${inlineHtml(c)}</th>` : b.columns[i]?.numeric ? html`<td class="n">${inlineHtml(c)}</td>` : html`<td>${inlineHtml(c)}</td>`;
  return html`<table class="${b.className}">
<caption>${b.caption}</caption>
${head}<tbody>
${b.rows.map((r) => html`<tr>${r.map(cell)}</tr>\n`)}</tbody>
</table>
`;
}

const spans = (c: GridCell): SafeHtml =>
  html`${c.colSpan && c.colSpan > 1 ? html` colspan="${String(c.colSpan)}"` : ''}${c.rowSpan && c.rowSpan > 1 ? html` rowspan="${String(c.rowSpan)}"` : ''}`;

function gridCellHtml(c: GridCell): SafeHtml {
  const id = c.id ? html` id="${c.id}"` : '';
  const headers = c.headers?.length ? html` headers="${c.headers.join(' ')}"` : '';
  return c.header ? html`<th scope="${c.header}"${id}${headers}${spans(c)}>${inlineHtml(c.text)}</th>` : html`<td${id}${headers}${spans(c)}>${inlineHtml(c.text)}</td>`;
}

function gridHtml(b: Extract<Block, { kind: 'grid' }>): SafeHtml {
  return html`<table class="${b.className}">
<caption>${b.caption}</caption>
<thead>
${b.head.map(
  (r) => html`<tr>${r.map(gridCellHtml)}</tr>
`,
)}</thead>
${b.groups.map(
  (g) => html`<tbody>
${
  g.heading
    ? html`<tr>${gridCellHtml({ ...g.heading, colSpan: b.columns.length })}</tr>
`
    : ''
}${g.rows.map(
    (r) => html`<tr>${r.map(gridCellHtml)}</tr>
`,
  )}</tbody>
`,
)}</table>
`;
}

/** One block as HTML (every string escaped by `html`). */
export function blockHtml(b: Block): SafeHtml {
  switch (b.kind) {
    case 'paragraph':
      return b.variant === 'to' ? html`<p class="to">${inlineHtml(b.text)}</p>\n` : html`<p>${inlineHtml(b.text)}</p>\n`;
    case 'list':
      return html`<ol class="${b.className}">
${b.items.map((i) => html`<li>${inlineHtml(i)}</li>\n`)}</ol>
`;
    case 'table':
      return tableHtml(b);
    case 'grid':
      return gridHtml(b);
    case 'heading':
      return html`<h2>${b.text}</h2>\n`;
    case 'signature':
      return html`<div class="sign">
${b.lines.map((l) => html`<p>${l}</p>\n`)}</div>
`;
    case 'contact':
      return html`<footer class="contact">
${b.lines.map((l) => html`<p>${l}</p>\n`)}</footer>
`;
  }
}

/** The blocks of a document as HTML, in order (the page around them is the document's own). */
export const modelHtml = (blocks: readonly Block[]): SafeHtml => html`${blocks.map(blockHtml)}`;

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Font } from 'fontkit';
import { stripUnsafe } from '#shared/domain/text-safety';
import { DomainError } from '#shared/errors';
import type { Block, Column, GridCell, PrintDocument, RichText } from '#shared/render/pdf-model';

/**
 * A `PrintDocument` (shared/render/pdf-model.ts) as an A4 PDF: pdfkit writes the file, the
 * font is Noto Serif SC (SIL Open Font License 1.1, from the npm package
 * @expo-google-fonts/noto-serif-sc), embedded as a subset of the glyphs used, so a letter is
 * tens of kilobytes. Every string is placed as text (searchable, extractable); nothing is
 * drawn as an image. Lines are broken by the rules of Chinese text — anywhere between Han
 * characters, never inside a Latin word or number, never before a closing mark (，。）…) nor
 * after an opening one (（“《…) — and pages break within the margins, a table's header row
 * repeated on each page it runs over, with "第 n 页 / 共 m 页" at the foot of every page.
 *
 * The same input gives the same bytes (the dates in the file are the document's own).
 */

/** A PDF that cannot be written: too long, or the font is not where it should be. */
export class PdfRenderError extends DomainError {
  constructor(text: { zh: string; en: string }, options?: ErrorOptions) {
    super(text, options);
    this.name = 'PdfRenderError';
  }
}

/** Bounds: a letter runs to a few pages; past these the PDF is refused with a message (the HTML page is still there). */
export const PDF_LIMITS = {
  pages: 300,
  /** An API answer carries it base64-encoded inside JSON, under Lambda's 6 MB response. */
  bytes: 4 * 1024 * 1024,
} as const;

// --- The font ---------------------------------------------------------------------------------

export const PDF_FONT_PACKAGE = '@expo-google-fonts/noto-serif-sc';
/** The two weights used, by the folder of the package each sits in (the Lambda bundle ships these folders: topology `assets`). */
export const PDF_FONT_FILES = {
  regular: { dir: '400Regular', file: 'NotoSerifSC_400Regular.ttf' },
  bold: { dir: '700Bold', file: 'NotoSerifSC_700Bold.ttf' },
} as const;

export interface PdfFonts {
  readonly regular: Font;
  readonly bold: Font;
}

/** Where the bundle put each weight's folder (the handler reads it from its environment); omitted: the installed package. */
export interface PdfFontDirs {
  readonly regular?: string | undefined;
  readonly bold?: string | undefined;
}

const opened = new Map<string, Font>();

/**
 * pdfkit and fontkit (with brotli, for WOFF2) are loaded on the first PDF, not at import: a
 * bundle evaluates them only when this promise is first made (esbuild keeps a dynamic import
 * of a bundled module in the same file but runs its module body lazily), so a function that
 * renders a PDF on some paths only does not pay for them at every cold start (issue 17.5).
 * test/unit/cold-imports.test.ts checks that importing this module loads neither.
 */
let pdfLibs: Promise<{ readonly openFont: typeof import('fontkit').create; readonly PDFDocument: typeof import('pdfkit') }> | undefined;
function loadPdfLibs(): NonNullable<typeof pdfLibs> {
  pdfLibs ??= Promise.all([import('fontkit'), import('pdfkit')]).then(
    ([fontkit, pdfkit]) => ({ openFont: fontkit.create, PDFDocument: pdfkit.default }),
    (err: unknown) => {
      // A failed load is not cached: the next PDF tries again.
      pdfLibs = undefined;
      throw err;
    },
  );
  return pdfLibs;
}

function packageDir(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`${PDF_FONT_PACKAGE}/package.json`));
  } catch {
    return undefined;
  }
}

async function fontAt(weight: keyof typeof PDF_FONT_FILES, dir: string | undefined): Promise<Font> {
  const spec = PDF_FONT_FILES[weight];
  const base = dir ?? (packageDir() ? path.join(packageDir()!, spec.dir) : undefined);
  const file = base ? path.join(base, spec.file) : undefined;
  const cached = file ? opened.get(file) : undefined;
  if (cached) return cached;
  if (!file || !existsSync(file))
    throw new PdfRenderError({
      zh: `无法生成 PDF：找不到中文字体文件 ${spec.file}，请联系管理员。`,
      en: `Cannot write the PDF: the font file ${spec.file} is not at ${file ?? `(${PDF_FONT_PACKAGE} not installed)`}; tell the administrator.`,
    });
  const { openFont } = await loadPdfLibs();
  const font = openFont(readFileSync(file));
  if (!('layout' in font)) throw new PdfRenderError({ zh: `字体文件 ${spec.file} 无法读取。`, en: `The font file ${spec.file} is a collection, not a font.` });
  opened.set(file, font);
  return font;
}

/** The fonts, opened once per process (a cold start reads about 30 MB). */
export async function pdfFonts(dirs: PdfFontDirs = {}): Promise<PdfFonts> {
  const regular = await fontAt('regular', dirs.regular);
  return { regular, bold: await fontAt('bold', dirs.bold) };
}

// --- Line breaking ----------------------------------------------------------------------------

/** Han, kana, hangul, CJK punctuation and full-width forms: a line may break before or after each. */
const CJK = /[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u{20000}-\u{3ffff}]/u;
/** Marks a line never starts with (closing brackets and quotes, sentence and clause marks). */
const NO_START = /[，。、；：？！）〕】》〉」』”’…—％‰·・,.;:?!)\]}%》ー～]/u;
/** Marks a line never ends with (opening brackets and quotes). */
const NO_END = /[（〔【《〈「『“‘([{]/u;

const isSpace = (c: string) => c === ' ';

/** Whether a line may break between `a` and `b` (adjacent characters, spaces collapsed). */
export function breakBetween(a: string, b: string): boolean {
  if (isSpace(a)) return true;
  if (isSpace(b)) return false;
  if (NO_START.test(b) || NO_END.test(a)) return false;
  return CJK.test(a) || CJK.test(b);
}

interface Glyphs {
  readonly text: string;
  readonly bold: boolean;
}

/** A piece no line break falls inside (a Latin word with its trailing space, one Han character with its marks). */
interface Unit {
  readonly pieces: readonly Glyphs[];
  readonly width: number;
  /** The width without trailing spaces (at the end of a line they take no room). */
  readonly inkWidth: number;
}

/** A laid-out line: its pieces, and whether it is the first of its paragraph (indented). */
export interface Line {
  readonly pieces: readonly Glyphs[];
  readonly width: number;
}

interface Style {
  readonly size: number;
  readonly lineHeight: number;
}

type Measure = (s: string, bold: boolean) => number;

/**
 * Breaks rich text into lines of at most `width` (the first `firstWidth`): white space runs
 * read as one space (as in HTML), a `br` ends a line, and a unit wider than a whole line (a
 * 300-letter "word") is cut between characters rather than run past the margin.
 */
export function wrapText(rich: RichText, width: number, measure: Measure, firstWidth = width): Line[] {
  // One character per entry with its weight; white space collapsed; `null` is a forced break.
  const chars: (Glyphs | null)[] = [];
  for (const inline of rich) {
    if ('br' in inline) {
      chars.push(null);
      continue;
    }
    for (const c of stripUnsafe(inline.text).replace(/\s+/gu, ' ')) {
      const prev = chars[chars.length - 1];
      if (isSpace(c) && (prev === undefined || prev === null || isSpace(prev.text))) continue;
      chars.push({ text: c, bold: Boolean(inline.strong) });
    }
  }
  const lines: Line[] = [];
  let current: Glyphs[][] = [];
  let used = 0;
  const limit = () => (lines.length === 0 ? firstWidth : width);
  const flush = () => {
    while (current.length && current[current.length - 1]!.every((g) => isSpace(g.text))) current.pop();
    const pieces = merge(current.flat());
    const last = pieces[pieces.length - 1];
    if (last) pieces[pieces.length - 1] = { ...last, text: last.text.trimEnd() };
    lines.push({ pieces, width: pieces.reduce((w, p) => w + measure(p.text, p.bold), 0) });
    current = [];
    used = 0;
  };
  const place = (unit: Unit) => {
    if (used > 0 && used + unit.inkWidth > limit()) flush();
    if (used === 0 && unit.pieces.every((g) => isSpace(g.text))) return;
    if (unit.inkWidth > limit()) {
      // Wider than any line: cut it between characters.
      for (const g of unit.pieces.flatMap((p) => [...p.text].map((c) => ({ text: c, bold: p.bold })))) {
        const w = measure(g.text, g.bold);
        if (used > 0 && used + w > limit()) flush();
        current.push([g]);
        used += w;
      }
      return;
    }
    current.push([...unit.pieces]);
    used += unit.width;
  };
  let unit: Glyphs[] = [];
  const endUnit = () => {
    if (!unit.length) return;
    const pieces = merge(unit);
    const width = pieces.reduce((w, p) => w + measure(p.text, p.bold), 0);
    const ink = merge(unit.filter((g, i) => !(isSpace(g.text) && unit.slice(i).every((h) => isSpace(h.text)))));
    place({ pieces, width, inkWidth: ink.reduce((w, p) => w + measure(p.text, p.bold), 0) });
    unit = [];
  };
  for (const c of chars) {
    if (c === null) {
      endUnit();
      flush();
      continue;
    }
    const prev = unit[unit.length - 1];
    if (prev && breakBetween(prev.text, c.text)) endUnit();
    unit.push(c);
  }
  endUnit();
  if (current.length || lines.length === 0 || chars[chars.length - 1] === null) flush();
  return lines;
}

/** Adjacent characters of one weight as one piece. */
function merge(glyphs: readonly Glyphs[]): Glyphs[] {
  const out: Glyphs[] = [];
  for (const g of glyphs) {
    const last = out[out.length - 1];
    if (last && last.bold === g.bold) out[out.length - 1] = { text: last.text + g.text, bold: g.bold };
    else out.push({ ...g });
  }
  return out;
}

// --- Characters the font lacks ----------------------------------------------------------------

/** A character the font has no glyph for is printed as its code point, e.g. 〔U+1F600〕, and reported. */
export const missingMark = (c: string): string => `〔U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}〕`;

function coverText(rich: RichText, fonts: PdfFonts, missing: Set<string>): RichText {
  return rich.map((i) => {
    if ('br' in i) return i;
    let out = '';
    for (const c of stripUnsafe(i.text)) {
      const cp = c.codePointAt(0)!;
      if (/\s/u.test(c) || (fonts.regular.hasGlyphForCodePoint(cp) && fonts.bold.hasGlyphForCodePoint(cp))) out += c;
      else {
        missing.add(c);
        out += missingMark(c);
      }
    }
    return { ...i, text: out };
  });
}

// --- Page layout ------------------------------------------------------------------------------

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM } as const;
/** As the HTML page's @page rule: 25 mm at the top, 22 mm at the sides and bottom. */
const MARGIN = { top: 25 * MM, right: 22 * MM, bottom: 22 * MM, left: 22 * MM } as const;
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const BOTTOM = A4.height - MARGIN.bottom;

/** Sizes in points, as the page's print stylesheet: 三号 (16 pt) body, 二号 (22 pt) title, tables in 12 pt. */
const BODY: Style = { size: 16, lineHeight: 28 };
const TITLE: Style = { size: 22, lineHeight: 31 };
const TABLE: Style = { size: 12, lineHeight: 19 };
const CONTACT: Style = { size: 14, lineHeight: 23 };
const FOOTER_SIZE = 10.5;
const CELL_PAD = { x: 5, y: 3 } as const;
const RULE = 0.6;

export interface RenderedPdf {
  readonly bytes: Uint8Array;
  readonly pages: number;
  /** Characters the font has no glyph for, each printed as its code point (missingMark). */
  readonly missing: readonly string[];
}

class Layout {
  y = MARGIN.top;
  pages = 1;
  private readonly widths = new Map<string, number>();

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly fonts: PdfFonts,
  ) {}

  measureAt(size: number): Measure {
    return (s, bold) => {
      const key = `${bold ? 'b' : 'r'}${s}`;
      let w = this.widths.get(key);
      if (w === undefined) {
        const font = bold ? this.fonts.bold : this.fonts.regular;
        w = font.layout(s).advanceWidth / font.unitsPerEm;
        this.widths.set(key, w);
      }
      return w * size;
    };
  }

  newPage(): void {
    if (this.pages >= PDF_LIMITS.pages)
      throw new PdfRenderError({
        zh: `文书超过 ${PDF_LIMITS.pages} 页，无法生成 PDF；请使用可打印网页版本（format=html），或缩短填写的内容。`,
        en: `The document runs past ${PDF_LIMITS.pages} pages; no PDF was written. Use the printable page (format=html) or shorten what was entered.`,
      });
    this.doc.addPage();
    this.pages++;
    this.y = MARGIN.top;
  }

  /** Starts a new page unless `height` still fits on this one (a page that is still empty always takes it). */
  ensure(height: number): void {
    if (this.y + height > BOTTOM && this.y > MARGIN.top) this.newPage();
  }

  /** Draws one line with its top at `top`, starting at `x`. */
  drawLine(line: Line, x: number, top: number, style: Style): void {
    const font = this.fonts.regular;
    const height = ((font.ascent - font.descent) / font.unitsPerEm) * style.size;
    const y = top + (style.lineHeight - height) / 2;
    let at = x;
    const measure = this.measureAt(style.size);
    for (const p of line.pieces) {
      if (!p.text) continue;
      this.doc
        .font(p.bold ? 'bold' : 'regular')
        .fontSize(style.size)
        .text(p.text, at, y, { lineBreak: false });
      at += measure(p.text, p.bold);
    }
  }

  /** Lines of running text, each on the page that has room for it. */
  flow(lines: readonly Line[], style: Style, x: (line: Line, i: number) => number): void {
    lines.forEach((line, i) => {
      this.ensure(style.lineHeight);
      this.drawLine(line, x(line, i), this.y, style);
      this.y += style.lineHeight;
    });
  }

  centred(rich: RichText, style: Style): void {
    const lines = wrapText(rich, CONTENT_WIDTH, this.measureAt(style.size));
    this.flow(lines, style, (l) => MARGIN.left + (CONTENT_WIDTH - l.width) / 2);
  }

  paragraph(rich: RichText, variant: 'to' | undefined): void {
    const indent = variant === 'to' ? 0 : 2 * BODY.size;
    this.y += variant === 'to' ? BODY.size : 4;
    const lines = wrapText(rich, CONTENT_WIDTH, this.measureAt(BODY.size), CONTENT_WIDTH - indent);
    this.flow(lines, BODY, (_, i) => MARGIN.left + (i === 0 ? indent : 0));
    this.y += 4;
  }

  list(items: readonly RichText[]): void {
    const indent = 2.5 * BODY.size;
    this.y += 4;
    const measure = this.measureAt(BODY.size);
    items.forEach((item, n) => {
      const lines = wrapText(item, CONTENT_WIDTH - indent, measure);
      const marker = `${n + 1}.`;
      this.ensure(BODY.lineHeight);
      this.drawLine({ pieces: [{ text: marker, bold: false }], width: 0 }, MARGIN.left + indent - measure(marker, false) - BODY.size / 3, this.y, BODY);
      this.flow(lines, BODY, () => MARGIN.left + indent);
    });
    this.y += 4;
  }

  table(b: Extract<Block, { kind: 'table' }>): void {
    const measure = this.measureAt(TABLE.size);
    const widths = columnWidths(b.columns, CONTENT_WIDTH);
    const wrapCell = (rich: RichText, i: number) => wrapText(rich, widths[i]! - 2 * CELL_PAD.x, measure);
    const header = b.header ? b.columns.map((c, i) => wrapCell([{ text: c.header ?? '', strong: true }], i)) : undefined;
    const headerHeight = header ? rowHeight(header) : 0;
    const rows = b.rows.map((r) => r.map((cell, i) => wrapCell(b.rowHeader && i === 0 ? cell.map((x) => ('br' in x ? x : { ...x, strong: true })) : cell, i)));

    this.y += 10;
    // The caption stays with the header row and the first line of the first row.
    this.ensure(TABLE.lineHeight + headerHeight + TABLE.lineHeight + 2 * CELL_PAD.y);
    this.drawLine(wrapText([{ text: b.caption, strong: true }], CONTENT_WIDTH, measure)[0]!, MARGIN.left, this.y, TABLE);
    this.y += TABLE.lineHeight + 2;
    const drawHeader = () => {
      if (header) this.row(header, widths, b.columns, Math.max(...header.map((c) => c.length)), true);
    };
    drawHeader();
    const pageRoom = BOTTOM - MARGIN.top - headerHeight;
    for (const cells of rows) {
      let rest = cells;
      const h = rowHeight(rest);
      // A row that fits on a page is never split (break-inside: avoid); a longer one runs over pages line by line.
      if (this.y + h > BOTTOM && h <= pageRoom) {
        this.newPage();
        drawHeader();
      }
      for (;;) {
        const fit = Math.floor((BOTTOM - this.y - 2 * CELL_PAD.y) / TABLE.lineHeight);
        const need = Math.max(1, ...rest.map((c) => c.length));
        if (fit < 1) {
          this.newPage();
          drawHeader();
          continue;
        }
        this.row(
          rest.map((c) => c.slice(0, fit)),
          widths,
          b.columns,
          Math.min(fit, need),
          false,
        );
        if (need <= fit) break;
        rest = rest.map((c) => c.slice(fit));
        this.newPage();
        drawHeader();
      }
    }
    this.y += 10;
  }

  /** A heading inside the document: bold, kept with at least two lines of what follows. */
  heading(rich: RichText): void {
    this.y += BODY.size * 0.6;
    const lines = wrapText(
      rich.map((i) => ('br' in i ? i : { ...i, strong: true })),
      CONTENT_WIDTH,
      this.measureAt(BODY.size),
    );
    this.ensure((lines.length + 2) * BODY.lineHeight);
    this.flow(lines, BODY, () => MARGIN.left);
  }

  /**
   * A grid: header rows whose cells span columns and rows (placed on an occupancy grid, as HTML
   * does), repeated on each page; body rows in groups, each under a heading row across the table.
   * A body row is never split across pages.
   */
  grid(b: Extract<Block, { kind: 'grid' }>): void {
    const measure = this.measureAt(TABLE.size);
    const widths = columnWidths(b.columns, CONTENT_WIDTH);
    const n = widths.length;
    const span = (from: number, count: number) => widths.slice(from, from + count).reduce((s, w) => s + w, 0);
    const bold = (r: RichText): RichText => r.map((x) => ('br' in x ? x : { ...x, strong: true }));
    // Header placement.
    interface Placed {
      readonly cell: GridCell;
      readonly row: number;
      readonly col: number;
      readonly lines: readonly Line[];
    }
    const taken = b.head.map(() => new Array<boolean>(n).fill(false));
    const placed: Placed[] = [];
    b.head.forEach((r, ri) => {
      let col = 0;
      for (const cell of r) {
        while (col < n && taken[ri]![col]) col++;
        const cs = Math.min(cell.colSpan ?? 1, n - col);
        const rs = Math.min(cell.rowSpan ?? 1, b.head.length - ri);
        for (let y = ri; y < ri + rs; y++) for (let x = col; x < col + cs; x++) taken[y]![x] = true;
        placed.push({ cell: { ...cell, colSpan: cs, rowSpan: rs }, row: ri, col, lines: wrapText(bold(cell.text), Math.max(span(col, cs) - 2 * CELL_PAD.x, 1), measure) });
        col += cs;
      }
    });
    const heights = b.head.map((_, ri) =>
      Math.max(TABLE.lineHeight + 2 * CELL_PAD.y, ...placed.filter((p) => p.row === ri && p.cell.rowSpan === 1).map((p) => p.lines.length * TABLE.lineHeight + 2 * CELL_PAD.y)),
    );
    for (const p of placed.filter((q) => (q.cell.rowSpan ?? 1) > 1)) {
      const have = heights.slice(p.row, p.row + p.cell.rowSpan!).reduce((s, h) => s + h, 0);
      const need = p.lines.length * TABLE.lineHeight + 2 * CELL_PAD.y;
      if (need > have) heights[p.row + p.cell.rowSpan! - 1]! += need - have;
    }
    const headerHeight = heights.reduce((s, h) => s + h, 0);
    const drawHeader = () => {
      const top = this.y;
      for (const p of placed) {
        const x = MARGIN.left + span(0, p.col);
        const w = span(p.col, p.cell.colSpan!);
        const y = top + heights.slice(0, p.row).reduce((s, h) => s + h, 0);
        const h = heights.slice(p.row, p.row + p.cell.rowSpan!).reduce((s, v) => s + v, 0);
        this.doc.lineWidth(RULE).rect(x, y, w, h).stroke('#000000');
        const offset = (h - p.lines.length * TABLE.lineHeight) / 2;
        p.lines.forEach((line, i) => this.drawLine(line, x + (w - line.width) / 2, y + offset + i * TABLE.lineHeight, TABLE));
      }
      this.y = top + headerHeight;
    };
    const bodyRow = (cells: readonly GridCell[]) => {
      let col = 0;
      return cells.map((c) => {
        const cs = Math.min(c.colSpan ?? 1, n - col);
        const at = col;
        col += cs;
        const header = c.header === 'row' || c.header === 'rowgroup';
        return { at, cs, header, lines: wrapText(header ? bold(c.text) : c.text, Math.max(span(at, cs) - 2 * CELL_PAD.x, 1), measure) };
      });
    };
    const drawRow = (cells: ReturnType<typeof bodyRow>) => {
      const height = Math.max(1, ...cells.map((c) => c.lines.length)) * TABLE.lineHeight + 2 * CELL_PAD.y;
      if (this.y + height > BOTTOM) {
        this.newPage();
        drawHeader();
      }
      for (const c of cells) {
        const x = MARGIN.left + span(0, c.at);
        const w = span(c.at, c.cs);
        this.doc.lineWidth(RULE).rect(x, this.y, w, height).stroke('#000000');
        c.lines.forEach((line, i) => {
          const lx = c.header ? x + CELL_PAD.x : x + (w - line.width) / 2;
          this.drawLine(line, lx, this.y + CELL_PAD.y + i * TABLE.lineHeight, TABLE);
        });
      }
      this.y += height;
    };

    this.y += 10;
    this.ensure(TABLE.lineHeight + headerHeight + TABLE.lineHeight + 2 * CELL_PAD.y);
    for (const line of wrapText([{ text: b.caption, strong: true }], CONTENT_WIDTH, measure)) {
      this.drawLine(line, MARGIN.left, this.y, TABLE);
      this.y += TABLE.lineHeight;
    }
    this.y += 2;
    drawHeader();
    for (const g of b.groups) {
      if (g.heading) drawRow(bodyRow([{ ...g.heading, colSpan: n }]));
      for (const r of g.rows) drawRow(bodyRow(r));
    }
    this.y += 10;
  }

  private row(cells: readonly (readonly Line[])[], widths: readonly number[], columns: readonly Column[], lineCount: number, header: boolean): void {
    const height = Math.max(1, lineCount) * TABLE.lineHeight + 2 * CELL_PAD.y;
    let x = MARGIN.left;
    cells.forEach((lines, i) => {
      const w = widths[i]!;
      this.doc.lineWidth(RULE).rect(x, this.y, w, height).stroke('#000000');
      lines.forEach((line, n) => {
        const centred = header || columns[i]?.numeric;
        const lx = centred ? x + (w - line.width) / 2 : x + CELL_PAD.x;
        this.drawLine(line, lx, this.y + CELL_PAD.y + n * TABLE.lineHeight, TABLE);
      });
      x += w;
    });
    this.y += height;
  }

  /** Lines kept together on one page, right-aligned (the signature) or under a rule (the contact). */
  block(lines: readonly string[], style: Style, kind: 'signature' | 'contact'): void {
    const measure = this.measureAt(style.size);
    const wrapped = lines.flatMap((l) => wrapText([{ text: l }], CONTENT_WIDTH, measure));
    const space = kind === 'signature' ? 2.5 * BODY.size : 2 * BODY.size;
    const total = wrapped.length * style.lineHeight + (kind === 'contact' ? 8 : 0);
    this.y += space;
    this.ensure(total);
    if (kind === 'contact') {
      this.doc
        .lineWidth(RULE)
        .moveTo(MARGIN.left, this.y)
        .lineTo(A4.width - MARGIN.right, this.y)
        .stroke('#000000');
      this.y += 8;
    }
    this.flow(wrapped, style, (l) => (kind === 'signature' ? A4.width - MARGIN.right - l.width - BODY.size : MARGIN.left));
  }

  footers(): void {
    const measure = this.measureAt(FOOTER_SIZE);
    for (let i = 0; i < this.pages; i++) {
      this.doc.switchToPage(i);
      const label = `第 ${i + 1} 页 / 共 ${this.pages} 页`;
      // pdfkit moves to a new page when text is placed below its bottom margin: lift it for the footer.
      this.doc.page.margins.bottom = 0;
      this.drawLine({ pieces: [{ text: label, bold: false }], width: 0 }, (A4.width - measure(label, false)) / 2, A4.height - MARGIN.bottom / 2 - FOOTER_SIZE, {
        size: FOOTER_SIZE,
        lineHeight: FOOTER_SIZE * 1.5,
      });
    }
  }
}

function rowHeight(cells: readonly (readonly Line[])[]): number {
  return Math.max(1, ...cells.map((c) => c.length)) * TABLE.lineHeight + 2 * CELL_PAD.y;
}

/** Fixed columns get their ems (of the table's size); the rest share what is left by weight. */
function columnWidths(columns: readonly Column[], total: number): number[] {
  const fixed = columns.reduce((s, c) => s + (c.em !== undefined ? c.em * TABLE.size + 2 * CELL_PAD.x : 0), 0);
  const weights = columns.reduce((s, c) => s + (c.em === undefined ? (c.weight ?? 1) : 0), 0);
  const left = Math.max(total - fixed, 0);
  return columns.map((c) => (c.em !== undefined ? c.em * TABLE.size + 2 * CELL_PAD.x : (left * (c.weight ?? 1)) / (weights || 1)));
}

/** The PDF's dates: the document's own day (midnight, Beijing time), so the same letter gives the same bytes. */
const dayOf = (day: string): Date => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00+08:00`) : new Date(0));

/** Renders the model as an A4 PDF with the font subset embedded. */
export async function renderPdf(model: PrintDocument, given?: PdfFonts): Promise<RenderedPdf> {
  const fonts = given ?? (await pdfFonts());
  const { PDFDocument } = await loadPdfLibs();
  const missing = new Set<string>();
  const cover = (r: RichText) => coverText(r, fonts, missing);
  const cleanLines = (lines: readonly string[]) =>
    lines.map((l) =>
      cover([{ text: l }])
        .map((i) => ('br' in i ? '' : i.text))
        .join(''),
    );
  const title = cover([{ text: model.title }]);
  const reference = cover([{ text: model.reference }]);
  const when = dayOf(model.date);
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margins: MARGIN,
    // No standard font: it would be loaded from pdfkit's folder, which a bundle does not have.
    font: null as unknown as string,
    bufferPages: true,
    autoFirstPage: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: stripUnsafe(`${model.title}（${model.reference}）`),
      Author: stripUnsafe(model.author),
      Subject: stripUnsafe(model.title),
      Creator: 'Gongkai 公开',
      Producer: 'Gongkai 公开 (pdfkit)',
      CreationDate: when,
      ModDate: when,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  // pdfkit takes a fontkit font object as a font source (its types know only files and bytes).
  doc.registerFont('regular', fonts.regular as unknown as Buffer);
  doc.registerFont('bold', fonts.bold as unknown as Buffer);
  doc.font('regular');

  const layout = new Layout(doc, fonts);
  try {
    layout.centred(
      title.map((i) => ('br' in i ? i : { ...i, strong: true })),
      TITLE,
    );
    layout.y += 4;
    layout.centred(reference, BODY);
    layout.y += BODY.size * 0.8;
    for (const b of model.blocks) {
      switch (b.kind) {
        case 'paragraph':
          layout.paragraph(cover(b.text), b.variant);
          break;
        case 'list':
          layout.list(b.items.map(cover));
          break;
        case 'table':
          layout.table({
            ...b,
            caption: cleanLines([b.caption])[0]!,
            columns: b.columns.map((c) => (c.header !== undefined ? { ...c, header: cleanLines([c.header])[0]! } : c)),
            rows: b.rows.map((r) => r.map(cover)),
          });
          break;
        case 'grid': {
          const cell = (c: GridCell): GridCell => ({ ...c, text: cover(c.text) });
          layout.grid({
            ...b,
            caption: cleanLines([b.caption])[0]!,
            head: b.head.map((r) => r.map(cell)),
            groups: b.groups.map((g) => ({ ...(g.heading ? { heading: cell(g.heading) } : {}), rows: g.rows.map((r) => r.map(cell)) })),
          });
          break;
        }
        case 'heading':
          layout.heading(cover([{ text: b.text }]));
          break;
        case 'signature':
          layout.block(cleanLines(b.lines), BODY, 'signature');
          break;
        case 'contact':
          layout.block(cleanLines(b.lines), CONTACT, 'contact');
          break;
      }
    }
    layout.footers();
  } catch (err) {
    doc.end();
    await ended.catch(() => undefined);
    throw err;
  }
  doc.end();
  await ended;
  const bytes = new Uint8Array(Buffer.concat(chunks));
  if (bytes.length > PDF_LIMITS.bytes)
    throw new PdfRenderError({
      zh: `生成的 PDF 为 ${(bytes.length / 1024 / 1024).toFixed(1)} MB，超过上限 ${PDF_LIMITS.bytes / 1024 / 1024} MB；请使用可打印网页版本（format=html）。`,
      en: `The PDF would be ${(bytes.length / 1024 / 1024).toFixed(1)} MB, over the ${PDF_LIMITS.bytes / 1024 / 1024} MB limit; use the printable page (format=html).`,
    });
  return { bytes, pages: layout.pages, missing: [...missing] };
}

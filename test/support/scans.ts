import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';
import { expect } from 'vitest';
import { ExtractionError } from '#shared/extract/errors';

/**
 * Scans made in the test, for the OCR engine and the OCR stage: a page of Chinese text as a
 * scanner gives it (a PNG drawn with a real CJK font), PDFs of such pages without a text layer
 * (or mixed with text-layer pages), and PNG files written byte by byte (a huge image's header
 * costs a few bytes to make). One definition for test/unit/ocr-isolated.test.ts and
 * test/integration/ocr-engine*.test.ts, ocr-pipeline.test.ts.
 */

const require = createRequire(import.meta.url);

/** The font the scans are drawn in (Noto Serif SC, regular): a path, for pdfkit's text-layer pages as well. */
export const SCAN_FONT = path.join(path.dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json')), '400Regular', 'NotoSerifSC_400Regular.ttf');
/** The family name SCAN_FONT is registered under with @napi-rs/canvas (once, when this module loads). */
export const SCAN_FONT_FAMILY = 'GongkaiScanSerif';
GlobalFonts.registerFromPath(SCAN_FONT, SCAN_FONT_FAMILY);

/** Paper sizes the scans use: millimetres (for pixels at a resolution) and PDF points (for pdfkit). */
export const PAPER = {
  A4: { mm: [210, 297], pt: [595.28, 841.89] },
  A6: { mm: [105, 148], pt: [297.64, 419.53] },
} as const;
export type Paper = keyof typeof PAPER;

/** Pixels of `paper` scanned at `dpi`, rounded: A4 at 150 dpi is 1240 × 1754, at 72 dpi 595 × 842; A6 at 150 dpi 620 × 874. */
export function scanSize(paper: Paper, dpi: number): { readonly width: number; readonly height: number } {
  const [w, h] = PAPER[paper].mm;
  return { width: Math.round((w / 25.4) * dpi), height: Math.round((h / 25.4) * dpi) };
}

export interface ScanOptions {
  /** Paper size (default A4). */
  readonly paper?: Paper;
  /** Scan resolution (default 150 dpi). */
  readonly dpi?: number;
  /** Font size in px (default 40). */
  readonly fontSize?: number;
  /** Left edge of the lines in px (default 120). */
  readonly left?: number;
  /** Baseline of the first line in px (default 200). */
  readonly top?: number;
  /** Distance between baselines in px (default 80). */
  readonly lineHeight?: number;
}

/**
 * A page as a scanner gives it: black `lines` on white, one under the other, in SCAN_FONT;
 * by default A4 at 150 dpi (1240 × 1754 px), 40 px text from (120, 200), a line every 80 px.
 * No lines: a blank page. Answers the PNG's bytes.
 */
export function scanPng(lines: readonly string[], options: ScanOptions = {}): Uint8Array {
  const { width, height } = scanSize(options.paper ?? 'A4', options.dpi ?? 150);
  const { fontSize = 40, left = 120, top = 200, lineHeight = 80 } = options;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.font = `${fontSize}px ${SCAN_FONT_FAMILY}`;
  lines.forEach((line, i) => ctx.fillText(line, left, top + i * lineHeight));
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/**
 * A PDF of `pages` on `paper` (default A4), in order: a scanned page (the image over the
 * whole page, no text layer) for each image, a text-layer page (SCAN_FONT at 14 pt within
 * 72 pt margins) for each string. Only images: a scan as a scanner's PDF gives it.
 */
export async function pdfOf(pages: readonly (string | Uint8Array)[], options: { readonly paper?: Paper } = {}): Promise<Uint8Array> {
  const paper = options.paper ?? 'A4';
  const [width, height] = PAPER[paper].pt;
  const doc = new PDFDocument({ autoFirstPage: false, size: paper });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('serif', SCAN_FONT);
  for (const p of pages) {
    if (typeof p === 'string') {
      doc.addPage({ size: paper, margin: 72 });
      doc.font('serif').fontSize(14).text(p);
    } else {
      doc.addPage({ size: paper, margin: 0 });
      doc.image(Buffer.from(p), 0, 0, { width, height });
    }
  }
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

// --- PNG files written byte by byte -----------------------------------------------------------

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk: its length, its type, `data` and the CRC of type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** The IHDR chunk of a greyscale, non-interlaced image of width × height px at `bitDepth` bits a pixel. */
export function pngIhdr(width: number, height: number, bitDepth: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = 0; // greyscale; compression, filter and interlace 0
  return pngChunk('IHDR', data);
}

/** The Han characters of a text, in order (what the OCR tests compare). */
export const han = (s: string): string => (s.match(/\p{Script=Han}/gu) ?? []).join('');

/** The ExtractionError a promise rejects with, checked bilingual: Chinese for the drafter, an English gloss. */
export async function refusal(p: Promise<unknown>): Promise<ExtractionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractionError);
  const e = err as ExtractionError;
  expect(e.zh).toMatch(/\p{Script=Han}/u);
  expect(e.en).toMatch(/[a-z]{3}/u);
  return e;
}

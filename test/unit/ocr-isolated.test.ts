import { createRequire } from 'node:module';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';
import { ExtractionError } from '#shared/extract/errors';
import { OCR_LIMITS } from '#shared/extract/ocr';
import { ocrIsolated } from '#shared/extract/ocr-isolated';

/**
 * The OCR stage's isolation (issue 14.4) with the real engine in a real child process: a run
 * stops starting calls once its budget is spent and names the pages left (a long scan is read
 * over several runs); the child is killed at its time or memory limit with a clear
 * TOO_COMPLEX, and an image too large to decode is refused from its header — the process that
 * asked is untouched.
 */
const require = createRequire(import.meta.url);
const FONT = path.join(path.dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json')), '400Regular', 'NotoSerifSC_400Regular.ttf');
GlobalFonts.registerFromPath(FONT, 'OcrIsoSerif');

/** A small scanned page (A6 at 150 dpi) with one line of text. */
function page(line: string): Buffer {
  const canvas = createCanvas(620, 874);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  ctx.font = '36px OcrIsoSerif';
  ctx.fillText(line, 60, 160);
  return canvas.toBuffer('image/png');
}

async function scanPdf(lines: readonly string[]): Promise<Uint8Array> {
  const doc = new PDFDocument({ autoFirstPage: false, size: 'A6' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const l of lines) {
    doc.addPage({ size: 'A6', margin: 0 });
    doc.image(page(l), 0, 0, { width: 297.64, height: 419.53 });
  }
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** A PNG whose header says width × height (grey), with a few bytes of pixel data: a decompression bomb's shape. */
function pngHeader(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(1024))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

describe('ocrIsolated', () => {
  it('reads the pages of a scan in calls of a few pages; a spent budget leaves the rest for the next run', async () => {
    const lines = Array.from({ length: OCR_LIMITS.pagesPerCall + 2 }, (_, i) => `第${i + 1}页政务公开工作要点`);
    const pdf = await scanPdf(lines);
    const pages = lines.map((_, i) => i + 1);
    const first = await ocrIsolated({ kind: 'pdf', bytes: pdf, pages, budgetMs: 1, imageWidth: 300 });
    expect(first.pages.map((p) => p.page)).toEqual(pages.slice(0, OCR_LIMITS.pagesPerCall));
    expect(first.remaining).toEqual(pages.slice(OCR_LIMITS.pagesPerCall));
    expect(first.images.map((i) => i.page)).toEqual(first.pages.map((p) => p.page));
    expect(first.engine).toBeTruthy();
    expect(first.threshold).toBeGreaterThan(0);
    // The page count comes from the child (the asking process never loads pdf.js).
    expect(first.totalPages).toBe(lines.length);
    expect(first.pages[2]!.text.replace(/\s/g, '')).toContain('第3页');
    const rest = await ocrIsolated({ kind: 'pdf', bytes: pdf, pages: [...first.remaining] });
    expect(rest.remaining).toEqual([]);
    expect(rest.pages.map((p) => p.page)).toEqual(first.remaining);
    expect(rest.totalPages).toBe(lines.length);
  }, 300_000);

  it('ends the child at its time and memory limits with TOO_COMPLEX, bilingual', async () => {
    const pdf = await scanPdf(['政务公开']);
    const slow = await ocrIsolated({ kind: 'pdf', bytes: pdf, pages: [1] }, { ...OCR_LIMITS, timeMs: 50 }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(ExtractionError);
    expect((slow as ExtractionError).code).toBe('TOO_COMPLEX');
    expect((slow as ExtractionError).zh).toContain('超过时限');
    const big = await ocrIsolated({ kind: 'pdf', bytes: pdf, pages: [1] }, { ...OCR_LIMITS, rssMb: 20 }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(ExtractionError);
    expect((big as ExtractionError).code).toBe('TOO_COMPLEX');
    expect((big as ExtractionError).zh).toContain('内存');
  }, 120_000);

  it('refuses a 20,000 × 20,000 px image from its header, with a bilingual reason, in bounded memory', async () => {
    const err = await ocrIsolated({ kind: 'image', bytes: pngHeader(20_000, 20_000), pages: [1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExtractionError);
    expect((err as ExtractionError).zh).toMatch(/请/);
    expect((err as ExtractionError).en.length).toBeGreaterThan(20);
  }, 120_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { OCR_CONFIDENCE_THRESHOLD, OCR_LIMITS, ocrImage } from '#shared/ocr/index';
import { han, pdfOf, PNG_SIGNATURE, pngChunk, pngIhdr, refusal, scanPng } from '../support/scans.ts';

/**
 * The OCR engine's limits, on the real engine (no mocks): a long scan read in one process
 * keeps its memory flat (the pixels of every rendered page are given back, whatever the page
 * count); an image too large is refused from its header, before anything is decoded; an
 * undecodable image is a bilingual refusal, not a crash. (A blank page and a photo without
 * text: ocr-engine.test.ts.) onnxruntime, sharp and the canvas allocate outside the V8 heap,
 * so resident memory (RSS) is the measure. No timing is asserted.
 */

const MB = 1024 * 1024;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-engine-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// --- PNG files written byte by byte, so that a huge image costs a few KB to make -------------

/**
 * A whole, valid white 1-bit greyscale PNG of width × height px: a few KB of file for
 * hundreds of megapixels (a decompression bomb). Making it costs its raw rows at one bit a
 * pixel (50 MB for 20,000 × 20,000), not its pixels.
 */
function whitePng(width: number, height: number): Uint8Array {
  const row = Buffer.alloc(1 + Math.ceil(width / 8), 0xff);
  row[0] = 0; // filter: none
  const raw = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(raw, y * row.length);
  return new Uint8Array(Buffer.concat([PNG_SIGNATURE, pngIhdr(width, height, 1), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', new Uint8Array(0))]));
}

/** A PNG's header (signature and IHDR) and the start of a pixel chunk, then nothing: cut short. */
const headerOnlyPng = (width: number, height: number): Uint8Array =>
  new Uint8Array(Buffer.concat([PNG_SIGNATURE, pngIhdr(width, height, 8), pngChunk('IDAT', new Uint8Array(16).fill(0x55))]));

/** A small page as a scanner at low resolution gives it (A4 at 72 dpi, 595 × 842 px), two lines of text. */
const lowDpiPagePng = (): Uint8Array => scanPng(['古县人民政府办公室文件', '关于印发政务公开工作要点的通知'], { dpi: 72, fontSize: 24, left: 60, top: 120, lineHeight: 60 });

describe('a long scan read in one process keeps its memory bounded', () => {
  // Every PDF page is rendered at the working size (1448 × 2048 px for A4) whatever the
  // resolution of its scan, so a page costs detection on a full page: 32 pages, not more.
  const PAGES = 32;
  const PER_CALL = 8; // as the OCR stage sends them (shared/extract/ocr-isolated.ts)
  const GROWTH_BOUND = 200 * MB;

  it(`reads all ${PAGES} pages in calls of ${PER_CALL}, and RSS after the last call is within 200 MB of RSS after the first`, async () => {
    const file = path.join(tmp, 'long-scan.pdf');
    const page = lowDpiPagePng();
    writeFileSync(file, await pdfOf(Array.from({ length: PAGES }, () => page)));
    // One process of its own, so that its RSS is the engine's alone (models, sessions, pages).
    const script = `
      const { ocrPdfPages } = await import(${JSON.stringify(path.resolve('shared/ocr/index.ts'))});
      const { readFileSync } = await import('node:fs');
      const bytes = new Uint8Array(readFileSync(${JSON.stringify(file)}));
      const out = { rss: [], pages: [] };
      for (let start = 1; start <= ${PAGES}; start += ${PER_CALL}) {
        const wanted = Array.from({ length: Math.min(${PER_CALL}, ${PAGES} - start + 1) }, (_, i) => start + i);
        const r = await ocrPdfPages(bytes, wanted);
        out.pages.push(...r.pages.map((p) => ({ page: p.page, text: p.text, confidence: p.confidence, width: p.width, height: p.height })));
        out.rss.push(process.memoryUsage.rss());
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 540_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    const { rss, pages } = JSON.parse(stdout) as { rss: number[]; pages: { page: number; text: string; confidence: number; width: number; height: number }[] };

    // Every page read, the last as well as the first, at the working size.
    expect(pages.map((p) => p.page)).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
    for (const p of pages) {
      expect(han(p.text)).toContain('古县人民政府办公室文件');
      expect(p.confidence).toBeGreaterThanOrEqual(OCR_CONFIDENCE_THRESHOLD);
      expect(Math.max(p.width, p.height)).toBe(OCR_LIMITS.workMaxSide);
    }
    // Flat after warm-up: each page's pixels (1448 × 2048 × 4 bytes rendered) are given back.
    // (Rendering alone used to keep ~12 MB a page of native memory until a major GC: render.ts.)
    const growth = rss.at(-1)! - rss[0]!;
    expect(growth, `RSS after each call, MB: ${rss.map((r) => Math.round(r / MB)).join(', ')}`).toBeLessThan(GROWTH_BOUND);
  }, 600_000);
});

describe('an image too large is refused from its header, before it is decoded', () => {
  it('a whole 20,000 × 20,000 px PNG (400 megapixels in a few KB): TOO_LARGE, in both languages, and RSS does not jump', async () => {
    const bomb = whitePng(20_000, 20_000);
    expect(bomb.byteLength).toBeLessThan(1 * MB);
    // It is a real image: its header says what it is.
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 20_000, 20_000]);

    const before = process.memoryUsage.rss();
    const e = await refusal(ocrImage(bomb));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.zh).toContain('20,000 × 20,000');
    expect(e.zh).toContain('图片尺寸过大');
    expect(e.en).toContain('20,000 × 20,000 px');
    // Decoded, even streamed to the working size, it would be 400 MB of grey pixels at 8 bits.
    expect(process.memoryUsage.rss() - before).toBeLessThan(100 * MB);
  });

  it('a header with its pixels cut short is judged on the header alone: TOO_LARGE, not DAMAGED', async () => {
    // 20,000 × 20,000 px, and over 100 megapixels with both sides under the side limit, and one side over it.
    for (const [w, h] of [
      [20_000, 20_000],
      [12_000, 9_000],
      [OCR_LIMITS.inputMaxSide + 1, 100],
    ] as const) {
      const e = await refusal(ocrImage(headerOnlyPng(w, h)));
      expect(e.code, `${w} × ${h}`).toBe('TOO_LARGE');
      expect(e.en).toContain(`${w.toLocaleString('en-US')} × ${h.toLocaleString('en-US')} px`);
    }
  });

  it('an image just inside the limit is read, not refused', async () => {
    // 10,000 × 10,000 px = exactly 100 megapixels: streamed through the resize to the working size.
    const big = whitePng(10_000, 10_000);
    const before = process.memoryUsage.rss();
    const { pages } = await ocrImage(big);
    expect(pages[0]).toMatchObject({ page: 1, text: '', confidence: 0, width: OCR_LIMITS.workMaxSide, height: OCR_LIMITS.workMaxSide });
    expect(process.memoryUsage.rss() - before).toBeLessThan(300 * MB);
  });
});

describe('an undecodable image is a bilingual refusal, not a crash', () => {
  const scan = async (): Promise<{ png: Uint8Array; jpeg: Uint8Array }> => {
    const page = lowDpiPagePng();
    const jpeg = await sharp(page).jpeg({ quality: 80 }).toBuffer();
    return { png: page, jpeg: new Uint8Array(jpeg) };
  };

  it('a PNG cut short, a JPEG cut short, random bytes behind a PNG signature, and a file that is no image', async () => {
    const { png, jpeg } = await scan();
    let seed = 11;
    const random = Uint8Array.from({ length: 64 * 1024 }, () => (seed = (seed * 1103515245 + 12345) % 2147483648) >>> 16);
    const cases: [string, Uint8Array][] = [
      ['PNG cut in half', png.subarray(0, Math.floor(png.length / 2))],
      ['PNG with only its header and the start of its pixels', png.subarray(0, 100)],
      ['JPEG cut in half', jpeg.subarray(0, Math.floor(jpeg.length / 2))],
      ['random bytes behind a PNG signature', new Uint8Array(Buffer.concat([PNG_SIGNATURE, random]))],
      [
        'a PNG signature, a valid header, then random bytes',
        new Uint8Array(Buffer.concat([PNG_SIGNATURE, pngIhdr(800, 600, 8), pngChunk('IDAT', random), pngChunk('IEND', new Uint8Array(0))])),
      ],
      ['text', new TextEncoder().encode('这不是图片 this is not an image')],
      ['empty', new Uint8Array(0)],
    ];
    for (const [name, bytes] of cases) {
      const e = await refusal(ocrImage(bytes));
      expect(e.code, name).toBe('DAMAGED');
      expect(e.zh, name).toContain('图片文件已损坏或不完整');
    }
    // The engine is still there after the refusals: the whole image reads.
    const { pages } = await ocrImage(png);
    expect(han(pages[0]!.text)).toContain('古县人民政府办公室文件');
  });
});

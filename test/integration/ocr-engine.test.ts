import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { OCR_CONFIDENCE_THRESHOLD, OCR_LIMITS, ocrImage, ocrPdfPages, renderPageImage } from '#shared/ocr/index';
import { bytes, corpus, utf8 } from '../support/corpus.ts';
import { han, pdfOf, refusal, scanPng } from '../support/scans.ts';

/**
 * The OCR engine (shared/ocr) on real and on bad scans: the corpus scan, a scan carrying a
 * secrecy mark and a non-disclosure marker, a blank page, a photo without text, a 400-page
 * scan, a 20,000 × 20,000 px image. Each ends in text or a bilingual ExtractionError, with the
 * process' memory bounded (onnxruntime and sharp allocate outside the V8 heap, so RSS is the
 * measure). No timing is asserted.
 */

const MB = 1024 * 1024;
const RSS_BOUND = 1536 * MB;
const rssBounded = () => expect(process.memoryUsage.rss()).toBeLessThan(RSS_BOUND);

describe('OCR of the corpus scan bad/scanned_002.pdf', () => {
  it('reads both pages, with the characters the reference has on them', async () => {
    const result = await ocrPdfPages(bytes('bad/scanned_002.pdf'), [1, 2]);
    expect(result.engine).toMatch(/PP-OCRv4/);
    expect(result.pages.map((p) => p.page)).toEqual([1, 2]);
    const [p1, p2] = result.pages;
    const reference = han(utf8('txt/002_6bc38a5105b87f60.txt'));
    // Page 1: the issuing body, the title, the date line and the disclosure marker, as txt/002 has them.
    for (const phrase of ['古县人民政府办公室文件', '古县人民政府办公室关于印发古县年政务公开工作要点的通知', '此件公开发布', '以人民为中心推进新时代政务公开工作']) {
      expect(reference).toContain(phrase);
      expect(han(p1!.text)).toContain(phrase);
    }
    expect(han(p2!.text)).toContain('政府信息公开条例');
    for (const p of result.pages) {
      expect(p.confidence).toBeGreaterThanOrEqual(OCR_CONFIDENCE_THRESHOLD);
      expect(p.confidence).toBeLessThanOrEqual(1);
      expect(p.width).toBeGreaterThan(1000);
      expect(p.height).toBeGreaterThan(p.width);
    }
    rssBounded();
  });

  it('gives a bounded page image for the console', async () => {
    const png = await renderPageImage(bytes('bad/scanned_002.pdf'), 1, 800);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(800);
    const full = await sharp(await renderPageImage(bytes('bad/scanned_002.pdf'), 2)).metadata();
    expect(full.width).toBeLessThanOrEqual(OCR_LIMITS.previewMaxWidth);
    await refusal(renderPageImage(bytes('bad/scanned_002.pdf'), 3));
  });
});

describe('OCR gives the rulebook what a scan says', () => {
  it('reads a secrecy mark and a non-disclosure marker drawn on a scanned page', async () => {
    const png = scanPng(['秘密★1年', '关于调整县直机关办公用房的通知', '各乡（镇）人民政府，县直各有关单位：', '（此件不予公开）']);
    const { pages } = await ocrImage(png);
    expect(pages).toHaveLength(1);
    const text = pages[0]!.text;
    expect(text).toMatch(/秘密\s*★/u);
    expect(han(text)).toContain('此件不予公开');
    expect(han(text)).toContain('关于调整县直机关办公用房的通知');
    // The same page inside a PDF without a text layer.
    const pdf = await ocrPdfPages(await pdfOf([png]), [1]);
    expect(pdf.pages[0]!.text).toMatch(/秘密\s*★/u);
    expect(han(pdf.pages[0]!.text)).toContain('此件不予公开');
  });
});

describe('bad scans end in a clear outcome', () => {
  it('a blank page: empty text, confidence 0 (not an error)', async () => {
    const white = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const image = await ocrImage(new Uint8Array(white));
    expect(image.pages[0]).toMatchObject({ page: 1, text: '', confidence: 0 });
    const pdf = await ocrPdfPages(await pdfOf([new Uint8Array(white)]), [1]);
    expect(pdf.pages[0]).toMatchObject({ page: 1, text: '', confidence: 0 });
  });

  it('a photo with no text: no confident text (the page is flagged for checking, not refused)', async () => {
    // A "photo": smooth gradients and blobs with sensor noise, in colour, as JPEG.
    const w = 1600;
    const h = 1200;
    const raw = Buffer.alloc(w * h * 3);
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 3;
        const blob = 60 * Math.sin(x / 97) * Math.cos(y / 71);
        raw[i] = Math.max(0, Math.min(255, 90 + (x / w) * 120 + blob + rand() * 30));
        raw[i + 1] = Math.max(0, Math.min(255, 140 + (y / h) * 80 - blob + rand() * 30));
        raw[i + 2] = Math.max(0, Math.min(255, 200 - (x / w) * 100 + rand() * 30));
      }
    }
    const jpeg = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    const { pages } = await ocrImage(new Uint8Array(jpeg));
    expect(pages).toHaveLength(1);
    const p = pages[0]!;
    expect(han(p.text).length === 0 || p.confidence < OCR_CONFIDENCE_THRESHOLD).toBe(true);
    if (p.text === '') expect(p.confidence).toBe(0);
    rssBounded();
  });
});

describe('the engine runs isolated (the OCR stage runs it in a worker or a child process)', () => {
  const script = `
    const { ocrPdfPages } = await import(${JSON.stringify(path.resolve('shared/ocr/index.ts'))});
    const { readFileSync } = await import('node:fs');
    const r = await ocrPdfPages(new Uint8Array(readFileSync(${JSON.stringify(corpus('bad/scanned_002.pdf'))})), [1]);
    return r.pages[0].text;
  `;

  it('in a worker thread', async () => {
    const worker = new Worker(
      `(async () => {
         const { register } = await import('tsx/esm/api');
         register();
         const { parentPort } = await import('node:worker_threads');
         const run = async () => { ${script} };
         parentPort.postMessage(await run());
       })();`,
      { eval: true },
    );
    const text = await new Promise<string>((resolve, reject) => {
      worker.once('message', (m: string) => resolve(m));
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(han(text)).toContain('古县人民政府办公室文件');
  });

  it('in a child process', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const run = async () => { ${script} }; process.stdout.write(await run());`], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(han(r.stdout)).toContain('古县人民政府办公室文件');
  });
});

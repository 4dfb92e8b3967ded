import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExtractionError } from '#shared/extract/errors';
import { OCR_LIMITS } from '#shared/extract/ocr';
import { ocrIsolated } from '#shared/extract/ocr-isolated';
import { pdfOf, PNG_SIGNATURE, pngChunk, pngIhdr, scanPng } from '../support/scans.ts';

/**
 * The OCR stage's isolation (issue 14.4) with the real engine in a real child process: a run
 * stops starting calls once its budget is spent and names the pages left (a long scan is read
 * over several runs); the child is killed at its time or memory limit with a clear
 * TOO_COMPLEX, and an image too large to decode is refused from its header — the process that
 * asked is untouched.
 */
/** A small scanned page (A6 at 150 dpi) with one line of text, for each of `lines`. */
const scanPdf = (lines: readonly string[]): Promise<Uint8Array> =>
  pdfOf(
    lines.map((line) => scanPng([line], { paper: 'A6', fontSize: 36, left: 60, top: 160 })),
    { paper: 'A6' },
  );

/** A PNG whose header says width × height (grey), with a few bytes of pixel data: a decompression bomb's shape. */
const pngHeader = (width: number, height: number): Uint8Array =>
  new Uint8Array(Buffer.concat([PNG_SIGNATURE, pngIhdr(width, height, 8), pngChunk('IDAT', deflateSync(Buffer.alloc(1024))), pngChunk('IEND', new Uint8Array(0))]));

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

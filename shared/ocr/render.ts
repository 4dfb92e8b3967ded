/**
 * PDF pages rendered in process by pdf.js (the legacy build pdf-parse loads, see
 * ../extract/pdfjs.ts) on @napi-rs/canvas, which pdf.js picks itself in Node (its
 * NodeCanvasFactory): no poppler, nothing outside node_modules, so it runs in Lambda.
 *
 * A page is drawn straight at the size it is needed (the OCR working size, or the preview
 * width), never larger than OCR_LIMITS.renderMaxPixels. An embedded image over
 * MAX_EMBEDDED_IMAGE_PIXELS is not decoded (pdf.js' maxImageSize): the page then renders
 * without it and is recognised as having no text — flagged for the drafter, not a crash.
 */
import '../extract/pdfjs.ts';
import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { restoreNativeBuiltins } from '../extract/builtins.ts';
import { extractionErrors, ExtractionError } from '../extract/errors.ts';
import { pdfCMapDir } from '../extract/pdf.ts';
import { OCR_LIMITS } from './limits.ts';

/** 50 megapixels: an A4 page scanned at 600 dpi is 35. */
export const MAX_EMBEDDED_IMAGE_PIXELS = 50_000_000;

export interface RenderedPage {
  readonly rgba: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

interface NodeCanvasEntry {
  /** An @napi-rs/canvas Canvas: data() is a view of its own pixels (RGBA, premultiplied), no copy. */
  canvas: { width: number; height: number; data?(): Uint8Array };
  context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

interface CanvasFactory {
  create(width: number, height: number): NodeCanvasEntry;
  destroy(entry: NodeCanvasEntry): void;
}

function pdfError(err: unknown): ExtractionError {
  if (err instanceof ExtractionError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return extractionErrors.encrypted('PDF', err);
  if (name === 'InvalidPDFException') return extractionErrors.damaged('PDF', { zh: '文件结构无效', en: 'invalid PDF structure' }, err);
  return extractionErrors.damaged('PDF', undefined, err);
}

/** Open a PDF for rendering; `use` gets the document and its page count; the document is always closed. */
export async function withPdf<T>(bytes: Uint8Array, use: (doc: PDFDocumentProxy) => Promise<T>): Promise<T> {
  let doc: PDFDocumentProxy | undefined;
  try {
    // pdf.js may detach the array it is given: a copy. Never compile code from an untrusted file.
    doc = await getDocument({
      data: new Uint8Array(bytes),
      cMapUrl: pdfCMapDir(),
      cMapPacked: true,
      isEvalSupported: false,
      maxImageSize: MAX_EMBEDDED_IMAGE_PIXELS,
      verbosity: 0,
    }).promise;
    restoreNativeBuiltins();
    return await use(doc);
  } catch (err) {
    throw pdfError(err);
  } finally {
    await doc?.destroy().catch(() => undefined);
    restoreNativeBuiltins();
  }
}

/**
 * Render one page (1-based) so that its long side is at most `maxSide` and its width at most
 * `maxWidth` px, within OCR_LIMITS.renderMaxPixels.
 */
export async function renderPage(doc: PDFDocumentProxy, pageNumber: number, bounds: { maxSide?: number; maxWidth?: number }): Promise<RenderedPage> {
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > doc.numPages) throw extractionErrors.pageOutOfRange(pageNumber, doc.numPages);
  const page: PDFPageProxy = await doc.getPage(pageNumber);
  try {
    const unit = page.getViewport({ scale: 1 });
    let scale = Math.sqrt(OCR_LIMITS.renderMaxPixels / (unit.width * unit.height));
    if (bounds.maxSide) scale = Math.min(scale, bounds.maxSide / Math.max(unit.width, unit.height));
    if (bounds.maxWidth) scale = Math.min(scale, bounds.maxWidth / unit.width);
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.floor(viewport.width));
    const height = Math.max(1, Math.floor(viewport.height));
    const factory = doc.canvasFactory as CanvasFactory;
    const entry = factory.create(width, height);
    try {
      const params = { canvas: entry.canvas, canvasContext: entry.context, viewport, background: '#ffffff' } as unknown as Parameters<PDFPageProxy['render']>[0];
      await page.render(params).promise;
      // Not getImageData: its ImageData holds 4 bytes a pixel of native memory that V8 neither
      // sees nor counts, freed only when a major GC finalises the object — which a heap this
      // small rarely needs: rendering 100 pages in one process grew RSS by 1.15 GB (12 MB a
      // page). The canvas' own pixels (a view, freed with the canvas just below)
      // are copied instead into an ArrayBuffer that V8 owns and counts. The page is painted on
      // opaque white, so its premultiplied RGBA is plain RGBA.
      const rgba = new Uint8ClampedArray(width * height * 4);
      const pixels = typeof entry.canvas.data === 'function' ? entry.canvas.data() : undefined;
      if (pixels?.length === rgba.length) rgba.set(pixels);
      else rgba.set(entry.context.getImageData(0, 0, width, height).data); // rows padded, or not @napi-rs/canvas
      return { rgba, width, height };
    } finally {
      factory.destroy(entry);
    }
  } finally {
    page.cleanup();
  }
}

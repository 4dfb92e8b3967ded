/**
 * Injected (esbuild `inject`) into the Lambda bundles that use pdf.js (pdf-parse 2 →
 * pdfjs-dist 5), so it is evaluated before pdf.js. Two things go missing only once pdf.js
 * is bundled; both were measured with the corpus (bundled text = unbundled text, all files):
 *
 * 1. pdf.js runs `new DOMMatrix()` when its module loads, and in Node takes DOMMatrix from
 *    `@napi-rs/canvas`, which it loads through createRequire at run time — invisible to
 *    esbuild, and a native binary (the one installed here is linux-x64; Lambda runs arm64).
 *    Extracting text never renders, so the pure-JS geometry polyfill that @napi-rs/canvas
 *    itself vendors (no native code) is enough. pdf.js still logs that it "cannot load
 *    @napi-rs/canvas" and cannot polyfill ImageData/Path2D: harmless for text.
 * 2. Node has no Web Worker; pdf.js' fake worker imports ./pdf.worker.mjs next to the
 *    bundle unless globalThis.pdfjsWorker is set. Importing the worker module sets it (and
 *    puts the worker in the bundle).
 * 3. pdf.js' legacy build runs core-js, which replaces Array.prototype.push for the whole
 *    process (issue 17.3). The recorder is imported first, so it holds the engine's push,
 *    and shared/extract/pdfjs.ts puts it back once pdf.js has loaded.
 */
import '#shared/extract/builtins';
import { DOMMatrix } from '@napi-rs/canvas/geometry.js';
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';

const g = globalThis as { DOMMatrix?: unknown };
g.DOMMatrix ??= DOMMatrix;

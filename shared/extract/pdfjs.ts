/**
 * pdf.js as pdf-parse loads it (the legacy build), with the engine's Array.prototype.push
 * given back once it has loaded (see builtins.ts). Import order matters: builtins.ts
 * records the native push before pdf.js replaces it.
 *
 * The fake worker (pdf.js runs its worker in this thread in Node) is imported here too,
 * so that it is loaded now — not at the first getDocument — and its own copy of core-js is undone with
 * pdf.js'. Importing it sets globalThis.pdfjsWorker, which pdf.js uses instead of importing ./pdf.worker.mjs.
 *
 * That worker is patched (patches/pdfjs-dist+5.4.296.patch, applied by patch-package on npm
 * ci/install; esbuild bundles the patched file into the Lambda): an embedded font's OpenType
 * program — the Type1 → CFF compile and the OpenType wrapping of Type1/CFF fonts — is built when
 * first read (rendering, shared/ocr/render.ts), not when getTextContent only needs the font's
 * encoding, ToUnicode map and widths: about a third of the CPU of the corpus PDFs. It also trims
 * getTextContent (issue 17.3, large_cid.pdf): a font the call has loaded is set again without a
 * promise round trip, per-glyph transforms are built without intermediate arrays, the bidi analysis is
 * skipped for text without right-to-left characters, text chunks (up to 1000 items, not 100) and messages
 * of primitives cross the in-thread port (pdf.mjs' LoopbackPort) without a structured clone. The text is byte for byte
 * the same (test/unit/extract-lazy-fonts.test.ts), and so are rendered pages.
 */
import { restoreNativeBuiltins } from './builtins.ts';
import { PDFParse } from 'pdf-parse';
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';

restoreNativeBuiltins();

export { PDFParse, restoreNativeBuiltins };

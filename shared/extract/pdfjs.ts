/**
 * pdf.js as pdf-parse loads it (the legacy build), with the engine's Array.prototype.push
 * given back once it has loaded (see builtins.ts). Import order matters: builtins.ts
 * records the native push before pdf.js replaces it.
 *
 * The fake worker (pdf.js runs its worker in this thread in Node) is imported here too,
 * so that it is loaded now — not at the first getDocument — and its own copy of core-js is undone with
 * pdf.js'. Importing it sets globalThis.pdfjsWorker, which pdf.js uses instead of importing ./pdf.worker.mjs.
 */
import { restoreNativeBuiltins } from './builtins.ts';
import { PDFParse } from 'pdf-parse';
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';

restoreNativeBuiltins();

export { PDFParse, restoreNativeBuiltins };

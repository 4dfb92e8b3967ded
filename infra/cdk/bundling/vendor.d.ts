/** Untyped modules the Lambda bundling shim imports. */
declare module '@napi-rs/canvas/geometry.js' {
  export const DOMMatrix: unknown;
}
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs';

/**
 * The engine's own Array.prototype.push, kept from pdf.js' legacy build.
 *
 * pdf-parse loads pdfjs-dist/legacy/build/pdf.mjs, and its fake worker
 * pdf.worker.mjs; each bundles core-js, which replaces Array.prototype.push for the whole
 * process (V8's push does not throw on a non-writable length, which core-js counts as a bug)
 * with a JavaScript function several times slower — 21–31 % of extraction time, and every
 * other module in the process (SDK, emulators) pays it too. The replacement only differs on
 * an array whose length was made non-writable; nothing here does that.
 *
 * The other polyfills of the legacy build only ADD what the engine lacks (Node 20: Promise.withResolvers,
 * Promise.try, Set methods, Uint8Array base64/hex, Iterator helpers) and are kept: pdf.js needs them.
 *
 * This module must be evaluated before pdf.js (pdfjs.ts imports it first); restoreNativeBuiltins()
 * puts the native back after pdf.js and its worker have loaded. Where something loaded pdf.js
 * earlier still — a bundle whose injected shim imports pdf.js' worker before everything else —
 * the engine's push is already gone (another realm's is no substitute: calls to it are not
 * inlined, about 4× slower than the native here); the shim must import this module first.
 */
const NATIVE_PUSH = Array.prototype.push;
/** core-js leaves its shared store on the global object: if it is there already, NATIVE_PUSH may be its replacement. */
const CAPTURED_BEFORE_CORE_JS = !Object.getOwnPropertyNames(globalThis).includes('__core-js_shared__');

/** True while Array.prototype.push is the engine's own: recorded before any core-js ran, and still in place. */
export const nativePush = (): boolean => CAPTURED_BEFORE_CORE_JS && Array.prototype.push === NATIVE_PUSH;

/** Put the engine's Array.prototype.push back if a polyfill replaced it (idempotent, cheap). */
export function restoreNativeBuiltins(): void {
  if (Array.prototype.push !== NATIVE_PUSH) {
    Object.defineProperty(Array.prototype, 'push', { value: NATIVE_PUSH, writable: true, enumerable: false, configurable: true });
  }
}

import { brotliDecompressSync } from 'node:zlib';

/**
 * Stands in for `brotli/decompress.js` in the Lambda bundles (an esbuild alias:
 * infra/cdk/function-defaults.ts). fontkit imports brotli.js to read WOFF2 fonts; brotli.js
 * carries its 120 KB static dictionary as a 464 KB array literal in JavaScript, which every
 * bundle with pdfkit in it had to parse at each cold start (issue 17.5), although the PDFs are
 * set in TrueType fonts and never decompress anything. Node's own Brotli (zlib) decodes the
 * same streams, so a WOFF2 font still opens.
 *
 * Same contract as brotli.js' `BrotliDecompressBuffer(buffer, outputSize)`: the decompressed
 * bytes as a Uint8Array, an error for a stream that is not Brotli. `outputSize` is the size the
 * caller expects (brotli.js sizes its first buffer by it and does not hold the output to it);
 * zlib needs no hint.
 */
export default function decompress(buffer: Uint8Array, _outputSize?: number): Uint8Array {
  const out = brotliDecompressSync(buffer);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

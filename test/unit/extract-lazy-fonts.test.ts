/**
 * Issue 17.3: pdf.js builds an OpenType font program for every embedded Type1 font (a CFF
 * compile) and wraps every Type1/CFF font in an OpenType file, even when a page is only read
 * for its text. patches/pdfjs-dist+5.4.296.patch (applied by patch-package on npm ci/install,
 * and so in the Lambda bundle, which esbuild builds from node_modules) makes that font program
 * lazy: it is built when first read (rendering, OCR), never for getTextContent.
 *
 * The same patch trims getTextContent's per-glyph and per-font-switch work (large_cid.pdf switches
 * font before nearly every string): a font already loaded by this call is set again synchronously
 * instead of through a promise round trip (which also flushed a 10-item chunk each time), glyph
 * transforms are built without intermediate arrays, the Unicode normalisation and the bidi analysis are
 * skipped for text without any of their characters, shown strings and operators are looked up cheaply,
 * and text chunks (fewer of them) and control messages cross the in-thread port without a structured clone.
 *
 * What a user relies on: the text is byte for byte what it was before the patch. The hashes
 * below are of `rawText` as extracted with the unpatched pdfjs-dist 5.4.296 (same pdf-parse, CMaps).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '#shared/extract/index';
import { bytes } from '../support/corpus.ts';

const BEFORE_PATCH: Record<string, string> = {
  'pdf/000_70017f665202e428.pdf': 'd4097cf14da23536b7ec7154f14cf1add7714cc22a19fc10ed5c58958eee136c',
  'pdf/001_635c498a68e213e6.pdf': '8f829220af828fa3b1091e37ff83e940cd77b3b99ade9f8c7c7805d9a27527f6',
  'pdf/002_6bc38a5105b87f60.pdf': 'e1aedb1222c2ab622658246d0055bd31df1cff5c05e8439b62834f4181f6889d',
  'pdf/003_947bd769dad19b2f.pdf': '1c7d6e648ecce81a6118bbcbf17a7bf3c3f82d5fadf5795e7ba0277d9a8ee8c0',
  'pdf/004_a31f9dc5403041b8.pdf': '1e8d37d6144d4165d98d41151303885d816a4342fd5efa89c2719397f215c8a8',
  'pdf-variants/large_cid.pdf': '9a082eb716a001d96e4bb05084ce41e258242b5ed64928bbe9810ea12fdd2221',
  'pdf-variants/large_199p.pdf': '761c9713bb3d74f5e249280ab4a146ef1acf3541dd369a92dfe56d61b97516c2',
  'pdf-variants/gbk_nonembedded.pdf': '6d0412bec248c5de6879e515d80fb6d49a7218e09380cc2233a9bf1f2ea8d274',
};

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('pdf.js builds no font program for text extraction (issue 17.3)', () => {
  it('the installed pdf.js worker carries the patch (npm ci ran patch-package)', () => {
    const worker = createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
    const source = readFileSync(worker, 'utf8');
    expect(source).toContain('function gongkaiLazyData(target, compute)');
    expect(source).toContain('gongkaiLazyData(this, () => this.wrap(name, type2Charstrings, this.charstrings, subrs, properties));');
    // getTextContent sets a font it has loaded again without a round trip and builds glyph transforms without intermediate arrays.
    expect(source).toContain('const gongkaiLoaded = gongkaiFontsByName.get(fontNameArg);');
    expect(source).toContain('function gongkaiCurrentTextTransform(out = null) {');
    expect(source).toContain('if (!GongkaiMayNormalizeRegex.test(str)) {');
    // Text with no right-to-left character skips bidi's per-character arrays; the position of the last glyph is kept in a
    // reused array (copied when a whitespace item keeps it); fresh arrays instead of length resets.
    expect(source).toContain('if (!gongkaiMayBeRtl(str)) {');
    expect(source).toContain('const bidiResult = !textChunk.vertical && !gongkaiMayBeRtl(text) ? null : bidi(text, -1, textChunk.vertical);');
    expect(source).toContain('function buildTextContentItem(chars, extraSpacing) {');
    expect(source).toContain('transform: transform === gongkaiPrevTransform ? transform.slice() : transform,');
    expect(source).toContain('gongkaiCurrentTextTransform(gongkaiPrevTransform);');
    expect(source).toContain('textContentItem.str = [];');
    expect(source).toContain('args = [];\n        operation.args = args;');
    // Shown strings are looked up in a Map; two-character operators are the same string object each time.
    expect(source).toContain('let glyphs = this._charsCache.get(chars);');
    expect(source).toContain('const possibleCommand = str.length === 1 ? gongkaiTwoChars(str.charCodeAt(0), ch) : str + String.fromCharCode(ch);');
    // Text chunks cross the in-thread (fake worker) port uncloned.
    expect(source).toContain('sink.gongkaiNoClone = true;');
    const api = readFileSync(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.mjs'), 'utf8');
    expect(api).toContain('obj?.[Symbol.for("gongkai.pdfjs.noClone")] === true ? obj : (!transfer && gongkaiFlatCopy(obj)) || structuredClone(');
    // Messages of primitives only are copied without structuredClone; a page's text comes in chunks of up to 1000 items.
    expect(api).toContain('function gongkaiFlatCopy(obj) {');
    expect(api).toContain('const TEXT_CONTENT_CHUNK_SIZE = 1000;');
  });

  it.each(Object.keys(BEFORE_PATCH))('%s: the same raw text, byte for byte, as before the patch', async (file) => {
    const ex = await extractDocument(bytes(file));
    expect(sha256(ex.rawText)).toBe(BEFORE_PATCH[file]);
  });
});
